package nim

// Stand-ins for the wizard branch; the lead deletes this file at merge.

import (
	"context"
	"errors"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
)

var stubNameRE = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

func ValidName(s string) error {
	switch {
	case s == "":
		return errors.New("a name is required")
	case len(s) > MaxNameLen:
		return fmt.Errorf("%q is %d characters; NIM allows at most %d", s, len(s), MaxNameLen)
	case !stubNameRE.MatchString(s):
		return fmt.Errorf("%q: use only letters, digits, '-' and '_'", s)
	}
	return nil
}

func (p Plan) WithDefaults() Plan {
	if p.Type == "" {
		p.Type = Diskless
	}
	if p.Location == "" {
		p.Location = DefaultLocation
	}
	return p
}

func (p Plan) SourceKind() SourceKind {
	switch {
	case p.Source == "":
		return SourceUnknown
	case strings.HasPrefix(p.Source, "/dev/"):
		return SourceDevice
	case strings.HasPrefix(p.Source, "/"):
		return SourceDirectory
	default:
		return SourceLppSource
	}
}

func (p Plan) Validate() []Problem {
	var out []Problem
	if err := ValidName(p.Name); err != nil {
		out = append(out, Problem{"name", err.Error()})
	} else if n := p.LongestName(); n > 0 && len(p.Name) > n {
		out = append(out, Problem{"name", fmt.Sprintf("at most %d characters for this plan", n)})
	}
	if p.Source == "" {
		out = append(out, Problem{"source", "choose a source"})
	}
	if p.Stateless && p.Type == Dataless {
		out = append(out, Problem{"type", "stateless is only for diskless"})
	}
	return out
}

func (p Plan) LongestName() int {
	suffix := len("_root")
	if p.Stateless {
		suffix = len("_shared_root")
	}
	if p.SourceKind() != SourceLppSource && len("_lpp_source") > suffix {
		suffix = len("_lpp_source")
	}
	return MaxNameLen - suffix
}

func (p Plan) Args() []string {
	p = p.WithDefaults()
	a := []string{"-t", string(p.Type)}
	if p.Stateless {
		a = append(a, "-r")
	}
	if p.Dump {
		a = append(a, "-D")
	}
	if p.Location != DefaultLocation {
		a = append(a, "-l", p.Location)
	}
	a = append(a, "-s", p.Source, p.Name)
	keys := make([]string, 0, len(p.Extra))
	for k := range p.Extra {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		a = append(a, k+"="+p.Extra[k])
	}
	return a
}

func (p Plan) CommandLine() string { return "mknimimage " + strings.Join(p.Args(), " ") }

func (p Plan) Resources() []PlannedResource {
	p = p.WithDefaults()
	var out []PlannedResource
	if p.SourceKind() == SourceLppSource {
		out = append(out, PlannedResource{Attr: "lpp_source", Type: "lpp_source", Name: p.Source, Reused: true})
	} else {
		n := p.Name + "_lpp_source"
		out = append(out, PlannedResource{Attr: "lpp_source", Type: "lpp_source", Name: n, Location: p.Location + "/lpp_source/" + n})
	}
	out = append(out, PlannedResource{Attr: "spot", Type: "spot", Name: p.Name, Location: p.Location + "/spot/" + p.Name})
	root := "root"
	if p.Stateless {
		root = "shared_root"
	}
	out = append(out, PlannedResource{Attr: root, Type: root, Name: p.Name + "_" + root, Location: p.Location + "/" + root + "/" + p.Name + "_" + root})
	if p.Dump {
		out = append(out, PlannedResource{Attr: "dump", Type: "dump", Name: p.Name + "_dump", Location: p.Location + "/dump/" + p.Name + "_dump"})
	}
	if p.Type == Diskless {
		out = append(out, PlannedResource{Attr: "paging", Type: "paging", Name: p.Name + "_paging", Location: p.Location + "/paging/" + p.Name + "_paging"})
	}
	keys := make([]string, 0, len(p.Extra))
	for k := range p.Extra {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		out = append(out, PlannedResource{Attr: k, Type: k, Name: p.Extra[k], Reused: true})
	}
	return out
}

