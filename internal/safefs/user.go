package safefs

import (
	"os/user"
	"strconv"
)

// userName is "uid N (name)", or "uid N" when the name is unknown.
func userName(uid int) string {
	s := "uid " + strconv.Itoa(uid)
	if u, err := user.LookupId(strconv.Itoa(uid)); err == nil && u.Username != "" {
		s += " (" + u.Username + ")"
	}
	return s
}
