// Package sweep provides parameter sweeps, branching scenarios and
// sensitivity analysis for entente.
package sweep
