package ui

import (
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"

	"github.com/nimwiz/nimwiz/nim"
)

// KeyMap is every key binding of nimwiz, one sub-struct per view (the shape
// of huh's keymap.go): a view matches keys only against its own bindings,
// so whatever it reacts to, its help line can show. It is built once
// (DefaultKeyMap) and reached through Common.Keys.
type KeyMap struct {
	Global   GlobalKeys
	Home     HomeKeys
	Loading  LoadingKeys
	Name     NameKeys
	Source   SourceKeys
	NodeType ListStepKeys
	Location LocationKeys
	Dump     ListStepKeys
	Extras   ExtrasKeys
	Preview  PreviewKeys
	Run      RunKeys
	Jobs     JobsKeys
	Browse   BrowseKeys
}

// GlobalKeys are handled by the root model before any view sees a key.
type GlobalKeys struct{ Quit, Help, Back key.Binding }

// ListKeys move in a list; every list moves the same way.
type ListKeys struct{ Up, Down, PgUp, PgDown, Home, End key.Binding }

// ConfirmKeys answer a y/N question (Confirm); each view words its yes.
type ConfirmKeys struct{ Yes, No key.Binding }

// HomeKeys are the home screen's.
type HomeKeys struct{ Up, Down, Choose, Quit key.Binding }

// LoadingKeys are the "loading the osimage to copy" screen's.
type LoadingKeys struct{ Retry key.Binding }

// NameKeys are the name step's.
type NameKeys struct{ Next, Suggest, Retry key.Binding }

// SourceKeys are the source step's. Tab, like Choose, opens the kind's list.
type SourceKeys struct {
	Up, Down, Choose, Tab, Complete, Kinds, Retry key.Binding
	Confirm                                       ConfirmKeys // reuse the lpp_source offered?
}

// ListStepKeys are the keys of a step that is one list (node type, dump).
type ListStepKeys struct{ Up, Down, Next, Retry key.Binding }

// LocationKeys are the location step's.
type LocationKeys struct{ Next, Default, Retry key.Binding }

// ExtrasKeys are the extra resources step's. Leave (esc) goes back from the
// field to the list, as Switch does.
type ExtrasKeys struct{ Up, Down, Toggle, Next, Switch, Add, Leave, Retry key.Binding }

// PreviewKeys are the preview's: the plan, its save prompt, and the
// question before creating.
type PreviewKeys struct {
	Create, Save, Goto, Up, Down, PgUp, PgDown key.Binding
	Write, Cancel                              key.Binding // the save prompt
	Confirm                                    ConfirmKeys
}

// RunKeys are the run screen's. Stop, Interrupt and Suspend are the keys
// that would stop nimwiz elsewhere (ctrl+c, ctrl+\, ctrl+z): here they are
// refused, or ask first.
type RunKeys struct {
	Up, Down, PgUp, PgDown, Top, Follow key.Binding
	Detach, Output, Back                key.Binding
	Stop, Interrupt, Suspend            key.Binding
	Confirm                             ConfirmKeys
}

// JobsKeys are the Jobs screen's.
type JobsKeys struct{ Up, Down, Open, Refresh, Back key.Binding }

// BrowseKeys are the osimage browser's, one set per view.
type BrowseKeys struct {
	List    BrowseListKeys
	Filter  FilterKeys
	Details DetailsKeys
	// Hierarchy is the osimage's copies on the service nodes.
	Hierarchy HierarchyKeys
	Contents  ContentsKeys
	Recreate  RecreateKeys
	Remove    RemoveKeys
	Change    ChangeKeys
	Check     CheckKeys
	Copy      CopyKeys
	Update    UpdateKeys
}

// BrowseListKeys are the osimage list's.
type BrowseListKeys struct {
	ListKeys
	Open, Filter, Refresh, Recreate, Remove, Change, Back key.Binding
	Check, Copy, Update                                   key.Binding // day two
}

// FilterKeys are the keys while a filter is typed: Move has only the
// arrows and page keys (letters are typed).
type FilterKeys struct {
	Keep, Clear, Refresh key.Binding
	Move                 ListKeys
}

