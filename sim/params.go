package sim

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
)

// Params are the model's parameters. Every field is documented in
// [ParamSpecs] (name, meaning, unit, allowed range, neutral value, source and
// basis) and in the model description (docs/MODEL.md). Rates and times are
// per year and converted to the world's step (World.StepsPerYear).
// Integer-valued parameters are stored as float64 so that every parameter can
// be swept the same way; Validate checks they are whole.
type Params struct {
	// Choice
	Temperature     float64 // logit temperature of choice and consent; 0 = always the best option
	OpportunityRate float64 // commitment opportunities (alliances, membership) per year of the least capable actor
	PartnershipRate float64 // partnership opportunities (cooperation, assistance, groups, coalitions) per year
	RateCapacity    float64 // growth of the rate with an actor's resources
	Alarm           float64 // rise of perceived threat in one step that gives an actor an opportunity at once
	Candidates      float64 // k: partners sampled per opportunity
	ClosureBias     float64 // share of candidates drawn among partners' partners
	RegionBias      float64 // share of the other candidates drawn from the actor's own region

	// Security
	BaseNeed          float64 // background conventional insecurity every actor feels
	Protection        float64 // kappa: protection per unit of partner capability x commitment x credibility x level, delivered with the partner's reliability
	SelfHelp          float64 // protection per unit of own effective capability
	CooperationCommit float64 // conventional commitment of a cooperation tie relative to an alliance
	TreatyTerm        float64 // years a new written treaty is expected to last
	DeterrenceHorizon float64 // years over which a state adversary weighs a commitment
	Accommodation     float64 // share of a source's threat removed by an advanced tie with the source
	ThreatValueScale  float64 // value distance at which a source's threat is felt in full
	Escalation        float64 // rise of a source's intensity per unit of the alignment against it

	// Other utility terms
	EconomicWeight   float64 // value of a partner's hub position per level
	SimilarityWeight float64 // value of similar values and interests per level
	TrustWeight      float64 // value of trust per level
	InfluenceWeight  float64 // value of standing over a weaker partner per level
	AutonomyWeight   float64 // cost of bindingness per unit of autonomy preference
	TieCost          float64 // cost of keeping any tie or group at all, whatever its level
	CreationCost     float64 // one-off cost of creating an alliance or acceding (not returned on leaving); less formal agreements pay a share (formality)
	UpkeepCost       float64 // cost per level of keeping a tie
	AbandonPenalty   float64 // cost of what others read as abandonment, per unit of trust x commitment given up
	RivalryWeight    float64 // cost of a tie with a rival or a rival's ally, per unit of enmity
	EntrapmentWeight float64 // cost of committing to a partner threatened by what does not threaten oneself
	UmbrellaWeight   float64 // a patron's stake in its partners' protection, scaled by its political engagement
	LockinWeight     float64 // value of joint programmes and common standards on a fully locked-in tie
	LockTime         float64 // years for lock-in to build up (to 1 - 1/e)

	// Reputation: what others learn from an actor's acts
	ReputationLearning float64 // share of the gap between reputation and what a decision shows that others close

	// Trust
	TrustGrowth  float64 // share of the gap to full trust closed per year a tie or group lasts
	InitialTrust float64 // trust of a new tie or group

	// The patron
	Volatility float64 // amplitude of the patron's policy regime around its political retrenchment profile
	PatronTerm float64 // mean years between switches of the patron's regime

	// Assistance
	AidRate          float64 // a donor's assistance budget per year per unit of (normalised) economy
	AssistEfficiency float64 // share of support that becomes the recipient's capability
	AssistDecay      float64 // share per year of assisted capability lost when it outgrows the recipient's own base

	// Minilateral groups
	GroupCommit        float64 // protection of a security group relative to an alliance
	GroupUpkeep        float64 // a minilateral group's upkeep relative to a tie's
	CoordinationCost   float64 // cost per extra member per level of a group
	MaxGroupSize       float64 // largest minilateral group
	EconomicIssueBonus float64 // multiplier on economic value for technology and resources groups

	// Coalitions
	CoalitionForm     float64 // intensity at which a coalition forms around a threat
	CoalitionDissolve float64 // intensity below which a coalition winds down
	CoalitionPatience float64 // years below CoalitionDissolve before it dissolves
	CoalitionCommit   float64 // a coalition's commitment against its threat relative to an alliance

	// Organisations
	ConcessionRate float64 // share per year of a holdout's grievance against a pending applicant resolved by concessions
}

