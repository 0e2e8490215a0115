package nim

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
)

// Where mknimimage runs. xCAT sends it to the NIM primary: aixinstall.pm's
// preprocess (2.9.2_aix_release L198-207) sets the request's _xcatdest to
// InstUtils::getnimprime, which is site.nimprime when set and site.master
// otherwise, shortened to a short host name (InstUtils.pm 2.9.2 L64-100).
// xcatd runs the request where it is unless
// NetworkUtils::thishostisnot(dest) says otherwise (xcatd 2.9.2
// L1926-1930): the destination's address (getipaddr) is not one of this
// host's interface addresses (ifconfig -a | grep inet; NetworkUtils.pm
// 2.9.2 L1566-1602; InstUtils::is_me L204-270 does the same). On a service
// node (/etc/xCATSN, Utils.pm 2.9.2 L1547-1558) preprocess hands the
// request back to run there (aixinstall.pm L188-191). nimwiz's checks (lsnim, the source directory,
// the location's free space, a synclists file) look at this host, so they
// are right only where mknimimage runs.

// Site is what nimwiz reads of xCAT's site table.
type Site struct {
	Master   string // site.master
	Nimprime string // site.nimprime; "" when unset
}

// siteObject is the name lsdef gives the site table's one object
// (DBobjectdefs.pm 2.9.2 L972-975).
const siteObject = "clustersite"

// Site asks xCAT for site.master and site.nimprime with lsdef -t site -i
// master,nimprime: the long form, "Object name: clustersite" and one line
// per attribute that is set (defls lists the site object's own keys,
// DBobjectdefs.pm 2.9.2 L3448-3455, those of -i only, L3502-3505). An unset
// nimprime is missing or empty; both read as "".
func (c *Client) Site(ctx context.Context) (Site, error) {
	res, err := c.Exec.Query(ctx, "lsdef", "-t", "site", "-i", "master,nimprime")
	if err != nil {
		return Site{}, err
	}
	objs := ParseLsdefLong(res.Stdout)
	if err := readable(res, len(objs)); err != nil {
		return Site{}, err
	}
	for _, o := range objs {
		if o.Name == siteObject {
			return Site{Master: o.Attrs["master"], Nimprime: o.Attrs["nimprime"]}, nil
		}
	}
	return Site{}, fmt.Errorf("%s: %w: no %s object in %q", argvString(res), ErrUnexpectedOutput, siteObject, firstNonBlank(res.Stdout))
}

// Host says which host this is, the way xCAT decides where a request runs.
// Nothing here needs root.
type Host struct {
	// Addrs are this host's interface addresses (xCAT: ifconfig -a).
	Addrs func() ([]net.IP, error)
	// Lookup resolves a host name (xCAT: getipaddr, getaddrinfo).
	Lookup func(ctx context.Context, name string) ([]net.IP, error)
	// ServiceNode reports whether this is an xCAT service node.
	ServiceNode func() bool
	// Name is this host's name, for messages.
	Name func() (string, error)
}

// ThisHost is the Host nimwiz runs on.
func ThisHost() Host {
	return Host{
		Addrs: func() ([]net.IP, error) {
			as, err := net.InterfaceAddrs()
			if err != nil {
				return nil, err
			}
			ips := make([]net.IP, 0, len(as))
			for _, a := range as {
				switch a := a.(type) {
				case *net.IPNet:
					ips = append(ips, a.IP)
				case *net.IPAddr:
					ips = append(ips, a.IP)
				}
			}
			return ips, nil
		},
		Lookup: func(ctx context.Context, name string) ([]net.IP, error) {
			return net.DefaultResolver.LookupIP(ctx, "ip", name)
		},
		ServiceNode: func() bool {
			_, err := os.Stat("/etc/xCATSN") // xCAT::Utils->isServiceNode
			return err == nil
		},
		Name: os.Hostname,
	}
}

// ErrNotNIMPrimary marks a host where mknimimage does not run.
var ErrNotNIMPrimary = errors.New("not the NIM primary")

// CheckNIMPrimary makes sure mknimimage runs on this host, so that what
// nimwiz checks here is what mknimimage will find. On a service node it
// does; else the NIM primary is site.nimprime, or site.master when that is
// unset, and it must resolve to one of this host's addresses. Any address
// of the name counts (xCAT compares the first; a name that has several is
// still this host). An error wrapping ErrNotNIMPrimary says which host
// mknimimage runs on and to run nimwiz there; any other error is a query
// or lookup that failed.
func (c *Client) CheckNIMPrimary(ctx context.Context, h Host) error {
	if h.ServiceNode() {
		return nil
	}
	site, err := c.Site(ctx)
	if err != nil {
		return fmt.Errorf("find where xCAT runs mknimimage (site.nimprime): %w", err)
	}
	attr, primary := "site.nimprime", strings.TrimSpace(site.Nimprime)
	if primary == "" {
		attr, primary = "site.master", strings.TrimSpace(site.Master)
	}
	if primary == "" {
		return fmt.Errorf("%w: the site table has neither nimprime nor master, so xCAT cannot tell where to run mknimimage (it would fail with \"Could not determine nimprime\"); set site.master to this management node (chdef -t site master=...)", ErrNotNIMPrimary)
	}
	var want []net.IP
	name := primary
	if ip := net.ParseIP(primary); ip != nil {
		want = []net.IP{ip}
	} else {
		// getnimprime keeps the short name; xcatd resolves that.
		name, _, _ = strings.Cut(primary, ".")
		want, err = h.Lookup(ctx, name)
		if err != nil || len(want) == 0 {
			return fmt.Errorf("%w: %s is %s, which does not resolve on this host (%v): xcatd could not send mknimimage there either; fix the site table or the name resolution (/etc/hosts)", ErrNotNIMPrimary, attr, primary, lookupErr(err))
		}
	}
	mine, err := h.Addrs()
	if err != nil {
		return fmt.Errorf("find where xCAT runs mknimimage: this host's addresses: %w", err)
	}
	for _, w := range want {
		for _, m := range mine {
			if w.Equal(m) {
				return nil
			}
		}
	}
	here, _ := h.Name()
	if here == "" {
		here = "this host"
	}
	how := "xCAT sends mknimimage to the NIM master it names"
	if attr == "site.master" {
		how = "site.nimprime is unset, so xCAT sends mknimimage to the management node it names"
	}
	return fmt.Errorf("%w: %s is %s (%s), not %s: %s, so the checks nimwiz makes here (lsnim, the source directory, free space, files) would look at the wrong NIM master. Run nimwiz on %s",
		ErrNotNIMPrimary, attr, primary, joinIPs(want), here, how, name)
}

func lookupErr(err error) error {
	if err == nil {
		return errors.New("no address")
	}
	return err
}

func joinIPs(ips []net.IP) string {
	s := make([]string, len(ips))
	for i, ip := range ips {
		s[i] = ip.String()
	}
	return strings.Join(s, ", ")
}
