package wal

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
)

// ProblemKind classifies damage found in a log or snapshot.
type ProblemKind string

const (
	ProblemTorn       ProblemKind = "torn"        // an entry runs past the end of its file
	ProblemZeroFilled ProblemKind = "zero-filled" // zero bytes up to the end of the file
	ProblemGarbage    ProblemKind = "garbage"     // an entry length that is not a valid uvarint
	ProblemEmpty      ProblemKind = "empty"       // an empty entry (no record header)
	ProblemHeader     ProblemKind = "header"      // short record, unknown version or type
	ProblemChecksum   ProblemKind = "checksum"    // CRC32-C mismatch
	ProblemGap        ProblemKind = "gap"         // records missing between two segments
	ProblemOverlap    ProblemKind = "overlap"     // a segment starts before the previous one ends
	ProblemLayout     ProblemKind = "layout"      // unexpected files in the log directory
	// ProblemSnapshotGap: the log starts after the newest valid snapshot ends,
	// so the records in between exist nowhere.
	ProblemSnapshotGap ProblemKind = "snapshot-gap"
	ProblemSnapshot    ProblemKind = "snapshot" // a snapshot file failed its checks
)

// ErrCorrupt matches (errors.Is) every *CorruptionError.
var ErrCorrupt = errors.New("wal: corrupt")

// CorruptionError is damage that Open will not repair by itself because
// acknowledged records may depend on it: a bad record before the tail of the
// log, a missing segment, a gap between the snapshot and the log. Check
// reports it; Repair truncates the log at it deliberately.
type CorruptionError struct {
	File   string
	Offset int64  // byte offset in File, -1 when not known
	Seq    uint64 // sequence number of the first bad or missing record, 0 when not known
	Kind   ProblemKind
	Reason string
}

func (e *CorruptionError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "wal: corrupt log: %s", e.File)
	if e.Offset >= 0 {
		fmt.Fprintf(&b, " at offset %d", e.Offset)
	}
	if e.Seq > 0 {
		fmt.Fprintf(&b, " (record %d)", e.Seq)
	}
	fmt.Fprintf(&b, ": %s: %s; run spool --check-wal DIR for a report, spool --repair-wal DIR to truncate the log there", e.Kind, e.Reason)
	return b.String()
}

// Is makes errors.Is(err, ErrCorrupt) true.
func (e *CorruptionError) Is(target error) bool { return target == ErrCorrupt }

// Problem is one piece of damage found by Open, Check or Repair.
type Problem struct {
	File   string
	Offset int64  // -1 when not applicable
	Seq    uint64 // first bad or missing record, 0 when not applicable
	Kind   ProblemKind
	Reason string
	// Auto is true for damage that Open handles by itself: a damaged tail
	// of the last segment with no valid record after it (what a crash during
	// a write leaves; cut, with a copy kept), an invalid snapshot (skipped
	// and set aside), an unfinished truncation (finished). Anything else
	// needs Repair.
	Auto bool
}

func (p Problem) err() *CorruptionError {
	return &CorruptionError{File: p.File, Offset: p.Offset, Seq: p.Seq, Kind: p.Kind, Reason: p.Reason}
}

func (p Problem) String() string {
	where := p.File
	if p.Offset >= 0 {
		where += fmt.Sprintf(" offset %d", p.Offset)
	}
	if p.Seq > 0 {
		where += fmt.Sprintf(" record %d", p.Seq)
	}
	what := "corruption (needs --repair-wal)"
	if p.Auto {
		what = "handled automatically at start-up"
	}
	return fmt.Sprintf("%s: %s: %s: %s", what, where, p.Kind, p.Reason)
}

// Action is one change Open or Repair made to the directory.
type Action struct {
	File    string
	Offset  int64  // where the file was cut, -1 when the whole file moved
	Bytes   int64  // bytes removed from the log
	FromSeq uint64 // first record removed, 0 when none was whole
	Broken  string // where the removed bytes were kept, "" when not kept
	What    string
}

func (a Action) String() string {
	s := a.What
	if a.Broken != "" {
		s += fmt.Sprintf(" (%d bytes kept in %s)", a.Bytes, a.Broken)
	}
	return s
}

// SegmentInfo describes one segment file.
type SegmentInfo struct {
	Path     string
	FirstSeq uint64
	Records  uint64 // good records (up to the first bad one)
	Bytes    int64
}

