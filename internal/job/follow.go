package job

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/nimwiz/nimwiz/internal/safefs"
)

// PollInterval is how often Follow, Wait and Interrupt look at a job.
var PollInterval = 50 * time.Millisecond

// Tail reads a job's output.log from an offset, never waiting: each ReadNew
// copies what was appended since the last one. Callers poll it (the TUI on
// its tick, Follow on PollInterval).
type Tail struct {
	f   *os.File
	off int64
	buf []byte
}

// tailBuffer is how much of the log one read of ReadNew takes: a flood
// costs a few reads per MiB, and Lines is given pieces large enough to
// skip the lines that would scroll out of its ring anyway.
const tailBuffer = 1 << 20

// OpenTail opens job id's log at offset from.
func (s *Store) OpenTail(id string, from int64) (*Tail, error) {
	if err := validID(id); err != nil {
		return nil, err
	}
	f, err := safefs.OpenNoFollow(filepath.Join(s.Dir, id, logFile), os.O_RDONLY, 0)
	if err != nil {
		return nil, fmt.Errorf("job %s log: %w", id, err)
	}
	return &Tail{f: f, off: from}, nil
}

// ReadNew copies the bytes appended since the last call to w and returns how
// many it copied.
func (t *Tail) ReadNew(w io.Writer) (int64, error) {
	if t.buf == nil {
		t.buf = make([]byte, tailBuffer)
	}
	var total int64
	for {
		n, err := t.f.ReadAt(t.buf, t.off)
		if n > 0 {
			if _, werr := w.Write(t.buf[:n]); werr != nil {
				return total, werr
			}
			t.off += int64(n)
			total += int64(n)
		}
		if err == io.EOF || (err == nil && n == 0) {
			return total, nil
		}
		if err != nil {
			return total, err
		}
	}
}

// Offset is how far the log has been read.
func (t *Tail) Offset() int64 { return t.off }

// Close closes the log.
func (t *Tail) Close() error { return t.f.Close() }

// Follow copies job id's output from offset from to w until the job has
// ended and all its output is copied, or ctx is done. It returns the last
// record read and the offset reached.
func (s *Store) Follow(ctx context.Context, id string, from int64, w io.Writer) (Record, int64, error) {
	t, err := s.OpenTail(id, from)
	if err != nil {
		return Record{}, from, err
	}
	defer t.Close()
	tick := time.NewTicker(PollInterval)
	defer tick.Stop()
	for {
		// Record first, log second: the supervisor writes all output to the
		// log before it records the end, so after an "ended" record the log
		// is complete.
		rec, err := s.Load(id)
		if err != nil {
			return rec, t.Offset(), err
		}
		if _, err := t.ReadNew(w); err != nil {
			return rec, t.Offset(), err
		}
		if rec.State.Ended() {
			return rec, t.Offset(), nil
		}
		select {
		case <-ctx.Done():
			return rec, t.Offset(), ctx.Err()
		case <-tick.C:
		}
	}
}

// Wait returns job id's record once it has ended, or ctx's error.
func (s *Store) Wait(ctx context.Context, id string) (Record, error) {
	tick := time.NewTicker(PollInterval)
	defer tick.Stop()
	for {
		rec, err := s.Load(id)
		if err != nil || rec.State.Ended() {
			return rec, err
		}
		select {
		case <-ctx.Done():
			return rec, ctx.Err()
		case <-tick.C:
		}
	}
}

// ErrEnded is returned when asking to interrupt a job that is over.
var ErrEnded = errors.New("the job has already ended")

// Interrupt asks job id's supervisor to stop mknimimage and waits for its
// answer: the returned Event's Action is ActionAccepted (mknimimage gets
// SIGINT, then SIGTERM after InterruptGrace; the job ends "interrupted") or
// ActionRefused (a critical phase runs: nothing was done, ask again after
// it). The request is a file in the job directory plus SIGUSR1 to the
// supervisor, which also polls for the file.
func (s *Store) Interrupt(ctx context.Context, id string) (Event, error) {
	rec, err := s.Load(id)
	if err != nil {
		return Event{}, err
	}
	if rec.State.Ended() {
		return Event{}, fmt.Errorf("interrupt job %s: %w (%s)", id, ErrEnded, rec.State)
	}
	var nonce [8]byte
	rand.Read(nonce[:])
	req := hex.EncodeToString(nonce[:])
	if err := safefs.WriteFileAtomic(filepath.Join(rec.Dir, interruptFile), []byte(req+"\n"), 0o600, false); err != nil {
		return Event{}, fmt.Errorf("interrupt job %s: %w", id, err)
	}
	// The lock proves the pid is still our supervisor (no pid reuse).
	if rec.State == StateRunning {
		if b, err := s.probeLock(rec.Name); err == nil && b != nil && b.JobID == rec.ID && b.PID > 0 {
			syscall.Kill(b.PID, syscall.SIGUSR1)
		}
	}
	tick := time.NewTicker(PollInterval)
	defer tick.Stop()
	for {
		rec, err := s.Load(id)
		if err != nil {
			return Event{}, err
		}
		for _, ev := range rec.Events {
			if ev.Request == req {
				return ev, nil
			}
		}
		if rec.State.Ended() {
			return Event{}, fmt.Errorf("interrupt job %s: %w (%s)", id, ErrEnded, rec.State)
		}
		select {
		case <-ctx.Done():
			return Event{}, fmt.Errorf("interrupt job %s: no answer from its supervisor: %w", id, ctx.Err())
		case <-tick.C:
		}
	}
}

// ReadTail reads the last max bytes of the file at path: the end of a log,
// where mknimimage prints its summary and errors, without reading a flooded
// log whole.
func ReadTail(path string, max int64) ([]byte, error) {
	f, err := safefs.OpenNoFollow(path, os.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	off := st.Size() - max
	if off < 0 {
		off = 0
	}
	// One buffer of the right size: io.ReadAll's growing copies cost more
	// than the parsing on a flooded log.
	buf := make([]byte, st.Size()-off)
	n, err := f.ReadAt(buf, off)
	if err == io.EOF {
		err = nil
	}
	return buf[:n], err
}
