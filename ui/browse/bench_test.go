package browse

import (
	"context"
	"fmt"
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/ui"
)

// manyImages is n osimages of every kind, as lsdef gives them.
func manyImages(n int) []nim.Osimage {
	imgs := make([]nim.Osimage, n)
	for i := range imgs {
		name := fmt.Sprintf("img%04d", n-i) // unsorted on purpose
		a := map[string]string{"imagetype": "NIM", "osname": "AIX", "nimtype": "diskless",
			"spot": name, "lpp_source": fmt.Sprintf("72%02d-lpp_source", i%20), "paging": name + "_paging"}
		if i%2 == 0 {
			a["shared_root"] = name + "_shared_root"
		} else {
			a["root"] = name + "_root"
		}
		if i%3 == 0 {
			a["dump"] = name + "_dump"
		}
		if i%5 == 0 {
			a["nimtype"], a["paging"] = "dataless", ""
		}
		imgs[i] = nim.Osimage{Name: name, Attrs: a}
	}
	return imgs
}

type noNIM struct{}

func (noNIM) Osimages(context.Context) ([]nim.Osimage, error) { return nil, nil }
func (noNIM) Objects(context.Context, ...string) ([]nim.Object, []string, error) {
	return nil, nil, nil
}
func (noNIM) Resources(context.Context) ([]nim.Listing, error)               { return nil, nil }
func (noNIM) Showres(context.Context, string, string) ([]nim.Fileset, error) { return nil, nil }
func (noNIM) WhoUses(context.Context, nim.Osimage) nim.ImageUse              { return nim.ImageUse{} }
func (noNIM) CheckImage(context.Context, string) (nim.ImageCheck, error) {
	return nim.ImageCheck{}, nil
}
func (noNIM) CheckCopy(context.Context, nim.Plan) (nim.CopyCheck, error) { return nim.CopyCheck{}, nil }
func (noNIM) CheckUpdate(context.Context, nim.Plan) (nim.UpdateCheck, error) {
	return nim.UpdateCheck{}, nil
}

func loaded(tb testing.TB, imgs []nim.Osimage) *Model {
	m := New(ui.NewCommon(), Env{NIM: noNIM{}})
	m.SetSize(120, 36)
	m.d.loadList()
	m.Update(listMsg{gen: m.d.gen, images: imgs})
	return m
}

// BenchmarkBrowseList2000 builds the list's first screen from 2,000
// osimages: the rows are made once, View renders only the visible ones.
func BenchmarkBrowseList2000(b *testing.B) {
	src := manyImages(2000)
	b.ReportAllocs()
	for b.Loop() {
		imgs := append([]nim.Osimage(nil), src...)
		m := loaded(b, imgs)
		if v := m.View(); !strings.Contains(v, "img0001") {
			b.Fatal(v)
		}
	}
}

// BenchmarkBrowseFilter2000 types one filter key over 2,000 osimages and
// renders the screen: what each keystroke costs.
func BenchmarkBrowseFilter2000(b *testing.B) {
	m := loaded(b, manyImages(2000))
	m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'/'}})
	keys := []tea.KeyMsg{
		{Type: tea.KeyRunes, Runes: []rune{'s'}},
		{Type: tea.KeyRunes, Runes: []rune{'t'}},
		{Type: tea.KeyBackspace},
		{Type: tea.KeyBackspace},
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		m.Update(keys[i%len(keys)])
		_ = m.View()
		i++
	}
}

// BenchmarkBrowseScroll2000 moves the cursor down one row and renders.
func BenchmarkBrowseScroll2000(b *testing.B) {
	m := loaded(b, manyImages(2000))
	down := tea.KeyMsg{Type: tea.KeyDown}
	b.ReportAllocs()
	for b.Loop() {
		m.Update(down)
		_ = m.View()
	}
}

func TestManyImagesView(t *testing.T) {
	m := loaded(t, manyImages(2000))
	v := m.View()
	if n := strings.Count(v, "\n") + 1; n > 36 {
		t.Errorf("view is %d lines in a 36-line body", n)
	}
	if !strings.Contains(v, "> img0001") || !strings.Contains(v, "more below") {
		t.Errorf("first screen:\n%s", v)
	}
}
