package streams

// Redis stores each stream node as a listpack and decides when to start a new
// node from the listpack's byte size (stream-node-max-bytes). Spool does not
// store listpacks, but it must split nodes exactly where Redis does, because
// approximate trimming removes whole nodes and XINFO STREAM shows the node
// count. So every block accounts the size its listpack would have in Redis.
// The rules below are those of listpack.c (lpEncodeGetType,
// lpEncodeIntegerGetType, lpEncodeBacklen, lpStringToInt64).

const (
	// lpHeaderSize is the 32-bit total length plus the 16-bit element count;
	// lpEOFSize is the 0xFF terminator.
	lpHeaderSize = 6
	lpEOFSize    = 1

	// streamListpackMaxSize is t_stream.c STREAM_LISTPACK_MAX_SIZE: no entry
	// may carry more than this many field and value bytes, and it replaces a
	// stream-node-max-bytes of 0 or above it.
	streamListpackMaxSize = 1 << 30
)

// lpIntEncodedSize is the size of an integer element without its backlen.
func lpIntEncodedSize(v int64) int {
	switch {
	case v >= 0 && v <= 127:
		return 1
	case v >= -4096 && v <= 4095:
		return 2
	case v >= -32768 && v <= 32767:
		return 3
	case v >= -8388608 && v <= 8388607:
		return 4
	case v >= -2147483648 && v <= 2147483647:
		return 5
	}
	return 9
}

// lpBacklenSize is the size of the back-length that follows an element whose
// encoding (header plus data) takes l bytes.
func lpBacklenSize(l int) int {
	switch {
	case l <= 127:
		return 1
	case l < 16383:
		return 2
	case l < 2097151:
		return 3
	case l < 268435455:
		return 4
	}
	return 5
}

// lpIntSize is the full size of an integer element (lpAppendInteger).
func lpIntSize(v int64) int {
	e := lpIntEncodedSize(v)
	return e + lpBacklenSize(e)
}

// lpStringSize is the full size of a string element (lpAppend): a string
// that is the canonical form of an int64 is stored as an integer.
func lpStringSize(b []byte) int {
	if v, ok := lpStringToInt64(b); ok {
		return lpIntSize(v)
	}
	n := len(b)
	var e int
	switch {
	case n < 64:
		e = 1 + n
	case n < 4096:
		e = 2 + n
	default:
		e = 5 + n
	}
	return e + lpBacklenSize(e)
}

// lpStringToInt64 is listpack.c lpStringToInt64, which is string2ll: strict
// canonical decimal, so the integer prints back to the same bytes.
func lpStringToInt64(b []byte) (int64, bool) {
	return string2ll(b)
}

// lpBytes is the total listpack size of a node whose master entry reports
// live and deleted entries, given the size of everything else in it
// (master fields, master terminator and all entries).
func lpBytes(live, deleted int, rest int) int {
	return lpHeaderSize + lpEOFSize + lpIntSize(int64(live)) + lpIntSize(int64(deleted)) + rest
}
