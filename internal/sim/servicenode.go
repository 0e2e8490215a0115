package sim

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Service nodes: in an xCAT hierarchy each AIX service node (SN) is a NIM
// master of its own, holding copies of the osimages' resources under the
// same names and locations (aixinstall.pm 2.9.2 doSNcopy2 L9610-9779,
// make_SN_resource L13341-13603; xcat-hierarchy.md). The simulator keeps
// each SN's NIM database in the world's state; the management node reaches
// it only through xdsh, which runs the remote command "on" the SN.
//
// Knobs (the world file's fields, or the environment of the xdsh command):
//
//	NIMWIZ_SIM_SN_DOWN=sn02[,sn03]   those SNs do not answer (ping or ssh)
//	NIMWIZ_SIM_SN_SLOW=sn01=5[,...]  those SNs take that many seconds to answer

// ServiceNode is one SN: its NIM database and how it answers.
type ServiceNode struct {
	Name    string       `json:"name"`
	Objects []*NimObject `json:"objects"`
	// Unreachable: ping and ssh fail (a powered-off or cut-off SN).
	Unreachable bool `json:"unreachable,omitempty"`
	// SlowSeconds: a remote command there takes this long before it
	// answers (a loaded SN, NFS trouble).
	SlowSeconds float64 `json:"slow_seconds,omitempty"`
	// Files are the SN's copies of file resources, by path: what ls -ld
	// shows there (prsync -o "rlHpEAogDz" kept the MN's mtime when it
	// copied, aixinstall.pm 2.9.2 L9537-9578).
	Files map[string]SNFile `json:"files,omitempty"`
}

// SNFile is one file of an SN.
type SNFile struct {
	Size  int64     `json:"size"`
	Mtime time.Time `json:"mtime"`
}

// ServiceNode returns the SN called name, or nil.
func (s *State) ServiceNode(name string) *ServiceNode {
	for _, sn := range s.ServiceNodes {
		if sn.Name == name {
			return sn
		}
	}
	return nil
}

// snDown and snSlow read the knobs on top of the world file.
func (p *proc) snDown(sn *ServiceNode) bool {
	if sn.Unreachable {
		return true
	}
	return contains(splitComma(p.getenv("NIMWIZ_SIM_SN_DOWN")), sn.Name)
}

func (p *proc) snSlow(sn *ServiceNode) time.Duration {
	d := time.Duration(sn.SlowSeconds * float64(time.Second))
	for _, kv := range splitComma(p.getenv("NIMWIZ_SIM_SN_SLOW")) {
		if k, v, ok := strings.Cut(kv, "="); ok && k == sn.Name {
			if f, err := strconv.ParseFloat(v, 64); err == nil && f >= 0 {
				d = time.Duration(f * float64(time.Second))
			}
		}
	}
	return d
}

// xdshSpec is xdsh's options (xCAT-client/bin/xdsh 2.9.2 parse_args_xdsh
// L219-256: Getopt::Long with bundling), those nimwiz could meet.
var xdshSpec = optSpec{short: map[byte]bool{
	'e': false, 'f': true, 'h': false, 'l': true, 'm': false, 'o': true, 'q': false, 'r': true,
	'i': true, 's': false, 't': true, 'v': false, 'z': false, 'B': false, 'c': false, 'E': true,
	'I': true, 'K': false, 'L': false, 'Q': false, 'S': true, 'T': false, 'V': false, 'X': true,
}}

// snResult is what one target produced.
type snResult struct {
	node           string
	stdout, stderr []string
	failed         bool
}