// Basis says where a parameter's default comes from.
type Basis string

const (
	// Calibrated defaults come from `entente calibrate` on the alliance
	// record (docs/calibration/).
	Calibrated Basis = "calibrated"
	// Sourced defaults come from a figure or a statement of a source.
	Sourced Basis = "source"
	// Assumed defaults are a modelling assumption, covered by the
	// robustness check over their plausible range (make validate).
	Assumed Basis = "assumption"
	// Design parameters bound the computation (candidates, group size).
	Design Basis = "design"
)

// ParamSpec describes one parameter.
type ParamSpec struct {
	Name    string // key in scenario files and --set parameters.NAME
	Doc     string
	Unit    string
	Min     float64
	Max     float64
	Integer bool
	// Neutral is the value that switches the parameter's mechanism off
	// (the knock-out of the mechanism tests).
	Neutral float64
	// Plausible is the range the robustness check samples (make validate).
	PlausibleLo, PlausibleHi float64
	Source                   string // source document(s) the mechanism comes from
	Basis                    Basis
	ptr                      func(*Params) *float64
}

// Get returns the parameter's value in p.
func (s *ParamSpec) Get(p *Params) float64 { return *s.ptr(p) }

// Set sets the parameter's value in p (unchecked; call Validate).
func (s *ParamSpec) Set(p *Params, v float64) { *s.ptr(p) = v }

