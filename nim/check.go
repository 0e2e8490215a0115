package nim

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"sync"
)

// Checking an osimage without changing anything: its definition and NIM
// resources (lsdef, lsnim -l), who uses it (NodesUsing, ClientsUsing) and
// chkosimage. Not "nim -o check": IBM's "Using the NIM check operation"
// (AIX 7.2) says that on a SPOT it synchronises the diskless and dataless
// clients' roots and rebuilds the network boot images if required (-F
// forces the rebuild): it writes to /tftpboot and to every client's root.
// It is what to run after an update, or on a SPOT that is not ready; nimwiz
// says so and leaves it to the admin.

// Chkosimage is what chkosimage [-V] NAME said (aixinstall.pm at
// 2.9.2_aix_release chkosimage L1796-2169; notes §4). It never looks at
// NIM's state of the image's resources, only at its definition and at the
// software it names against its lpp_source.
type Chkosimage struct {
	Errors     []string            // its Error: lines but the footer ("A diskless osimage must include a paging resource.", ...)
	Missing    []string            // "Could not find X in LPP." (a warning): packages not in the lpp_source
	Duplicates map[string][]string // "Found multiple matches for X: (a  b  )": RPMs several files match
	AllFound   bool                // "All the software packages were found in the lpp_source '...'"
	NoSoftware bool                // "There was no additional software listed ..."
	ExitCode   int
}

var (
	chkMissing  = regexp.MustCompile(`^Could not find (\S+) in (\S+)\.$`)
	chkMultiple = regexp.MustCompile(`^Found multiple matches for (\S+): \((.*)\)$`)
)

// ParseChkosimage reads chkosimage's stdout and stderr (either may hold
// both, as one pipe gives them) and its exit status.
func ParseChkosimage(out []byte, exit int) Chkosimage {
	c := Chkosimage{Duplicates: map[string][]string{}, ExitCode: exit}
	for s := string(out); s != ""; {
		var line string
		line, s = nextLine(s)
		t := trimBlanks(line)
		if m, ok := parseMessageLine(t); ok {
			switch {
			case m.Kind == XcatWarning && chkMissing.MatchString(m.Text):
				c.Missing = append(c.Missing, chkMissing.FindStringSubmatch(m.Text)[1])
			case m.Kind == XcatError && m.Text != "":
				c.Errors = append(c.Errors, m.Text)
			}
			continue
		}
		switch {
		case chkMultiple.MatchString(t):
			m := chkMultiple.FindStringSubmatch(t)
			c.Duplicates[m[1]] = strings.Fields(m[2])
		case strings.HasPrefix(t, "All the software packages were found in the lpp_source "):
			c.AllFound = true
		case strings.HasPrefix(t, "There was no additional software listed in the "):
			c.NoSoftware = true
		}
	}
	return c
}

// Finding is one thing the check found: good news, a warning, or a problem
// with how to put it right.
type Finding struct {
	Level FindingLevel
	Text  string
	Fix   string // a command or what to do; "" when nothing is to be done
}

// FindingLevel says how bad a finding is.
type FindingLevel int

const (
	FindingOK FindingLevel = iota
	FindingWarning
	FindingProblem
)

// ImageCheck is everything nimwiz check learnt of an osimage.
type ImageCheck struct {
	Osimage  Osimage
	Objects  []Object
	Missing  []string
	Use      ImageUse
	Chk      Chkosimage
	ChkErr   error // chkosimage could not be run
	Findings []Finding
}

// Problems counts the findings that are problems.
func (ic ImageCheck) Problems() int {
	n := 0
	for _, f := range ic.Findings {
		if f.Level == FindingProblem {
			n++
		}
	}
	return n
}

// CheckImage checks osimage name without changing anything: lsdef, then
// at the same time one lsnim -l of its resources, the two node queries and
// chkosimage -V. An unknown name gives an error wrapping ErrNoSuchOsimage;
// a failed query an error naming it.
func (c *Client) CheckImage(ctx context.Context, name string) (ImageCheck, error) {
	var ic ImageCheck
	img, err := c.Osimage(ctx, name)
	if err != nil {
		return ic, err
	}
	ic.Osimage = img
	var (
		wg     sync.WaitGroup
		objErr error
	)
	wg.Add(3)
	go func() {
		defer wg.Done()
		ic.Objects, ic.Missing, objErr = c.Objects(ctx, ResourceNames(img)...)
	}()
	go func() {
		defer wg.Done()
		ic.Use = c.WhoUses(ctx, img)
	}()
	go func() {
		defer wg.Done()
		res, err := c.Exec.Query(ctx, "chkosimage", "-V", name)
		if err != nil {
			if _, ran := ranAndFailed(err); !ran {
				ic.ChkErr = err
				return
			}
		}
		ic.Chk = ParseChkosimage(append(append([]byte{}, res.Stdout...), res.Stderr...), res.ExitCode)
	}()
	wg.Wait()
	if objErr != nil && !errors.Is(objErr, ErrUnanswered) {
		return ic, fmt.Errorf("check the NIM resources of %s: %w", name, objErr)
	}
	if err := ic.Use.Err(); err != nil {
		return ic, fmt.Errorf("check which nodes use %s: %w", name, err)
	}
	ic.Findings = checkFindings(ic)
	return ic, nil
}

