package run

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/nimwiz/nimwiz/internal/ending"
	"github.com/nimwiz/nimwiz/internal/job"
	"github.com/nimwiz/nimwiz/internal/termtext"
	"github.com/nimwiz/nimwiz/nim"
	"github.com/nimwiz/nimwiz/ui"
)

// phaseColWidth is the width of one column of the phase list.
const phaseColWidth = 38

// View draws the screen at the size given by SetSize.
func (m *Model) View() string {
	s, w := m.c.Styles, m.c.Width
	switch m.st {
	case stateIdle:
		return ""
	case stateStarting:
		return s.Heading.Render("Starting mknimimage for osimage "+m.plan.Name+"...") + "\n\n" +
			s.Code.Render(ui.Truncate(termtext.String(m.plan.CommandLine()), w)) + "\n\n" +
			ui.Wrap(s.Subtle, "nimwiz starts it as a detached job: it goes on if this terminal goes away.", w) +
			m.noticeView()
	case stateStartFailed:
		return m.startFailedView()
	}
	top := m.top()
	h := max(1, m.c.Height-len(top)-1)
	w = max(w, 1)
	var pane []string
	var sep string
	if m.endingShown() {
		end := min(len(m.endLines), m.endTop+h)
		pane = m.endLines[min(m.endTop, end):end]
		sep = "How it ended"
		if len(m.endLines) > h {
			sep += fmt.Sprintf(" (lines %d-%d of %d; pgup/pgdn to scroll)", m.endTop+1, end, len(m.endLines))
		}
		sep += "; o: output"
	} else {
		// Long lines wrap (at spaces where they can): nothing of the
		// output is cut off. The last h screen lines of the window shown.
		all := m.lines.Snapshot(m.back + h)
		end := max(0, len(all)-m.back)
		for _, l := range all[max(0, end-h):end] {
			pane = append(pane, strings.Split(ansi.Wrap(l, w, ""), "\n")...)
		}
		pane = pane[max(0, len(pane)-h):]
		lines, _ := m.lines.Total()
		switch {
		case m.back > 0:
			sep = fmt.Sprintf("Output: scrolled up %d lines; f or end follows again", m.back)
		case m.ended():
			sep = "Output"
			if m.facts != nil {
				sep += "; o: how it ended"
			} else if m.gathering {
				sep += "; checking what NIM has now..."
			}
		default:
			sep = "Output (following)"
		}
		if lines > int64(m.cfg.Capacity) && m.back > 0 {
			sep += fmt.Sprintf("; last %d lines kept here, all in the log", m.cfg.Capacity)
		}
	}
	sepText := ui.Elide("-- "+sep+" ", w)
	sepLine := s.Rule.Render(sepText + strings.Repeat("-", max(0, w-lipgloss.Width(sepText))))
	for len(pane) < h {
		pane = append(pane, "")
	}
	return strings.Join(top, "\n") + "\n" + sepLine + "\n" + strings.Join(pane, "\n")
}

func (m *Model) paneHeight() int { return max(1, m.c.Height-len(m.top())-1) }

// minPane is the fewest lines of output the screen keeps: above it the
// top is made compact (one line of phases, no log path).
func (m *Model) minPane() int { return max(3, m.c.Height/4) }

// top is everything above the output: status, log path, phases, the live
// evidence of a silent phase, and the notice (refusal, question); compact
// when the full one would leave the output fewer than minPane lines.
func (m *Model) top() []string {
	full := m.topLines(false)
	if m.c.Height-len(full)-1 >= m.minPane() {
		return full
	}
	return m.topLines(true)
}

func (m *Model) topLines(compact bool) []string {
	s, w := m.c.Styles, m.c.Width
	var out []string
	if !m.haveRec {
		msg := "Reading job " + m.id + "..."
		if m.loadErr != nil {
			msg = "error: " + m.loadErr.Error()
		}
		return append(out, strings.Split(ui.Wrap(s.Error, msg, w), "\n")...)
	}
	r := m.rec
	now := m.now()
	end := r.Until(now)
	status := fmt.Sprintf("osimage %s  %s  %s", r.Name, stateWord(r), ending.Duration(end.Sub(r.Started)))
	out = append(out, strings.Split(ui.Wrap(s.Heading, termtext.String(status), w), "\n")...)
	if !compact {
		out = append(out, strings.Split(s.Subtle.Render(hardwrap("log: "+termtext.String(r.LogPath()), w)), "\n")...)
	}
	if !r.State.Ended() {
		// Say before they leave how to come back, not only after: the
		// whole command, with the options in force, on a line of its own
		// when it does not fit beside the words.
		hint, cmd := "d detaches (the job goes on); reattach: ", m.command("attach", r.ID)
		if lipgloss.Width(hint+cmd) <= w {
			out = append(out, s.Subtle.Render(hint)+s.Code.Render(cmd))
		} else {
			out = append(out, s.Subtle.Render(ui.Elide(strings.TrimSuffix(hint, " "), w)))
			out = append(out, strings.Split(s.Code.Render(ui.WrapWords(cmd, w)), "\n")...)
		}
	}
	if compact {
		out = append(out, m.phaseLine(now))
	} else {
		out = append(out, m.phaseLines(now)...)
	}
	if ev := m.evidence(now, compact); ev != "" {
		out = append(out, strings.Split(ui.Wrap(s.Text, ev, w), "\n")...)
	}
	if m.loadErr != nil {
		out = append(out, strings.Split(ui.Wrap(s.Error, "error: "+termtext.String(m.loadErr.Error()), w), "\n")...)
	}
	if n := m.noticeView(); n != "" {
		out = append(out, strings.Split(strings.TrimPrefix(n, "\n"), "\n")...)
	}
	return out
}

