// Package scenarios provides scenario files for the entente engine: a YAML
// file (or an embedded built-in) turns into a [*sim.World], [sim.Params] and
// what to record ([Outputs]), with strict, located error messages.
//
//	sc, err := scenarios.Load("taiwan-crisis", "retrenchment.political=0.8")
//	sc, err := scenarios.Load("my/world.yaml")
//
// [Load] takes a built-in name ([List] shows them) or a path; [Parse] takes
// bytes. Both apply overrides first and report every problem at once as an
// [*Errors], whose entries ([*Error]) carry the file, line, field path and a
// hint ("unknown actor ASEN; did you mean ASEAN?").
//
// # File format
//
// Top-level keys (every one optional except actors):
//
//	name: taiwan-crisis        # default: the file name (a name, see Names and limits)
//	description: |-            # first line is the summary in listings
//	  ...
//	steps: 100                 # default run length (1 to 100000; default 100)
//	steps_per_year: 4          # steps in a year (default 1): the model's rates and ages are per year
//	actors: [...]
//	ties: [...]
//	groups: [...]
//	threats: [...]
//	rivalries: [...]           # the signed network's negative ties
//	retrenchment: {political: PROFILE, military: PROFILE}   # default constant 0
//	parameters: {temperature: 0.1, ...}                     # sim.ParamSpecs names
//	outputs: {metrics: [...], actors: [...], snapshots: [0, 100], every: 1}
//
// Unknown keys are errors, with the nearest known key as a hint.
//
// # Names and limits
//
// Ids (actor ids, threat names, regions) are ASCII letters, digits, - and
// _, starting with a letter or digit, at most 64 characters. Names (the
// scenario's name, actor names, group names) are letters and digits of any
// script, single spaces and - _ ' ’ & ( ) + , and, except in group names, .
// (not first), at most 120 characters. Descriptions and notes are printable
// text. None may hold control characters, NUL, invisible format characters
// or bidirectional controls (U+202E...): names reach file names, dotted
// keys, CSV, XML, HTML and terminals. Numbers must be finite (.inf and .nan
// are errors). A file is at most 8 MiB ([MaxFileBytes]), a run at most
// 100000 steps ([MaxSteps]).
//
// # Actors
//
// Actors are indexed in file order.
//
//	actors:
//	  - id: FIN                  # unique; ASCII letters, digits, - and _ (COW abbreviations for states)
//	    name: Finland            # default: the id
//	    kind: state              # state | organisation (organization) | group (informal group of states)
//	    region: Europe           # threats expose regions by this name
//	    capability: 0.0014       # [0, 1], e.g. COW CINC; organisations with members derive it (the engine sums members)
//	    economy: 0.0031          # >= 0, e.g. share of world GDP
//	    values: [1, 0.4, 0.8]    # each in [-1, 1]; every actor needs the same number
//	    autonomy: 0.8            # [0, 1], cost of binding commitments; default 0.5
//	    members: [FIN, SWD]      # organisations and groups only: member actor ids
//	    patron: false            # the actor whose retrenchment the profiles describe
//	    commitment: 0.9          # [0, 1], organisations: how far membership binds to mutual defence
//	    enter: 40                # the step it enters the system (a new state); default 0; it can
//	                             # have no ties or groups at the start, and before it neither acts,
//	                             # is sought as a partner nor feels threats
//	    exit: 60                 # the step it leaves for good (its ties and memberships end); default never
//	    absent: [[9, 11]]        # spans [from, to) out of the system, keeping its ties (an occupied state)
//	    inherits: [GFR]          # predecessors whose memberships and ties it takes over when it enters
//	    value_changes: [{step: 8, values: [0.5]}]   # its values from a step on (a state that democratises)
//	    age: 72                  # organisations: years since the founding treaty (credibility, lock-in)
//	    mutual_defence: true     # organisations: the charter binds members to defend one another
//	    consensus: true          # organisations: every member's consent is needed (else the organisation decides as one)
//	    closed: true             # organisations: take no applications
//	    admits: [EGY, IRQ]       # organisations: the only states its charter lets apply (default: any in its regions)
//	    regions: [Europe]        # organisations: the regions it acts in (accessions); default its region
//	    aid: 0.5                 # organisations: assistance budget relative to a state of its economy,
//	                             # or a PROFILE over time (a budget cut)
//	    note: free text
//
// # Ties
//
//	ties:
//	  - a: EU
//	    b: AU
//	    form: assistance         # cooperation (default) | alliance | assistance (needs a flow)
//	    level: advanced          # nominal (default) | initial | institutionalised (-ized) | advanced
//	    flow: a_to_b             # symmetric (default) | a_to_b (a is the donor) | b_to_a
//	    trust: 0.8               # optional, [0, 1]
//	    age: 40                  # optional, steps the tie has lasted (>= 0)
//	    note: free text
//
// Rivalries (enmity in (0, 1]: militarised disputes, a rivalry dataset, or a
// judgement) cost ties with the rival and with the rival's allies:
//
//	rivalries:
//	  - {a: USA, b: PRK, enmity: 1, note: "Thompson & Dreyer 2012"}
//
// A tie's age is the steps it has lasted at the start (0 unless given); when
// trust is omitted it is the trust the tie has built over that age (the
// initial_trust parameter grown at trust_growth a year), so a new tie starts
// at initial_trust. One tie per pair.
//
// # Groups
//
//	groups:
//	  - name: AUKUS
//	    kind: minilateral        # minilateral (default, at least 3 members) | coalition (at least 2)
//	    issue: deterrence        # deterrence | maritime | terrorism | technology | resources (minilaterals)
//	    level: initial           # as for ties; default nominal
//	    members: [AUL, UKG, USA]
//	    threat: isis             # coalitions only: the threat's name
//	    leader: USA              # coalitions only, optional: default the most capable member
//	    about: [china]           # minilaterals, optional: the threats it protects against
//	    age: 8                   # optional, steps it has lasted
//
// A group is a hyperedge: formed, joined, deepened, left and dissolved as a
// whole. Groups in a file may be larger than the max_group_size parameter,
// which bounds only new groups and joins.
//
// # Threats
//
//	threats:
//	  - name: china              # the key overrides use: threats.china.intensity=0.9
//	    kind: conventional       # conventional | terrorism | piracy | cyber | insurgency | trafficking | smuggling | transnational
//	    source: CHN              # optional actor id; the source does not threaten itself
//	    exposure:
//	      regions: {Asia: 0.8}   # region -> weight in [0, 1]; the region must be some actor's
//	      actors: {TAW: 1}       # actor id -> weight in [0, 1]; overrides the region's weight
//	    intensity: PROFILE
//
// # Profiles
//
// A PROFILE is a number (a constant) or a mapping:
//
//	{shape: constant, base: 0.1}
//	{shape: step, base: 0.1, peak: 0.9, start: 10}            # peak from start on
//	{shape: ramp, base: 0.1, peak: 0.8, start: 10, end: 60}   # linear from start to end
//	{shape: pulse, base: 0.05, peak: 0.9, start: 10, end: 40} # peak on [start, end)
//	{shape: shock-decay, base: 0.1, peak: 0.9, start: 10, half_life: 8}
//	{shape: series, points: [[0, 0.1], [20, 0.5], [40, 0.2]]} # piecewise linear
//
// Values are in [0, 1], steps are whole numbers >= 0; base defaults to 0 and
// start to 0; step, ramp, pulse and shock-decay need a peak; ramp and pulse
// an end after start; shock-decay a positive half_life. See [sim.Profile].
//
// # Parameters and outputs
//
// parameters overlays [sim.DefaultParams] by name (see [sim.ParamSpecs]);
// each value is checked against its range. outputs.metrics names metrics
// (checked against the catalog, 'entente list metrics', or all and default;
// empty means the default set), outputs.actors the actors followed with
// per-actor series, outputs.snapshots the steps to snapshot (in [0, steps];
// default the first; a run always snapshots its last step too, and drops
// those after its end, as when steps is set by an override or --steps) and
// outputs.every how often costly metrics are computed (default 1).
//
// # Overrides
//
// An override "KEY=VALUE" (--set in the command line; also what parameter
// sweeps use) edits the YAML tree before decoding, so the result is checked
// like a file. The value is read as YAML (a number, a word, or a flow
// mapping/list). Keys:
//
//	steps=50
//	parameters.temperature=0.5
//	retrenchment.political=0.6              # a profile set to a number becomes constant
//	retrenchment.political.peak=0.8         # a profile field (a constant becomes {shape: constant, base: v} first)
//	threats.china.intensity=0.9             # a threat by its name
//	threats.china.intensity.start=10
//	threats.china.exposure.actors.TAW=0.5
//	actors.FIN.autonomy=0.2                 # an actor by its id
//	ties.3.trust=0.5                        # list elements by index
//
// An unknown key is an error with a hint. Applied overrides are recorded in
// [Scenario.Overrides] and in [Scenario.Hash] (SHA-256 of the file's bytes
// followed by each "key=value\n"). [Keys] lists the numeric keys a scenario
// offers (those a sweep can vary), [SettableKeys] every key with its current
// value ('entente describe SCENARIO --keys').
//
// # Built-in scenarios
//
// baseline (the world of the source documents, about 2021: 59 states, 23
// organisations and informal groups, their interregional ties and
// minilaterals), taiwan-crisis, us-retrenchment, nordic-2022 and
// counter-isis (the baseline world under different threats and
// retrenchment), and classroom (ten invented actors for a lesson). Each file
// opens with a comment on what it shows and where its numbers come from. The
// derived files share baseline's actors, ties and groups verbatim between the
// "# @world-begin" and "# @world-end" markers; after editing baseline, run
//
//	go run ./scenarios/internal/gen sync
//
// and to recompute the COW CINC capabilities
//
//	go run ./scenarios/internal/gen cinc
package scenarios
