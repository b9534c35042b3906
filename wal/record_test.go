package wal

import (
	"bytes"
	"testing"
)

func TestRecordDecode(t *testing.T) {
	good := func() []byte {
		b := []byte("hello")
		return appendRecord(nil, b, recordCRC(recordVersion, recordData, b))
	}
	cases := []struct {
		name string
		rec  func() []byte
		kind ProblemKind
		body string
	}{
		{"good", good, "", "hello"},
		{"empty body", func() []byte { return appendRecord(nil, nil, recordCRC(recordVersion, recordData, nil)) }, "", ""},
		{"empty entry", func() []byte { return nil }, ProblemEmpty, ""},
		{"short", func() []byte { return good()[:5] }, ProblemHeader, ""},
		{"unknown version", func() []byte { r := good(); r[0] = 9; return r }, ProblemHeader, ""},
		{"unknown type", func() []byte { r := good(); r[1] = 9; return r }, ProblemHeader, ""},
		{"flipped body bit", func() []byte { r := good(); r[7] ^= 4; return r }, ProblemChecksum, ""},
		{"flipped crc bit", func() []byte { r := good(); r[3] ^= 1; return r }, ProblemChecksum, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body, kind, err := decodeRecord(tc.rec())
			if kind != tc.kind || (err == nil) != (tc.kind == "") {
				t.Fatalf("kind %q err %v, want %q", kind, err, tc.kind)
			}
			if err == nil && !bytes.Equal(body, []byte(tc.body)) {
				t.Fatalf("body %q", body)
			}
		})
	}
}

func TestNextEntryClassifiesTails(t *testing.T) {
	rec := appendRecord(nil, []byte("abc"), recordCRC(recordVersion, recordData, []byte("abc")))
	entry := append([]byte{byte(len(rec))}, rec...)
	cases := []struct {
		name string
		data []byte
		kind ProblemKind
	}{
		{"whole", entry, ""},
		{"cut in the body", entry[:len(entry)-1], ProblemTorn},
		{"only the length", entry[:1], ProblemTorn},
		{"cut in a two-byte length", []byte{0x80}, ProblemTorn},
		{"zeros", make([]byte, 9), ProblemZeroFilled},
		{"zero then data", []byte{0, 1, 2}, ProblemEmpty},
		{"overflowing length", bytes.Repeat([]byte{0xff}, 11), ProblemGarbage},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, n, bad := nextEntry(tc.data)
			if tc.kind == "" {
				if bad != nil || n != len(tc.data) {
					t.Fatalf("n %d, %+v", n, bad)
				}
				return
			}
			if bad == nil || bad.kind != tc.kind {
				t.Fatalf("got %+v, want %s", bad, tc.kind)
			}
		})
	}
}
