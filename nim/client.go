package nim

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Client asks NIM and xCAT typed questions through an Executor. Every query
// runs its command(s) by argv through Exec.Query, so each has the executor's
// timeout and a missing command gives an error wrapping ErrNotFound. Every
// name is checked before it reaches a command.
type Client struct {
	Exec *Executor
}

// NewClient returns a Client that runs its queries with e.
func NewClient(e *Executor) *Client { return &Client{Exec: e} }

// ErrNoSuchOsimage marks an osimage name xCAT does not know.
var ErrNoSuchOsimage = errors.New("no such osimage")

// ErrUnanswered marks names lsnim neither listed nor reported missing (it
// may stop at the first unknown name); the caller can ask for them again.
var ErrUnanswered = errors.New("lsnim gave no answer for some names")

// ErrUnexpectedOutput marks output none of the parsers recognised.
var ErrUnexpectedOutput = errors.New("unexpected output")

// ErrResourceBusy marks NIM's 0042-207 (another operation holds the
// resource, e.g. a concurrent showres); retrying a little later helps.
var ErrResourceBusy = errors.New("NIM resource busy")

// errBadName marks a name refused before it reached a command.
var errBadName = errors.New("invalid name")

// checkName refuses a name before it reaches a command, by the same rule as
// plans (ValidName): NIM's characters less '!', no leading '-'.
func checkName(name string) error {
	if err := ValidName(name); err != nil {
		return fmt.Errorf("%w: %v", errBadName, err)
	}
	return nil
}

// readable refuses output that cannot be trusted: cut off mid-line (every
// NIM and xCAT command ends its lines; a killed or crashed one may not), or
// text of which nothing parsed. Either would otherwise show as made-up rows
// or as "none".
func readable(res Result, parsed int) error {
	if n := len(res.Stdout); n > 0 && res.Stdout[n-1] != '\n' {
		return fmt.Errorf("%s: %w: the output ends mid-line (cut off?)", argvString(res), ErrUnexpectedOutput)
	}
	if parsed == 0 {
		if line := firstNonBlank(res.Stdout); line != "" {
			return fmt.Errorf("%s: %w: %q", argvString(res), ErrUnexpectedOutput, line)
		}
	}
	return nil
}

// ranAndFailed returns the CommandError of a command that ran and exited
// non-zero (as opposed to one that timed out, was killed or is missing).
func ranAndFailed(err error) (*CommandError, bool) {
	var ce *CommandError
	if errors.As(err, &ce) && ce.Result.ExitCode > 0 {
		return ce, true
	}
	return nil, false
}

func argvString(res Result) string { return strings.Join(res.Argv, " ") }

// firstNonBlank is the first non-blank line of b, for error messages.
func firstNonBlank(b []byte) string {
	for s := string(b); s != ""; {
		var line string
		line, s = nextLine(s)
		if t := trimBlanks(line); t != "" {
			if len(t) > 200 {
				t = t[:200] + "..."
			}
			return t
		}
	}
	return ""
}

// lsdefNone reports whether a finished lsdef (res, err from Query) said
// there is no osimage (LsdefNone). A command that timed out, was killed or
// is missing never says so.
func lsdefNone(res Result, err error) bool {
	if err == nil {
		return LsdefNone(res.Stdout, res.Stderr, 0)
	}
	ce, ran := ranAndFailed(err)
	return ran && LsdefNone(ce.Result.Stdout, ce.Result.Stderr, ce.Result.ExitCode)
}

