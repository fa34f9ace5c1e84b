package cdm_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/entente/entente/scenarios/cdm"
)

func panelWithNodes(t *testing.T, nodes string) string {
	dir := t.TempDir()
	for name, data := range tinyPanel {
		if name == cdm.NodesFile {
			data = nodes
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// Years far apart used to overflow Last-First and panic: ReadPanel refuses them.
func TestPanelYearsThatOverflowAreRefused(t *testing.T) {
	dir := panelWithNodes(t, "year,stateabb,polity,cinc\n-9000000000000000000,USA,10,0.14\n9000000000000000000,CAN,10,0.01\n")
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("ReadPanel panics: %v", r)
		}
	}()
	if _, err := cdm.ReadPanel(dir); err == nil {
		t.Fatal("accepted")
	}
}

// A NaN CINC or Polity is not a number in [0, 1] / [-10, 10]: refused with
// the nodes file's line (it passed the range check).
func TestPanelNaNIsRefused(t *testing.T) {
	for _, nodes := range []string{
		"year,stateabb,polity,cinc\n1981,USA,10,NaN\n1981,CAN,10,0.01\n1982,USA,10,0.14\n1982,CAN,10,0.01\n",
		"year,stateabb,polity,cinc\n1981,USA,NaN,0.14\n1981,CAN,10,0.01\n1982,USA,10,0.14\n1982,CAN,10,0.01\n",
	} {
		if _, err := cdm.ReadPanel(panelWithNodes(t, nodes)); err == nil {
			t.Errorf("ReadPanel accepts a NaN in the nodes file (line 2)")
		} else {
			t.Log(err)
		}
	}
}
