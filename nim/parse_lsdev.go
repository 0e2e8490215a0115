package nim

import "strings"

// ParseLsdevCdrom parses lsdev -Cc cdrom: "name status [location]
// description", e.g.
//
//	cd0 Available 04-C0-00-3,0 SCSI Multimedia CD-ROM Drive
//	cd0 Available  Virtual SCSI Optical Served by VIO Server
//
// Virtual devices have no location: the empty column leaves two blanks after
// "Available" (the widest status, so never padded). The third word is taken
// for a location when it looks like one (letters, digits and . , - only, with
// a digit and a separator) and is not behind such a double blank. Colon lines
// from lsdev -F name:status give Name and Status only (the other -F fields'
// order is the caller's choice, so they are not guessed). Lines without a
// plausible name and a known status (Available, Defined,
// Stopped, Diagnose) are skipped.
func ParseLsdevCdrom(out []byte) []CDDevice {
	var devs []CDDevice
	for s := string(out); s != ""; {
		var line string
		line, s = nextLine(s)
		t := trimBlanks(line)
		if t == "" {
			continue
		}
		first, _ := nextField(t)
		if strings.IndexByte(first, ':') >= 0 {
			name, rest, _ := strings.Cut(t, ":")
			status, _, _ := strings.Cut(rest, ":")
			status = trimBlanks(status)
			if plausibleName(name) && isStatus(status) {
				devs = append(devs, CDDevice{Name: name, Status: status})
			}
			continue
		}
		name, rest := nextField(t)
		status, rest := nextField(rest)
		if !plausibleName(name) || !isStatus(status) {
			continue
		}
		d := CDDevice{Name: name, Status: status}
		after, gap := trimLeft(rest)
		loc, tail := nextField(after)
		if isLocation(loc) && !(status == "Available" && gap >= 2) {
			d.Location = loc
			after, _ = trimLeft(tail)
		}
		d.Description = after
		devs = append(devs, d)
	}
	return devs
}

// isStatus reports whether s is one of the device states lsdev prints (in
// the C locale the executor sets). A fixed set, so a truncated last line
// ("cd1 Avai") gives nothing rather than a made-up state.
func isStatus(s string) bool {
	switch s {
	case "Available", "Defined", "Stopped", "Diagnose":
		return true
	}
	return false
}

// isLocation reports whether s looks like an AIX location code: "04-C0-00-3,0",
// "00-08-00", "U78A0.001.DNWHZS4-P1-T1-L1", "0.2.1".
func isLocation(s string) bool {
	digit, sep := false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isDigit(c):
			digit = true
		case c == '-' || c == '.' || c == ',':
			sep = true
		case isAlnum(c):
		default:
			return false
		}
	}
	return digit && sep
}
