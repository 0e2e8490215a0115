package browse_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/nim/nimtest"
	"github.com/nimwiz/nimwiz/ui"
	"github.com/nimwiz/nimwiz/ui/browse"
	"github.com/nimwiz/nimwiz/ui/uitest"
)

// hierFake is the browser's fake master with service nodes: sn01 answers
// at once, sn02 only when release is closed (a slow SN), then present or
// unreachable.
type hierFake struct {
	*nimtest.Fake
	calls   atomic.Int32
	release chan struct{}
	down    bool
}

func (h *hierFake) HierarchyMatrix(ctx context.Context, name string, first, update func(nim.Matrix)) (nim.Matrix, error) {
	h.calls.Add(1)
	imgs, err := h.Fake.Osimages(ctx)
	if err != nil {
		return nim.Matrix{}, err
	}
	var img nim.Osimage
	for _, o := range imgs {
		if o.Name == name {
			img = o
		}
	}
	found, _, _ := h.Fake.Objects(ctx, nim.ResourceNames(img)...)
	var copies []nim.Object // mkdsklsnode copies no lpp_source of a diskless image
	for _, o := range found {
		if o.Get("type") != "lpp_source" {
			copies = append(copies, o)
		}
	}
	hier := nim.Hierarchy{SharedInstall: "no", ServiceNodes: []string{"sn01", "sn02"},
		Serves:   map[string][]string{"sn01": {"cn1"}, "sn02": {"cn2"}},
		ServedBy: map[string][]string{"cn1": {"sn01"}, "cn2": {"sn02"}}}
	m := nim.NewMatrix(img, found, hier, []string{"cn1", "cn2"})
	m.Queries = 6
	m.Xdsh = "xdsh sn01,sn02 -v -t 60 -f 64 '/usr/sbin/lsnim -l ... 2>&1; echo nimwiz-rc:$?'"
	first(m.Clone())
	m.Apply(img, nim.SNObjects{Node: "sn01", State: nim.SNAnswered, Found: copies})
	update(m.Clone())
	select {
	case <-h.release:
	case <-ctx.Done():
		return m, ctx.Err()
	}
	if h.down {
		m.Apply(img, nim.SNObjects{Node: "sn02", State: nim.SNUnreachable, Reason: "not responding (xdsh -v ping)"})
	} else {
		var rest []nim.Object
		for _, o := range copies {
			if o.Get("type") != "spot" {
				rest = append(rest, o)
			}
		}
		m.Apply(img, nim.SNObjects{Node: "sn02", State: nim.SNAnswered, Found: rest, Missing: []string{img.Spot()}})
	}
	update(m.Clone())
	return m, nil
}

// pump runs the browser as Bubble Tea does: every command in a goroutine
// of its own, messages back to Update one at a time. A command that waits
// (the slow SN) never blocks the keys.
type pump struct {
	t    *testing.T
	m    *browse.Model
	msgs chan tea.Msg
	w, h int
}

func newPump(t *testing.T, f *hierFake, w, h int) *pump {
	p := &pump{t: t, m: browse.New(ui.NewCommon(), browse.Env{NIM: f, Run: f.Fake}), msgs: make(chan tea.Msg, 64), w: w, h: h}
	p.m.SetSize(w, h)
	p.run(p.m.Init())
	p.until("the list", func() bool { return strings.Contains(p.m.View(), "5 osimages") })
	return p
}

func (p *pump) run(cmd tea.Cmd) {
	if cmd != nil {
		go func() { p.msgs <- cmd() }()
	}
}

func (p *pump) handle(msg tea.Msg) {
	switch msg := msg.(type) {
	case nil, spinner.TickMsg:
	case tea.BatchMsg:
		for _, c := range msg {
			p.run(c)
		}
	default:
		p.run(p.m.Update(msg))
	}
}

// key delivers a key at once, whatever is still running.
func (p *pump) key(k string) { p.run(p.m.Update(uitest.Key(k))) }

func (p *pump) until(what string, cond func() bool) {
	p.t.Helper()
	deadline := time.After(5 * time.Second)
	for !cond() {
		select {
		case msg := <-p.msgs:
			p.handle(msg)
		case <-deadline:
			p.t.Fatalf("waited for %s; the view:\n%s", what, p.m.View())
		}
	}
}

func (p *pump) shows(s string) func() bool {
	return func() bool { return strings.Contains(p.m.View(), s) }
}

