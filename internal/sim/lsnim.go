package sim

import (
	"fmt"
	"os"
	"strings"
)

// AIX commands parse options with getopt(3): no bundled long options, no
// options after the first operand.
var lsnimSpec = optSpec{
	short: map[byte]bool{'l': false, 't': true, 'c': true, 'a': true, 'Z': false, 'F': false, 'O': false, 'P': false, 'q': true},
}

const lsnimUsage = `usage:  To display predefined and help information about NIM objects, types,
        classes and subclasses:
                lsnim -p|-P [-a Attribute]... [-c Class|-s Subclass|-t Type]... [-l]|[-o]|[-O]|[-Z]
        To display information about all customized objects:
                lsnim [-a Attribute]... [-c Class|-s Subclass|-t Type]... [-l]|[-o]|[-O]|[-Z]
        To display information about specific customized objects:
                lsnim [-a Attribute]... [-l]|[-o]|[-O]|[-Z] ObjectName...
`

// attrsOf is what lsnim -l shows of an object, in order; the master also
// lists every resource it serves (a repeated key).
func attrsOf(s *State, ob *NimObject) []Attr {
	out := []Attr{{"class", ob.Class}, {"type", ob.Type}}
	out = append(out, ob.Attrs...)
	if ob.Type == "master" {
		for _, r := range s.Objects {
			if r.Class == "resources" {
				out = append(out, Attr{"serves", r.Name})
			}
		}
	}
	return out
}

// stanza renders one lsnim -l object: keys padded to the longest + 1.
func stanza(name string, attrs []Attr) string {
	w := 0
	for _, a := range attrs {
		w = max(w, len(a.K))
	}
	var b strings.Builder
	b.WriteString(name + ":\n")
	for _, a := range attrs {
		fmt.Fprintf(&b, "   %-*s = %s\n", w, a.K, a.V)
	}
	return b.String()
}

func (p *proc) lsnim(argv []string) int {
	op, err := lsnimSpec.parse(argv, false)
	if err != nil {
		c := strings.TrimPrefix(err.Error(), "Unknown option: ")
		fmt.Fprintf(p.stderr, "lsnim: Not a recognized flag: %s\n%s", c, lsnimUsage)
		return 1
	}
	s, err := p.st.View()
	if err != nil {
		fmt.Fprintf(p.stderr, "lsnim: %v\n", err)
		return 1
	}
	return p.lsnimIn(s, op)
}

// lsnimIn answers lsnim from the NIM database s (the management node's, or
// a service node's for a command xdsh runs there).
func (p *proc) lsnimIn(s *State, op opts) int {
	rc := 0
	var sel []*NimObject
	if len(op.args) > 0 {
		for _, n := range op.args {
			if ob := s.Object(n); ob != nil {
				sel = append(sel, ob)
			} else {
				fmt.Fprintf(p.stderr, "0042-053 lsnim: there is no NIM object named \"%s\"\n", n)
				rc = 1
			}
		}
	} else {
		types, classes := op.val['t'], op.val['c']
		for _, ob := range s.Objects {
			if len(types) > 0 && !contains(types, ob.Type) {
				continue
			}
			if len(classes) > 0 && !contains(classes, ob.Class) {
				continue
			}
			sel = append(sel, ob)
		}
	}
	wanted := op.val['a']
	switch {
	case op.has('Z'):
		for _, ob := range sel {
			all := attrsOf(s, ob)
			keys := wanted
			if len(keys) == 0 {
				keys = nil
				for _, a := range all {
					keys = append(keys, a.K)
				}
			}
			fmt.Fprintf(p.stdout, "#name:%s:\n", strings.Join(keys, ":"))
			line := ob.Name + ":"
			for _, k := range keys {
				for _, a := range all {
					if a.K == k && a.V != "" {
						line += a.V + ":"
						break // values that are not set are left out (as NIM does)
					}
				}
			}
			fmt.Fprintln(p.stdout, line)
		}
	case len(wanted) > 0:
		for _, ob := range sel {
			var attrs []Attr
			for _, a := range attrsOf(s, ob) {
				if contains(wanted, a.K) {
					attrs = append(attrs, a)
				}
			}
			fmt.Fprint(p.stdout, stanza(ob.Name, attrs))
		}
	case op.has('l'):
		for _, ob := range sel {
			fmt.Fprint(p.stdout, stanza(ob.Name, attrsOf(s, ob)))
		}
	default:
		for _, ob := range sel {
			fmt.Fprintf(p.stdout, "%-15s %-15s %s\n", ob.Name, ob.Class, ob.Type)
		}
	}
	return rc
}

