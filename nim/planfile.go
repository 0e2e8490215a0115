package nim

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/BurntSushi/toml"

	"github.com/nimwiz/nimwiz/internal/safefs"
)

// MaxPlanFileSize caps a plan file: a plan is a dozen lines, so anything
// bigger is the wrong file.
const MaxPlanFileSize = 1 << 20

// planKeys are the top-level keys of a plan file, in the order TOML writes them.
var planKeys = []string{"kind", "name", "type", "source", "stateless", "location", "dump", "verbose", "from", "copy_lpp_source", "update_from", "resources", "options"}

// planTables are the plan file's tables of attr = value: NIM resources and
// options, each attribute in the table of its kind (the attribute table).
var planTables = map[string]AttrKind{"resources": ResourceAttr, "options": OptionAttr}

const planExample = `name = "aix73" and source = "/dev/cd0"`

// PlanFileError is every problem found reading a plan file (syntax, unknown
// keys, wrong types), before the plan itself is validated. Field is the TOML
// key ("file" for the file as a whole); Message begins with "line N: " when
// the line is known.
type PlanFileError struct {
	Path     string
	Problems []Problem
}

func (e *PlanFileError) Error() string {
	var b strings.Builder
	if e.Path != "" {
		b.WriteString(e.Path + ": ")
	}
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(p.Error())
	}
	return b.String()
}

// ParsePlan reads a plan from TOML: keys kind (create when missing), name,
// type, source, stateless, location, dump, verbose (true when missing),
// from and copy_lpp_source (copy), update_from (update), a [resources] table
// of attr = "name" and an [options] table of attr = "value" (both land in
// Plan.Extra). Unknown keys, an
// attribute in the other kind's table, an unknown option and values of the
// wrong type are errors (a *PlanFileError listing all of them with their
// lines); an unknown attribute under [resources] is left to Validate, like
// every value. The plan is not validated: call Validate.
func ParsePlan(data []byte) (Plan, error) {
	fail := func(field, format string, args ...any) (Plan, error) {
		return Plan{}, &PlanFileError{Problems: []Problem{{Field: field, Message: fmt.Sprintf(format, args...)}}}
	}
	if len(data) > MaxPlanFileSize {
		return fail("file", "is %d bytes; a plan file is a few lines of TOML and may be at most %d bytes: is this the right file?", len(data), MaxPlanFileSize)
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		return fail("file", "is binary (a NUL byte at offset %d), not a TOML plan: a plan file is text such as %s", i, planExample)
	}
	if !utf8.Valid(data) {
		line := 1 + bytes.Count(data[:firstInvalidUTF8(data)], []byte("\n"))
		return fail("file", "line %d: is not UTF-8 text: a plan file is TOML text such as %s", line, planExample)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return fail("file", "is empty: a plan needs at least %s", planExample)
	}

	var raw map[string]any
	md, err := toml.Decode(string(data), &raw)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			msg := pe.Message
			if pe.Usage != "" {
				msg += " (" + strings.Join(strings.Fields(pe.Usage), " ") + ")"
			}
			field := "file"
			if pe.LastKey != "" {
				field = pe.LastKey
			}
			return fail(field, "line %d: %s", pe.Position.Line, msg)
		}
		return fail("file", "%v", err)
	}
	if len(md.Keys()) == 0 {
		return fail("file", "has no settings, only comments: a plan needs at least %s", planExample)
	}

	lines := keyLines(data)
	var probs []Problem
	bad := func(key toml.Key, format string, args ...any) {
		msg := fmt.Sprintf(format, args...)
		if n := lineOf(lines, key); n > 0 {
			msg = fmt.Sprintf("line %d: %s", n, msg)
		}
		probs = append(probs, Problem{Field: key.String(), Message: msg})
	}
	p := Plan{Extra: map[string]string{}}
	var kind, updateFrom string
	str := func(k string, dst *string) {
		v, ok := raw[k]
		if !ok {
			return
		}
		if s, ok := v.(string); ok {
			*dst = s
		} else {
			bad(toml.Key{k}, "must be a quoted string, like %s = %q, not %s %v", k, fmt.Sprint(v), tomlTypeName(v), v)
		}
	}
	boolean := func(k string, dst *bool) {
		v, ok := raw[k]
		if !ok {
			return
		}
		if b, ok := v.(bool); ok {
			*dst = b
		} else {
			bad(toml.Key{k}, "must be true or false without quotes, not %s %v", tomlTypeName(v), tomlValue(v))
		}
	}
	str("kind", &kind)
	p.Kind = PlanKind(kind)
	str("name", &p.Name)
	str("from", &p.From)
	boolean("copy_lpp_source", &p.CopyLppSource)
	str("update_from", &updateFrom)
	p.UpdateFrom = UpdateFrom(updateFrom)
	var typ string
	str("type", &typ)
	p.Type = NimType(typ)
	str("source", &p.Source)
	boolean("stateless", &p.Stateless)
	str("location", &p.Location)
	boolean("dump", &p.Dump)
	verbose := true // a plan without the key (older ones too) is verbose
	boolean("verbose", &verbose)
	p.Quiet = !verbose
	for _, tbl := range []string{"resources", "options"} {
		v, ok := raw[tbl]
		if !ok {
			continue
		}
		attrs, ok := v.(map[string]any)
		if !ok {
			bad(toml.Key{tbl}, "must be a table: a line [%s] followed by lines attr = \"%s\", not %s %v", tbl, tableValue(tbl), tomlTypeName(v), tomlValue(v))
			continue
		}
		for _, a := range slices.Sorted(maps.Keys(attrs)) {
			key := toml.Key{tbl, a}
			spec, known := LookupAttr(a)
			switch {
			case known && spec.Kind != planTables[tbl]:
				other := "resources"
				if spec.Kind == OptionAttr {
					other = "options"
				}
				bad(key, "%s is %s, not %s: put it under [%s]", a, kindName(spec.Kind), kindName(planTables[tbl]), other)
				continue
			case !known && tbl == "options":
				bad(key, "unknown option: the options are %s", strings.Join(AttrNames(func(a AttrSpec) bool { return a.Kind == OptionAttr && a.Has(UseCreate) }), ", "))
				continue
			}
			val := attrs[a]
			if n, ok := val.(int64); ok && tbl == "options" {
				val = strconv.FormatInt(n, 10) // dumpsize = 50 reads as well as "50"
			}
			switch val := val.(type) {
			case string:
				p.Extra[a] = val
			default:
				if tbl == "options" {
					bad(key, "must be a quoted value, like %s = %q, not %s %v", a, spec.Example, tomlTypeName(val), tomlValue(val))
				} else {
					bad(key, "must be the quoted name of an existing NIM resource, like %s = \"my_%s\", not %s %v", a, a, tomlTypeName(val), tomlValue(val))
				}
			}
		}
	}
	known := map[string]bool{}
	for _, k := range planKeys {
		known[k] = true
	}
	for _, k := range slices.Sorted(maps.Keys(raw)) {
		if !known[k] {
			hint := ""
			if s := closestKey(k); s != "" {
				hint = fmt.Sprintf("did you mean %q? ", s)
			}
			bad(toml.Key{k}, "unknown key: %sa plan has %s, and the tables [resources] and [options]", hint, strings.Join(planKeys[:len(planKeys)-2], ", "))
		}
	}
	if len(probs) > 0 {
		sort.SliceStable(probs, func(i, j int) bool { return problemLine(probs[i]) < problemLine(probs[j]) })
		return Plan{}, &PlanFileError{Problems: probs}
	}
	return p, nil
}

