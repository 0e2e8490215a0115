package sim

import (
	"fmt"
	"net"
	"strings"
)

// The site table: xCAT's cluster-wide settings, one object "clustersite"
// to lsdef ([dbobjutils] getObjectsOfType and getobjdefs: every key with a
// value). The simulator's NIM work always happens in its one world, whatever
// site.nimprime names; site.master and site.nimprime only change what lsdef
// -t site answers and the "<mn>:" of rmnimimage's messages.

// defaultSite is what xcatconfig puts in the site table of an AIX
// management node (xCAT-server/sbin/xcatconfig at 2.9.2_aix_release
// L1202-1263; master and nameservers are the management node's address).
func defaultSite(s *State) map[string]string {
	domain := s.Domain
	if domain == "" {
		domain = "cluster.example.com"
	}
	return map[string]string{
		"auditnosyslog": "0", "blademaxp": "64", "cleanupxcatpost": "no", "consoleondemand": "yes",
		"databaseloc": "/var/lib", "db2installloc": "/mntdb2", "dhcplease": "43200", "dnshandler": "ddns",
		"domain": domain, "enableASMI": "no", "fsptimeout": "0", "installdir": "/install",
		"master": "10.0.0.10", "maxssh": "8", "nameservers": "10.0.0.10",
		"nodesyncfiledir": "/var/xcat/node/syncfiles", "powerinterval": "0", "ppcmaxp": "64",
		"ppcretry": "3", "ppctimeout": "0", "sharedtftp": "1", "SNsyncfiledir": "/var/xcat/syncfiles",
		"sshbetweennodes": "ALLGROUPS", "syspowerinterval": "0", "tftpdir": "/tftpboot",
		"timezone": "America/New_York", "useNFSv4onAIX": "no", "useNmapfromMN": "no", "useSSHonAIX": "yes",
		"vsftp": "n", "xcatconfdir": "/etc/xcat", "xcatdport": "3001", "xcatiport": "3002",
		"xcatsslversion": "TLSv1",
	}
}

// site is the world's site table with NIMWIZ_SIM_NIMPRIME applied.
func (p *proc) site(s *State) map[string]string {
	out := map[string]string{}
	src := s.Site
	if src == nil {
		src = defaultSite(s) // a world seeded before the site table existed
	}
	for k, v := range src {
		if v != "" {
			out[k] = v
		}
	}
	if v := p.getenv("NIMWIZ_SIM_NIMPRIME"); v != "" {
		out["nimprime"] = v
	}
	return out
}

// mnName is xCAT's name for the management node in messages
// (perl-xCAT/xCAT/InstUtils.pm myxCATname at 2.9.2_aix_release L114-200:
// site.master, resolved when it is an address, cut to a short host name).
func (p *proc) mnName(s *State) string {
	m := p.site(s)["master"]
	if m == "" || net.ParseIP(m) != nil {
		return s.Host
	}
	if i := strings.IndexByte(m, '.'); i >= 0 {
		return m[:i]
	}
	return m
}

// SetSite sets key in the site table of the world rooted at root; an empty
// value removes the key.
func SetSite(root, key, value string) error {
	if key == "" {
		return fmt.Errorf("site table: no key")
	}
	return store{root: root}.Update(func(s *State) error {
		if s.Site == nil {
			s.Site = defaultSite(s)
		}
		if value == "" {
			delete(s.Site, key)
		} else {
			s.Site[key] = value
		}
		return nil
	})
}