// ParamSpecs lists every parameter, in documentation order.
var ParamSpecs = []ParamSpec{
	{Name: "temperature", Doc: "logit temperature of choice and consent; 0 picks the best option every time", Unit: "utility", Min: 0, Max: 100, Neutral: 0, PlausibleLo: 0.002, PlausibleHi: 0.1, Source: "MODEL", Basis: Calibrated, ptr: func(p *Params) *float64 { return &p.Temperature }},
	{Name: "opportunity_rate", Doc: "opportunities per year to revisit commitments (alliances, membership of organisations) of the least capable actor (as in stochastic actor-oriented models)", Unit: "1/year", Min: 0, Max: 50, Neutral: 0, PlausibleLo: 0.03, PlausibleHi: 0.3, Source: "MODEL", Basis: Calibrated, ptr: func(p *Params) *float64 { return &p.OpportunityRate }},
	{Name: "partnership_rate", Doc: "opportunities per year to revisit partnerships (cooperation, assistance, minilateral groups, coalitions) of the least capable actor: they are flexible and come up more often than commitments (source 000)", Unit: "1/year", Min: 0, Max: 50, Neutral: 0, PlausibleLo: 0.3, PlausibleHi: 3, Source: "000", Basis: Calibrated, ptr: func(p *Params) *float64 { return &p.PartnershipRate }},
	{Name: "rate_capacity", Doc: "growth of an actor's rates with its resources: each agenda's rate (opportunity_rate, partnership_rate) x (1 + rate_capacity x resources), resources = min(1, (min(1, capability) + economy) / 2)", Unit: "1", Min: 0, Max: 50, Neutral: 0, PlausibleLo: 0, PlausibleHi: 6, Source: "004", Basis: Assumed, ptr: func(p *Params) *float64 { return &p.RateCapacity }},
	{Name: "alarm", Doc: "rise of an actor's perceived threat within one step that puts its security on the agenda at once: one extra opportunity per alarm's worth of rise, on the commitment agenda for state threats and the partnership agenda for transnational ones; 0 = off", Unit: "threat", Min: 0, Max: 10, Neutral: 0, PlausibleLo: 0.1, PlausibleHi: 0.5, Source: "002", Basis: Assumed, ptr: func(p *Params) *float64 { return &p.Alarm }},
	{Name: "candidates", Doc: "k: partners sampled per opportunity (and, where more are open to it, organisations of its region weighed for accession), so a step costs O(N k)", Unit: "actors", Min: 1, Max: 50, Integer: true, Neutral: 4, PlausibleLo: 4, PlausibleHi: 4, Source: "MODEL", Basis: Design, ptr: func(p *Params) *float64 { return &p.Candidates }},
	{Name: "closure_bias", Doc: "share of candidate partners drawn among partners' partners (triadic closure)", Unit: "share", Min: 0, Max: 1, Neutral: 0, PlausibleLo: 0.2, PlausibleHi: 0.8, Source: "004", Basis: Assumed, ptr: func(p *Params) *float64 { return &p.ClosureBias }},
	{Name: "region_bias", Doc: "share of the other candidate partners drawn from the actor's own region (neighbours meet more often)", Unit: "share", Min: 0, Max: 1, Neutral: 0, PlausibleLo: 0.2, PlausibleHi: 0.8, Source: "004", Basis: Assumed, ptr: func(p *Params) *float64 { return &p.RegionBias }},

	{Name: "base_need", Doc: "background conventional insecurity every actor feels", Unit: "threat", Min: 0, Max: 10, Neutral: 0, PlausibleLo: 0.05, PlausibleHi: 0.3, Source: "002", Basis: Calibrated, ptr: func(p *Params) *float64 { return &p.BaseNeed }},
	{Name: "protection", Doc: "kappa: protection per unit of partner capability x commitment x credibility x level, delivered with the partner's reliability (deliver)", Unit: "1/capability", Min: 0, Max: 100, Neutral: 0, PlausibleLo: 1, PlausibleHi: 4, Source: "001 002", Basis: Assumed, ptr: func(p *Params) *float64 { return &p.Protection }},
	{Name: "self_help", Doc: "protection per unit of own effective capability", Unit: "1/capability", Min: 0, Max: 100, Neutral: 0, PlausibleLo: 1, PlausibleHi: 4, Source: "003", Basis: Assumed, ptr: func(p *Params) *float64 { return &p.SelfHelp }},
	{Name: "cooperation_commit", Doc: "protection of a cooperation tie against state threats relative to an alliance (no mutual-defence obligation)", Unit: "share", Min: 0, Max: 1, Neutral: 1, PlausibleLo: 0.1, PlausibleHi: 0.5, Source: "000 003", Basis: Assumed, ptr: func(p *Params) *float64 { return &p.CooperationCommit }},
	{Name: "treaty_term", Doc: "years a new lasting tie (alliance, cooperation, membership, minilateral group) is expected to last when made, added to its age in its credibility; coalitions have none (their credibility is their patience)", Unit: "years", Min: 0, Max: 100, Neutral: 0, PlausibleLo: 5, PlausibleHi: 20, Source: "003", Basis: Sourced, ptr: func(p *Params) *float64 { return &p.TreatyTerm }},
	{Name: "deterrence_horizon", Doc: "years over which a state adversary weighs a commitment: credibility = H / (H + horizon), H the commitment's expected life; 0 = every commitment fully credible", Unit: "years", Min: 0, Max: 100, Neutral: 0, PlausibleLo: 2, PlausibleHi: 10, Source: "002 003", Basis: Assumed, ptr: func(p *Params) *float64 { return &p.DeterrenceHorizon }},
	{Name: "accommodation", Doc: "share of a source's threat removed by an advanced tie with the source (hedging toward it)", Unit: "share", Min: 0, Max: 1, Neutral: 0, PlausibleLo: 0.2, PlausibleHi: 0.7, Source: "002", Basis: Assumed, ptr: func(p *Params) *float64 { return &p.Accommodation }},
	{Name: "threat_value_scale", Doc: "value distance to the source at which its threat is felt in full", Unit: "distance", Min: 0.01, Max: 10, Neutral: 0.01, PlausibleLo: 0.5, PlausibleHi: 1.5, Source: "001", Basis: Assumed, ptr: func(p *Params) *float64 { return &p.ThreatValueScale }},
	{Name: "escalation", Doc: "rise of a sourced threat's intensity per unit of the alignment formed against it (share of its exposed actors newly bound); 0 = the profile as given", Unit: "1", Min: 0, Max: 10, Neutral: 0, PlausibleLo: 0, PlausibleHi: 0, Source: "002", Basis: Assumed, ptr: func(p *Params) *float64 { return &p.Escalation }},

	{Name: "economic_weight", Doc: "value of a partner's hub position (economy and degree) per level", Unit: "utility", Min: 0, Max: 10, Neutral: 0, PlausibleLo: 0.01, PlausibleHi: 0.08, Source: "000 004", Basis: Assumed, ptr: func(p *Params) *float64 { return &p.EconomicWeight }},
	{Name: "similarity_weight", Doc: "value of shared values and interests per level (a cost with dissimilar partners)", Unit: "utility", Min: 0, Max: 10, Neutral: 0, PlausibleLo: 0.01, PlausibleHi: 0.08, Source: "001", Basis: Assumed, ptr: func(p *Params) *float64 { return &p.SimilarityWeight }},
	{Name: "trust_weight", Doc: "value of a tie's trust per level", Unit: "utility", Min: 0, Max: 10, Neutral: 0, PlausibleLo: 0.01, PlausibleHi: 0.08, Source: "003", Basis: Assumed, ptr: func(p *Params) *float64 { return &p.TrustWeight }},
	{Name: "influence_weight", Doc: "value of standing over a weaker partner per level, growing with bindingness (basing, command); a donor's standing with its recipient", Unit: "utility", Min: 0, Max: 10, Neutral: 0, PlausibleLo: 0.01, PlausibleHi: 0.5, Source: "004", Basis: Calibrated, ptr: func(p *Params) *float64 { return &p.InfluenceWeight }},
	{Name: "autonomy_weight", Doc: "cost of bindingness per unit of autonomy preference (the autonomy-integration dilemma)", Unit: "utility", Min: 0, Max: 10, Neutral: 0, PlausibleLo: 0.05, PlausibleHi: 0.4, Source: "003", Basis: Calibrated, ptr: func(p *Params) *float64 { return &p.AutonomyWeight }},
	{Name: "tie_cost", Doc: "cost of keeping any pairwise tie or minilateral group at all, whatever its level (the attention a relationship takes; the outdegree effect of actor-oriented models)", Unit: "utility", Min: 0, Max: 10, Neutral: 0, PlausibleLo: 0, PlausibleHi: 0.3, Source: "MODEL", Basis: Calibrated, ptr: func(p *Params) *float64 { return &p.TieCost }},
	{Name: "creation_cost", Doc: "one-off cost of creating an alliance (or making a tie one) or acceding to an organisation: negotiation and ratification, paid by each party when it forms and not returned when it ends (the creation effect of actor-oriented models, Snijders, van de Bunt & Steglich 2010), so a tie once made is kept unless it costs more than it brings; less formal agreements cost a share of it, their formality (Lipson 1991): a coalition 0.3, a cooperation or assistance tie and a minilateral group 0.1", Unit: "utility", Min: 0, Max: 10, Neutral: 0, PlausibleLo: 0, PlausibleHi: 0.5, Source: "MODEL", Basis: Calibrated, ptr: func(p *Params) *float64 { return &p.CreationCost }},
	{Name: "upkeep_cost", Doc: "cost of keeping a tie at a level: upkeep_cost x l(l+1)/2 for level l = 1 (nominal) .. 4 (advanced), so each level costs more than the one below", Unit: "utility", Min: 0, Max: 10, Neutral: 0, PlausibleLo: 0.002, PlausibleHi: 0.03, Source: "MODEL", Basis: Calibrated, ptr: func(p *Params) *float64 { return &p.UpkeepCost }},
	{Name: "abandon_penalty", Doc: "the reputation cost an actor weighs for what others read as abandonment (leaving a tie, group or coalition, lowering a tie, re-forming it to a less binding form, ending support, withdrawing from an organisation, refusing a partner's request), per unit of trust x commitment given up", Unit: "utility", Min: 0, Max: 10, Neutral: 0, PlausibleLo: 0.02, PlausibleHi: 0.1, Source: "003", Basis: Assumed, ptr: func(p *Params) *float64 { return &p.AbandonPenalty }},
	{Name: "rivalry_weight", Doc: "cost per level of a tie with a rival, with a rival's ally (the friend of my enemy) or with an ally's rival (the enemy of my friend), per unit of enmity; a common rival brings partners together", Unit: "utility", Min: 0, Max: 10, Neutral: 0, PlausibleLo: 0.05, PlausibleHi: 0.3, Source: "002", Basis: Assumed, ptr: func(p *Params) *float64 { return &p.RivalryWeight }},
	{Name: "entrapment_weight", Doc: "cost per unit of binding commitment to a partner, per unit of the threats it faces that do not threaten oneself (being drawn into its conflicts)", Unit: "utility", Min: 0, Max: 10, Neutral: 0, PlausibleLo: 0.02, PlausibleHi: 0.2, Source: "002", Basis: Calibrated, ptr: func(p *Params) *float64 { return &p.EntrapmentWeight }},
	{Name: "umbrella_weight", Doc: "a patron's stake in the protection its commitments give its partners: the share of a partner's own security gain or loss from a change of their tie that the patron weighs, times its political engagement (1 - political retrenchment): the political umbrella as the will to use it (extended deterrence: the defender's interest in its protege)", Unit: "1 (share of the partner's security)", Min: 0, Max: 1, Neutral: 0, PlausibleLo: 0.1, PlausibleHi: 1, Source: "002", Basis: Calibrated, ptr: func(p *Params) *float64 { return &p.UmbrellaWeight }},
	{Name: "lockin_weight", Doc: "value per level of joint programmes and common standards on a fully locked-in tie or group; lost when it ends", Unit: "utility", Min: 0, Max: 10, Neutral: 0, PlausibleLo: 0.01, PlausibleHi: 0.08, Source: "003", Basis: Calibrated, ptr: func(p *Params) *float64 { return &p.LockinWeight }},
	{Name: "lock_time", Doc: "years for lock-in to build up to 1 - 1/e of its full value", Unit: "years", Min: 0.1, Max: 100, Neutral: 100, PlausibleLo: 3, PlausibleHi: 15, Source: "003", Basis: Assumed, ptr: func(p *Params) *float64 { return &p.LockTime }},

	{Name: "reputation_learning", Doc: "share of the gap between an actor's reputation and what one of its decisions shows (1 for keeping its commitments, 1 - severity for abandoning, lowering, re-forming to a less binding form, leaving a group or coalition, withdrawing, refusing a partner's request or cutting support) that others close: reputation is the running record of what it does", Unit: "1/decision", Min: 0, Max: 1, Neutral: 0, PlausibleLo: 0.05, PlausibleHi: 0.3, Source: "002 003", Basis: Assumed, ptr: func(p *Params) *float64 { return &p.ReputationLearning }},

	{Name: "trust_growth", Doc: "share of the gap to full trust closed per year a tie or group lasts", Unit: "1/year", Min: 0, Max: 1, Neutral: 0, PlausibleLo: 0.1, PlausibleHi: 0.5, Source: "003", Basis: Assumed, ptr: func(p *Params) *float64 { return &p.TrustGrowth }},
	{Name: "initial_trust", Doc: "trust of a new tie or group", Unit: "trust", Min: 0, Max: 1, Neutral: 0, PlausibleLo: 0.05, PlausibleHi: 0.2, Source: "003", Basis: Assumed, ptr: func(p *Params) *float64 { return &p.InitialTrust }},

	{Name: "volatility", Doc: "amplitude of the patron's policy regime, which switches every few years around its political retrenchment profile", Unit: "retrenchment", Min: 0, Max: 1, Neutral: 0, PlausibleLo: 0, PlausibleHi: 0.3, Source: "002", Basis: Assumed, ptr: func(p *Params) *float64 { return &p.Volatility }},
	{Name: "patron_term", Doc: "mean years between switches of the patron's policy regime", Unit: "years", Min: 0.25, Max: 100, Neutral: 100, PlausibleLo: 2, PlausibleHi: 8, Source: "002", Basis: Sourced, ptr: func(p *Params) *float64 { return &p.PatronTerm }},

	{Name: "aid_rate", Doc: "a donor's assistance budget per year per unit of its normalised economy, shared across its recipients by level", Unit: "capability/year", Min: 0, Max: 10, Neutral: 0, PlausibleLo: 0.01, PlausibleHi: 0.1, Source: "004", Basis: Assumed, ptr: func(p *Params) *float64 { return &p.AidRate }},
	{Name: "assist_efficiency", Doc: "share of support that becomes the recipient's capability", Unit: "share", Min: 0, Max: 1, Neutral: 0, PlausibleLo: 0.3, PlausibleHi: 0.8, Source: "003", Basis: Assumed, ptr: func(p *Params) *float64 { return &p.AssistEfficiency }},
	{Name: "assist_decay", Doc: "share per year of assisted capability lost, scaled by how far it outgrows the recipient's own base (absorptive capacity)", Unit: "1/year", Min: 0, Max: 10, Neutral: 0, PlausibleLo: 0.2, PlausibleHi: 1, Source: "003", Basis: Assumed, ptr: func(p *Params) *float64 { return &p.AssistDecay }},

	{Name: "group_commit", Doc: "protection of a security minilateral relative to an alliance", Unit: "share", Min: 0, Max: 1, Neutral: 0, PlausibleLo: 0.1, PlausibleHi: 0.4, Source: "002", Basis: Assumed, ptr: func(p *Params) *float64 { return &p.GroupCommit }},
	{Name: "group_upkeep", Doc: "a minilateral group's upkeep relative to a tie's", Unit: "share", Min: 0, Max: 10, Neutral: 0, PlausibleLo: 0.5, PlausibleHi: 2, Source: "002", Basis: Assumed, ptr: func(p *Params) *float64 { return &p.GroupUpkeep }},
	{Name: "coordination_cost", Doc: "cost per extra member per level of a group (small groups are smarter and more focused)", Unit: "utility", Min: 0, Max: 10, Neutral: 0, PlausibleLo: 0.001, PlausibleHi: 0.01, Source: "002", Basis: Assumed, ptr: func(p *Params) *float64 { return &p.CoordinationCost }},
	{Name: "max_group_size", Doc: "largest minilateral group an actor will propose or a group will admit", Unit: "actors", Min: 3, Max: 12, Integer: true, Neutral: 12, PlausibleLo: 6, PlausibleHi: 6, Source: "002", Basis: Design, ptr: func(p *Params) *float64 { return &p.MaxGroupSize }},
	{Name: "economic_issue_bonus", Doc: "multiplier on economic value for technology and resources groups", Unit: "1", Min: 0, Max: 10, Neutral: 1, PlausibleLo: 1, PlausibleHi: 2, Source: "002", Basis: Assumed, ptr: func(p *Params) *float64 { return &p.EconomicIssueBonus }},

	{Name: "coalition_form", Doc: "intensity at which a coalition forms around a threat", Unit: "intensity", Min: 0, Max: 1, Neutral: 1, PlausibleLo: 0.4, PlausibleHi: 0.6, Source: "001 003", Basis: Assumed, ptr: func(p *Params) *float64 { return &p.CoalitionForm }},
	{Name: "coalition_dissolve", Doc: "threat intensity below which a coalition winds down (must not exceed coalition_form)", Unit: "intensity", Min: 0, Max: 1, Neutral: 0, PlausibleLo: 0.1, PlausibleHi: 0.3, Source: "001 003", Basis: Assumed, ptr: func(p *Params) *float64 { return &p.CoalitionDissolve }},
	{Name: "coalition_patience", Doc: "years the threat must stay below coalition_dissolve before the coalition dissolves (its life after the threat: what limits its deterrence)", Unit: "years", Min: 0, Max: 1000, Neutral: 1000, PlausibleLo: 0.25, PlausibleHi: 1, Source: "001 003", Basis: Assumed, ptr: func(p *Params) *float64 { return &p.CoalitionPatience }},
	{Name: "coalition_commit", Doc: "a coalition's commitment against its threat relative to an alliance (pooled capability)", Unit: "share", Min: 0, Max: 1, Neutral: 0, PlausibleLo: 0.5, PlausibleHi: 1, Source: "001", Basis: Assumed, ptr: func(p *Params) *float64 { return &p.CoalitionCommit }},

	{Name: "concession_rate", Doc: "share per year of a holdout member's grievance against a pending applicant that the applicant's concessions resolve (compounded over the step; 1 resolves it at once)", Unit: "1/year", Min: 0, Max: 1, Neutral: 0, PlausibleLo: 0.3, PlausibleHi: 1, Source: "002", Basis: Assumed, ptr: func(p *Params) *float64 { return &p.ConcessionRate }},
}