func hardwrap(s string, w int) string {
	var parts []string
	for len(s) > w && w > 0 {
		parts = append(parts, s[:w])
		s = s[w:]
	}
	return strings.Join(append(parts, s), "\n")
}

func stateWord(r job.Record) string {
	switch r.State {
	case job.StateRunning, job.StateStarting:
		if r.Critical {
			return "running (" + r.PhaseName + ": interrupts refused)"
		}
		return "running"
	case job.StateFailed:
		if r.ExitCode > 0 {
			return fmt.Sprintf("failed (exit %d)", r.ExitCode)
		}
	}
	return string(r.State)
}

// stopQuestion asks whether to stop mknimimage in the phase it is in.
func (m *Model) stopQuestion() string {
	return fmt.Sprintf("Stop mknimimage? It is in %s; what it made so far stays behind and must be cleaned up before a re-run (nimwiz shows how).", m.rec.PhaseName)
}

func (m *Model) noticeView() string {
	s, w := m.c.Styles, m.c.Width
	if m.confirm.Open() {
		return "\n" + m.confirm.View(s, w)
	}
	if m.notice == "" {
		return ""
	}
	return "\n" + ui.Wrap(kindStyle(s, m.noticeKind), m.notice, w)
}

// kindStyle is the style of a line of kind k, for endings and notices alike.
func kindStyle(s *ui.Styles, k ending.Kind) lipgloss.Style {
	switch k {
	case ending.Heading:
		return s.Heading
	case ending.OK:
		return s.OK
	case ending.Error:
		return s.Error
	case ending.Warning:
		return s.Warning
	case ending.Code:
		return s.Code
	case ending.Subtle:
		return s.Subtle
	}
	return s.Text
}

// phases is the record's phase list, or the plan's before the first one.
func (m *Model) phases() []nim.PhaseStatus {
	if len(m.rec.Phases) > 0 {
		return m.rec.Phases
	}
	return nim.NewTracker(m.plan).Statuses()
}

func marker(st nim.PhaseState) string {
	switch st {
	case nim.PhaseRunning:
		return "[running]"
	case nim.PhaseDoneOK:
		return "[done]"
	case nim.PhaseReused:
		return "[reused]"
	case nim.PhaseSkipped:
		return "[skipped]"
	case nim.PhaseFailed:
		return "[failed]"
	}
	return "[pending]"
}

func (m *Model) phaseLines(now time.Time) []string {
	s, w := m.c.Styles, m.c.Width
	ps := m.phases()
	cols := max(1, min(3, w/phaseColWidth))
	rows := (len(ps) + cols - 1) / cols
	now = m.rec.Until(now) // a lost job's phase stops where it was last seen
	cells := make([]string, len(ps))
	for i, p := range ps {
		el := ""
		switch {
		case p.State == nim.PhaseRunning && !p.Started.IsZero():
			el = ending.Duration(now.Sub(p.Started))
		case (p.State == nim.PhaseDoneOK || p.State == nim.PhaseFailed) && !p.Started.IsZero() && !p.Ended.IsZero():
			el = ending.Duration(p.Ended.Sub(p.Started))
		}
		text := fmt.Sprintf("%-9s %-18s %7s", marker(p.State), p.Label, el)
		st := s.Subtle
		switch p.State {
		case nim.PhaseRunning:
			st = s.Selected
		case nim.PhaseDoneOK, nim.PhaseReused:
			st = s.Text
		case nim.PhaseFailed:
			st = s.Error
		}
		cells[i] = st.Render(text)
	}
	var out []string
	for r := 0; r < rows; r++ {
		var line string
		for c := 0; c < cols; c++ {
			i := c*rows + r
			if i >= len(cells) {
				break
			}
			cell := cells[i]
			if c < cols-1 {
				cell += strings.Repeat(" ", max(1, phaseColWidth-lipgloss.Width(cell)))
			}
			line += cell
		}
		out = append(out, ui.Truncate(strings.TrimRight(line, " "), w))
	}
	return out
}