// LoadPlan reads and parses the plan file at path. Anything but a regular
// file is refused before it is opened for reading (a FIFO would hang
// nimwiz, a device would be read as root): Lstat first, then an open with
// O_NOFOLLOW|O_NONBLOCK and fstat again, so a file swapped in between is
// refused too. A symbolic link is followed once, to a regular file only:
// the admin named it, and reading a plan through a link gives nothing a
// root shell lacks, while the contents are checked as untrusted anyway.
func LoadPlan(path string) (Plan, error) {
	notRegular := func(what string) (Plan, error) {
		return Plan{}, &PlanFileError{Path: path, Problems: []Problem{{Field: "file", Message: fmt.Sprintf("is not a regular file (it is %s): give the path of a TOML plan file", what)}}}
	}
	open := path
	fi, err := os.Lstat(path)
	if err != nil {
		return Plan{}, fmt.Errorf("plan file: %w", err)
	}
	if fi.Mode()&fs.ModeSymlink != 0 {
		if open, err = filepath.EvalSymlinks(path); err != nil {
			return Plan{}, fmt.Errorf("plan file %s is a symbolic link that leads nowhere: %w", path, err)
		}
		if fi, err = os.Lstat(open); err != nil {
			return Plan{}, fmt.Errorf("plan file: %w", err)
		}
		if !fi.Mode().IsRegular() {
			return notRegular(fmt.Sprintf("a symbolic link to %s, which is %s", open, fileType(fi.Mode())))
		}
	}
	if !fi.Mode().IsRegular() {
		return notRegular(fileType(fi.Mode()))
	}
	f, err := safefs.OpenNoFollow(open, os.O_RDONLY, 0)
	var ue *safefs.UnsafeError
	if errors.As(err, &ue) {
		return notRegular("something else now: it changed while nimwiz looked at it")
	}
	if err != nil {
		return Plan{}, fmt.Errorf("plan file: %w", err)
	}
	defer f.Close()
	// Read one byte past the cap so ParsePlan can tell a file that is too big.
	data, err := io.ReadAll(io.LimitReader(f, MaxPlanFileSize+1))
	if err != nil {
		return Plan{}, fmt.Errorf("plan file %s: %w", path, err)
	}
	p, err := ParsePlan(data)
	var pe *PlanFileError
	if errors.As(err, &pe) {
		pe.Path = path
	}
	return p, err
}

