package steps

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/ui"
	"github.com/nimwiz/nimwiz/wizard"
)

// NodeType asks diskless stateful, diskless stateless, or dataless.
type NodeType struct {
	base
	keys ui.ListStepKeys
	cur  cursor
}

// NewNodeType returns the node type step; diskless stateful is preselected.
func NewNodeType(c ui.Common, env Env) *NodeType {
	s := &NodeType{base: base{c: c, env: env}, keys: c.Keys.NodeType}
	s.cur.set(len(wizard.NodeTypes))
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
		s.cur.pos = wizard.NodeTypeOf(p)
	}
	return nil
}

func (s *NodeType) Apply(p nim.Plan) nim.Plan { return wizard.WithNodeType(p, s.cur.pos) }

func (s *NodeType) Update(msg tea.Msg) tea.Cmd {
	if k, ok := msg.(tea.KeyMsg); ok {
		if s.cur.move(k, s.keys.Up, s.keys.Down) {
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
	b.WriteString(st.Heading.Render(wizard.NodeTypeQuestion) + "\n\n")
	rows := make([]listRow, len(wizard.NodeTypes))
	for i, t := range wizard.NodeTypes {
		rows[i] = listRow{Text: wizard.Pad(t.Title, 22) + st.Subtle.Render(t.Flags)}
	}
	b.WriteString(renderList(st, rows, s.cur.pos, len(rows), true) + "\n\n")
	t := wizard.NodeTypes[s.cur.pos]
	b.WriteString(st.Focused.Render(t.Title) + "\n")
	b.WriteString(ui.Wrap(st.Text, t.What, w))
	return b.String()
}
