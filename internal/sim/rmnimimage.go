package sim

import (
	"fmt"
	"os"
	"path"
	"sort"
	"strings"
)

var rmnimimageUsage = []string{
	"\n  rmnimimage - Use this xCAT command to remove NIM resources specified in an xCAT osimage definition.",
	"  Usage: ",
	"\trmnimimage [-h | --help]",
	"or",
	"\trmnimimage [-V] [-f|--force] [-d|--delete] [-x|--xcatdef] [-M|--managementnode]\n\t\t[-s servicenoderange] osimage_name\n",
}

var rmnimimageSpec = optSpec{
	short: map[byte]bool{'h': false, 'V': false, 'f': false, 'd': false, 'x': false, 'M': false, 's': true},
	long: map[string]string{"help": "h", "verbose": "V", "force": "f", "delete": "d", "xcatdef": "x",
		"managementnode": "M"},
}

// nimResAttrs are the osimage attributes that name NIM resources.
var nimResAttrs = strings.Fields(`bosinst_data dump fb_script home image_data installp_bundle lpp_source mksysb
 paging resolv_conf root script shared_home shared_root spot tmp`)

// rmDirOf is where rmnimimage -d runs rm -R for a resource type: the
// parent directory for spot and resolv_conf, the location itself for these
// others, nothing for the rest (dump, home, tmp, ...).
func rmDirOf(typ, loc string) string {
	switch typ {
	case "spot", "resolv_conf":
		return path.Dir(loc)
	case "lpp_source", "bosinst_data", "script", "installp_bundle", "root", "shared_root", "paging":
		return loc
	}
	return ""
}

func (p *proc) rmnimimage(argv []string) int {
	s, err := p.st.View()
	if err != nil {
		o := p.xcat0()
		o.err(err.Error())
		return o.done(1)
	}
	o := p.xcatOut(s.Host)
	if len(argv) == 0 {
		o.info(rmnimimageUsage...)
		return 0
	}
	op, err := rmnimimageSpec.parse(argv, true)
	if err != nil || op.has('h') {
		o.info(rmnimimageUsage...)
		return 0
	}
	if len(op.args) == 0 {
		o.err("The xCAT osimage name is required.\n")
		return o.done(1)
	}
	name := op.args[0]
	img := s.Osimage(name)
	if img == nil {
		o.err("'" + name + "' is not a valid xCAT image name.\n")
		return o.done(1)
	}
	mn := p.mnName(s)

	if !op.has('f') {
		shared := false
		for _, other := range s.Osimages {
			if other.Name == name {
				continue
			}
			for _, a := range nimResAttrs {
				for _, r := range splitComma(img.Attrs[a]) {
					for _, b := range nimResAttrs {
						if contains(splitComma(other.Attrs[b]), r) {
							shared = true
							if op.has('V') {
								o.info(fmt.Sprintf("The osimage %s and %s share the common resource %s\n", name, other.Name, r))
							}
						}
					}
				}
			}
		}
		if shared {
			o.err("One or more resources are being used in other osimage definitions.  The osimage " + name +
				" will not be removed.  Use the force option to override this check.\n")
			return o.done(1)
		}
	}

	if op.has('x') {
		if err := p.st.Update(func(s *State) error { s.RemoveOsimage(name); return nil }); err != nil {
			o.err("Could not remove the existing xCAT definition for '" + name + "'.\n")
		} else {
			o.info("Removed the xCAT osimage definition '" + name + "'.\n")
		}
	}

	keys := make([]string, 0, len(img.Attrs))
	for k := range img.Attrs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	errors := 0
	// The servers: the NIM primary and every SN that serves nodes by
	// default; -M the primary only; -s only the SNs named (aixinstall.pm
	// 2.9.2 L5860-5888). Each server's lines carry its name.
	servers := []string{""} // "": the management node's own database
	switch {
	case op.has('M'):
	case op.has('s'):
		servers = nil
		for _, sn := range splitComma(op.str('s')) {
			if s.ServiceNode(sn) != nil {
				servers = append(servers, sn)
			}
		}
	default:
		var sns []string
		for _, n := range s.Nodes {
			for _, sn := range splitComma(n.Attrs["servicenode"]) {
				if s.ServiceNode(sn) != nil && !contains(sns, sn) {
					sns = append(sns, sn)
				}
			}
		}
		sort.Strings(sns)
		servers = append(servers, sns...)
	}
	for _, srv := range servers {
		prefix := mn
		if srv != "" {
			prefix = srv
			if sn := s.ServiceNode(srv); sn != nil && p.snDown(sn) {
				// GUESS: xcatd's dispatch to a server it cannot reach
				// (Client.pm 2.9.2 L869, commented there).
				o.err(prefix + ": Unable to dispatch command to " + srv + ", command will not make changes to that server.\n")
				errors++
				continue
			}
		}
		errors += p.rmnimresOn(o, op, img, srv, prefix)
	}
	if errors > 0 {
		o.err(mn + ": One or more errors occurred when trying to remove the xCAT osimage definition '" + name +
			"' and the related NIM resources.\n")
		return o.done(1)
	}
	return o.done(0)
}

// rmnimresOn removes img's resources from one server's NIM database (srv
// "": the management node's; else that SN's), saying so prefixed with the
// server's name, and returns the number of errors.
func (p *proc) rmnimresOn(o *xout, op opts, img *Osimage, srv, prefix string) int {
	keys := make([]string, 0, len(img.Attrs))
	for k := range img.Attrs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	errors := 0
	done := map[string]bool{}
	for _, attr := range keys {
		if !contains(nimResAttrs, attr) || (attr == "lpp_source" && !op.has('d')) {
			continue
		}
		for _, res := range splitComma(img.Attrs[attr]) {
			if done[res] {
				continue
			}
			done[res] = true
			p.setPhase("remove " + res)
			var gone *NimObject
			var allocated bool
			err := p.st.Update(func(s *State) error {
				objs := &s.Objects
				if srv != "" {
					sn := s.ServiceNode(srv)
					if sn == nil {
						return nil
					}
					objs = &sn.Objects
				}
				for i, ob := range *objs {
					if ob.Name != res || ob.Class != "resources" {
						continue
					}
					if atoi(ob.Get("alloc_count")) > 0 {
						allocated = true
						return nil
					}
					gone = ob
					*objs = append((*objs)[:i:i], (*objs)[i+1:]...)
					return nil
				}
				return nil
			})
			switch {
			case err != nil:
				o.err(prefix+": Could not remove the NIM resource definition '"+res+"'.\n", err.Error())
				errors++
			case allocated:
				o.info(prefix + ": The resource named '" + res + "' is currently allocated. It will not be removed.\n")
			case gone != nil:
				if op.has('d') && srv == "" {
					if d := rmDirOf(gone.Type, gone.Get("location")); d != "" && d != "/" {
						_ = os.RemoveAll(p.host(d))
					}
				}
				o.info(prefix + ": Removed the NIM resource named '" + res + "'.\n")
			}
		}
	}
	return errors
}