// fileType names a kind of file for a message.
func fileType(m fs.FileMode) string {
	switch t := m.Type(); {
	case t&fs.ModeDir != 0:
		return "a directory"
	case t&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case t&fs.ModeSocket != 0:
		return "a socket"
	case t&fs.ModeCharDevice != 0:
		return "a character device"
	case t&fs.ModeDevice != 0:
		return "a block device"
	case t&fs.ModeSymlink != 0:
		return "a symbolic link"
	}
	return "of type " + m.Type().String()
}

// TOML encodes the plan as a plan file, keys in a fixed order. A create
// plan is written as before kinds existed (no kind key); an update or copy
// plan has only the keys of its kind (and any other that is set, so a draft
// survives a round trip).
func (p Plan) TOML() ([]byte, error) {
	var b bytes.Buffer
	b.WriteString("# nimwiz plan: check with 'nimwiz plan FILE'\n")
	enc := toml.NewEncoder(&b)
	enc.Indent = ""
	// An ordered struct keeps the key order stable; omitempty leaves out
	// what is empty and comes back as the same zero value.
	// Each attribute goes to the table of its kind; one the attribute
	// table does not know goes under [resources], where Validate names it.
	res, opts := map[string]string{}, map[string]string{}
	for a, v := range p.Extra {
		if spec, ok := LookupAttr(a); ok && spec.Kind == OptionAttr {
			opts[a] = v
		} else {
			res[a] = v
		}
	}
	var out any
	if p.Kind == "" {
		out = struct {
			Name      string            `toml:"name"`
			Type      string            `toml:"type,omitempty"`
			Source    string            `toml:"source"`
			Stateless bool              `toml:"stateless"`
			Location  string            `toml:"location,omitempty"`
			Dump      bool              `toml:"dump"`
			Verbose   bool              `toml:"verbose"`
			From      string            `toml:"from,omitempty"`
			CopyLpp   bool              `toml:"copy_lpp_source,omitempty"`
			Update    string            `toml:"update_from,omitempty"`
			Resources map[string]string `toml:"resources,omitempty"`
			Options   map[string]string `toml:"options,omitempty"`
		}{p.Name, string(p.Type), p.Source, p.Stateless, p.Location, p.Dump, !p.Quiet, p.From, p.CopyLppSource, string(p.UpdateFrom), res, opts}
	} else {
		out = struct {
			Kind      string            `toml:"kind"`
			Name      string            `toml:"name"`
			From      string            `toml:"from,omitempty"`
			Type      string            `toml:"type,omitempty"`
			CopyLpp   bool              `toml:"copy_lpp_source,omitempty"`
			Update    string            `toml:"update_from,omitempty"`
			Source    string            `toml:"source,omitempty"`
			Stateless bool              `toml:"stateless,omitempty"`
			Location  string            `toml:"location,omitempty"`
			Dump      bool              `toml:"dump,omitempty"`
			Verbose   bool              `toml:"verbose"`
			Resources map[string]string `toml:"resources,omitempty"`
			Options   map[string]string `toml:"options,omitempty"`
		}{string(p.Kind), p.Name, p.From, string(p.Type), p.CopyLppSource, string(p.UpdateFrom), p.Source, p.Stateless, p.Location, p.Dump, !p.Quiet, res, opts}
	}
	if err := enc.Encode(out); err != nil {
		return nil, fmt.Errorf("encode plan %q: %w", p.Name, err)
	}
	return b.Bytes(), nil
}

