package facts

// AtDefaults records, for each fact and guard (by Name), whether it holds
// at sim.DefaultParams with its test's replicates and seed 1, as measured
// and reported in docs/facts.md. The tests check both ways: a fact listed
// as holding must hold (and vanish under its knock-out); one listed as not
// holding must still fail, so that a change to the model that makes it
// hold, or break it, is noticed and the documents are brought up to date.
// A false entry is a finding of the calibrated model, not a target
// relaxed: see docs/facts.md for what each measures and why it fails.
var AtDefaults = map[string]bool{
	"fact 1": false,
	"fact 2": true,
	"fact 3": true,
	"fact 4": false,
	"fact 5": false,
	"fact 6": true,
	"fact 7": true,

	"rival alliance":                        true,
	"rivals allied":                         true,
	"organisation alliance":                 true,
	"source inside":                         true,
	"accommodation under a reliable patron": true,
	"baseline stays":                        true,
	"baseline minilaterals stay":            true,
}
