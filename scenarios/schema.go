package scenarios

// ctx names the kind of a node in a scenario file; the schema lists the keys
// each kind of mapping allows and what kind each key's value is. The decoder
// uses it for unknown-key hints, the overrides to walk dotted keys.
type ctx uint8

const (
	cTop ctx = iota
	cActors
	cActor
	cTies
	cTie
	cGroups
	cGroup
	cThreats
	cThreat
	cExposure
	cRegionMap // exposure.regions: region -> number
	cActorMap  // exposure.actors: actor id -> number
	cRetrench
	cProfile
	cParams
	cOutputs
	cScalar
	cList // a list of scalars (values, members, snapshots, points...)
	cRivalries
	cRivalry
	cValueChanges
	cValueChange
)

type field struct {
	name string
	kind ctx
}

var schema = map[ctx][]field{
	cTop: {{"name", cScalar}, {"description", cScalar}, {"steps", cScalar}, {"actors", cActors},
		{"ties", cTies}, {"groups", cGroups}, {"threats", cThreats}, {"retrenchment", cRetrench},
		{"parameters", cParams}, {"outputs", cOutputs}, {"steps_per_year", cScalar}, {"rivalries", cRivalries}},
	cActor: {{"id", cScalar}, {"name", cScalar}, {"kind", cScalar}, {"region", cScalar},
		{"capability", cScalar}, {"economy", cScalar}, {"values", cList}, {"autonomy", cScalar},
		{"members", cList}, {"patron", cScalar}, {"commitment", cScalar}, {"enter", cScalar}, {"note", cScalar},
		{"mutual_defence", cScalar}, {"consensus", cScalar}, {"regions", cList}, {"age", cScalar},
		{"exit", cScalar}, {"absent", cList}, {"inherits", cList}, {"aid", cProfile}, {"closed", cScalar}, {"admits", cList},
		{"value_changes", cValueChanges}},
	cValueChange: {{"step", cScalar}, {"values", cList}},
	cTie: {{"a", cScalar}, {"b", cScalar}, {"form", cScalar}, {"level", cScalar}, {"flow", cScalar},
		{"trust", cScalar}, {"age", cScalar}, {"note", cScalar}},
	cGroup: {{"name", cScalar}, {"kind", cScalar}, {"issue", cScalar}, {"level", cScalar},
		{"members", cList}, {"threat", cScalar}, {"leader", cScalar}, {"note", cScalar},
		{"about", cList}, {"age", cScalar}},
	cRivalry: {{"a", cScalar}, {"b", cScalar}, {"enmity", cScalar}, {"note", cScalar}},
	cThreat: {{"name", cScalar}, {"kind", cScalar}, {"source", cScalar}, {"exposure", cExposure},
		{"intensity", cProfile}, {"note", cScalar}},
	cExposure: {{"regions", cRegionMap}, {"actors", cActorMap}},
	cRetrench: {{"political", cProfile}, {"military", cProfile}},
	cProfile: {{"shape", cScalar}, {"base", cScalar}, {"peak", cScalar}, {"start", cScalar},
		{"end", cScalar}, {"half_life", cScalar}, {"points", cList}},
	cOutputs: {{"metrics", cList}, {"actors", cList}, {"snapshots", cList}, {"every", cScalar}},
}

// fieldNames lists the keys allowed in a mapping of kind c.
func fieldNames(c ctx) []string {
	fs := schema[c]
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.name
	}
	return out
}

// lookupField returns the kind of key in a mapping of kind c.
func lookupField(c ctx, key string) (ctx, bool) {
	for _, f := range schema[c] {
		if f.name == key {
			return f.kind, true
		}
	}
	return 0, false
}

// Enumerations accepted in files (the sim parsers accept a few synonyms more).
var (
	kindNames       = []string{"state", "organisation", "organization", "group"}
	formNames       = []string{"cooperation", "alliance", "assistance"}
	levelNames      = []string{"nominal", "initial", "institutionalised", "institutionalized", "advanced"}
	flowNames       = []string{"symmetric", "a_to_b", "b_to_a"}
	groupKindNames  = []string{"minilateral", "coalition"}
	issueNames      = []string{"deterrence", "maritime", "terrorism", "technology", "resources"}
	threatKindNames = []string{"conventional", "terrorism", "piracy", "cyber", "insurgency", "trafficking", "smuggling", "transnational"}
	shapeNames      = []string{"constant", "step", "ramp", "pulse", "shock-decay", "series", "shock"}
)