// DefaultParams returns the default parameters: the calibrated ones from
// the project's own calibration on the alliance record (docs/calibration/),
// the others from a source or a stated assumption (see each ParamSpec's
// Basis and docs/MODEL.md).
func DefaultParams() Params {
	return Params{
		Temperature:        0.14506,
		OpportunityRate:    0.058550,
		PartnershipRate:    0.29612,
		RateCapacity:       3,
		Alarm:              0.25,
		Candidates:         4,
		ClosureBias:        0.5,
		RegionBias:         0.5,
		BaseNeed:           1.9255,
		Protection:         2,
		SelfHelp:           2,
		CooperationCommit:  0.3,
		TreatyTerm:         10,
		DeterrenceHorizon:  5,
		Accommodation:      0.5,
		ThreatValueScale:   1,
		Escalation:         0,
		EconomicWeight:     0.04,
		SimilarityWeight:   0.03,
		TrustWeight:        0.03,
		InfluenceWeight:    0.034077,
		AutonomyWeight:     0.052395,
		TieCost:            0.11006,
		CreationCost:       0.32796,
		UpkeepCost:         0.023646,
		AbandonPenalty:     0.05,
		RivalryWeight:      0.1,
		EntrapmentWeight:   0.059199,
		UmbrellaWeight:     0.12229,
		LockinWeight:       0.94094,
		LockTime:           8,
		ReputationLearning: 0.2,
		TrustGrowth:        0.3,
		InitialTrust:       0.1,
		Volatility:         0.1,
		PatronTerm:         4,
		AidRate:            0.04,
		AssistEfficiency:   0.5,
		AssistDecay:        0.4,
		GroupCommit:        0.15,
		GroupUpkeep:        1,
		CoordinationCost:   0.004,
		MaxGroupSize:       6,
		EconomicIssueBonus: 1.5,
		CoalitionForm:      0.5,
		CoalitionDissolve:  0.2,
		CoalitionPatience:  0.5,
		CoalitionCommit:    0.8,
		ConcessionRate:     0.7,
	}
}

