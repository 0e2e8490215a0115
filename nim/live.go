package nim

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/nimwiz/nimwiz/internal/safefs"
)

// The xCAT clients are Perl programs that never set $|: on a pipe their
// STDOUT is block-buffered (8 KiB), so a reader sees "Creating a NIM SPOT
// resource" only when mknimimage exits (xcat-client-behaviour.md §1;
// perl-xCAT/xCAT/Client.pm at 2.9.2_aix_release L1129-1138 prints info with
// a plain print, and only the sinfo branch, L1149/L1153, sets $|). Their
// STDERR is unbuffered, so "Error:" lines overtake the info printed before
// them.
//
// nimwiz makes the output live with Perl's own switch: PERL5OPT=-MNimwizLive
// loads a two-line module, from a directory only nimwiz writes, that sets
// $| = 1 (STDOUT unbuffered) in every Perl the client starts. The xCAT
// clients start with "#!/usr/bin/perl" (xCAT-client/bin/xcatDBcmds line 1)
// and run without -T, so Perl honours PERL5OPT (perlrun). It is pure Go on
// the AIX master: no pseudo-terminal, which creack/pty cannot open on AIX.
//
// The module also proves that it ran: when NIMWIZ_LIVE_FD names an open
// descriptor it writes "live <pid>" there and closes it. Without that proof
// (PERL5OPT ignored, a client that is not Perl, a wrapper) nimwiz must
// assume the output is delayed and cannot tell the phase from it.

// LiveModule is the Perl module that makes an xCAT client's STDOUT live.
const LiveModule = "NimwizLive"

// LiveFDEnv names the descriptor the module reports on.
const LiveFDEnv = "NIMWIZ_LIVE_FD"

// liveModuleText is NimwizLive.pm. It must stay valid for Perl 5.8 (the AIX
// master's /usr/bin/perl) and never print to STDOUT or STDERR.
const liveModuleText = `package NimwizLive;
# Written by nimwiz. Loaded through PERL5OPT=-MNimwizLive into the xCAT
# clients nimwiz runs: makes STDOUT unbuffered so their messages reach nimwiz
# as they are printed, and tells nimwiz so on the descriptor NIMWIZ_LIVE_FD.
$| = 1;
if (defined $ENV{NIMWIZ_LIVE_FD} && $ENV{NIMWIZ_LIVE_FD} =~ /^(\d+)$/ && $1 > 2) {
    my $fd = $1;
    delete $ENV{NIMWIZ_LIVE_FD};
    if (open(my $nimwiz_live, ">>&=$fd")) {
        print $nimwiz_live "live $$\n";
        close($nimwiz_live);
    }
}
1;
`

// LiveMarker is the line the module writes when it ran ("live <pid>").
const LiveMarker = "live "

// InstallLiveModule writes NimwizLive.pm into dir, creating dir (mode 0700)
// if needed. The module runs as root inside every xCAT client nimwiz starts,
// so dir must be owned by the effective user and writable by nobody else,
// and not be a link (safefs.MkdirPrivate); anything else is refused. The
// file is replaced atomically on every call, never written through a link.
func InstallLiveModule(dir string) error {
	if err := safefs.MkdirPrivate(dir); err != nil {
		return fmt.Errorf("perl module directory: %w", err)
	}
	if err := safefs.WriteFileAtomic(filepath.Join(dir, LiveModule+".pm"), []byte(liveModuleText), 0o600, false); err != nil {
		return fmt.Errorf("perl module: %w", err)
	}
	return nil
}

// liveEnv sets PERL5OPT and PERL5LIB in env so that Perl loads the module
// from dir, keeping what the admin had in them.
func liveEnv(env map[string]string, dir string) {
	opt := "-M" + LiveModule
	if old := strings.TrimSpace(env["PERL5OPT"]); old != "" {
		opt = old + " " + opt
	}
	env["PERL5OPT"] = opt
	lib := dir
	if old := env["PERL5LIB"]; old != "" {
		lib = dir + ":" + old
	}
	env["PERL5LIB"] = lib
}

// ErrNotLive says the client's output could not be proven live.
var ErrNotLive = errors.New("mknimimage's output is not live")
