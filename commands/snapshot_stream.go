package commands

import "github.com/spool-dev/spool/streams"

// Streams encode themselves, node for node and with their groups.

func appendStreamSnapshot(dst []byte, s *streams.Stream) []byte { return s.AppendBinary(dst) }

func decodeStreamSnapshot(b []byte) (*streams.Stream, error) { return streams.DecodeStream(b) }