// DetailsKeys are an osimage's details'.
type DetailsKeys struct {
	Up, Down, Open, Recreate, Remove, Change, Refresh, Back key.Binding
	Check, Copy, Update                                     key.Binding // day two
	Hierarchy                                               key.Binding // the service nodes' copies
}

// HierarchyKeys are the service-node matrix's: rows, columns (when not
// every service node fits), refresh, back.
type HierarchyKeys struct{ Up, Down, Left, Right, Refresh, Back key.Binding }

// ContentsKeys are a resource's contents'.
type ContentsKeys struct {
	ListKeys
	Filter, Refresh, Back key.Binding
}

// RecreateKeys are the "new name or replace?" choice's.
type RecreateKeys struct{ Up, Down, Choose, Cancel key.Binding }

// RemoveKeys are the removal's: its flags, the question, scrolling what it
// says, and the result's.
type RemoveKeys struct {
	ToggleD, ToggleX, ToggleF, Refresh, PgUp, PgDown key.Binding
	Confirm                                          ConfirmKeys
	Close, ResultPgDown                              key.Binding // the result
}

// ChangeKeys are the definition change's.
type ChangeKeys struct {
	Up, Down, Choose, Cancel, Select, Preview, Refresh, Back key.Binding
	Confirm                                                  ConfirmKeys
	Close                                                    key.Binding // the result
}

// CheckKeys are the check's (read-only findings): scroll, check again,
// copy the image (the safe path when it is in use), back.
type CheckKeys struct{ PgUp, PgDown, Refresh, Copy, Back key.Binding }

// CopyKeys are the copy's: the new name (typed), -p, the preview and its
// question.
type CopyKeys struct {
	Next, ToggleP, Suggest, Back, PgUp, PgDown key.Binding
	Confirm                                    ConfirmKeys
}

// UpdateKeys are the update's small wizard: where the software comes from,
// the bundles and packages picked, the preview and its question.
type UpdateKeys struct {
	Up, Down, Choose, Select, Switch, Next, Back, Copy, PgUp, PgDown key.Binding
	Confirm                                                          ConfirmKeys
}

func bind(help, desc string, keys ...string) key.Binding {
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
}