// Report is what Open, Check and Repair found and did.
type Report struct {
	Dir      string
	Segments []SegmentInfo
	// FirstSeq..LastSeq are the records in the log, up to the first problem
	// (LastSeq = FirstSeq-1 when the log is empty).
	FirstSeq, LastSeq uint64
	Problems          []Problem
	Actions           []Action
	Snapshots         []SnapshotInfo // newest first
	// SnapshotSeq is the newest valid snapshot's sequence number, when
	// HasSnapshot.
	SnapshotSeq uint64
	HasSnapshot bool
}

// OK reports whether nothing wrong was found.
func (r *Report) OK() bool { return len(r.Problems) == 0 }

// NeedsRepair reports whether a problem needs Repair (Open would refuse).
func (r *Report) NeedsRepair() bool {
	for _, p := range r.Problems {
		if !p.Auto {
			return true
		}
	}
	return false
}

// String is a human-readable account, for spool --check-wal/--repair-wal
// and the start-up log.
func (r *Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "wal %s: %d segment(s), records %d..%d", r.Dir, len(r.Segments), r.FirstSeq, r.LastSeq)
	if r.HasSnapshot {
		fmt.Fprintf(&b, ", newest valid snapshot at record %d", r.SnapshotSeq)
	} else {
		b.WriteString(", no valid snapshot")
	}
	b.WriteString("\n")
	for _, s := range r.Snapshots {
		switch {
		case s.Valid:
			fmt.Fprintf(&b, "  snapshot %s: ok\n", s.Path)
		case s.Checked:
			fmt.Fprintf(&b, "  snapshot %s: INVALID: %s\n", s.Path, s.Problem)
		}
	}
	for _, p := range r.Problems {
		fmt.Fprintf(&b, "  problem: %s\n", p)
	}
	for _, a := range r.Actions {
		fmt.Fprintf(&b, "  done: %s\n", a)
	}
	if r.OK() {
		b.WriteString("  no problems found\n")
	}
	return b.String()
}

// logScan is a read of every segment of a log directory.
type logScan struct {
	segs    []*segmentScan
	first   uint64 // first record
	last    uint64 // last good record before the first problem
	problem *Problem
	at      int // index in segs of the problem's segment
}

// scanLog reads every segment and finds the first problem: a bad record, or
// a gap or overlap between segments. A bad record in the last segment with no
// valid record after it is a damaged tail (Problem.Auto).
func scanLog(segs []segmentFile) (*logScan, error) {
	if len(segs) == 0 {
		return nil, errNoSegments
	}
	ls := &logScan{first: segs[0].first, last: segs[0].first - 1}
	for i, seg := range segs {
		if i > 0 {
			prev := ls.segs[i-1]
			want := prev.first + prev.records
			if seg.first != want {
				kind, reason := ProblemGap, fmt.Sprintf("records %d..%d are missing: %s ends at record %d, %s starts at %d",
					want, seg.first-1, filepath.Base(prev.path), want-1, filepath.Base(seg.path), seg.first)
				if seg.first < want {
					kind, reason = ProblemOverlap, fmt.Sprintf("%s starts at record %d but %s already holds records up to %d",
						filepath.Base(seg.path), seg.first, filepath.Base(prev.path), want-1)
				}
				ls.problem = &Problem{File: seg.path, Offset: -1, Seq: want, Kind: kind, Reason: reason}
				ls.at = i
				return ls, nil
			}
		}
		s, err := scanSegment(seg, false)
		if err != nil {
			return nil, err
		}
		ls.segs = append(ls.segs, s)
		ls.last = s.last()
		if s.bad != nil {
			tail := i == len(segs)-1 && s.validAfterBad < 0
			reason := s.bad.reason
			if s.validAfterBad >= 0 {
				reason += fmt.Sprintf(" (a valid record follows at offset %d)", s.validAfterBad)
			} else if i < len(segs)-1 {
				reason += " (not the last segment)"
			}
			ls.problem = &Problem{File: s.path, Offset: s.goodEnd, Seq: s.first + s.records, Kind: s.bad.kind, Reason: reason, Auto: tail}
			ls.at = i
			return ls, nil
		}
	}
	return ls, nil
}

func (ls *logScan) fill(r *Report) {
	r.Segments = r.Segments[:0]
	for _, s := range ls.segs {
		r.Segments = append(r.Segments, SegmentInfo{Path: s.path, FirstSeq: s.first, Records: s.records, Bytes: s.size})
	}
	r.FirstSeq, r.LastSeq = ls.first, ls.last
}