// LookupParam finds a parameter by name ("temperature", "parameters.temperature"
// and "Temperature" all work).
func LookupParam(name string) (*ParamSpec, bool) {
	n := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(name), "parameters."))
	n = strings.ReplaceAll(n, "-", "_")
	for i := range ParamSpecs {
		if ParamSpecs[i].Name == n || strings.ReplaceAll(ParamSpecs[i].Name, "_", "") == n {
			return &ParamSpecs[i], true
		}
	}
	return nil, false
}

// ParamError is a parameter out of its allowed range.
type ParamError struct {
	Name     string
	Value    float64
	Min, Max float64
	Integer  bool
	Reason   string
}

func (e *ParamError) Error() string {
	if e.Reason != "" {
		return fmt.Sprintf("parameters.%s = %v: %s", e.Name, e.Value, e.Reason)
	}
	what := "a number"
	if e.Integer {
		what = "a whole number"
	}
	return fmt.Sprintf("parameters.%s = %v is out of range: want %s in [%v, %v]", e.Name, e.Value, what, e.Min, e.Max)
}

// Validate checks every parameter against its range and returns all
// violations joined (each a *ParamError).
func (p *Params) Validate() error {
	var errs []error
	for i := range ParamSpecs {
		s := &ParamSpecs[i]
		v := s.Get(p)
		if math.IsNaN(v) || v < s.Min || v > s.Max || (s.Integer && v != math.Trunc(v)) {
			errs = append(errs, &ParamError{Name: s.Name, Value: v, Min: s.Min, Max: s.Max, Integer: s.Integer})
		}
	}
	if p.CoalitionDissolve > p.CoalitionForm {
		errs = append(errs, &ParamError{Name: "coalition_dissolve", Value: p.CoalitionDissolve,
			Reason: fmt.Sprintf("must not exceed coalition_form = %v (a coalition dissolves below a lower threshold than the one it forms at)", p.CoalitionForm)})
	}
	return errors.Join(errs...)
}