// DefaultKeyMap returns nimwiz's bindings.
func DefaultKeyMap() *KeyMap {
	up := bind("up/k", "up", "up", "k")
	down := bind("down/j", "down", "down", "j")
	enter := bind("enter", "continue", "enter")
	retry := bind("r", "retry", "r")
	list := ListKeys{
		Up: up, Down: down,
		PgUp:   bind("pgup", "page up", "pgup", "b"),
		PgDown: bind("pgdn", "page down", "pgdown", "f"),
		Home:   bind("home", "first", "home"),
		End:    bind("end", "last", "end"),
	}
	// y/N: anything but yes is no; enter takes the default, no.
	confirm := func(yes, noHelp string) ConfirmKeys {
		return ConfirmKeys{Yes: bind("y", yes, "y", "Y"), No: bind(noHelp, "no", "n", "N", "esc", "enter")}
	}
	refresh := bind("r", "refresh", "r", "ctrl+r")
	esc := func(what string) key.Binding { return bind("esc", what, "esc") }
	// back is esc, and q where nothing is typed: the same on every view.
	back := bind("esc", "back", "esc", "q")
	return &KeyMap{
		Global: GlobalKeys{
			Quit: bind("ctrl+c", "quit", "ctrl+c"),
			Help: bind("?", "more keys", "?"),
			Back: esc("back"),
		},
		// q and esc mean one thing on every view: back (or detach, on the
		// run screen); on Home, where there is nothing to go back to, quit.
		// Where q is typed into a field, esc alone.
		Home:    HomeKeys{Up: up, Down: down, Choose: bind("enter", "open", "enter"), Quit: bind("q", "quit", "q", "esc")},
		Loading: LoadingKeys{Retry: retry},
		Name: NameKeys{
			Next:    enter,
			Suggest: bind("tab", "use suggestion", "tab"),
			Retry:   bind("ctrl+r", "check again", "ctrl+r"),
		},
		Source: SourceKeys{
			Up: up, Down: down,
			Choose:   bind("enter", "choose", "enter"),
			Tab:      bind("tab", "switch", "tab"),
			Complete: bind("tab", "complete path", "tab"),
			Kinds:    bind("esc", "other kind", "shift+tab", "esc"),
			Retry:    retry,
			Confirm:  confirm("yes, reuse it", "n: copy"),
		},
		NodeType: ListStepKeys{Up: up, Down: down, Next: enter},
		Location: LocationKeys{
			Next:    enter,
			Default: bind("ctrl+d", "default "+nim.DefaultLocation, "ctrl+d"),
			Retry:   bind("ctrl+r", "retry", "ctrl+r"),
		},
		Dump: ListStepKeys{Up: up, Down: down, Next: enter, Retry: retry},
		Extras: ExtrasKeys{
			Up: up, Down: down,
			Toggle: bind("space", "select", " ", "x"),
			Next:   enter,
			Switch: bind("tab", "type attr=value", "tab", "shift+tab"),
			Add:    bind("enter", "add", "enter"),
			Leave:  esc("back to the list"),
			Retry:  retry,
		},
		Preview: PreviewKeys{
			Create: bind("enter", "create...", "enter", "c"),
			Save:   bind("s", "save plan", "s"),
			Goto:   bind("1-9", "change a step", "1", "2", "3", "4", "5", "6", "7", "8", "9"),
			Up:     up, Down: down, PgUp: list.PgUp, PgDown: list.PgDown,
			Write:   bind("enter", "save", "enter"),
			Cancel:  esc("cancel"),
			Confirm: confirm("yes, create", "n"),
		},
		Run: RunKeys{
			Up:        bind("up/k", "scroll up", "up", "k"),
			Down:      bind("down/j", "scroll down", "down", "j"),
			PgUp:      bind("pgup", "page up", "pgup", "b"),
			PgDown:    bind("pgdn", "page down", "pgdown", " "),
			Top:       bind("home", "top", "home", "g"),
			Follow:    bind("f/end", "follow", "end", "G", "f"),
			Detach:    bind("d", "detach (the job goes on)", "d", "q", "esc"),
			Output:    bind("o", "output/ending", "o"),
			Back:      esc("back to the preview"),
			Stop:      bind("ctrl+c", "stop mknimimage...", "ctrl+c"),
			Interrupt: bind("ctrl+\\", "stop mknimimage...", "ctrl+\\"),
			Suspend:   bind("ctrl+z", "suspend", "ctrl+z"),
			Confirm:   confirm("yes, stop it", "n"),
		},
		Jobs: JobsKeys{
			Up: up, Down: down,
			Open:    bind("enter", "open", "enter"),
			Refresh: refresh,
			Back:    bind("esc/q", "back", "esc", "q"),
		},
		Browse: BrowseKeys{
			List: BrowseListKeys{
				ListKeys: list,
				Open:     bind("enter", "details", "enter"),
				Filter:   bind("/", "filter", "/"),
				Refresh:  refresh,
				Recreate: bind("n", "re-create", "n"),
				Remove:   bind("d", "remove", "d"),
				Change:   bind("c", "change", "c"),
				Back:     back,
				Check:    bind("v", "check", "v"),
				Copy:     bind("p", "copy", "p"),
				Update:   bind("u", "update", "u"),
			},
			Filter: FilterKeys{
				Keep:    bind("enter", "keep filter", "enter"),
				Clear:   esc("clear filter"),
				Refresh: bind("ctrl+r", "refresh", "ctrl+r"),
				Move: ListKeys{
					Up: bind("up", "up", "up"), Down: bind("down", "down", "down"),
					PgUp: bind("pgup", "page up", "pgup"), PgDown: bind("pgdn", "page down", "pgdown"),
				},
			},
			Details: DetailsKeys{
				Up: up, Down: down,
				Open:     bind("enter", "contents", "enter"),
				Recreate: bind("n", "re-create", "n"),
				Remove:   bind("d", "remove", "d"),
				Change:   bind("c", "change", "c"),
				Refresh:  refresh,
				Back:     back,
				Check:    bind("v", "check", "v"),
				Copy:     bind("p", "copy", "p"),
				Update:   bind("u", "update", "u"),
				// h: the hierarchy (the service nodes' copies).
				Hierarchy: bind("h", "service nodes", "h"),
			},
			Hierarchy: HierarchyKeys{Up: up, Down: down,
				Left: bind("left", "← nodes", "left"), Right: bind("right", "nodes →", "right"),
				Refresh: refresh, Back: back},
			Contents: ContentsKeys{ListKeys: list, Filter: bind("/", "filter", "/"), Refresh: refresh, Back: back},
			Recreate: RecreateKeys{Up: up, Down: down, Choose: bind("enter", "choose", "enter"), Cancel: esc("cancel")},
			Remove: RemoveKeys{
				ToggleD: bind("d", "toggle -d", "d"),
				ToggleX: bind("x", "toggle -x", "x"),
				ToggleF: bind("f", "toggle -f", "f"),
				Refresh: refresh,
				// pgup/pgdown only: f and b (the lists' page keys) are flags here.
				PgUp:         bind("pgup", "page up", "pgup"),
				PgDown:       bind("pgdn", "page down", "pgdown"),
				Confirm:      confirm("yes, run it", "n/esc"),
				Close:        bind("enter", "back", "enter", "esc", "q"),
				ResultPgDown: bind("pgdn", "page down", "pgdown", " "),
			},
			Change: ChangeKeys{
				Up: up, Down: down,
				Choose:  bind("enter", "choose", "enter"),
				Cancel:  esc("cancel"),
				Select:  bind("space", "select", " "),
				Preview: bind("enter", "preview", "enter"),
				Refresh: refresh,
				Back:    esc("back"),
				Confirm: confirm("yes, run it", "n/esc"),
				Close:   bind("enter", "back", "enter", "esc"),
			},
			Check: CheckKeys{
				PgUp: bind("pgup", "page up", "pgup", "b"), PgDown: bind("pgdn", "page down", "pgdown", "f", " "),
				Refresh: bind("r", "check again", "r", "ctrl+r"),
				Copy:    bind("p", "copy it", "p"),
				Back:    esc("back"),
			},
			Copy: CopyKeys{
				Next:    bind("enter", "check and preview", "enter"),
				ToggleP: bind("ctrl+p", "toggle -p", "ctrl+p"),
				Suggest: bind("tab", "use suggestion", "tab"),
				Back:    esc("back"),
				PgUp:    bind("pgup", "page up", "pgup"), PgDown: bind("pgdn", "page down", "pgdown"),
				Confirm: confirm("yes, copy it", "n/esc"),
			},
			Update: UpdateKeys{
				Up: up, Down: down,
				Choose: bind("enter", "choose", "enter"),
				Select: bind("space", "select", " "),
				Switch: bind("tab", "bundles/packages", "tab"),
				Next:   bind("enter", "preview", "enter"),
				Back:   esc("back"),
				Copy:   bind("p", "copy it instead", "p"),
				PgUp:   bind("pgup", "page up", "pgup"), PgDown: bind("pgdn", "page down", "pgdown"),
				Confirm: confirm("yes, update it", "n/esc"),
			},
		},
	}
}

// NewHelp returns a bubbles help model in the shared styles. Its separators
// are ASCII.
func NewHelp(s *Styles) help.Model {
	h := help.New()
	h.ShortSeparator = " | "
	h.FullSeparator = "    "
	h.Ellipsis = "..."
	h.Styles = help.Styles{
		ShortKey: s.HelpKey, ShortDesc: s.HelpDesc, ShortSeparator: s.HelpSep,
		FullKey: s.HelpKey, FullDesc: s.HelpDesc, FullSeparator: s.HelpSep,
		Ellipsis: s.HelpSep,
	}
	return h
}
