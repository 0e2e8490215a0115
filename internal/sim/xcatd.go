package sim

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/user"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// The simulated xcatd, after xCAT-server/sbin/xcatd at 2.9.2_aix_release
// (cited as [xcatd]; [head] is HEAD's). The Perl client starts it with the
// client's socket as fd 0 and its output in the world's var/sim/xcatd.log.
// Started as "xcatd" it is the connection process; started as
// "xcatd plugin" (by the connection process) it is the plugin process.

// modules names the plugin that handles each command (the "<module>
// instance" in the plugin's process title).
var modules = map[string]string{
	"mknimimage": "aixinstall", "rmnimimage": "aixinstall", "chkosimage": "aixinstall",
	"lsdef": "DBobjectdefs", "chdef": "DBobjectdefs",
	"lsxcatd": "tabutils",
	"xdsh":    "xdsh", // xCAT-server/lib/xcat/plugins/xdsh.pm, which runs DSHCLI
}

func xcatdMain(args []string) int {
	if len(args) > 0 && args[0] == "plugin" {
		return xcatdPlugin()
	}
	return xcatdConnection()
}

// readRequest reads from r until a whole <xcatrequest> has arrived
// ([xcatd] get_request L2199-2226), and returns it.
func readRequest(r io.Reader) ([]byte, error) {
	var buf []byte
	tmp := make([]byte, 64<<10)
	for {
		if i := bytes.Index(buf, []byte("</xcatrequest>")); i >= 0 {
			return buf[:i+len("</xcatrequest>")], nil
		}
		n, err := r.Read(tmp)
		buf = append(buf, tmp[:n]...)
		if err != nil {
			if i := bytes.Index(buf, []byte("</xcatrequest>")); i >= 0 {
				return buf[:i+len("</xcatrequest>")], nil
			}
			return nil, err
		}
	}
}

// peerName is the client's "user@host" in xcatd's process titles: the
// certificate's user, here the user running the client, at localhost (the
// client connects to localhost:3001; [xcatd] L1240-1270 turns the address
// into a short host name).
func peerName() string {
	name := strconv.Itoa(os.Getuid())
	if u, err := user.Current(); err == nil {
		name = u.Username
	}
	return name + "@localhost"
}

