package commands

import "strings"

// commandStat is INFO commandstats' line for one command.
type commandStat struct {
	calls, usec, rejected, failed int64
}

type engineStats struct {
	commands        map[string]*commandStat // by full name ("client|list")
	errors          map[string]int64        // by error prefix ("ERR", "WRONGTYPE")
	totalCommands   int64
	totalErrors     int64
	expiredKeys     int64
	keyspaceHits    int64
	keyspaceMisses  int64
	dirty           int64 // changes since the last save
	rejectedCalls   int64
	unexpectedError int64
}

func newEngineStats() engineStats {
	return engineStats{commands: map[string]*commandStat{}, errors: map[string]int64{}}
}

func (s *engineStats) command(name string) *commandStat {
	st := s.commands[name]
	if st == nil {
		st = &commandStat{}
		s.commands[name] = st
	}
	return st
}

// countError records one error reply by its prefix, as errorstats does.
func (s *engineStats) countError(msg string) {
	prefix := msg
	if i := strings.IndexByte(msg, ' '); i >= 0 {
		prefix = msg[:i]
	}
	s.errors[prefix]++
	s.totalErrors++
}

// ResetStats clears what CONFIG RESETSTAT clears.
func (e *Engine) ResetStats() {
	dirty := e.stats.dirty
	e.stats = newEngineStats()
	e.stats.dirty = dirty
}

// Dirty is the number of changes since the last snapshot.
func (e *Engine) Dirty() int64 { return e.stats.dirty }

// MarkSaved resets the change counter after a snapshot.
func (e *Engine) MarkSaved() { e.stats.dirty = 0 }
