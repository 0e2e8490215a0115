package wizard

import (
	"github.com/nimwiz/nimwiz/nim"
)

// Node type choices, indexes into NodeTypes; the first is the default.
const (
	TypeStateful = iota
	TypeStateless
	TypeDataless
)

// NodeTypes are the node types in the order listed, with what each costs.
var NodeTypes = []Choice{
	TypeStateful: {"Diskless, stateful", "-t diskless",
		"Each node gets its own root directory on the master (a NIM root resource), so files a node writes survive a reboot. Costs disk on the master for every node (tens of MB each) and all I/O crosses the network. Paging goes to the master too. The usual choice."},
	TypeStateless: {"Diskless, stateless", "-t diskless -r",
		"All nodes share one read-only root (a shared_root resource). What a node writes goes to memory and is lost at reboot, so every boot starts clean. Least disk on the master, easy to keep nodes identical; logs and local changes must go elsewhere."},
	TypeDataless: {"Dataless", "-t dataless",
		"Nodes have a local disk used for paging and dump; the rest of the system (/usr, root) comes from NIM. Less network traffic than diskless, no paging resource on the master, but each node needs a disk."},
}

// NodeTypeQuestion opens the node type step.
const NodeTypeQuestion = "What kind of nodes will boot this image?"

// NodeTypeOf is the node type plan p asks for.
func NodeTypeOf(p nim.Plan) int {
	switch {
	case p.Type == nim.Dataless:
		return TypeDataless
	case p.Stateless:
		return TypeStateless
	}
	return TypeStateful
}

// WithNodeType returns p with node type i (an index into NodeTypes).
func WithNodeType(p nim.Plan, i int) nim.Plan {
	switch i {
	case TypeStateful:
		p.Type, p.Stateless = nim.Diskless, false
	case TypeStateless:
		p.Type, p.Stateless = nim.Diskless, true
	case TypeDataless:
		p.Type, p.Stateless = nim.Dataless, false
	}
	return p
}