// xdsh runs a command on SNs the way xdsh's plugin does through DSHCLI.pm
// (2.9.2_aix_release):
//   - the noderange is the first argument (xCAT-client/bin/xdsh L59-99),
//     the command the rest, joined with blanks;
//   - -v pings first: an SN that does not answer gets "<sn> is not
//     responding. No command will be issued to this host." (L3329-3340);
//   - up to -f targets at once (default DSH_FANOUT or 64, L2425);
//   - without -s each target's output is sent when it ends, stdout lines
//     then stderr lines, every line prefixed "<sn>: " (buffer_output
//     L1381-1415, L563-612), stderr without "Error: ";
//   - -t: when no target says anything for that many seconds, the rest are
//     killed and reported (L486-505);
//   - an unreachable SN without -v: ssh's own message on its stderr, and
//     the target failed;
//   - the exit status is non-zero when any target failed.
//
// The remote command is read by a small shell (remoteShell): the commands
// an SN answers are lsnim, echo and ls; ';', quotes and "2>&1" work as in
// ksh.
func (p *proc) xdsh(argv []string) {
	o := p.xcat0()
	if len(argv) == 0 || strings.HasPrefix(argv[0], "-") {
		o.err("Node range not specified, see xdsh man page for syntax.")
		return
	}
	nr := argv[0]
	op, err := xdshSpec.parse(argv[1:], false) // posix_default: options stop at the command (xdsh L219)
	if err != nil {
		o.err(err.Error())
		return
	}
	cmd := strings.Join(op.args, " ")
	if cmd == "" {
		o.err("No command argument provided")
		return
	}
	s, err := p.st.View()
	if err != nil {
		o.err(err.Error())
		return
	}
	nodes, ok := expandNoderange(s, nr)
	if !ok {
		o.err("Invalid nodes in noderange:" + nr)
		return
	}
	fanout := 64
	if v := p.getenv("DSH_FANOUT"); v != "" {
		if n, err := strconv.Atoi(v); err == nil && n > 0 {
			fanout = n
		}
	}
	if op.has('f') {
		if n, err := strconv.Atoi(op.str('f')); err == nil && n > 0 {
			fanout = n
		}
	}
	var timeout time.Duration
	if op.has('t') {
		if n, err := strconv.Atoi(op.str('t')); err == nil && n > 0 {
			timeout = time.Duration(n) * time.Second
		}
	}
	failed := false
	var targets []string
	for _, n := range nodes {
		sn := s.ServiceNode(n)
		if op.has('v') && sn != nil && p.snDown(sn) {
			o.err(n + " is not responding. No command will be issued to this host.")
			failed = true
			continue
		}
		targets = append(targets, n)
	}
	results := make(chan snResult, len(targets))
	sem := make(chan struct{}, fanout)
	for _, n := range targets {
		go func(n string) {
			sem <- struct{}{}
			defer func() { <-sem }()
			results <- p.runOnNode(s, n, cmd)
		}(n)
	}
	active := map[string]bool{}
	for _, n := range targets {
		active[n] = true
	}
	var timer <-chan time.Time
	for len(active) > 0 {
		if timeout > 0 {
			timer = time.After(timeout)
		}
		select {
		case r := <-results:
			delete(active, r.node)
			if len(r.stdout) > 0 {
				p.rs.send(response{Info: prefixLines(r.node, r.stdout)})
			}
			if len(r.stderr) > 0 {
				p.rs.send(response{Error: prefixLines(r.node, r.stderr), NoErrorPrefix: true})
			}
			failed = failed || r.failed
		case <-timer:
			var left []string
			for n := range active {
				left = append(left, n)
			}
			sort.Strings(left)
			p.rs.send(response{Error: []string{
				" Timed out waiting for response from child processes for the following nodes. Terminating the child processes. ",
				" " + strings.Join(left, " "),
			}})
			failed = true
			active = nil
		}
	}
	if failed {
		o.code(1)
	}
}

func prefixLines(node string, lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = node + ": " + l
	}
	return out
}

