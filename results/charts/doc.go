// Package charts provides the pictures of a result set, drawn with
// gonum.org/v1/plot as PNG and SVG: each metric over time with its 95%
// confidence band ([Series]), and a drawing of the alliance network
// ([Network]) laid out with gonum's Eades force layout from a seeded source:
// nodes coloured by region, sized by capability and shaped by kind, ties as
// thick as their level and dashed when non-binding. Legends sit beside the
// plot, never over the data.
//
// The layout runs on a graph with ordered iteration (gonum's simple graphs
// iterate Go maps), a weak tie from every actor to a virtual centre keeps
// isolated actors in view, and the step (Rate 0.01, see STYLE.md) is lowered
// in proportion for hubs, whose summed attraction otherwise overshoots and
// sends the layout to infinity.
//
// [Write] has the signature of results.ChartFunc, so a runner passes it as
// results.Options.Charts; [Writer] does the same with another layout seed.
// Every picture is written atomically and is a pure function of its inputs
// and seed.
package charts
