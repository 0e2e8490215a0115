package sim

import (
	"fmt"
	"os"
	"path/filepath"
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

func (p *proc) version() string {
	if p.legacy() {
		return xcatLegacyVersion
	}
	return xcatVersion
}

// lsxcatd answers -v (and -a with the version first).
func (p *proc) lsxcatd(argv []string) int {
	if len(argv) == 1 && (argv[0] == "-v" || argv[0] == "--version") {
		fmt.Fprintln(p.stdout, p.version())
		return 0
	}
	if len(argv) == 1 && (argv[0] == "-a" || argv[0] == "--all") {
		fmt.Fprintln(p.stdout, p.version())
		fmt.Fprintln(p.stdout, "This is a Management Node")
		fmt.Fprintln(p.stdout, "dbengine=SQLite")
		return 0
	}
	fmt.Fprintln(p.stdout, "Usage: lsxcatd [-v|--version] [-h|--help] [-d|--database] [-t|--nodetype] [-a|--all]")
	return 0
}

// Install links every simulated command name in binDir to the executable
// self, replacing links that point elsewhere (go run builds to a new temp
// path each time).
func Install(binDir, self string) error {
	if err := os.MkdirAll(binDir, 0o755); err != nil {
		return fmt.Errorf("simulated commands: %w", err)
	}
	for _, c := range Commands {
		link := filepath.Join(binDir, c)
		if cur, err := os.Readlink(link); err == nil && cur == self {
			continue
		}
		// link beside, then rename over: atomic, so two nimwiz starting at
		// once never see a missing command.
		tmp := fmt.Sprintf("%s.%d.tmp", link, os.Getpid())
		_ = os.Remove(tmp)
		if err := os.Symlink(self, tmp); err != nil {
			return fmt.Errorf("simulated commands: %w", err)
		}
		if err := os.Rename(tmp, link); err != nil {
			os.Remove(tmp)
			return fmt.Errorf("simulated commands: %w", err)
		}
	}
	return nil
}
