package job

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/nimwiz/nimwiz/internal/safefs"
)

// job.json is written in place, never replaced: the file is created at its
// full size (recordSize) before mknimimage runs, and every save overwrites
// it from offset 0 in one write. A full file system (the log shares it; AIX
// /var is small) can stop the log but never the record, because rewriting
// allocated blocks needs no new ones; a rename-over would need a new file.
//
// Layout: a header line "nimwiz-job 1 <length> <crc32>\n", the JSON, then
// spaces up to recordSize. A reader that meets a write half-done sees a CRC
// that does not match, and reads again.

// recordSize is the size of job.json. A record is a few KiB; events are
// trimmed (oldest first) if one ever grows past it.
const recordSize = 64 << 10

const recordMagic = "nimwiz-job 1 "

// maxEvents bounds the events a record keeps: the first ones and the last.
const maxEvents = 100

// recordFile is an open job.json.
type recordFile struct {
	f *os.File
}

// createRecordFile creates dir's job.json at its full size with r in it; it
// must not exist yet, and is never reached through a symlink.
func createRecordFile(dir string, r *Record) (*recordFile, error) {
	path := filepath.Join(dir, recordName)
	f, err := safefs.OpenNoFollow(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("create job record: %w", err)
	}
	rf := &recordFile{f: f}
	if err := rf.save(r, false); err != nil {
		f.Close()
		os.Remove(path)
		return nil, err
	}
	return rf, nil
}

// openRecordFile opens dir's job.json for rewriting.
func openRecordFile(dir string) (*recordFile, error) {
	f, err := safefs.OpenNoFollow(filepath.Join(dir, recordName), os.O_RDWR, 0)
	if err != nil {
		return nil, fmt.Errorf("open job record: %w", err)
	}
	return &recordFile{f: f}, nil
}

func (rf *recordFile) Close() error { return rf.f.Close() }

// save writes r over the file (synced if durable).
func (rf *recordFile) save(r *Record, durable bool) error {
	data, err := encodeRecord(r)
	if err != nil {
		return err
	}
	return rf.write(data, durable)
}

// write writes encoded record data over the file in one write.
func (rf *recordFile) write(data []byte, durable bool) error {
	buf, err := frameRecord(data)
	if err != nil {
		return err
	}
	if _, err := rf.f.WriteAt(buf, 0); err != nil {
		return fmt.Errorf("write job record: %w", err)
	}
	if durable {
		if err := rf.f.Sync(); err != nil {
			return fmt.Errorf("sync job record: %w", err)
		}
	}
	return nil
}

// frameRecord is the whole file for data: header, data, padding.
func frameRecord(data []byte) ([]byte, error) {
	hdr := recordMagic + strconv.Itoa(len(data)) + " " + strconv.FormatUint(uint64(crc32.ChecksumIEEE(data)), 10) + "\n"
	if len(hdr)+len(data)+1 > recordSize {
		return nil, fmt.Errorf("job record too large (%d bytes)", len(data))
	}
	buf := make([]byte, recordSize)
	n := copy(buf, hdr)
	n += copy(buf[n:], data)
	for i := n; i < len(buf)-1; i++ {
		buf[i] = ' '
	}
	buf[len(buf)-1] = '\n'
	return buf, nil
}

// errTorn is a record read while it was being written.
var errTorn = errors.New("job record is being written")

// parseRecordFile returns the JSON of a job.json: framed, or plain JSON
// (records of older nimwiz versions).
func parseRecordFile(b []byte) ([]byte, error) {
	if !bytes.HasPrefix(b, []byte(recordMagic)) {
		return bytes.TrimSpace(b), nil
	}
	line, rest, ok := bytes.Cut(b[len(recordMagic):], []byte("\n"))
	if !ok {
		return nil, errTorn
	}
	f := bytes.Fields(line)
	if len(f) != 2 {
		return nil, errTorn
	}
	n, err1 := strconv.Atoi(string(f[0]))
	sum, err2 := strconv.ParseUint(string(f[1]), 10, 32)
	if err1 != nil || err2 != nil || n < 0 || n > len(rest) {
		return nil, errTorn
	}
	data := rest[:n]
	if crc32.ChecksumIEEE(data) != uint32(sum) {
		return nil, errTorn
	}
	return data, nil
}

// readRecordData reads a job.json, again while it is caught half-written.
func readRecordData(path string) ([]byte, error) {
	var last error
	for try := 0; try < 50; try++ {
		b, err := safefs.ReadFile(path, recordSize+1)
		if err != nil {
			return nil, err
		}
		data, err := parseRecordFile(b)
		if err == nil {
			return data, nil
		}
		last = err
		time.Sleep(time.Millisecond) // the writer finishes its one write
	}
	return nil, fmt.Errorf("%s: %w", path, last)
}

func encodeRecord(r *Record) ([]byte, error) {
	if len(r.Events) > maxEvents {
		// Keep the first and the latest: the first refusals and how it ended.
		ev := append([]Event(nil), r.Events[:maxEvents/2]...)
		r.Events = append(ev, r.Events[len(r.Events)-maxEvents/2:]...)
	}
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}

func readRecord(dir string) (Record, error) {
	data, err := readRecordData(filepath.Join(dir, recordName))
	if err != nil {
		return Record{}, err
	}
	var r Record
	if err := json.Unmarshal(data, &r); err != nil {
		return Record{}, fmt.Errorf("%s: %w", filepath.Join(dir, recordName), err)
	}
	// A record is its directory's: one copied or hard-linked from another
	// job (or planted) would make nimwiz speak of, and lock, someone else's
	// job.
	if id := filepath.Base(dir); r.ID != id {
		return Record{}, fmt.Errorf("%s: the record is of job %q, not of its directory %s: not nimwiz's; move the directory aside", filepath.Join(dir, recordName), r.ID, id)
	}
	r.Dir = dir
	return r, nil
}
