package sim

import (
	"fmt"
	"strings"
)

// chdef changes (or creates) osimage definitions (DBobjectdefs.pm defch,
// abridged).
var chdefSpec = optSpec{
	short: map[byte]bool{'h': false, 't': true, 'o': true, 'V': false, 'm': false, 'p': false, 'z': false},
	long:  map[string]string{"help": "h", "verbose": "V", "minus": "m", "plus": "p", "stanza": "z"},
}

var chdefUsage = []string{
	"Usage: chdef - Change xCAT data object definitions.",
	"  chdef [-h | --help ] [-t object-types]",
	"",
	"  chdef [-V | --verbose] [-t object-types] [-o object-names] [-d | --dynamic]",
	"        [-p | --plus] [-m | --minus] [-z | --stanza ] [noderange] [attr=val [attr=val...]]",
}

// chdef changes (or creates) osimage definitions.
func (p *proc) chdef(argv []string) int {
	s, err := p.st.View()
	if err != nil {
		o := p.xcat0()
		o.err(err.Error())
		return o.rc
	}
	o := p.xcatOut(s.Host)
	op, err := chdefSpec.parse(argv, true)
	if err != nil || op.has('h') || len(argv) == 0 {
		o.info(chdefUsage...)
		if err != nil {
			o.code(1)
		}
		return o.rc
	}
	typ := op.str('t')
	var names []string
	for _, v := range op.val['o'] {
		names = append(names, splitComma(v)...)
	}
	set := map[string]string{}
	var order []string
	for _, a := range op.args {
		k, v, ok := strings.Cut(a, "=")
		if !ok {
			names = append(names, splitComma(a)...)
			continue
		}
		if k == "" {
			o.err("Incorrect 'attr=val' pair - " + a)
			return o.rc
		}
		set[k] = v
		order = append(order, k)
	}
	if typ != "osimage" {
		o.err("The nimwiz simulator only keeps osimage definitions (use -t osimage).")
		return o.rc
	}
	if len(names) == 0 {
		o.err("No object names were provided.")
		return o.rc
	}
	for _, k := range order {
		if !osimageAttr(k) {
			o.err("'" + k + "' is not a valid attribute name for an object type of 'osimage'.")
			o.err("No object definitions have been created or modified.")
			return o.rc
		}
	}
	err = p.st.Update(func(s *State) error {
		for _, n := range names {
			img := s.Osimage(n)
			if img == nil {
				img = &Osimage{Name: n, Attrs: map[string]string{}}
				s.PutOsimage(img)
			}
			for _, k := range order {
				v := set[k]
				switch {
				case op.has('p'):
					img.Attrs[k] = strings.Join(append(splitComma(img.Attrs[k]), splitComma(v)...), ",")
				case op.has('m'):
					var keep []string
					for _, x := range splitComma(img.Attrs[k]) {
						if !contains(splitComma(v), x) {
							keep = append(keep, x)
						}
					}
					img.Attrs[k] = strings.Join(keep, ",")
				default:
					img.Attrs[k] = v
				}
				if img.Attrs[k] == "" {
					delete(img.Attrs, k)
				}
			}
		}
		return nil
	})
	if err != nil {
		o.err(err.Error())
		return o.rc
	}
	o.info(fmt.Sprintf("%d object definitions have been created or modified.", len(names)))
	return o.rc
}
