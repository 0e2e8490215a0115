package sim

import (
	_ "embed"
	"fmt"
	"os"
	"path/filepath"
)

// clientScript is the simulated xCAT client (client.pl): a Perl program,
// as the real mknimimage, lsdef, ... are.
//
//go:embed client.pl
var clientScript []byte

// ClientScript returns the Perl client Install writes under each xCAT
// client name.
func ClientScript() []byte { return append([]byte(nil), clientScript...) }

// Install puts the simulated commands in binDir: the Perl client (mode
// 0755, "#!/usr/bin/perl") under each name of Clients, and a link to the
// executable self under each name of Links (replacing links that point
// elsewhere: go run builds to a new temp path each time). Each file is
// written beside its name and renamed over it, so two nimwiz starting at
// once never see a missing command.
func Install(binDir, self string) error {
	if err := os.MkdirAll(binDir, 0o755); err != nil {
		return fmt.Errorf("simulated commands: %w", err)
	}
	for _, c := range Clients {
		path := filepath.Join(binDir, c)
		if fi, err := os.Lstat(path); err == nil && fi.Mode().IsRegular() && fi.Mode().Perm() == 0o755 {
			if b, err := os.ReadFile(path); err == nil && string(b) == string(clientScript) {
				continue
			}
		}
		tmp := fmt.Sprintf("%s.%d.tmp", path, os.Getpid())
		_ = os.Remove(tmp)
		if err := os.WriteFile(tmp, clientScript, 0o755); err != nil {
			return fmt.Errorf("simulated commands: %w", err)
		}
		if err := os.Chmod(tmp, 0o755); err != nil { // whatever the umask
			os.Remove(tmp)
			return fmt.Errorf("simulated commands: %w", err)
		}
		if err := os.Rename(tmp, path); err != nil {
			os.Remove(tmp)
			return fmt.Errorf("simulated commands: %w", err)
		}
	}
	for _, c := range Links {
		link := filepath.Join(binDir, c)
		if cur, err := os.Readlink(link); err == nil && cur == self {
			continue
		}
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
