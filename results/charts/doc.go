// Package charts provides the pictures of a result set, drawn with
// gonum.org/v1/plot as PNG and SVG: each metric over time with its 95%
// confidence band ([Series]), and a drawing of the alliance network
// ([Network]) laid out with gonum's Eades force layout from a seeded source.
//
// [Write] has the signature of results.ChartFunc, so a runner passes it as
// results.Options.Charts; [Writer] does the same with another layout seed.
// Every picture is written atomically and is a pure function of its inputs
// and seed.
package charts