// WriteParamTable writes every parameter as a Markdown table: name,
// default, unit, allowed range, neutral value (the knock-out), plausible
// range (sampled by the robustness check; assumed parameters only), basis
// of the default, source and meaning.
// docs/MODEL.md carries this table ('entente list parameters --markdown'),
// and a test keeps the two the same.
func WriteParamTable(w io.Writer) error {
	def := DefaultParams()
	if _, err := fmt.Fprintln(w, "| parameter | default | unit | range | neutral | plausible | basis | source | meaning |\n|---|---|---|---|---|---|---|---|---|"); err != nil {
		return err
	}
	for i := range ParamSpecs {
		s := &ParamSpecs[i]
		doc := strings.ReplaceAll(s.Doc, "|", "\\|")
		plaus := "—" // only assumed defaults are sampled (make validate)
		if s.Basis == Assumed {
			plaus = fmt.Sprintf("[%g, %g]", s.PlausibleLo, s.PlausibleHi)
		}
		if _, err := fmt.Fprintf(w, "| `%s` | %g | %s | [%g, %g] | %g | %s | %s | %s | %s |\n",
			s.Name, s.Get(&def), s.Unit, s.Min, s.Max, s.Neutral, plaus, s.Basis, s.Source, doc); err != nil {
			return err
		}
	}
	return nil
}
