package wizard

import (
	"fmt"

	"github.com/nimwiz/nimwiz/nim"
)

// DumpQuestion opens the dump step.
const DumpQuestion = "Create a dump resource?"

// DumpExplain explains the dump step for plan p's node type. A dataless
// node has a local disk for its dump (NodeTypes). Deciding later is not
// "mknimimage again with -D": a second run stops at "already exists"
// (nim/cleanup.go's cleanupDefinition says the same of a re-run).
func DumpExplain(p nim.Plan) string {
	const later = " Decide now: running mknimimage again later with -D stops, because the osimage already exists."
	if p.Type == nim.Dataless {
		return "A dump resource is space on the master where the node writes its system dump if AIX crashes, so IBM support can find the cause. " +
			"Dataless nodes have a local disk that can hold the dump, so a dump resource is only needed when you want the dumps on the master. " +
			"It costs disk there (mknimimage's default is up to 50 GB)." + later
	}
	return "A dump resource is space on the master where a diskless node writes its system dump if AIX crashes, " +
		"so IBM support can find the cause: a diskless node has no disk of its own to keep it. It costs disk (mknimimage's default is up to 50 GB) and is only needed when you want crash dumps." + later
}

// DumpChoices are the dump step's answers: no, then yes.
var DumpChoices = []string{"No, no dump resource", "Yes, create NAME_dump (-D)"}

// DumpSupported says xCAT version ver can create dump resources.
func DumpSupported(ver string) string {
	return fmt.Sprintf("xCAT %s: dump resources are supported.", ver)
}

// DumpUnsupported says xCAT version ver cannot.
func DumpUnsupported(ver string) string {
	return fmt.Sprintf("xCAT %s is older than 2.5: dump resources are not supported.", ver)
}

// DumpRefusal refuses a dump with xCAT version ver; choiceNo is how the
// admin answers no ("no", "1 (no)").
func DumpRefusal(ver, choiceNo string) string {
	return fmt.Sprintf("this xCAT is %s; dump resources need xCAT 2.5 or later. Choose %s, or update xCAT first.", ver, choiceNo)
}

// DumpVersionUnknown is the preview's warning when a dump was chosen but
// the xCAT version could not be read.
const DumpVersionUnknown = "the xCAT version could not be checked; dump resources need xCAT 2.5 or later"