// golden first lets every command in flight deliver (the removal's
// details load, ...): the screen is compared once nothing more arrives.
func (p *pump) golden(t *testing.T) {
	for quiet := false; !quiet; {
		select {
		case msg := <-p.msgs:
			p.handle(msg)
		case <-time.After(300 * time.Millisecond):
			quiet = true
		}
	}
	(&harness{t: t, m: p.m, w: p.w, h: p.h}).golden(t)
}

// The matrix is fetched only when asked for (never for the list or the
// details), shows sn01's answer while sn02 is still waiting, keeps taking
// keys meanwhile, then sn02's drift; r fetches it again.
func TestHierarchyView(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		name := map[int]string{80: "80x24", 120: "120x40"}[size[0]]
		t.Run(name, func(t *testing.T) {
			f := &hierFake{Fake: nimtest.BrowseWorld(), release: make(chan struct{})}
			p := newPump(t, f, size[0], size[1])
			p.key("down")
			p.key("enter") // 71dskls's details
			p.until("the details", p.shows("Definition  lsdef"))
			if n := f.calls.Load(); n != 0 {
				t.Fatalf("the matrix was fetched %d times before h", n)
			}
			p.key("h")
			p.until("sn01's answer", func() bool {
				v := p.m.View()
				return strings.Contains(v, "sn02: waiting") && !strings.Contains(v, "sn01: waiting")
			})
			// The screen is not frozen by the waiting SN: keys move.
			p.key("down")
			p.until("the cursor", p.shows("> 71dskls "))
			t.Run("waiting", p.golden)
			close(f.release)
			p.until("sn02's answer", p.shows("missing !"))
			p.until("the end of the fetch", func() bool { return !strings.Contains(p.m.View(), "still running") })
			p.until("the cursor on the SPOT", p.shows("! sn02: SPOT missing"))
			t.Run("arrived", p.golden)
			if n := f.calls.Load(); n != 1 {
				t.Errorf("fetched %d times, want 1", n)
			}
			f.release = make(chan struct{})
			close(f.release)
			p.key("r")
			p.until("the refresh", func() bool { return f.calls.Load() == 2 })
			p.key("esc")
			p.until("the details again", p.shows("Definition  lsdef"))
		})
	}
}

func TestHierarchyUnreachable(t *testing.T) {
	f := &hierFake{Fake: nimtest.BrowseWorld(), release: make(chan struct{}), down: true}
	close(f.release)
	p := newPump(t, f, 80, 24)
	p.key("down")
	p.key("enter")
	p.until("the details", p.shows("Definition  lsdef"))
	p.key("h")
	p.until("sn02 unreachable", p.shows("sn02: unreachable (not responding"))
	p.until("the end of the fetch", func() bool { return !strings.Contains(p.m.View(), "still running") })
	t.Run("80x24", p.golden)
}

// The removal's confirmation says what rmnimimage does on each server once
// the hierarchy was fetched, and how -M or -s limit it.
func TestRemoveImpactOnServiceNodes(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {120, 40}} {
		t.Run(map[int]string{80: "80x24", 120: "120x40"}[size[0]], func(t *testing.T) {
			f := &hierFake{Fake: nimtest.BrowseWorld(), release: make(chan struct{})}
			p := newPump(t, f, size[0], size[1])
			p.key("down")
			p.key("enter")
			p.until("the details", p.shows("Definition  lsdef"))
			p.key("d")
			p.until("the hint", p.shows("to see what each holds"))
			p.key("esc")
			p.until("the details", p.shows("Definition  lsdef"))
			p.key("h")
			close(f.release)
			p.until("the end of the fetch", func() bool {
				v := p.m.View()
				return strings.Contains(v, "missing !") && !strings.Contains(v, "still running")
			})
			p.key("esc")
			p.until("the details", p.shows("Definition  lsdef"))
			p.key("d")
			p.until("the impact", p.shows("On each NIM server"))
			want := []string{"sn02: removes", "rmnimimage -x -M 71dskls"}
			if size[0] == 120 { // at 80x24 the -s command is below the fold
				want = append(want, "rmnimimage -x -s sn01,sn02 71dskls")
			}
			for _, w := range want {
				if !strings.Contains(strings.ReplaceAll(p.m.View(), "\n", " "), w) {
					t.Errorf("lacks %q", w)
				}
			}
			p.golden(t)
		})
	}
}
