package results

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzScanEvents: any events.csv data (a hand-edited file, a torn part
// read back on resume) is read or refused with an error naming the file,
// never a panic; and what it reads, written again as the set writes
// events (appendEvent), reads back the same: the writer's quoting is what
// the reader undoes.
func FuzzScanEvents(f *testing.F) {
	header := strings.Join(EventsHeader, ",") + "\n"
	f.Add([]byte(header + "0,1,tie_formed,FIN,NATO,-1,Finland and NATO form an alliance (nominal)\n"))
	f.Add([]byte(header + "1,3,group_formed,,,2,\"a, quoted \"\"text\"\"\"\n2,4,kind,A,B,0, leading space\n"))
	f.Add([]byte(header + "0,x,tie_formed,A,B,-1,t\n"))
	f.Add([]byte(header + "0,1,tie_formed,A,B\n"))
	f.Add([]byte("replicate,step\n"))
	f.Add([]byte(header + "0,1,k,\\.,B,-1,\"multi\nline\r\ntext\"\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		type row struct {
			rep int
			e   EventRow
		}
		var got []row
		err := ScanEvents(bytes.NewReader(data), "events.csv", func(rep int, e EventRow) error {
			got = append(got, row{rep, e})
			return nil
		})
		if err != nil {
			if !strings.Contains(err.Error(), "events.csv") {
				t.Fatalf("the error does not name the file: %v", err)
			}
			return
		}
		var b []byte
		b = append(b, header...)
		for i := range got {
			b = appendEvent(b, got[i].rep, &got[i].e)
		}
		var again []row
		if err := ScanEvents(bytes.NewReader(b), "events.csv", func(rep int, e EventRow) error {
			again = append(again, row{rep, e})
			return nil
		}); err != nil {
			t.Fatalf("what was read does not read back once written: %v\n%q", err, b)
		}
		if len(again) != len(got) {
			t.Fatalf("%d events read, %d after writing them again", len(got), len(again))
		}
		for i := range got {
			if again[i] != got[i] {
				t.Fatalf("event %d reads %+v, written again %+v", i, got[i], again[i])
			}
		}
	})
}
