package browse

import (
	"testing"

	"github.com/nimwiz/nimwiz/ui"
	"github.com/nimwiz/nimwiz/ui/uitest"
)

// pageBy moves by a page, never above the top, and leaves other keys.
func TestPageBy(t *testing.T) {
	c := ui.NewCommon()
	c.Height = 16 // a page of 10 rows
	k := ui.DefaultKeyMap().Browse.Check
	scroll := 3
	if !pageBy(&scroll, c, uitest.Key("pgdown"), k.PgUp, k.PgDown) || scroll != 13 {
		t.Errorf("pgdown: %d", scroll)
	}
	if !pageBy(&scroll, c, uitest.Key("pgup"), k.PgUp, k.PgDown) || scroll != 3 {
		t.Errorf("pgup: %d", scroll)
	}
	if !pageBy(&scroll, c, uitest.Key("pgup"), k.PgUp, k.PgDown) || scroll != 0 {
		t.Errorf("pgup past the top: %d", scroll)
	}
	if pageBy(&scroll, c, uitest.Key("x"), k.PgUp, k.PgDown) || scroll != 0 {
		t.Errorf("another key moved it: %d", scroll)
	}
}
