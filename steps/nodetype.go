package steps

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/ui"
)

// Node type choices, in the order listed; the first is the default.
const (
	TypeStateful = iota
	TypeStateless
	TypeDataless
)

var nodeTypes = []struct {
	title, flags, what string
}{
	{"Diskless, stateful", "-t diskless",
		"Each node gets its own root directory on the master (a NIM root resource), so files a node writes survive a reboot. Costs disk on the master for every node (tens of MB each) and all I/O crosses the network. Paging goes to the master too. The usual choice."},
	{"Diskless, stateless", "-t diskless -r",
		"All nodes share one read-only root (a shared_root resource). What a node writes goes to memory and is lost at reboot, so every boot starts clean. Least disk on the master, easy to keep nodes identical; logs and local changes must go elsewhere."},
	{"Dataless", "-t dataless",
		"Nodes have a local disk used for paging and dump; the rest of the system (/usr, root) comes from NIM. Less network traffic than diskless, no paging resource on the master, but each node needs a disk."},
}

// NodeTypeKeys are the node type step's bindings.
type NodeTypeKeys struct{ Up, Down, Next key.Binding }

// NodeType asks diskless stateful, diskless stateless, or dataless.
type NodeType struct {
	base
	keys NodeTypeKeys
	cur  cursor
}

// NewNodeType returns the node type step; diskless stateful is preselected.
func NewNodeType(c ui.Common, env Env) *NodeType {
	s := &NodeType{base: base{c: c, env: env}, keys: NodeTypeKeys{ui.KeyUp, ui.KeyDown, ui.KeyEnter}}
	s.cur.set(len(nodeTypes))
	return s
}

func (s *NodeType) Title() string { return "Node type" }
func (s *NodeType) ShortHelp() []key.Binding {
	return []key.Binding{s.keys.Up, s.keys.Down, s.keys.Next}
}
func (s *NodeType) FullHelp() [][]key.Binding { return [][]key.Binding{s.ShortHelp()} }

func (s *NodeType) Enter(p nim.Plan) tea.Cmd {
	s.plan = p
	if !s.entered {
		s.entered = true
		switch {
		case p.Type == nim.Dataless:
			s.cur.pos = TypeDataless
		case p.Stateless:
			s.cur.pos = TypeStateless
		default:
			s.cur.pos = TypeStateful
		}
	}
	return nil
}

func (s *NodeType) Apply(p nim.Plan) nim.Plan {
	switch s.cur.pos {
	case TypeStateful:
		p.Type, p.Stateless = nim.Diskless, false
	case TypeStateless:
		p.Type, p.Stateless = nim.Diskless, true
	case TypeDataless:
		p.Type, p.Stateless = nim.Dataless, false
	}
	return p
}

func (s *NodeType) Update(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyMsg); ok {
		if s.cur.move(k) {
			return nil
		}
		if key.Matches(k, s.keys.Next) {
			return next
		}
	}
	return nil
}

func (s *NodeType) View() string {
	st, w := s.c.Styles, s.bodyWidth()
	var b strings.Builder
	b.WriteString(st.Heading.Render("What kind of nodes will boot this image?") + "\n\n")
	rows := make([]listRow, len(nodeTypes))
	for i, t := range nodeTypes {
		rows[i] = listRow{Text: pad(t.title, 22) + st.Subtle.Render(t.flags)}
	}
	b.WriteString(renderList(st, rows, s.cur.pos, len(rows), true) + "\n\n")
	t := nodeTypes[s.cur.pos]
	b.WriteString(st.Focused.Render(t.title) + "\n")
	b.WriteString(ui.Wrap(st.Text, t.what, w))
	return b.String()
}
