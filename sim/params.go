package sim

import (
	"errors"
	"fmt"
	"math"
	"strings"
)

// Params are the model's parameters. Every field is documented in
// [ParamSpecs] (name, meaning, allowed range, default) and in the model
// description; [DefaultParams] gives values under which the stylised facts of
// the model description hold. Integer-valued parameters are stored as float64
// so that every parameter can be swept the same way; Validate checks they are
// whole.
type Params struct {
	// Choice
	Temperature     float64 // logit temperature; 0 = always the best option
	OpportunityRate float64 // expected opportunities to act per actor per step
	Candidates      float64 // k: partners sampled per opportunity
	ClosureBias     float64 // share of candidates drawn among partners' partners
	RegionBias      float64 // share of the other candidates drawn from the actor's own region

	// Security
	BaseNeed          float64 // background conventional insecurity every actor feels
	Protection        float64 // kappa: protection per unit of partner capability x reliability x commitment
	SelfHelp          float64 // protection per unit of own effective capability
	CooperationCommit float64 // conventional protection of a cooperation tie relative to an alliance (1)
	Accommodation     float64 // share of a source's threat removed by an advanced tie with the source
	ThreatValueScale  float64 // value distance at which a source's threat is felt in full

	// Other utility terms
	EconomicWeight     float64 // value of a partner's hub position per level
	SimilarityWeight   float64 // value of similar values and interests per level
	TrustWeight        float64 // value of trust per level
	AutonomyWeight     float64 // cost of bindingness per unit of autonomy preference
	UpkeepCost         float64 // cost per level of keeping a tie
	AbandonPenalty     float64 // the abandoner's utility cost of abandoning a tie, per unit trust x level
	ReputationLoss     float64 // reputation lost by abandoning a tie, per unit trust x level
	ReputationRecovery float64 // reputation regained per step toward 1

	// Trust
	TrustGrowth  float64 // share of the gap to full trust closed per step of a lasting tie
	InitialTrust float64 // trust of a new tie

	// Patron retrenchment
	PoliticalWeight float64 // reliability lost per unit of political retrenchment
	MilitaryWeight  float64 // reliability lost per unit of military retrenchment
	Reluctance      float64 // patron's cost per level per unit of political retrenchment
	HedgeWeight     float64 // value of a minilateral without the patron per unit of retrenchment x dependence

	// Assistance flows
	DonorRatio       float64 // resource ratio above which the richer side of a new tie becomes donor
	SupportRate      float64 // support per step per unit of donor economy at advanced level
	AssistEfficiency float64 // share of support that becomes recipient capability
	AssistDecay      float64 // share of assisted capability lost per step
	InfluenceWeight  float64 // value of influence over a weaker partner per level (and of being its donor)
	DonorDrain       float64 // donor capability tied up per unit of outgoing support

	// Minilateral groups
	GroupCommit        float64 // protection of a security group relative to an alliance
	GroupUpkeep        float64 // a group's upkeep relative to a tie's
	CoordinationCost   float64 // cost per extra member per level of a group
	MaxGroupSize       float64 // largest minilateral group
	EconomicIssueBonus float64 // multiplier on economic value for technology and resources groups

	// Coalitions
	CoalitionForm     float64 // intensity at which a coalition forms around a threat
	CoalitionDissolve float64 // intensity below which a coalition starts to wind down
	CoalitionPatience float64 // steps below CoalitionDissolve before it dissolves
	CoalitionCommit   float64 // protection of a coalition against its threat's class relative to an alliance
}

// ParamSpec describes one parameter.
type ParamSpec struct {
	Name     string // key in scenario files and --set parameters.NAME
	Doc      string
	Min, Max float64
	Integer  bool
	Source   string // source document(s) the mechanism comes from
	ptr      func(*Params) *float64
}

// Get returns the parameter's value in p.
func (s *ParamSpec) Get(p *Params) float64 { return *s.ptr(p) }

// Set sets the parameter's value in p (unchecked; call Validate).
func (s *ParamSpec) Set(p *Params, v float64) { *s.ptr(p) = v }