// runOnNode runs cmd "on" node: an SN answers from its own NIM database;
// any other node has no NIM.
func (p *proc) runOnNode(s *State, node, cmd string) snResult {
	r := snResult{node: node}
	sn := s.ServiceNode(node)
	if sn != nil && p.snDown(sn) {
		time.Sleep(50 * time.Millisecond)
		r.stderr = []string{"ssh: connect to host " + node + " port 22: Connection timed out"}
		r.failed = true
		return r
	}
	if sn != nil {
		time.Sleep(p.snSlow(sn))
	}
	var db *State
	if sn != nil {
		db = &State{Host: node, Domain: s.Domain, Objects: sn.Objects}
	}
	var out, errb bytes.Buffer
	rc := p.remoteShell(s, db, cmd, &out, &errb)
	r.stdout, r.stderr = splitLines(out.String()), splitLines(errb.String())
	// DSHCLI appends its own rc marker; a non-zero remote status fails the
	// target (L655-672).
	r.failed = rc != 0
	return r
}

func splitLines(s string) []string {
	s = strings.TrimSuffix(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// remoteShell runs cmd as the SN's ksh would, for the commands an SN
// answers here: lists separated by ';', words with quotes, "2>&1", and $?
// in echo. db is the SN's NIM database (nil: not a NIM master).
func (p *proc) remoteShell(s, db *State, cmd string, stdout, stderr *bytes.Buffer) int {
	rc := 0
	for _, part := range splitTopLevel(cmd, ';') {
		words := shellWords(part)
		if len(words) == 0 {
			continue
		}
		errw := stderr
		if words[len(words)-1] == "2>&1" {
			words, errw = words[:len(words)-1], stdout
		}
		switch filepath.Base(words[0]) {
		case "lsnim":
			if db == nil {
				fmt.Fprintf(errw, "ksh: %s:  not found.\n", words[0])
				rc = 127
				continue
			}
			q := newProc("lsnim", p.getenv, stdout, errw)
			op, err := lsnimSpec.parse(words[1:], false)
			if err != nil {
				fmt.Fprintf(errw, "lsnim: Not a recognized flag: %s\n%s", strings.TrimPrefix(err.Error(), "Unknown option: "), lsnimUsage)
				rc = 1
				continue
			}
			rc = q.lsnimIn(db, op)
		case "ls":
			var files map[string]SNFile
			if db != nil {
				files = s.ServiceNode(db.Host).Files
			}
			q := newProc("ls", p.getenv, stdout, errw)
			if files == nil {
				files = map[string]SNFile{}
			}
			rc = q.ls(words[1:], files)
		case "echo":
			args := make([]string, len(words)-1)
			for i, w := range words[1:] {
				args[i] = strings.ReplaceAll(w, "$?", strconv.Itoa(rc))
			}
			fmt.Fprintln(stdout, strings.Join(args, " "))
			rc = 0
		default:
			fmt.Fprintf(errw, "ksh: %s:  not found.\n", words[0])
			rc = 127
		}
	}
	return rc
}

// splitTopLevel splits s at sep outside quotes.
func splitTopLevel(s string, sep byte) []string {
	var out []string
	quote := byte(0)
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == sep:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// copyForSN is the SN's copy of an MN resource as mkdsklsnode's
// make_SN_resource defines it: same name, type and location; allocation
// and state its own.
func copyForSN(ob *NimObject) *NimObject {
	c := &NimObject{Name: ob.Name, Class: ob.Class, Type: ob.Type, Complete: ob.Complete}
	for _, a := range ob.Attrs {
		switch a.K {
		case "alloc_count", "prev_state", "server":
			continue
		}
		c.Attrs = append(c.Attrs, a)
	}
	c.Set("alloc_count", "0")
	c.Set("server", "master")
	return c
}

// SeedServiceNodes adds two SNs to the world at root, as a hierarchy the
// demo can show: sn01 and sn02 (group service), dln01 served by sn01 then
// sn02, dln02 by sn02 then sn01. Both hold copies of aix73_stateless's
// resources made by an earlier mkdsklsnode, with drift to find:
//   - sn01's copies of the SPOT, shared_root, paging and shared_home are
//     allocated there (to its client dln01);
//   - sn02 lacks the SPOT: a mknimimage -u removed it there (aixinstall.pm
//     2.9.2 L1704-1775) and no mkdsklsnode has copied it back.
func SeedServiceNodes(root string) error {
	return store{root: root}.Update(func(s *State) error {
		if len(s.ServiceNodes) > 0 {
			return nil
		}
		for _, n := range []string{"sn01", "sn02"} {
			if s.Node(n) == nil {
				s.Nodes = append(s.Nodes, &Node{Name: n, Attrs: map[string]string{
					"groups": "service,all", "os": "AIX", "arch": "ppc64", "mgt": "hmc",
					"nodetype": "ppc,osi", "setupnim": "1"}})
			}
		}
		if n := s.Node("dln01"); n != nil {
			n.Attrs["servicenode"] = "sn01,sn02"
			n.Attrs["xcatmaster"] = "sn01"
		}
		if n := s.Node("dln02"); n != nil {
			n.Attrs["servicenode"] = "sn02,sn01"
			n.Attrs["xcatmaster"] = "sn02"
		}
		sort.Slice(s.Nodes, func(i, j int) bool { return s.Nodes[i].Name < s.Nodes[j].Name })
		img := s.Osimage("aix73_stateless")
		if img == nil {
			return fmt.Errorf("seed service nodes: no aix73_stateless osimage")
		}
		var names []string
		for _, k := range []string{"spot", "shared_root", "paging", "resolv_conf", "shared_home", "home", "tmp", "script", "installp_bundle"} {
			names = append(names, splitComma(img.Attrs[k])...)
		}
		master := func(sn string) *NimObject {
			return &NimObject{Name: "master", Class: "machines", Type: "master", Complete: true, Attrs: []Attr{
				{"platform", "chrp"}, {"netboot_kernel", "64"}, {"if1", "master_net " + sn + " 0"},
				{"Cstate", "ready for a NIM operation"}, {"reserved", "yes"}, {"comments", "machine which controls the NIM environment"},
				{"Mstate", "currently running"}}}
		}
		for _, sn := range []string{"sn01", "sn02"} {
			node := &ServiceNode{Name: sn, Objects: []*NimObject{master(sn)}}
			for _, n := range names {
				ob := s.Object(n)
				if ob == nil || (sn == "sn02" && ob.Type == "spot") {
					continue
				}
				c := copyForSN(ob)
				if sn == "sn01" && (ob.Type == "spot" || ob.Type == "shared_root" || ob.Type == "paging" || ob.Type == "shared_home") {
					c.Set("alloc_count", "1")
				}
				node.Objects = append(node.Objects, c)
			}
			s.ServiceNodes = append(s.ServiceNodes, node)
		}
		// An earlier mkdsklsnode copied aix73_full to sn01 (all but its
		// lpp_source, L9729); the MN's resolv.conf was edited since: sn01
		// keeps the old one.
		sn1 := s.ServiceNode("sn01")
		sn1.Files = map[string]SNFile{}
		if full := s.Osimage("aix73_full"); full != nil {
			for _, k := range []string{"spot", "shared_root", "dump", "paging", "home", "tmp", "resolv_conf", "script", "installp_bundle"} {
				for _, n := range splitComma(full.Attrs[k]) {
					ob := s.Object(n)
					if ob == nil || sn1.object(n) != nil {
						continue
					}
					sn1.Objects = append(sn1.Objects, copyForSN(ob))
					loc := ob.Get("location")
					if k == "spot" || k == "shared_root" || k == "dump" || k == "paging" || k == "home" || k == "tmp" {
						continue // directories: not compared
					}
					fi, err := os.Stat(filepath.Join(root, filepath.FromSlash(loc)))
					if err != nil {
						continue
					}
					f := SNFile{Size: fi.Size(), Mtime: fi.ModTime().UTC().Truncate(time.Minute)}
					if ob.Type == "resolv_conf" {
						f.Size -= 12
						f.Mtime = f.Mtime.Add(-30 * 24 * time.Hour)
					}
					sn1.Files[loc] = f
				}
			}
		}
		return nil
	})
}

func (sn *ServiceNode) object(name string) *NimObject {
	for _, o := range sn.Objects {
		if o.Name == name {
			return o
		}
	}
	return nil
}

// ls answers "ls -ld PATH..." as AIX's ls prints it with LANG=C (mode,
// links, owner, group, size, "Mon DD HH:MM" within six months or
// "Mon DD  YYYY", path); a missing file: "ls: 0653-341 The file PATH does
// not exist." and exit status 2. files, when set, is an SN's files;
// otherwise the world's real files are statted.
func (p *proc) ls(argv []string, files map[string]SNFile) int {
	rc := 0
	for _, a := range argv {
		if strings.HasPrefix(a, "-") {
			continue
		}
		var size int64
		var mt time.Time
		mode := "-rw-r--r--"
		if files != nil {
			f, ok := files[a]
			if !ok {
				fmt.Fprintf(p.stderr, "ls: 0653-341 The file %s does not exist.\n", a)
				rc = 2
				continue
			}
			size, mt = f.Size, f.Mtime
		} else {
			fi, err := os.Stat(p.host(a))
			if err != nil {
				fmt.Fprintf(p.stderr, "ls: 0653-341 The file %s does not exist.\n", a)
				rc = 2
				continue
			}
			size, mt = fi.Size(), fi.ModTime()
			if fi.IsDir() {
				mode = "drwxr-xr-x"
			}
		}
		when := mt.Format("Jan 02 15:04")
		if time.Since(mt) > 182*24*time.Hour || mt.After(time.Now().Add(time.Hour)) {
			when = mt.Format("Jan 02  2006")
		}
		fmt.Fprintf(p.stdout, "%s    1 root     system   %10d %s %s\n", mode, size, when, a)
	}
	return rc
}

// SeedServiceNodesAtScale adds sns service nodes (snNNN, group service) to
// the world at root, 32 compute nodes each (cnNNNNN, primary snNNN, backup
// the next SN) provisioned with image, and on each SN copies of all of
// image's resources but its lpp_source: a large hierarchy, for benchmarks.
func SeedServiceNodesAtScale(root string, sns int, image string) error {
	return store{root: root}.Update(func(s *State) error {
		img := s.Osimage(image)
		if img == nil {
			return fmt.Errorf("seed service nodes: no osimage %s", image)
		}
		var copies []*NimObject
		for k, v := range img.Attrs {
			if k == "lpp_source" {
				continue
			}
			for _, n := range splitComma(v) {
				if ob := s.Object(n); ob != nil && ob.Class == "resources" {
					copies = append(copies, ob)
				}
			}
		}
		for i := 0; i < sns; i++ {
			name := fmt.Sprintf("sn%03d", i)
			backup := fmt.Sprintf("sn%03d", (i+1)%sns)
			s.Nodes = append(s.Nodes, &Node{Name: name, Attrs: map[string]string{"groups": "service,all", "os": "AIX"}})
			for j := 0; j < 32; j++ {
				s.Nodes = append(s.Nodes, &Node{Name: fmt.Sprintf("cn%03d%02d", i, j), Attrs: map[string]string{
					"groups": "compute,all", "os": "AIX", "servicenode": name + "," + backup, "provmethod": image}})
			}
			sn := &ServiceNode{Name: name}
			for _, ob := range copies {
				sn.Objects = append(sn.Objects, copyForSN(ob))
			}
			s.ServiceNodes = append(s.ServiceNodes, sn)
		}
		sort.Slice(s.Nodes, func(i, j int) bool { return s.Nodes[i].Name < s.Nodes[j].Name })
		return nil
	})
}
