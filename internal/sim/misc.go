package sim

import (
	"fmt"
	"strings"
)

var lsdevSpec = optSpec{
	short: map[byte]bool{'C': false, 'c': true, 'F': true, 'H': false, 'l': true, 'S': true, 's': true, 't': true},
}

// lsdev answers lsdev -Cc cdrom (and -F name:status style formats).
func (p *proc) lsdev(argv []string) int {
	op, err := lsdevSpec.parse(argv, false)
	if err != nil {
		fmt.Fprintf(p.stderr, "lsdev: Not a recognized flag: %s\nUsage: lsdev -C [-c Class] [-s Subclass] [-t Type] [-f File]\n\t[-F Format | -r ColumnName | -O] [-h] [-H] [-l Name] [-S State]\n", strings.TrimPrefix(err.Error(), "Unknown option: "))
		return 1
	}
	s, err := p.st.View()
	if err != nil {
		fmt.Fprintf(p.stderr, "lsdev: %v\n", err)
		return 1
	}
	if c := op.str('c'); c != "" && c != "cdrom" {
		return 0
	}
	for _, d := range s.CDROMs {
		if n := op.str('l'); n != "" && n != d.Name {
			continue
		}
		if st := op.str('S'); st != "" && !strings.EqualFold(st[:1], d.Status[:1]) {
			continue
		}
		if f := op.str('F'); f != "" {
			r := strings.NewReplacer("name", d.Name, "status", d.Status, "location", d.Location, "description", d.Description)
			fmt.Fprintln(p.stdout, r.Replace(f))
			continue
		}
		fmt.Fprintf(p.stdout, "%s %s %s %s\n", d.Name, d.Status, d.Location, d.Description)
	}
	return 0
}

var lsxcatdUsage = []string{
	"       lsxcatd [-v|--version]",
	"       lsxcatd [-h|--help]",
	"       lsxcatd [-d|--database]",
	"       lsxcatd [-t|--nodetype]",
	"       lsxcatd [-a|--all]",
}

var lsxcatdSpec = optSpec{
	short: map[byte]bool{'h': false, '?': false, 'v': false, 'a': false, 't': false, 'd': false},
	long:  map[string]string{"help": "h", "version": "v", "all": "a", "type": "t", "database": "d"},
}

// lsxcatd is tabutils.pm's lsxcatd (xCAT-server/lib/xcat/plugins/tabutils.pm
// at 2.9.3 L826-920): no arguments or a bad option give the usage with
// error code 1, -h the usage; -v the version, -t the node type, -d the
// database, -a all three. (The long form of -t is --type, although the
// usage says --nodetype.)
func (p *proc) lsxcatd(argv []string) int {
	o := p.xcat0()
	usage := func(code int) int {
		p.rs.send(response{Info: lsxcatdUsage, ErrorCode: nonzero(code)})
		return code
	}
	if len(argv) == 0 {
		return usage(1)
	}
	op, err := lsxcatdSpec.parse(argv, true)
	if err != nil {
		return usage(1)
	}
	if op.has('h') || op.has('?') {
		return usage(0)
	}
	all := op.has('a')
	if op.has('v') || all {
		o.info(p.version())
		if !all {
			return 0
		}
	}
	if op.has('t') || all {
		o.info("This is a Management Node")
		if !all {
			return 0
		}
	}
	if op.has('d') || all {
		o.info("dbengine=SQLite")
	}
	return 0
}

func nonzero(code int) []int {
	if code == 0 {
		return nil
	}
	return []int{code}
}
