package commands

// Reply writes one client's replies in the protocol it negotiated (RESP2 or
// RESP3). Commands never format RESP themselves: they describe the reply and
// the writer picks the wire form, so that a map in RESP3 becomes a flat array
// in RESP2 exactly as Redis does it.
type Reply interface {
	// Proto is 2 or 3.
	Proto() int
	// SetProto switches the protocol for the replies that follow (HELLO).
	SetProto(p int)
	// SimpleString writes +s.
	SimpleString(s string)
	// Error writes -msg; msg carries its own prefix ("ERR ...", "WRONGTYPE ...").
	// Handlers call Context.Error instead, so that error statistics stay right.
	Error(msg string)
	// Int writes :n.
	Int(n int64)
	// Bulk writes a bulk string.
	Bulk(b []byte)
	// BulkString writes a bulk string.
	BulkString(s string)
	// Null writes the null bulk string ($-1 in RESP2, _ in RESP3).
	Null()
	// NullArray writes the null array (*-1 in RESP2, _ in RESP3).
	NullArray()
	// Array starts an array of n elements.
	Array(n int)
	// Map starts a map of n key/value pairs (an array of 2n in RESP2).
	Map(n int)
	// Set starts a set of n elements (an array in RESP2).
	Set(n int)
	// Double writes a double (a bulk string in RESP2).
	Double(f float64)
	// Bool writes a boolean (:1 or :0 in RESP2).
	Bool(b bool)
	// Verbatim writes a verbatim "txt" string (a bulk string in RESP2).
	Verbatim(s string)
	// Push starts a push frame of n elements (an array in RESP2).
	Push(n int)
}

// OK writes the +OK status reply.
func OK(r Reply) { r.SimpleString("OK") }

// BulkStrings writes an array of bulk strings.
func BulkStrings(r Reply, items []string) {
	r.Array(len(items))
	for _, s := range items {
		r.BulkString(s)
	}
}

// DiscardReply swallows every reply; replay of effects uses it.
type DiscardReply struct{ Protocol int }

func (d DiscardReply) Proto() int {
	if d.Protocol == 0 {
		return 2
	}
	return d.Protocol
}
func (DiscardReply) SetProto(int)        {}
func (DiscardReply) SimpleString(string) {}
func (DiscardReply) Error(string)        {}
func (DiscardReply) Int(int64)           {}
func (DiscardReply) Bulk([]byte)         {}
func (DiscardReply) BulkString(string)   {}
func (DiscardReply) Null()               {}
func (DiscardReply) NullArray()          {}
func (DiscardReply) Array(int)           {}
func (DiscardReply) Map(int)             {}
func (DiscardReply) Set(int)             {}
func (DiscardReply) Double(float64)      {}
func (DiscardReply) Bool(bool)           {}
func (DiscardReply) Verbatim(string)     {}
func (DiscardReply) Push(int)            {}
