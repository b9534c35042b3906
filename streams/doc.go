// Package streams is Spool's domain model of a Redis stream: IDs and their
// parsers, the entry log (Stream) with its trimming and XINFO counters, and
// its consumer groups (Group, Consumer and their pending entries lists, see
// group.go). It is pure and deterministic: no I/O, no goroutines, no clock
// (callers pass the time), no RESP and no Redis error text (errors are
// sentinels; commands/ maps them to Redis's replies).
//
// The entry log mirrors Redis's layout node for node (t_stream.c: a rax of
// listpacks, each with a master entry, delta-encoded IDs and DELETED /
// SAMEFIELDS flags), because two things users can observe depend on it:
// approximate trimming ("~") removes whole nodes only, and XINFO STREAM
// reports radix-tree-keys and radix-tree-nodes. Spool stores each node as a
// compact varint-encoded block and accounts the byte size the node's
// listpack would have in Redis, so that nodes split where Redis splits them.
//
// None of the types here are safe for concurrent use; the server calls them
// with its keyspace lock held.
package streams