// phaseLine is the phases in one line: the one running (or the last one
// that ran) with its time, and how many are done.
func (m *Model) phaseLine(now time.Time) string {
	s, w := m.c.Styles, m.c.Width
	ps := m.phases()
	done, cur := 0, -1
	for i, p := range ps {
		switch p.State {
		case nim.PhaseDoneOK, nim.PhaseReused, nim.PhaseSkipped:
			done++
			if cur < 0 || ps[cur].State != nim.PhaseRunning {
				cur = i
			}
		case nim.PhaseRunning, nim.PhaseFailed:
			cur = i
		}
	}
	text := fmt.Sprintf("phases: %d of %d done", done, len(ps))
	if cur >= 0 {
		p := ps[cur]
		el := ""
		if !p.Started.IsZero() {
			to := now
			if !p.Ended.IsZero() {
				to = p.Ended
			} else if m.rec.State.Ended() && !m.rec.Ended.IsZero() {
				to = m.rec.Ended
			}
			el = " " + ending.Duration(to.Sub(p.Started))
		}
		text += fmt.Sprintf("; %s %s%s", marker(p.State), p.Label, el)
	}
	return s.Text.Render(ui.Elide(text, w))
}

// evidence is the proof of progress during a silent phase.
func (m *Model) evidence(now time.Time, compact bool) string {
	r := m.rec
	if r.State.Ended() {
		return ""
	}
	var started time.Time
	for _, p := range m.phases() {
		if p.Phase == r.Phase {
			started = p.Started
		}
	}
	so := ""
	if !started.IsZero() {
		so = ending.Duration(now.Sub(started)) + " so far"
	}
	switch {
	case m.spotRunning():
		size := "measuring..."
		if !m.sizedAt.IsZero() && !m.sizing || m.spotFiles > 0 {
			size = fmt.Sprintf("%s in %d files", bytesText(m.spotBytes), m.spotFiles)
		}
		ev := fmt.Sprintf("SPOT creation: %s; %s under %s (NIM prints nothing until it is done).", so, size, SpotDir("", m.plan))
		if compact {
			ev = fmt.Sprintf("SPOT creation: %s; %s on disk.", so, size)
		}
		if m.history != "" {
			ev += " " + upperFirst(m.history) + "."
		}
		return ev
	case r.Phase == nim.PhaseSpotUpdate && r.Critical:
		return fmt.Sprintf("SPOT update: %s (xCAT prints nothing until it is done).", so)
	}
	return ""
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func bytesText(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

func (m *Model) startFailedView() string {
	s, w := m.c.Styles, m.c.Width
	var b strings.Builder
	if m.ran == nil {
		b.WriteString(s.Error.Render("mknimimage was not started; nothing was changed on the NIM master.") + "\n\n")
	} else {
		// The update's step 1 ran: the definition names the new software,
		// the SPOT does not have it yet.
		b.WriteString(s.Error.Render("mknimimage was not started. Step 1 did run and changed the osimage definition:") + "\n")
		b.WriteString(s.Code.Render(ui.WrapWords("  "+termtext.String(nim.ShellLine(m.ran)), w)) + "\n")
		b.WriteString(ui.Wrap(s.Text, "Fix what is below and update again, or put the definition back as it was:", w) + "\n")
		b.WriteString(s.Code.Render(ui.WrapWords("  "+termtext.String(nim.ShellLine(m.undo)), w)) + "\n\n")
	}
	var busy *job.BusyError
	var pe *job.PlanError
	switch {
	case errors.As(m.startErr, &busy):
		who := "another nimwiz job"
		if busy.JobID != "" {
			who = "job " + busy.JobID
		}
		b.WriteString(ui.Wrap(s.Text, fmt.Sprintf("Osimage %s is held by %s (supervisor pid %d), which creates, copies or updates it. Two runs on one osimage would trip over each other's SPOT.", busy.Name, who, busy.PID), w) + "\n\n")
		b.WriteString(s.Label.Render("What to do:") + "\n")
		if busy.JobID != "" {
			b.WriteString(s.Code.Render(ui.WrapWords("  "+m.command("attach", busy.JobID), w)) + s.Subtle.Render("   follow that job") + "\n")
		}
		b.WriteString(s.Code.Render(ui.WrapWords("  "+m.command("jobs"), w)) + s.Subtle.Render("   see all jobs") + "\n")
		b.WriteString(ui.Wrap(s.Subtle, "or press esc and choose another name.", w))
	case errors.As(m.startErr, &pe):
		b.WriteString(s.Label.Render("The plan is not valid:") + "\n")
		for _, p := range pe.Problems {
			b.WriteString(ui.Wrap(s.Error, "  error: "+p.Error(), w) + "\n")
		}
		b.WriteString(ui.Wrap(s.Subtle, "Press esc to go back to the preview and fix it.", w))
	default:
		b.WriteString(ui.Wrap(s.Error, "error: "+m.startErr.Error(), w) + "\n\n")
		b.WriteString(ui.Wrap(s.Subtle, "Press esc to go back to the preview, or q to quit.", w))
	}
	return b.String()
}