var nimSpec = optSpec{
	short: map[byte]bool{'F': false, 'o': true, 't': true, 'a': true, 'O': false},
}

const nimUsage = `usage:  To perform an operation on a NIM object:
                nim -o Operation [-F] [-t ObjectType] [-a Attribute=Value]... ObjectName
        To display the operations allowed on an object type:
                lsnim -POt ObjectType
`

func nimProcessingError(inner string) string {
	return "0042-001 nim: processing error encountered on \"master\":\n" + inner + "\n"
}

// nim answers the operations nimwiz uses (showres, reset, check, remove)
// and the defines xCAT runs (nimdefine.go).
func (p *proc) nim(argv []string) int {
	op, err := nimSpec.parse(argv, false)
	if err != nil || !op.has('o') || len(op.args) != 1 {
		if err != nil {
			fmt.Fprintf(p.stderr, "nim: Not a recognized flag: %s\n", strings.TrimPrefix(err.Error(), "Unknown option: "))
		}
		fmt.Fprint(p.stderr, nimUsage)
		return 1
	}
	oper, name := op.str('o'), op.args[0]
	p.setPhase(oper)
	if oper == "define" {
		return p.nimDefine(op, name)
	}
	s, err := p.st.View()
	if err != nil {
		fmt.Fprintf(p.stderr, "nim: %v\n", err)
		return 1
	}
	ob := s.Object(name)
	if ob == nil {
		fmt.Fprintf(p.stderr, "0042-053 nim: there is no NIM object named \"%s\"\n", name)
		return 1
	}
	switch oper {
	case "showres":
		return p.showres(ob)
	case "reset":
		return p.nimUpdate(name, func(ob *NimObject) error {
			if ob.Class == "machines" {
				ob.Set("Cstate", "ready for a NIM operation")
				return nil
			}
			ob.setState("ready for use")
			return nil
		})
	case "check":
		return p.check(ob)
	case "remove":
		if atoi(ob.Get("alloc_count")) > 0 {
			fmt.Fprint(p.stderr, nimProcessingError(fmt.Sprintf("   0042-036 m_rmres: \"%s\" is currently allocated for use by one or more\n\tNIM clients; deallocate it first", name)))
			return 1
		}
		if ob.Type == "master" || name == "boot" || name == "nim_script" {
			fmt.Fprint(p.stderr, nimProcessingError(fmt.Sprintf("   0042-046 m_rmres: \"%s\" is a reserved NIM object and cannot be removed", name)))
			return 1
		}
		// NIM removes the definition; the files stay (nimwiz must rm -R them).
		err := p.st.Update(func(s *State) error { s.Remove(name); return nil })
		if err != nil {
			fmt.Fprintf(p.stderr, "nim: %v\n", err)
			return 1
		}
		return 0
	}
	fmt.Fprint(p.stderr, nimProcessingError(fmt.Sprintf("   0042-028 nim: the \"%s\" operation is not supported by the nimwiz simulator", oper)))
	return 1
}

func (p *proc) nimUpdate(name string, fn func(*NimObject) error) int {
	err := p.st.Update(func(s *State) error {
		ob := s.Object(name)
		if ob == nil {
			return fmt.Errorf("0042-053 nim: there is no NIM object named \"%s\"", name)
		}
		return fn(ob)
	})
	if err != nil {
		fmt.Fprintln(p.stderr, err)
		return 1
	}
	return 0
}

// check is nim -Fo check: a half-built SPOT fails lppchk and stays
// unusable; an lpp_source gets its .toc rebuilt and simages re-evaluated.
func (p *proc) check(ob *NimObject) int {
	switch ob.Type {
	case "spot":
		if !ob.Complete {
			missing := "bos.rte"
			if len(ob.Filesets) > 0 {
				missing = ob.Filesets[len(ob.Filesets)-1].Name
			}
			_ = p.nimUpdate(ob.Name, func(o *NimObject) error { o.setState("unavailable for use"); return nil })
			fmt.Fprint(p.stderr, nimProcessingError(fmt.Sprintf(
				"   0042-175 m_ckspot: An unexpected result was returned by the \"/usr/bin/lppchk\" command:\n\n"+
					"lppchk:  0504-206  File %s/lpp/%s/liblpp.a could not be located.\nrc=175", ob.Get("location"), missing)))
			return 1
		}
		return p.nimUpdate(ob.Name, func(o *NimObject) error {
			o.Set("Rstate", "ready for use")
			o.Set("prev_state", "verification is being performed")
			return nil
		})
	case "lpp_source":
		dir := p.host(ob.Get("location") + "/installp/ppc")
		ims := scanImages(dir)
		_ = writeTOC(dir)
		return p.nimUpdate(ob.Name, func(o *NimObject) error {
			si := "no"
			if hasSimages(ims) {
				si = "yes"
			}
			o.Set("simages", si)
			o.Filesets = filesetsOf(ims)
			o.setState("ready for use")
			return nil
		})
	}
	return p.nimUpdate(ob.Name, func(o *NimObject) error {
		if o.Class == "resources" {
			o.setState("ready for use")
		}
		return nil
	})
}