// snapshotProblem checks that the newest valid snapshot and the log together
// hold every record: the log must start no later than just after the
// snapshot. (A log that ends before the snapshot is fine: Open restarts it.)
func snapshotProblem(r *Report, logDir string) *Problem {
	start := uint64(1)
	if r.HasSnapshot {
		start = r.SnapshotSeq + 1
	}
	if r.FirstSeq <= start || (r.HasSnapshot && r.SnapshotSeq >= r.LastSeq) {
		return nil
	}
	reason := fmt.Sprintf("the log starts at record %d but ", r.FirstSeq)
	if r.HasSnapshot {
		reason += fmt.Sprintf("the newest valid snapshot ends at record %d", r.SnapshotSeq)
	} else {
		reason += "there is no valid snapshot"
	}
	for _, s := range r.Snapshots {
		if s.Checked && !s.Valid {
			reason += fmt.Sprintf("; snapshot %s is invalid (%s)", filepath.Base(s.Path), s.Problem)
		}
	}
	reason += fmt.Sprintf(": records %d..%d exist nowhere", start, r.FirstSeq-1)
	return &Problem{File: logDir, Offset: -1, Seq: start, Kind: ProblemSnapshotGap, Reason: reason}
}

// cutLog truncates the log at a problem: the bytes of the problem's segment
// from the problem on are copied to a .broken file (fsynced, directory
// fsynced) before the segment is cut and fsynced; later segments are renamed
// to .broken whole. A gap or overlap moves the problem's segment away too.
func cutLog(fs fsys, logDir string, segs []segmentFile, ls *logScan) ([]Action, error) {
	var actions []Action
	p := ls.problem
	moveFrom := ls.at + 1
	if p.Kind == ProblemGap || p.Kind == ProblemOverlap {
		moveFrom = ls.at
	} else {
		s := ls.segs[ls.at]
		data, err := os.ReadFile(s.path)
		if err != nil {
			return nil, err
		}
		cut := data[s.goodEnd:]
		broken := freeName(s.path, brokenSuffix)
		if err := fs.writeFileSync(broken, cut); err != nil {
			return nil, fmt.Errorf("wal: keep cut bytes in %s: %w", broken, err)
		}
		if err := fs.syncDir(logDir); err != nil {
			return nil, err
		}
		if err := fs.truncate(s.path, s.goodEnd); err != nil {
			return nil, fmt.Errorf("wal: cut %s at %d: %w", s.path, s.goodEnd, err)
		}
		actions = append(actions, Action{File: s.path, Offset: s.goodEnd, Bytes: int64(len(cut)), FromSeq: p.Seq, Broken: broken,
			What: fmt.Sprintf("cut %s at offset %d (%s, from record %d on)", s.path, s.goodEnd, p.Kind, p.Seq)})
	}
	for _, seg := range segs[moveFrom:] {
		broken := freeName(seg.path, brokenSuffix)
		fi, err := os.Stat(seg.path)
		if err != nil {
			return actions, err
		}
		if err := fs.rename(seg.path, broken); err != nil {
			return actions, err
		}
		actions = append(actions, Action{File: seg.path, Offset: -1, Bytes: fi.Size(), FromSeq: seg.first, Broken: broken,
			What: fmt.Sprintf("moved segment %s (records from %d) out of the log", seg.path, seg.first)})
	}
	return actions, fs.syncDir(logDir)
}

// resetLog replaces every segment with one empty segment starting at first.
// Open does this when the newest snapshot is ahead of the whole log (the log
// lost unsynced records the snapshot already holds), so that new records
// continue after the snapshot.
func resetLog(fs fsys, logDir string, segs []segmentFile, first uint64) error {
	for _, s := range segs {
		if err := fs.remove(s.path); err != nil {
			return err
		}
	}
	f, err := fs.create(filepath.Join(logDir, segmentName(first)))
	if err != nil {
		return err
	}
	err = fs.syncFile(f, 0)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return fs.syncDir(logDir)
}