// Osimages lists the AIX (imagetype NIM) osimage definitions, sorted by name,
// with one lsdef -t osimage -l -w imagetype==NIM. Linux images are left out
// even if lsdef ignored -w. lsdef's three answers for "no osimage"
// (LsdefNone) are an empty list; any other failure is an error naming the
// command.
func (c *Client) Osimages(ctx context.Context) ([]Osimage, error) {
	res, err := c.Exec.Query(ctx, "lsdef", "-t", "osimage", "-l", "-w", "imagetype==NIM")
	if lsdefNone(res, err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	all := ParseLsdefLong(res.Stdout)
	if err := readable(res, 1); err != nil {
		return nil, err
	}
	if len(all) == 0 {
		if line := firstNonBlank(res.Stdout); line != "" {
			return nil, fmt.Errorf("%s: %w: %q", argvString(res), ErrUnexpectedOutput, line)
		}
		// Nothing on stdout, exit 0, but something on stderr.
		return nil, fmt.Errorf("%s: %w: %q", argvString(res), ErrUnexpectedOutput, firstNonBlank(res.Stderr))
	}
	var imgs []Osimage
	for _, o := range all {
		if o.IsNIM() {
			imgs = append(imgs, o)
		}
	}
	sort.SliceStable(imgs, func(i, j int) bool { return imgs[i].Name < imgs[j].Name })
	return imgs, nil
}

// Osimage returns one osimage definition (lsdef -t osimage -o NAME -l). An
// unknown name gives an error wrapping ErrNoSuchOsimage with xCAT's message.
func (c *Client) Osimage(ctx context.Context, name string) (Osimage, error) {
	if err := checkName(name); err != nil {
		return Osimage{}, fmt.Errorf("osimage: %w", err)
	}
	res, err := c.Exec.Query(ctx, "lsdef", "-t", "osimage", "-o", name, "-l")
	const notFound = "Could not find an object named"
	for _, m := range append(ParseMessages(res.Stderr), ParseMessages(res.Stdout)...) {
		if strings.Contains(m.Text, notFound) {
			return Osimage{}, fmt.Errorf("%s: %w: %s", argvString(res), ErrNoSuchOsimage, m.Text)
		}
	}
	if err != nil {
		return Osimage{}, err
	}
	if firstNonBlank(res.Stdout) != "" && LsdefNone(res.Stdout, res.Stderr, res.ExitCode) {
		// No osimage at all: a fresh master (defls, 2.9.2 L3368).
		return Osimage{}, fmt.Errorf("%s: %w: %s", argvString(res), ErrNoSuchOsimage, firstNonBlank(res.Stdout))
	}
	if err := readable(res, 1); err != nil {
		return Osimage{}, err
	}
	for _, o := range ParseLsdefLong(res.Stdout) {
		if o.Name == name {
			return o, nil
		}
	}
	if line := firstNonBlank(res.Stdout); line != "" && !strings.Contains(line, notFound) {
		return Osimage{}, fmt.Errorf("%s: %w: %q", argvString(res), ErrUnexpectedOutput, line)
	}
	return Osimage{}, fmt.Errorf("%s: %w: lsdef printed no definition of %q", argvString(res), ErrNoSuchOsimage, name)
}

// Objects runs one lsnim -l n1 n2 ... and returns the objects it printed and
// the names it reported with 0042-053 (no such object). A failure with any
// other message is an error naming the command; so is a timeout or a missing
// lsnim. Names neither printed nor reported (lsnim may stop at the first
// unknown name) give an error wrapping ErrUnanswered, along with what was
// found. No names: nothing is run (lsnim -l alone would list everything).
func (c *Client) Objects(ctx context.Context, names ...string) (found []Object, missing []string, err error) {
	if len(names) == 0 {
		return nil, nil, nil
	}
	for _, n := range names {
		if err := checkName(n); err != nil {
			return nil, nil, fmt.Errorf("lsnim -l: %w", err)
		}
	}
	res, qerr := c.Exec.Query(ctx, "lsnim", append([]string{"-l"}, names...)...)
	if qerr != nil {
		if _, ran := ranAndFailed(qerr); !ran {
			return nil, nil, qerr
		}
	}
	found = ParseLsnimLong(res.Stdout)
	if err := readable(res, len(found)); err != nil {
		return nil, nil, err
	}
	msgs := append(ParseMessages(res.Stderr), ParseMessages(res.Stdout)...)
	other := false
	for _, m := range msgs {
		if m.Code == "0042-053" {
			if n, ok := noObjectName(m.Text); ok {
				missing = appendUnique(missing, n)
				continue
			}
		}
		if m.Kind.IsError() {
			other = true
		}
	}
	if qerr != nil && (other || len(missing) == 0) {
		return found, missing, qerr
	}
	var unanswered []string
	for _, n := range names {
		if !objectNamed(found, n) && !nameIn(missing, n) {
			unanswered = appendUnique(unanswered, n)
		}
	}
	if len(unanswered) > 0 {
		return found, missing, fmt.Errorf("%s: %w: %s", argvString(res), ErrUnanswered, strings.Join(unanswered, " "))
	}
	return found, missing, nil
}

// noObjectName takes <name> from `there is no NIM object named "<name>"`.
func noObjectName(text string) (string, bool) {
	const p = `there is no NIM object named "`
	i := strings.Index(text, p)
	if i < 0 {
		return "", false
	}
	rest := text[i+len(p):]
	j := strings.IndexByte(rest, '"')
	if j <= 0 || !plausibleName(rest[:j]) {
		return "", false
	}
	return rest[:j], true
}

func objectNamed(objs []Object, name string) bool {
	for _, o := range objs {
		if o.Name == name {
			return true
		}
	}
	return false
}

func nameIn(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// ObjectsOfType runs lsnim -l -t TYPE. No objects of that type is an empty
// list: lsnim prints nothing, and a non-zero exit with no output at all on
// either stream is taken the same way (grep-like "nothing matched"). A
// non-zero exit with any message (an unknown type gives a 0042 error) is an
// error naming the command.
func (c *Client) ObjectsOfType(ctx context.Context, nimType string) ([]Object, error) {
	if err := checkName(nimType); err != nil {
		return nil, fmt.Errorf("lsnim -l -t: NIM type: %w", err)
	}
	res, err := c.Exec.Query(ctx, "lsnim", "-l", "-t", nimType)
	if err != nil {
		if _, ran := ranAndFailed(err); ran && firstNonBlank(res.Stdout) == "" && firstNonBlank(res.Stderr) == "" {
			return nil, nil
		}
		return nil, err
	}
	objs := ParseLsnimLong(res.Stdout)
	if err := readable(res, len(objs)); err != nil {
		return nil, err
	}
	return objs, nil
}

// Resources lists every NIM resource (lsnim -c resources).
func (c *Client) Resources(ctx context.Context) ([]Listing, error) {
	res, err := c.Exec.Query(ctx, "lsnim", "-c", "resources")
	if err != nil {
		return nil, err
	}
	ls := ParseLsnim(res.Stdout)
	if err := readable(res, len(ls)); err != nil {
		return nil, err
	}
	return ls, nil
}

// CDDevices lists the optical devices (lsdev -Cc cdrom).
func (c *Client) CDDevices(ctx context.Context) ([]CDDevice, error) {
	res, err := c.Exec.Query(ctx, "lsdev", "-Cc", "cdrom")
	if err != nil {
		return nil, err
	}
	devs := ParseLsdevCdrom(res.Stdout)
	if err := readable(res, len(devs)); err != nil {
		return nil, err
	}
	return devs, nil
}

// Taken says who already uses a name.
type Taken struct {
	Osimage bool   // an xCAT osimage definition has this name
	NIMType string // the NIM object of this name has this type; "" when none
}

// Any reports whether the name is taken at all.
func (t Taken) Any() bool { return t.Osimage || t.NIMType != "" }

// NameTaken asks xCAT (lsdef -t osimage) and NIM (lsnim NAME) whether name is
// in use. lsnim's 0042-053 means no NIM object; any other failure is an
// error. The comparison is exact (NIM names are taken as case-sensitive).
func (c *Client) NameTaken(ctx context.Context, name string) (Taken, error) {
	var t Taken
	if err := checkName(name); err != nil {
		return t, err
	}
	res, err := c.Exec.Query(ctx, "lsdef", "-t", "osimage")
	switch {
	case lsdefNone(res, err):
		// No osimage at all: the name is free in xCAT.
	case err != nil:
		return t, err
	default:
		names := ParseLsdefList(res.Stdout)
		if err := readable(res, len(names)); err != nil {
			return t, err
		}
		t.Osimage = nameIn(names, name)
	}

	res, err = c.Exec.Query(ctx, "lsnim", name)
	if err != nil {
		if _, ran := ranAndFailed(err); ran && HasCode(ParseMessages(res.Stderr), "0042-053") {
			return t, nil
		}
		return t, err
	}
	for _, l := range ParseLsnim(res.Stdout) {
		if l.Name == name {
			t.NIMType = l.Type
			return t, nil
		}
	}
	if line := firstNonBlank(res.Stdout); line != "" {
		return t, fmt.Errorf("%s: %w: %q", argvString(res), ErrUnexpectedOutput, line)
	}
	return t, nil
}

// XcatVersion asks lsxcatd -v for the xCAT version.
func (c *Client) XcatVersion(ctx context.Context) (Version, error) {
	res, err := c.Exec.Query(ctx, "lsxcatd", "-v")
	if err != nil {
		return Version{}, err
	}
	v, ok := ParseXcatVersion(res.Stdout)
	if !ok {
		return Version{}, fmt.Errorf("%s: %w: no version in %q", argvString(res), ErrUnexpectedOutput, firstNonBlank(res.Stdout))
	}
	return v, nil
}

// Showres lists the filesets of a SPOT or lpp_source (nim -o showres NAME),
// parsed by nimType ("spot" or "lpp_source"). NIM's 0042-207 (the resource is
// busy with another showres) gives an error wrapping ErrResourceBusy.
func (c *Client) Showres(ctx context.Context, name string, nimType string) ([]Fileset, error) {
	if err := checkName(name); err != nil {
		return nil, fmt.Errorf("nim -o showres: %w", err)
	}
	var parse func([]byte) []Fileset
	switch nimType {
	case "spot":
		parse = ParseShowresSpot
	case "lpp_source":
		parse = ParseShowresLpp
	default:
		return nil, fmt.Errorf("nim -o showres %s: type %q: nimwiz lists only spot and lpp_source resources", name, nimType)
	}
	res, err := c.Exec.Query(ctx, "nim", "-o", "showres", name)
	if err != nil {
		if _, ran := ranAndFailed(err); ran && HasCode(ParseMessages(res.Stderr), "0042-207") {
			return nil, fmt.Errorf("%w: %w", ErrResourceBusy, err)
		}
		return nil, err
	}
	if err := readable(res, 1); err != nil {
		return nil, err
	}
	return parse(res.Stdout), nil
}