func (p Plan) Definition() Osimage {
	p = p.WithDefaults()
	o := Osimage{Name: p.Name, Attrs: map[string]string{"imagetype": "NIM", "osname": "AIX", "nimtype": string(p.Type)}}
	for _, r := range p.Resources() {
		o.Attrs[r.Attr] = r.Name
	}
	return o
}

func PlanFromOsimage(o Osimage) Plan {
	p := Plan{Name: o.Name, Type: NimType(o.Attrs["nimtype"]), Source: o.Attrs["lpp_source"]}
	if o.Attrs["shared_root"] != "" {
		p.Stateless = true
	}
	p.Dump = o.Attrs["dump"] != ""
	for _, k := range []string{"resolv_conf", "home", "shared_home", "tmp", "script", "fb_script", "installp_bundle", "bosinst_data"} {
		if v := o.Attrs[k]; v != "" {
			if p.Extra == nil {
				p.Extra = map[string]string{}
			}
			p.Extra[k] = v
		}
	}
	return p.WithDefaults()
}

func LoadPlan(path string) (Plan, error) {
	var p Plan
	if _, err := toml.DecodeFile(path, &p); err != nil {
		return Plan{}, fmt.Errorf("plan %s: %w", path, err)
	}
	return p, nil
}

func SavePlan(path string, p Plan) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("save plan: %w", err)
	}
	if err := toml.NewEncoder(f).Encode(p); err != nil {
		f.Close()
		return fmt.Errorf("save plan %s: %w", path, err)
	}
	return f.Close()
}

type Taken struct {
	Osimage bool
	NIMType string
}

type Version struct {
	Major, Minor, Patch int
	Raw                 string
}

func (v Version) AtLeast(major, minor int) bool {
	return v.Major > major || v.Major == major && v.Minor >= minor
}

func (c *Client) Osimages(ctx context.Context) ([]Osimage, error) {
	return nil, errors.New("Osimages: not implemented in the stub")
}

func (c *Client) Osimage(ctx context.Context, name string) (Osimage, error) {
	return Osimage{}, errors.New("Osimage: not implemented in the stub")
}

func (c *Client) ObjectsOfType(ctx context.Context, nimType string) ([]Object, error) {
	return nil, errors.New("ObjectsOfType: not implemented in the stub")
}

func (c *Client) Resources(ctx context.Context) ([]Listing, error) {
	return nil, errors.New("Resources: not implemented in the stub")
}

func (c *Client) CDDevices(ctx context.Context) ([]CDDevice, error) {
	res, err := c.Exec.Query(ctx, "lsdev", "-Cc", "cdrom")
	if err != nil {
		return nil, err
	}
	var out []CDDevice
	for _, l := range strings.Split(string(res.Stdout), "\n") {
		f := strings.Fields(l)
		if len(f) >= 2 {
			out = append(out, CDDevice{Name: f[0], Status: f[1]})
		}
	}
	return out, nil
}

func (c *Client) NameTaken(ctx context.Context, name string) (Taken, error) {
	return Taken{}, nil
}

func (c *Client) XcatVersion(ctx context.Context) (Version, error) {
	res, err := c.Exec.Query(ctx, "lsxcatd", "-v")
	if err != nil {
		return Version{}, err
	}
	v := Version{Raw: strings.TrimSpace(string(res.Stdout))}
	for _, f := range strings.Fields(v.Raw) {
		parts := strings.Split(f, ".")
		if len(parts) >= 2 {
			v.Major, _ = strconv.Atoi(parts[0])
			v.Minor, _ = strconv.Atoi(parts[1])
			break
		}
	}
	return v, nil
}
