package sim

import (
	"fmt"
	"math"
	"strings"
)

// Shape is the shape of a time profile.
type Shape uint8

const (
	Constant   Shape = iota // Base at every step
	Step                    // Base before Start, Peak from Start on (a lasting shock)
	Ramp                    // Base until Start, linear to Peak at End, Peak after
	Pulse                   // Peak on [Start, End), Base elsewhere
	ShockDecay              // Base before Start; Peak at Start, then decays back to Base with HalfLife
	Series                  // piecewise linear through Points, flat outside them
)

var shapeNames = [...]string{"constant", "step", "ramp", "pulse", "shock-decay", "series"}

func (s Shape) String() string {
	if int(s) < len(shapeNames) {
		return shapeNames[s]
	}
	return fmt.Sprintf("shape(%d)", s)
}

// ParseShape parses a shape name ("shock" and "decay" are accepted for
// shock-decay, "piecewise" for series).
func ParseShape(s string) (Shape, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "constant", "const":
		return Constant, nil
	case "step":
		return Step, nil
	case "ramp":
		return Ramp, nil
	case "pulse":
		return Pulse, nil
	case "shock-decay", "shock", "decay", "shock-with-decay":
		return ShockDecay, nil
	case "series", "piecewise":
		return Series, nil
	}
	return 0, fmt.Errorf("unknown profile shape %q (want constant, step, ramp, pulse, shock-decay or series)", s)
}

// Point is one knot of a Series profile.
type Point struct {
	T int
	V float64
}

// Profile is a value over time, in [0, 1]. The zero Profile is constant 0.
type Profile struct {
	Shape    Shape
	Base     float64 // value outside the event (before it, or after it ends)
	Peak     float64 // value of the event
	Start    int     // first step of the event
	End      int     // end of a ramp (reaches Peak) or of a pulse (exclusive)
	HalfLife float64 // steps for a shock to fall half way back to Base
	Points   []Point // knots of a Series, in increasing T
}

// ConstantProfile is a profile that is v at every step.
func ConstantProfile(v float64) Profile { return Profile{Shape: Constant, Base: v, Peak: v} }

// At is the profile's value at step t.
func (p *Profile) At(t int) float64 {
	switch p.Shape {
	case Constant:
		return p.Base
	case Step:
		if t >= p.Start {
			return p.Peak
		}
		return p.Base
	case Ramp:
		switch {
		case t <= p.Start:
			return p.Base
		case t >= p.End:
			return p.Peak
		}
		f := float64(t-p.Start) / float64(p.End-p.Start)
		return p.Base + f*(p.Peak-p.Base)
	case Pulse:
		if t >= p.Start && t < p.End {
			return p.Peak
		}
		return p.Base
	case ShockDecay:
		if t < p.Start {
			return p.Base
		}
		return p.Base + (p.Peak-p.Base)*math.Exp2(-float64(t-p.Start)/p.HalfLife)
	case Series:
		n := len(p.Points)
		if n == 0 {
			return 0
		}
		if t <= p.Points[0].T {
			return p.Points[0].V
		}
		for i := 1; i < n; i++ {
			if t <= p.Points[i].T {
				a, b := p.Points[i-1], p.Points[i]
				f := float64(t-a.T) / float64(b.T-a.T)
				return a.V + f*(b.V-a.V)
			}
		}
		return p.Points[n-1].V
	}
	return 0
}

// Validate checks the profile's fields; what names the profile in messages.
func (p *Profile) Validate(what string) error {
	in01 := func(field string, v float64) error {
		if !(v >= 0 && v <= 1) {
			return fmt.Errorf("%s.%s = %v is out of range: want a number in [0, 1]", what, field, v)
		}
		return nil
	}
	if err := in01("base", p.Base); err != nil {
		return err
	}
	if err := in01("peak", p.Peak); err != nil {
		return err
	}
	if p.Start < 0 {
		return fmt.Errorf("%s.start = %d is negative: want a step >= 0", what, p.Start)
	}
	switch p.Shape {
	case Ramp, Pulse:
		if p.End <= p.Start {
			return fmt.Errorf("%s.end = %d must be after start = %d for a %s", what, p.End, p.Start, p.Shape)
		}
	case ShockDecay:
		if !(p.HalfLife > 0) || math.IsInf(p.HalfLife, 0) {
			return fmt.Errorf("%s.half_life = %v: want a positive number of steps for a shock-decay", what, p.HalfLife)
		}
	case Series:
		if len(p.Points) == 0 {
			return fmt.Errorf("%s.points is empty: a series needs at least one [step, value] point", what)
		}
		for i, pt := range p.Points {
			// (the field's name formatted only for an error)
			if !(pt.V >= 0 && pt.V <= 1) {
				return in01(fmt.Sprintf("points[%d]", i), pt.V)
			}
			if i > 0 && pt.T <= p.Points[i-1].T {
				return fmt.Errorf("%s.points[%d]: steps must increase (%d after %d)", what, i, pt.T, p.Points[i-1].T)
			}
		}
	case Constant, Step:
	default:
		return fmt.Errorf("%s: unknown shape %d", what, p.Shape)
	}
	return nil
}
