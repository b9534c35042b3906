package streams

import "errors"

// Sentinel errors returned by this package. They carry no Redis text: the
// commands layer maps each one, once, to the exact reply. The reply that
// redis-server 7.0.15 gives is written next to each error (checked against
// the server); the commands layer owns the "-ERR " prefix.
var (
	// ErrInvalidID: an ID argument does not parse.
	// Redis: "ERR Invalid stream ID specified as stream command argument".
	ErrInvalidID = errors.New("streams: invalid stream ID")

	// ErrIDZero: XADD was given the explicit ID 0-0 (or "0").
	// Redis: "ERR The ID specified in XADD must be greater than 0-0".
	// Redis checks this after arity and before looking the key up, so XADD on
	// a key of the wrong type with ID 0-0 still gets this error.
	ErrIDZero = errors.New("streams: XADD ID must be greater than 0-0")

	// ErrIDTooSmall: XADD's ID is equal to or smaller than the stream's last ID.
	// Redis: "ERR The ID specified in XADD is equal or smaller than the target
	// stream top item".
	ErrIDTooSmall = errors.New("streams: XADD ID is equal or smaller than the top item")

	// ErrStreamExhausted: the stream's last ID is MaxID, so no ID can follow it
	// (any XADD form, including "*").
	// Redis: "ERR The stream has exhausted the last possible ID, unable to add
	// more items".
	ErrStreamExhausted = errors.New("streams: stream has exhausted the last possible ID")

	// ErrSeqExhausted: XADD "ms-*" where ms equals the last ID's ms and the last
	// sequence number is already the maximum.
	// redis-server 7.0.15 replies "ERR Elements are too large to be stored"
	// here (its streamAppendItem returns C_ERR without setting errno to EDOM,
	// so xaddCommand falls through to the ERANGE text); later sources (7.4)
	// set EDOM and reply with the ErrIDTooSmall text. The commands layer
	// picks the version it mimics.
	ErrSeqExhausted = errors.New("streams: sequence number exhausted for this millisecond")

	// ErrElementsTooLarge: the fields and values of one entry add up to more
	// than 1 GiB (Redis's STREAM_LISTPACK_MAX_SIZE).
	// Redis: "ERR Elements are too large to be stored".
	ErrElementsTooLarge = errors.New("streams: elements are too large to be stored")

	// ErrInvalidRangeStart: an exclusive start "(id" has no successor (id is MaxID).
	// Redis: "ERR invalid start ID for the interval".
	ErrInvalidRangeStart = errors.New("streams: invalid start ID for the interval")

	// ErrInvalidRangeEnd: an exclusive end "(id" has no predecessor (id is 0-0).
	// Redis: "ERR invalid end ID for the interval".
	ErrInvalidRangeEnd = errors.New("streams: invalid end ID for the interval")

	// ErrSetIDTooSmall: XSETID's ID is smaller than the stream's last live entry.
	// Redis: "ERR The ID specified in XSETID is smaller than the target stream
	// top item".
	ErrSetIDTooSmall = errors.New("streams: XSETID ID is smaller than the top item")

	// ErrSetIDBelowMaxDeleted: XSETID's ID is smaller than its own MAXDELETEDID
	// argument. Redis checks this while parsing, before it looks the key up, so
	// it wins over "no such key"; callers that want that order can test
	// lastID.Less(maxDeletedID) themselves before the lookup.
	// Redis: "ERR The ID specified in XSETID is smaller than the provided
	// max_deleted_entry_id".
	ErrSetIDBelowMaxDeleted = errors.New("streams: XSETID ID is smaller than the provided max deleted ID")

	// ErrSetIDEntriesAdded: XSETID's ENTRIESADDED is smaller than the stream's
	// current length.
	// Redis: "ERR The entries_added specified in XSETID is smaller than the
	// target stream length".
	ErrSetIDEntriesAdded = errors.New("streams: XSETID entries_added is smaller than the stream length")
)