// checkFindings turns what was learnt into findings, in the order an
// admin would put things right.
func checkFindings(ic ImageCheck) []Finding {
	var fs []Finding
	add := func(l FindingLevel, text, fix string) { fs = append(fs, Finding{l, text, fix}) }
	img := ic.Osimage
	name := img.Name
	byName := map[string]Object{}
	for _, o := range ic.Objects {
		byName[o.Name] = o
	}
	if t := img.NimType(); t != Diskless && t != Dataless {
		add(FindingWarning, fmt.Sprintf("%s is a %s image: nimwiz checks diskless and dataless images", name, orUnknown(string(t))), "")
	}
	// The definition (chkosimage's errors say what a diskless one lacks).
	for _, e := range ic.Chk.Errors {
		switch {
		case strings.HasPrefix(e, "Found multiple matches"):
			continue // said below, with the RPMs
		case strings.HasPrefix(e, "A diskless osimage must include"), strings.HasPrefix(e, "Cannot have both"):
			add(FindingProblem, "definition: "+e, fmt.Sprintf("mknimimage -c %s makes what the definition lacks (only what it does not name)", name))
		default:
			add(FindingProblem, "chkosimage: "+e, "")
		}
	}
	if spot := strings.TrimSpace(img.Spot()); spot != "" && spot != name {
		add(FindingWarning, fmt.Sprintf("the definition names the SPOT %s, not %s: mknimimage -u checks the SPOT named like the osimage but installs into the definition's", spot, name),
			fmt.Sprintf("chdef -t osimage -o %s spot=%s, or copy the image", name, name))
	}
	// The resources in NIM.
	allReady := true
	for _, ref := range ResourceRefs(img) {
		o, ok := byName[ref.Name]
		spec, _ := LookupAttr(ref.Attr)
		switch {
		case nameIn(ic.Missing, ref.Name) || !ok:
			allReady = false
			add(FindingProblem, fmt.Sprintf("%s %s: NIM has no such object", ref.Attr, ref.Name),
				fmt.Sprintf("make it again: chdef -t osimage -o %s %s= then mknimimage -c %s (-c never makes what the definition names)", name, ref.Attr, name))
		case o.Get("type") != "" && spec.NIMType != "" && o.Get("type") != spec.NIMType:
			allReady = false
			add(FindingProblem, fmt.Sprintf("%s %s: NIM has it as a %s, not a %s", ref.Attr, ref.Name, o.Get("type"), spec.NIMType), "")
		case !o.Ready():
			allReady = false
			fix := "nim -Fo check " + ref.Name
			if ref.Attr == "spot" && SpotComplete(o) {
				fix = fmt.Sprintf("nim -Fo reset %s, then nim -Fo check %s", ref.Name, ref.Name)
			} else if ref.Attr == "spot" {
				fix = fmt.Sprintf("it looks half-built (no boot images, no level): remove it (nim -Fo remove %s, then its directory) and make it again", ref.Name)
			}
			add(FindingProblem, fmt.Sprintf("%s %s is %q, not %q", ref.Attr, ref.Name, orUnknown(o.Get("Rstate")), RstateReady), fix)
		}
	}
	if allReady && len(ResourceRefs(img)) > 0 {
		add(FindingOK, fmt.Sprintf("every NIM resource of %s is %q", name, RstateReady), "")
	}
	// The software against the lpp_source.
	switch {
	case ic.ChkErr != nil:
		add(FindingWarning, "chkosimage could not be run: "+ic.ChkErr.Error(), "")
	case ic.Chk.NoSoftware:
		add(FindingOK, "no installp_bundle or otherpkgs to check against the lpp_source", "")
	case ic.Chk.AllFound:
		add(FindingOK, fmt.Sprintf("every package its installp_bundle and otherpkgs name is in the lpp_source %s", img.LppSource()), "")
	}
	for _, m := range ic.Chk.Missing {
		add(FindingProblem, fmt.Sprintf("%s is not in the lpp_source %s: an update from the definition would fail on it", m, img.LppSource()),
			"copy it into the lpp_source (then nim -Fo check "+img.LppSource()+"), or take it out of the definition")
	}
	for _, n := range slices.Sorted(maps.Keys(ic.Chk.Duplicates)) {
		add(FindingProblem, fmt.Sprintf("the RPM %s matches several files in the lpp_source (%s): rpm would fail", n, strings.Join(ic.Chk.Duplicates[n], ", ")),
			fmt.Sprintf("remove the unwanted ones from its RPMS/ppc, or chkosimage -c %s (it deletes all but the newest)", name))
	}
	// Who uses it.
	if ic.Use.InUse() {
		add(FindingOK, "in use: "+ic.Use.Describe()+" (an update must go through a copy)", "")
	} else {
		add(FindingOK, "no node uses it: no xCAT node boots from it and NIM has its SPOT allocated to no client", "")
	}
	if spot := ResourceNamed(img, "spot"); spot != "" {
		add(FindingOK, "not run: nim -o check: it is not read-only (it syncs the diskless clients' roots and rebuilds the SPOT's boot images)",
			"after an update, or when the SPOT is not ready: nim -Fo check "+spot)
	}
	return fs
}

// ResourceNamed is the image's resource of attr (the first of a list).
func ResourceNamed(img Osimage, attr string) string {
	for _, r := range ResourceRefs(img) {
		if r.Attr == attr {
			return r.Name
		}
	}
	return ""
}