// showres shows a SPOT's filesets (lslpp -L), an lpp_source's images
// (installp -l) or a file resource's content.
func (p *proc) showres(ob *NimObject) int {
	notReady := ob.Class == "resources" && ob.Get("Rstate") != "ready for use"
	switch ob.Type {
	case "spot":
		if notReady || !ob.Complete {
			fmt.Fprint(p.stderr, nimProcessingError(fmt.Sprintf("   0042-207 m_showres: Unable to allocate the %s resource to master.", ob.Name)))
			return 1
		}
		fmt.Fprint(p.stdout, lslppL(ob.Filesets))
		return 0
	case "lpp_source":
		if notReady {
			fmt.Fprint(p.stderr, nimProcessingError(fmt.Sprintf("   0042-207 m_showres: Unable to allocate the %s resource to master.", ob.Name)))
			return 1
		}
		fmt.Fprint(p.stdout, installpL(ob.Filesets))
		return 0
	case "resolv_conf", "script", "bosinst_data", "installp_bundle", "fb_script", "image_data":
		b, err := os.ReadFile(p.host(ob.Get("location")))
		if err != nil {
			fmt.Fprint(p.stderr, nimProcessingError(fmt.Sprintf("   0042-154 c_stat: the file or directory \"%s\" does not exist", ob.Get("location"))))
			return 1
		}
		p.stdout.Write(b)
		return 0
	}
	fmt.Fprint(p.stderr, nimProcessingError(fmt.Sprintf("   0042-187 m_showres: the \"showres\" operation is not allowed for \"%s\" resources", ob.Type)))
	return 1
}

// lslppL is lslpp -L's layout: name and level share 34 columns (level
// right-aligned); a name too long for that gets a line of its own.
func lslppL(fs []Fileset) string {
	var b strings.Builder
	b.WriteString("  Fileset                      Level  State  Type  Description (Uninstaller)\n")
	b.WriteString("  " + strings.Repeat("-", 76) + "\n")
	for _, f := range fs {
		if len(f.Name)+1+len(f.Level) > 34 {
			fmt.Fprintf(&b, "  %s\n  %34s    C     F    %s\n", f.Name, f.Level, f.Desc)
		} else {
			fmt.Fprintf(&b, "  %s%s    C     F    %s\n", f.Name, fmt.Sprintf("%*s", 34-len(f.Name), f.Level), f.Desc)
		}
	}
	b.WriteString("\nState codes: \n A -- Applied. \n B -- Broken. \n C -- Committed. \n E -- EFIX Locked. \n" +
		" O -- Obsolete.  (partially migrated to newer version) \n ? -- Inconsistent State...Run lslpp -v. \n\n" +
		"Type codes: \n F -- Installp Fileset \n P -- Product \n C -- Component \n T -- Feature \n R -- RPM Package \n E -- Interim Fix \n")
	return b.String()
}

// installpL is installp -l's layout: fileset, level, I/U, Q, content, and
// the description as a "#" line.
func installpL(fs []Fileset) string {
	var b strings.Builder
	b.WriteString("  Fileset Name                Level                     I/U Q Content\n")
	b.WriteString("  " + strings.Repeat("=", 68) + "\n")
	for _, f := range fs {
		name := fmt.Sprintf("%-28s", f.Name)
		if len(f.Name) >= 28 {
			name = f.Name + " "
		}
		content := "usr"
		if strings.HasPrefix(f.Name, "bos.") || strings.HasPrefix(f.Name, "devices.") || strings.HasPrefix(f.Name, "openssh.") {
			content = "usr,root"
		}
		fmt.Fprintf(&b, "  %s%-27sI  N %s\n#   %s\n\n", name, f.Level, content, f.Desc)
	}
	return b.String()
}