// prepareLog is Open's repair pass, run before tidwall/wal opens the log:
// finish an interrupted truncation, cut a damaged tail, refuse anything else,
// check the log against the snapshot and restart it after the snapshot when
// the snapshot is ahead.
func prepareLog(fs fsys, logDir string, r *Report, logger *slog.Logger) error {
	done, err := finishPendingTruncation(fs, logDir)
	for _, d := range done {
		r.Actions = append(r.Actions, Action{File: logDir, Offset: -1, What: d})
	}
	if err != nil {
		return err
	}
	segs, err := listSegments(logDir)
	if err != nil {
		return err
	}
	if len(segs) == 0 {
		// A new log: tidwall creates segment 1, unless a snapshot says the
		// log must continue after it.
		if r.HasSnapshot {
			if err := resetLog(fs, logDir, nil, r.SnapshotSeq+1); err != nil {
				return err
			}
			r.Actions = append(r.Actions, Action{File: logDir, Offset: -1,
				What: fmt.Sprintf("started an empty log at record %d, after the snapshot", r.SnapshotSeq+1)})
		}
		return nil
	}
	ls, err := scanLog(segs)
	if err != nil {
		return err
	}
	ls.fill(r)
	if p := ls.problem; p != nil {
		r.Problems = append(r.Problems, *p)
		if !p.Auto {
			return p.err()
		}
		logger.Warn("wal: damaged tail, cutting it", "file", p.File, "offset", p.Offset, "record", p.Seq, "kind", p.Kind, "reason", p.Reason)
		actions, err := cutLog(fs, logDir, segs, ls)
		r.Actions = append(r.Actions, actions...)
		if err != nil {
			return err
		}
		for _, a := range actions {
			logger.Warn("wal: "+a.What, "kept", a.Broken, "bytes", a.Bytes)
		}
	}
	if p := snapshotProblem(r, logDir); p != nil {
		r.Problems = append(r.Problems, *p)
		return p.err()
	}
	if r.HasSnapshot && r.SnapshotSeq > r.LastSeq {
		if err := resetLog(fs, logDir, segs, r.SnapshotSeq+1); err != nil {
			return err
		}
		what := fmt.Sprintf("restarted the log at record %d: the snapshot holds everything up to %d, the log ended at %d",
			r.SnapshotSeq+1, r.SnapshotSeq, r.LastSeq)
		logger.Warn("wal: " + what)
		r.Actions = append(r.Actions, Action{File: logDir, Offset: -1, What: what})
		r.FirstSeq, r.LastSeq = r.SnapshotSeq+1, r.SnapshotSeq
		r.Segments = []SegmentInfo{{Path: filepath.Join(logDir, segmentName(r.SnapshotSeq+1)), FirstSeq: r.SnapshotSeq + 1}}
	}
	return nil
}

// Check reads a data directory without changing it and reports every
// problem it finds: in the log (the first bad record; Problem.Auto tells
// whether Open would cut it by itself) and in each snapshot file (all are
// read). It fails with an error wrapping ErrLocked while a Log has the
// directory open. The returned error is for failing to check, not for
// damage: damage is in the Report.
func Check(dir string) (*Report, error) {
	lock, err := lockDir(dir, false)
	if err != nil {
		return nil, err
	}
	defer lock.release()
	r := &Report{Dir: dir}
	infos, err := listSnapshots(dir)
	if err != nil {
		return nil, err
	}
	for i := range infos {
		_, rerr := readSnapshot(infos[i].Path, infos[i].Seq)
		infos[i].Checked = true
		if rerr != nil {
			infos[i].Problem = rerr.Error()
			r.Problems = append(r.Problems, Problem{File: infos[i].Path, Offset: -1, Kind: ProblemSnapshot,
				Reason: rerr.Error() + " (Open falls back to an older snapshot)", Auto: true})
		} else {
			infos[i].Valid = true
			if !r.HasSnapshot {
				r.HasSnapshot, r.SnapshotSeq = true, infos[i].Seq
			}
		}
	}
	r.Snapshots = infos
	logDir := filepath.Join(dir, logDirName)
	segs, pending, err := plannedSegments(logDir)
	if err != nil {
		return r, err
	}
	if pending != "" {
		r.Problems = append(r.Problems, Problem{File: logDir, Offset: -1, Kind: ProblemLayout, Reason: pending, Auto: true})
	}
	if len(segs) == 0 {
		return r, nil
	}
	ls, err := scanLog(segs)
	if err != nil {
		return r, err
	}
	ls.fill(r)
	if ls.problem != nil {
		r.Problems = append(r.Problems, *ls.problem)
	}
	if p := snapshotProblem(r, logDir); p != nil {
		r.Problems = append(r.Problems, *p)
	}
	return r, nil
}

