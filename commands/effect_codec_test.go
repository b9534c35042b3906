package commands

import (
	"reflect"
	"testing"
)

func TestEffectCodecRoundTrip(t *testing.T) {
	cases := [][]Effect{
		nil,
		{{DB: 0, Args: [][]byte{[]byte("SET"), []byte("k"), []byte("v")}}},
		{{DB: 3, Args: [][]byte{[]byte("DEL"), []byte("")}}, {DB: 15, Args: [][]byte{[]byte("XADD"), []byte("s"), []byte("1-1"), []byte("f"), make([]byte, 300)}}},
	}
	for _, effs := range cases {
		b := EncodeEffects(nil, effs)
		got, err := DecodeEffects(b)
		if err != nil {
			t.Fatalf("decode %v: %v", effs, err)
		}
		if len(effs) == 0 && len(got) == 0 {
			continue
		}
		if !reflect.DeepEqual(got, effs) {
			t.Fatalf("round trip: got %v want %v", got, effs)
		}
	}
}

// FuzzDecodeEffects: no input crashes the decoder, and what decodes survives
// a re-encoding unchanged.
func FuzzDecodeEffects(f *testing.F) {
	f.Add(EncodeEffects(nil, []Effect{{DB: 1, Args: [][]byte{[]byte("SET"), []byte("a"), []byte("b")}}}))
	f.Add([]byte{0})
	f.Add([]byte{1, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		effs, err := DecodeEffects(b)
		if err != nil {
			return
		}
		again, err := DecodeEffects(EncodeEffects(nil, effs))
		if err != nil || (len(effs) > 0 && !reflect.DeepEqual(again, effs)) {
			t.Fatalf("re-encoding changed %v into %v (%v)", effs, again, err)
		}
	})
}