// xcatdConnection is xcatd's connection process ([xcatd] service_connection
// L2229-2413 and plugin_command L1455-1745): read the request, log it,
// start the plugin, relay its replies to the client, end with serverdone.
// An abort request from the client ([xcatd] relay_fds L2463-2481) signals
// the plugin and ends the process at once, without serverdone.
func xcatdConnection() int {
	client := os.NewFile(0, "client")
	p := newProc("xcatd", os.Getenv, os.Stdout, os.Stderr)
	p.setPhase("connection")
	unregister := p.st.register("xCATd SSL: Instance for " + peerName())
	defer unregister()

	raw, err := readRequest(client)
	if err != nil {
		fmt.Fprintf(os.Stderr, "xcatd: no request: %v\n", err)
		return 1
	}
	req := parseRequest(raw)
	p.name = req.Command
	clientPID, _ := strconv.Atoi(os.Getenv("NIMWIZ_SIM_CLIENT_PID"))
	send := func(r response) { _, _ = client.Write(encodeResponse(r)) } // failures swallowed ([xcatd] L202-206, L2444)
	done := func() { send(response{ServerDone: true}) }
	if p.st.root == "" {
		send(response{Error: []string{"NIMWIZ_SIM_ROOT is not set: it must name the simulated host's root directory"}, ErrorCode: []int{1}})
		done()
		return 0
	}
	p.logInvocation(clientPID, append([]string{req.Command}, req.Args...), "")
	title := "xCATd SSL: " + req.Command + " for " + peerName() // [xcatd] L2324-2330
	unregister = p.st.retitle(title)
	mod, ok := modules[req.Command]
	if !ok {
		send(response{Error: []string{"Unsupported request"}}) // [xcatd] L2355-2366
		done()
		return 0
	}

	// The plugin: "<title>: <module> instance" ([xcatd] L1618-1620), fed
	// the request on its stdin, replying on fd 3.
	respR, respW, err := os.Pipe()
	if err != nil {
		send(response{Error: []string{"socketpair failed: " + err.Error()}, ErrorCode: []int{1}})
		done()
		return 1
	}
	cmd := exec.Command(os.Args[0], "plugin")
	cmd.Args[0] = os.Args[0]
	cmd.Env = append(os.Environ(), "NIMWIZ_SIM_TITLE="+title+": "+mod+" instance")
	cmd.Stdin = bytes.NewReader(raw)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	cmd.ExtraFiles = []*os.File{respW}
	if p.groupAbort() {
		// [head] L2049-2052: "setpgrp unless $child", so that an abort can
		// signal the plugin's whole process group.
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	}
	if err := cmd.Start(); err != nil {
		send(response{Error: []string{"Fork failed: " + err.Error()}, ErrorCode: []int{1}})
		done()
		return 1
	}
	respW.Close()
	plugin := cmd.Process.Pid

	var killOnce sync.Once
	kill := func() {
		killOnce.Do(func() {
			fmt.Printf("Aborting...Sending INT to %d\n", plugin)
			if p.groupAbort() {
				// [head] L3139-3146
				_ = syscall.Kill(-plugin, syscall.SIGINT)
				_ = syscall.Kill(plugin, syscall.SIGINT)
				_ = syscall.Kill(-plugin, syscall.SIGTERM)
				_ = syscall.Kill(plugin, syscall.SIGTERM)
			} else {
				// [xcatd] L2470-2474: the plugin's pid only; its children
				// (a running nim) are not signalled.
				_ = syscall.Kill(plugin, syscall.SIGINT)
				_ = syscall.Kill(plugin, syscall.SIGTERM)
			}
		})
	}
	// The connection process's own INT/TERM handler signals its plugin
	// ([xcatd] L1494-1500; [head] L1914-1924 its group) and ends it.
	p.catchSignals(unregister, func(os.Signal) { kill() }, syscall.SIGINT, syscall.SIGTERM)

	// Requests after the first: an abort ends everything now ([xcatd]
	// L2463-2481: "Client abort requested", exit(0)). The client's EOF is
	// ignored ([xcatd] L2466: unless ($clientintr) { next; }).
	go func() {
		var buf []byte
		tmp := make([]byte, 4096)
		for {
			n, err := client.Read(tmp)
			buf = append(buf, tmp[:n]...)
			for {
				i := bytes.Index(buf, []byte("</xcatrequest>"))
				if i < 0 {
					break
				}
				r := parseRequest(buf[:i+len("</xcatrequest>")])
				buf = buf[i+len("</xcatrequest>"):]
				if r.Abort {
					kill()
					respR.Close()
					unregister()
					os.Exit(0)
				}
			}
			if err != nil {
				return
			}
		}
	}()

	// Relay the plugin's replies as they come. The real connection process
	// also gathers them for up to 1-2 s ([xcatd] L1704-1710); the simulator
	// leaves all coalescing to the client (NIMWIZ_SIM_RELAY_SECONDS).
	garble := p.getenv("NIMWIZ_SIM_GARBLE_QUERY") == req.Command
	var held bytes.Buffer
	buf := make([]byte, 64<<10)
	for {
		n, err := respR.Read(buf)
		if n > 0 {
			if garble {
				held.Write(buf[:n])
			} else {
				_, _ = client.Write(buf[:n])
			}
		}
		if err != nil {
			break
		}
	}
	_ = cmd.Wait()
	if garble && garbleReplies(p, decodeResponses(held.Bytes()), responderFunc(send)) {
		return 0 // the connection drops: no serverdone
	}
	done()
	// Give the client a moment to read before the socket closes (the real
	// one waits up to 5 s for it to be writable, [xcatd] L1720-1730).
	time.Sleep(10 * time.Millisecond)
	return 0
}

type responderFunc func(response)

func (f responderFunc) send(r response) { f(r) }

// xcatdPlugin is the plugin process: it runs the command and sends each
// reply to the connection process on fd 3 as it is produced. Its INT and
// TERM are the default ones ([xcatd] dispatch_request L1865-1869: "make the
// plugin process exit directly"): an abort kills it where it stands.
func xcatdPlugin() int {
	raw, err := io.ReadAll(os.Stdin)
	if err != nil {
		return 1
	}
	req := parseRequest(raw)
	out := os.NewFile(3, "replies")
	syscall.CloseOnExec(3) // NIM's define, its child, must not hold the replies open
	title := os.Getenv("NIMWIZ_SIM_TITLE")
	os.Unsetenv("NIMWIZ_SIM_TITLE")
	p := newProc(req.Command, os.Getenv, os.Stdout, os.Stderr)
	p.rs = &wire{w: out}
	p.binDir = dirOf(os.Args[0])
	p.stdin = req.Stdin
	unregister := p.st.register(title)
	defer unregister()
	p.catchSignals(unregister, nil, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT)
	p.plugin(req.Args, req.Cwd)
	return 0
}

func dirOf(path string) string {
	if i := strings.LastIndexByte(path, '/'); i >= 0 {
		return path[:i]
	}
	return "."
}
