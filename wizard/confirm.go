package wizard

import "strings"

// YesNo is a question as every screen asks it before it changes the
// master (the preview's create, the run screen's stop, the browser's
// remove and change, apply): the question, then [y/N]: no unless the
// answer is yes.
func YesNo(question string) string { return question + " [y/N]" }

// Yes reports whether answer says yes to a YesNo question: y or yes, in
// any case, blanks around it ignored.
func Yes(answer string) bool {
	switch strings.ToLower(strings.TrimSpace(answer)) {
	case "y", "yes":
		return true
	}
	return false
}