// ParamSpecs lists every parameter, in documentation order.
var ParamSpecs = []ParamSpec{
	{"temperature", "logit temperature of choice; 0 picks the best option every time", 0, 100, false, "MODEL", func(p *Params) *float64 { return &p.Temperature }},
	{"opportunity_rate", "expected opportunities to act per actor per step (as in stochastic actor-oriented models)", 0, 10, false, "MODEL", func(p *Params) *float64 { return &p.OpportunityRate }},
	{"candidates", "k: partners sampled per opportunity, so a step costs O(N k)", 1, 50, true, "MODEL", func(p *Params) *float64 { return &p.Candidates }},
	{"closure_bias", "share of candidate partners drawn among partners' partners (triadic closure)", 0, 1, false, "004", func(p *Params) *float64 { return &p.ClosureBias }},
	{"region_bias", "share of the other candidate partners drawn from the actor's own region (neighbours meet more often)", 0, 1, false, "004", func(p *Params) *float64 { return &p.RegionBias }},
	{"base_need", "background conventional insecurity every actor feels", 0, 10, false, "002", func(p *Params) *float64 { return &p.BaseNeed }},
	{"protection", "protection per unit of partner capability x reliability x commitment", 0, 100, false, "001 002", func(p *Params) *float64 { return &p.Protection }},
	{"self_help", "protection per unit of own effective capability", 0, 100, false, "003", func(p *Params) *float64 { return &p.SelfHelp }},
	{"cooperation_commit", "conventional protection of a cooperation tie relative to an alliance", 0, 1, false, "000 003", func(p *Params) *float64 { return &p.CooperationCommit }},
	{"accommodation", "share of a source's threat removed by an advanced tie with the source (hedging toward it)", 0, 1, false, "002", func(p *Params) *float64 { return &p.Accommodation }},
	{"threat_value_scale", "value distance to the source at which its threat is felt in full", 0.01, 10, false, "001", func(p *Params) *float64 { return &p.ThreatValueScale }},
	{"economic_weight", "value of a partner's hub position (economy and degree) per level", 0, 10, false, "000 004", func(p *Params) *float64 { return &p.EconomicWeight }},
	{"similarity_weight", "value of shared values and interests per level (a cost with dissimilar partners)", 0, 10, false, "001", func(p *Params) *float64 { return &p.SimilarityWeight }},
	{"trust_weight", "value of a tie's trust per level", 0, 10, false, "003", func(p *Params) *float64 { return &p.TrustWeight }},
	{"autonomy_weight", "cost of bindingness per unit of autonomy preference", 0, 10, false, "003", func(p *Params) *float64 { return &p.AutonomyWeight }},
	{"upkeep_cost", "cost per level of keeping a tie", 0, 10, false, "MODEL", func(p *Params) *float64 { return &p.UpkeepCost }},
	{"abandon_penalty", "the abandoner's utility cost of leaving a tie or group, per unit of trust x level", 0, 10, false, "003", func(p *Params) *float64 { return &p.AbandonPenalty }},
	{"reputation_loss", "reputation the abandoner loses, per unit of trust x level; partners see its reliability fall", 0, 1, false, "003", func(p *Params) *float64 { return &p.ReputationLoss }},
	{"reputation_recovery", "share of lost reputation regained per step", 0, 1, false, "003", func(p *Params) *float64 { return &p.ReputationRecovery }},
	{"trust_growth", "share of the gap to full trust closed per step a tie or group lasts", 0, 1, false, "003", func(p *Params) *float64 { return &p.TrustGrowth }},
	{"initial_trust", "trust of a new tie or group", 0, 1, false, "003", func(p *Params) *float64 { return &p.InitialTrust }},
	{"political_weight", "patron reliability lost per unit of political retrenchment", 0, 1, false, "002", func(p *Params) *float64 { return &p.PoliticalWeight }},
	{"military_weight", "patron reliability lost per unit of military retrenchment", 0, 1, false, "002", func(p *Params) *float64 { return &p.MilitaryWeight }},
	{"reluctance", "patron's cost per level of its ties per unit of political retrenchment", 0, 10, false, "002", func(p *Params) *float64 { return &p.Reluctance }},
	{"hedge_weight", "value per level of a minilateral group without the patron, per unit of political retrenchment x the actor's dependence on the patron (hedging)", 0, 10, false, "002", func(p *Params) *float64 { return &p.HedgeWeight }},
	{"donor_ratio", "resource ratio above which the richer side of a new tie becomes its donor", 1, 1000, false, "004", func(p *Params) *float64 { return &p.DonorRatio }},
	{"support_rate", "support per step per unit of donor economy on an advanced flow tie", 0, 10, false, "004", func(p *Params) *float64 { return &p.SupportRate }},
	{"assist_efficiency", "share of support that becomes the recipient's capability", 0, 1, false, "003", func(p *Params) *float64 { return &p.AssistEfficiency }},
	{"assist_decay", "share of assisted capability lost per step (what the recipient cannot sustain)", 0, 1, false, "003", func(p *Params) *float64 { return &p.AssistDecay }},
	{"influence_weight", "value of influence over a weaker partner per level (asymmetric hubs); doubled for its donor", 0, 10, false, "004", func(p *Params) *float64 { return &p.InfluenceWeight }},
	{"donor_drain", "donor capability tied up per unit of outgoing support", 0, 10, false, "004", func(p *Params) *float64 { return &p.DonorDrain }},
	{"group_commit", "protection of a security minilateral relative to an alliance", 0, 1, false, "002", func(p *Params) *float64 { return &p.GroupCommit }},
	{"group_upkeep", "a minilateral group's upkeep relative to a tie's", 0, 10, false, "002", func(p *Params) *float64 { return &p.GroupUpkeep }},
	{"coordination_cost", "cost per extra member per level of a group", 0, 10, false, "002", func(p *Params) *float64 { return &p.CoordinationCost }},
	{"max_group_size", "largest minilateral group an actor will propose or a group will admit", 3, 12, true, "002", func(p *Params) *float64 { return &p.MaxGroupSize }},
	{"economic_issue_bonus", "multiplier on economic value for technology and resources groups", 0, 10, false, "002", func(p *Params) *float64 { return &p.EconomicIssueBonus }},
	{"coalition_form", "intensity at which a coalition forms around a transnational threat", 0, 1, false, "001 003", func(p *Params) *float64 { return &p.CoalitionForm }},
	{"coalition_dissolve", "threat intensity below which a coalition winds down (must not exceed coalition_form)", 0, 1, false, "001 003", func(p *Params) *float64 { return &p.CoalitionDissolve }},
	{"coalition_patience", "steps the threat must stay below coalition_dissolve before the coalition dissolves", 0, 1000, true, "003", func(p *Params) *float64 { return &p.CoalitionPatience }},
	{"coalition_commit", "protection of a coalition against its threat's class relative to an alliance", 0, 1, false, "001", func(p *Params) *float64 { return &p.CoalitionCommit }},
}