// SavePlan writes p to path atomically: a temporary file in the same
// directory, synced, mode 0600, then renamed over path. A crash leaves the
// old file or the new one, never half of one.
func SavePlan(path string, p Plan) error {
	data, err := p.TOML()
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("save plan: %w", err)
	}
	done := false
	defer func() {
		if !done {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := tmp.Chmod(0o600); err != nil {
		return fmt.Errorf("save plan %s: %w", path, err)
	}
	if _, err := tmp.Write(data); err != nil {
		return fmt.Errorf("save plan %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("save plan %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("save plan %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("save plan %s: %w", path, err)
	}
	done = true
	return nil
}

// kindName says what an attribute of kind k is, for messages.
func kindName(k AttrKind) string {
	if k == OptionAttr {
		return "an option"
	}
	return "a NIM resource"
}

// tableValue is what a value in the plan table tbl looks like.
func tableValue(tbl string) string {
	if tbl == "options" {
		return "value"
	}
	return "resource name"
}

func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}

func tomlTypeName(v any) string {
	switch v.(type) {
	case string:
		return "the string"
	case bool:
		return "the boolean"
	case int64:
		return "the number"
	case float64:
		return "the number"
	case []any, []map[string]any:
		return "the array"
	case map[string]any:
		return "the table"
	}
	return fmt.Sprintf("a %T", v)
}

func tomlValue(v any) string {
	switch v := v.(type) {
	case string:
		return fmt.Sprintf("%q", v)
	case map[string]any:
		return "{...}"
	}
	return fmt.Sprint(v)
}

// closestKey suggests a known key for a misspelt one: same letters ignoring
// case, or one edit away.
func closestKey(k string) string {
	for _, c := range planKeys {
		if strings.EqualFold(c, k) || editDistance(strings.ToLower(k), c) == 1 || (len(k) > 3 && strings.HasPrefix(c, strings.ToLower(k))) {
			return c
		}
	}
	return ""
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev[j-1]) // transposition (approximate)
			}
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func problemLine(p Problem) int {
	var n int
	if _, err := fmt.Sscanf(p.Message, "line %d:", &n); err == nil {
		return n
	}
	return 1 << 30
}

// keyLines maps each dotted key of a TOML document that already parsed to
// the line it is defined on. BurntSushi/toml keeps key positions private, so
// this scans: table headers set the prefix, "key =" lines add keys.
// Multi-line strings are skipped; keys inside inline tables are not found
// (lineOf falls back to the enclosing key).
func keyLines(data []byte) map[string]int {
	lines := map[string]int{}
	var table []string
	inMulti := ""
	for i, line := range strings.Split(string(data), "\n") {
		n := i + 1
		s := strings.TrimSpace(line)
		if inMulti != "" {
			if strings.Contains(s, inMulti) {
				inMulti = ""
			}
			continue
		}
		if s == "" || s[0] == '#' {
			continue
		}
		if s[0] == '[' {
			h := strings.TrimPrefix(strings.TrimPrefix(s, "["), "[")
			if j := strings.IndexByte(h, ']'); j >= 0 {
				h = h[:j]
			}
			table = splitKey(h)
			if _, ok := lines[strings.Join(table, ".")]; !ok {
				lines[strings.Join(table, ".")] = n
			}
			continue
		}
		eq := keyEnd(s)
		if eq < 0 {
			continue
		}
		key := append(append([]string{}, table...), splitKey(s[:eq])...)
		full := strings.Join(key, ".")
		if _, ok := lines[full]; !ok {
			lines[full] = n
		}
		// The parents of a dotted key are defined there too.
		for j := len(table) + 1; j < len(key); j++ {
			if _, ok := lines[strings.Join(key[:j], ".")]; !ok {
				lines[strings.Join(key[:j], ".")] = n
			}
		}
		v := strings.TrimSpace(s[eq+1:])
		for _, q := range []string{`"""`, `'''`} {
			if strings.HasPrefix(v, q) && !strings.Contains(v[3:], q) {
				inMulti = q
			}
		}
	}
	return lines
}

// keyEnd is the index of the '=' ending the key of line s, skipping quoted
// key parts, or -1.
func keyEnd(s string) int {
	quote := byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == '\\' && quote == '"' {
				i++
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '=':
			return i
		}
	}
	return -1
}

// splitKey splits a (possibly dotted, possibly quoted) TOML key into its
// parts, unquoting simple quoted parts.
func splitKey(s string) []string {
	var parts []string
	var cur strings.Builder
	quote := byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == '\\' && quote == '"' && i+1 < len(s) {
				i++
				cur.WriteByte(s[i])
			} else if c == quote {
				quote = 0
			} else {
				cur.WriteByte(c)
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '.':
			parts = append(parts, strings.TrimSpace(cur.String()))
			cur.Reset()
		case c == ' ' || c == '\t':
		default:
			cur.WriteByte(c)
		}
	}
	return append(parts, strings.TrimSpace(cur.String()))
}

// lineOf finds key's line, or its nearest enclosing key's, or 0.
func lineOf(lines map[string]int, key toml.Key) int {
	for k := len(key); k > 0; k-- {
		if n, ok := lines[strings.Join(key[:k], ".")]; ok {
			return n
		}
	}
	return 0
}
