package cdm_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/entente/entente/scenarios"
	"github.com/entente/entente/scenarios/cdm"
)

// a tiny valid panel: two states, 1981-1982, one alliance, one dispute
var tinyPanel = map[string]string{
	cdm.NodesFile:      "year,stateabb,polity,cinc\n1981,USA,10,0.14\n1981,CAN,10,0.01\n1982,USA,10,0.14\n1982,CAN,10,0.01\n",
	cdm.AlliancesFile:  "year,state1,state2\n1981,USA,CAN\n1982,USA,CAN\n",
	cdm.MIDsFile:       "year,state1,state2\n1981,USA,CAN\n",
	cdm.ContiguityFile: "state1,state2\nUSA,CAN\n",
	cdm.StatesFile:     "\"ccode\",\"stateabb\",\"statenme\",\"styear\",\"endyear\"\n2,\"USA\",\"United States of America\",1816,2016\n20,\"CAN\",\"Canada\",1920,2016\n",
	"cow_nmc_cinc.csv": "ccode,year,cinc\n2,1981,0.14\n20,1981,0.01\n",
}

// FuzzReadPanel: a panel whose nodes or alliance file is malformed gives an
// error naming the file (and line), never a panic; a panel that reads
// imports into a scenario that loads or fails with an error.
func FuzzReadPanel(f *testing.F) {
	f.Add([]byte(tinyPanel[cdm.NodesFile]), []byte(tinyPanel[cdm.AlliancesFile]))
	f.Add([]byte("year,stateabb,polity,cinc\n1981,USA,99,-1\n"), []byte("year,state1,state2\n1981,USA,XXX\n"))
	f.Add([]byte("year,stateabb\n"), []byte("year,state1,state2\n1981,USA,USA\n"))
	f.Add([]byte("year,stateabb,polity,cinc\n99999999999,USA,1,0.1\n"), []byte(""))
	f.Fuzz(func(t *testing.T, nodes, alliances []byte) {
		dir := t.TempDir()
		for name, data := range tinyPanel {
			switch name {
			case cdm.NodesFile:
				data = string(nodes)
			case cdm.AlliancesFile:
				data = string(alliances)
			}
			if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		p, err := cdm.ReadPanel(dir)
		if err != nil {
			return
		}
		if y, err := p.Scenario(p.First); err == nil {
			_, _ = scenarios.Parse("cdm.yaml", y)
		}
	})
}

// The fuzz seed panel is valid, so the fuzzer starts from a panel that reads
// and imports.
func TestTinyPanelImports(t *testing.T) {
	dir := t.TempDir()
	for name, data := range tinyPanel {
		os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644)
	}
	p, err := cdm.ReadPanel(dir)
	if err != nil {
		t.Fatal(err)
	}
	y, err := p.Scenario(1981)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := scenarios.Parse("cdm.yaml", y); err != nil {
		t.Fatal(err)
	}
}
