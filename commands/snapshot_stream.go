package commands

import (
	"errors"

	"github.com/spool-dev/spool/streams"
)

// PENDING-CODEC: replaced by the streams codec before this lands.
func appendStreamSnapshot(dst []byte, s *streams.Stream) []byte { return dst }

func decodeStreamSnapshot(b []byte) (*streams.Stream, error) {
	return nil, errors.New("PENDING-CODEC")
}