// DefaultParams returns the defaults under which the stylised facts hold.
func DefaultParams() Params {
	return Params{
		Temperature:        0.01,
		OpportunityRate:    0.25,
		Candidates:         4,
		ClosureBias:        0.5,
		RegionBias:         0.3,
		BaseNeed:           0.15,
		Protection:         2,
		SelfHelp:           2,
		CooperationCommit:  0.3,
		Accommodation:      0.5,
		ThreatValueScale:   1,
		EconomicWeight:     0.04,
		SimilarityWeight:   0.03,
		TrustWeight:        0.03,
		AutonomyWeight:     0.2,
		UpkeepCost:         0.012,
		AbandonPenalty:     0.05,
		ReputationLoss:     0.2,
		ReputationRecovery: 0.05,
		TrustGrowth:        0.08,
		InitialTrust:       0.1,
		PoliticalWeight:    0.6,
		MilitaryWeight:     0.4,
		Reluctance:         0.02,
		HedgeWeight:        0.05,
		DonorRatio:         3,
		SupportRate:        0.002,
		AssistEfficiency:   0.5,
		AssistDecay:        0.1,
		InfluenceWeight:    0.04,
		DonorDrain:         0.1,
		GroupCommit:        0.15,
		GroupUpkeep:        1,
		CoordinationCost:   0.004,
		MaxGroupSize:       6,
		EconomicIssueBonus: 1.5,
		CoalitionForm:      0.5,
		CoalitionDissolve:  0.2,
		CoalitionPatience:  2,
		CoalitionCommit:    0.8,
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