// Repair deliberately truncates the log of a data directory at its first bad
// record, for spool --repair-wal. The bytes from that record to the end of
// its segment are kept in a .broken file next to it and every later segment
// is renamed to .broken, so nothing is deleted; records after the bad one
// are no longer part of the log. Snapshots that fail their checks are renamed
// to .broken. A gap between the snapshot and the log cannot be repaired (the
// records are gone): Repair reports it and returns an error wrapping
// ErrCorrupt. Like Check it refuses a directory that a Log has open.
func Repair(dir string) (*Report, error) {
	lock, err := lockDir(dir, false)
	if err != nil {
		return nil, err
	}
	defer lock.release()
	fs := fsys{}
	r := &Report{Dir: dir}
	snap, infos, err := newestSnapshot(dir)
	if err != nil {
		return nil, err
	}
	r.Snapshots = infos
	if snap != nil {
		r.HasSnapshot, r.SnapshotSeq = true, snap.Seq
	}
	if err := quarantineSnapshots(fs, dir, infos, r); err != nil {
		return r, err
	}
	logDir := filepath.Join(dir, logDirName)
	if _, err := os.Stat(logDir); os.IsNotExist(err) {
		return r, nil
	}
	done, err := finishPendingTruncation(fs, logDir)
	for _, d := range done {
		r.Actions = append(r.Actions, Action{File: logDir, Offset: -1, What: d})
	}
	if err != nil {
		return r, err
	}
	segs, err := listSegments(logDir)
	if err != nil || len(segs) == 0 {
		return r, err
	}
	ls, err := scanLog(segs)
	if err != nil {
		return r, err
	}
	ls.fill(r)
	if ls.problem != nil {
		r.Problems = append(r.Problems, *ls.problem)
		actions, err := cutLog(fs, logDir, segs, ls)
		r.Actions = append(r.Actions, actions...)
		if err != nil {
			return r, err
		}
	}
	if p := snapshotProblem(r, logDir); p != nil {
		r.Problems = append(r.Problems, *p)
		return r, p.err()
	}
	return r, nil
}

// quarantineSnapshots renames the snapshot files that failed their checks
// to .broken, so that they are neither loaded nor counted as kept.
func quarantineSnapshots(fs fsys, dir string, infos []SnapshotInfo, r *Report) error {
	moved := false
	for _, s := range infos {
		if !s.Checked || s.Valid {
			continue
		}
		r.Problems = append(r.Problems, Problem{File: s.Path, Offset: -1, Kind: ProblemSnapshot, Reason: s.Problem, Auto: true})
		broken := freeName(s.Path, brokenSuffix)
		if err := fs.rename(s.Path, broken); err != nil {
			return err
		}
		moved = true
		r.Actions = append(r.Actions, Action{File: s.Path, Offset: -1, Bytes: s.Size, Broken: broken,
			What: fmt.Sprintf("set invalid snapshot %s aside", s.Path)})
	}
	if moved {
		return fs.syncDir(dir)
	}
	return nil
}

// plannedSegments lists the segments tidwall/wal will use once an interrupted
// truncation is finished, without finishing it: a .START or .END file stands
// in for the segment it will be renamed to. pending describes the unfinished
// truncation, "" when there is none.
func plannedSegments(logDir string) (segs []segmentFile, pending string, err error) {
	if _, err := os.Stat(logDir); os.IsNotExist(err) {
		return nil, "", nil
	}
	entries, err := os.ReadDir(logDir)
	if err != nil {
		return nil, "", err
	}
	type item struct {
		path, suffix string
		first        uint64
	}
	var items []item
	startIdx, endIdx := -1, -1
	for _, e := range entries {
		first, suffix, ok := parseSegmentName(e.Name())
		if !ok || e.IsDir() {
			continue
		}
		if suffix == ".START" {
			startIdx = len(items)
		} else if suffix == ".END" && endIdx == -1 {
			endIdx = len(items)
		}
		items = append(items, item{filepath.Join(logDir, e.Name()), suffix, first})
	}
	switch {
	case startIdx != -1 && endIdx != -1:
		return nil, "", &CorruptionError{File: logDir, Offset: -1, Kind: ProblemLayout, Reason: "both a .START and an .END truncation file are present"}
	case startIdx != -1:
		pending = "unfinished TruncateFront: " + filepath.Base(items[startIdx].path) + " (Open finishes it)"
		items = items[startIdx:]
	case endIdx != -1:
		pending = "unfinished TruncateBack: " + filepath.Base(items[endIdx].path) + " (Open finishes it)"
		items = items[:endIdx+1]
		if n := len(items); n > 1 && items[n-2].first == items[n-1].first {
			items = append(items[:n-2], items[n-1])
		}
	}
	for _, it := range items {
		segs = append(segs, segmentFile{path: it.path, first: it.first})
	}
	return segs, pending, nil
}
