// entente charts: small line charts in SVG, no external resources.
"use strict";
(function () {
  const SVGNS = "http://www.w3.org/2000/svg";
  const el = (name, attrs, parent) => {
    const e = document.createElementNS(SVGNS, name);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  };
  const fmt = (v) => (Math.abs(v) >= 100 || Number.isInteger(v) ? String(Math.round(v)) : v.toFixed(2));
  const COLOURS = ["#0B57D0", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9"];

  // line draws lines [{name, points: [[x, y]...]}] into a new SVG of w×h,
  // x from 0 to xMax, with a title; returns the SVG element.
  function line(title, lines, xMax, w, h) {
    w = w || 360; h = h || 120;
    const svg = el("svg", { viewBox: `0 0 ${w} ${h}`, width: w, height: h, class: "chart", "font-family": "system-ui, 'DejaVu Sans', sans-serif" });
    el("rect", { x: 0, y: 0, width: w, height: h, fill: "#fff" }, svg);
    el("text", { x: 6, y: 15, "font-size": 13, "font-weight": 700, fill: "#222" }, svg).textContent = title;
    const all = lines.flatMap((l) => l.points.map((p) => p[1]));
    let lo = Math.min(0, ...all), hi = Math.max(...all, 0);
    if (!(hi > lo)) hi = lo + 1;
    const L = 40, R = w - 8, T = 24, B = h - 18;
    const X = (t) => L + ((R - L) * t) / Math.max(1, xMax), Y = (v) => B - ((B - T) * (v - lo)) / (hi - lo);
    el("line", { x1: L, y1: B, x2: R, y2: B, stroke: "#999" }, svg);
    el("line", { x1: L, y1: T, x2: L, y2: B, stroke: "#999" }, svg);
    el("text", { x: L - 4, y: T + 8, "font-size": 11, "text-anchor": "end", fill: "#333" }, svg).textContent = fmt(hi);
    el("text", { x: L - 4, y: B, "font-size": 11, "text-anchor": "end", fill: "#333" }, svg).textContent = fmt(lo);
    el("text", { x: R, y: h - 4, "font-size": 11, "text-anchor": "end", fill: "#555" }, svg).textContent = "step " + xMax;
    lines.forEach((l, i) => {
      if (!l.points.length) return;
      const d = l.points.map((p, k) => (k ? "L" : "M") + X(p[0]).toFixed(1) + "," + Y(p[1]).toFixed(1)).join("");
      el("path", { d, fill: "none", stroke: l.colour || COLOURS[i % COLOURS.length], "stroke-width": 2.2, class: "series", "stroke-dasharray": l.dash || "" }, svg);
      const last = l.points[l.points.length - 1];
      el("circle", { cx: X(last[0]), cy: Y(last[1]), r: 3, fill: l.colour || COLOURS[i % COLOURS.length] }, svg);
      if (lines.length > 1) el("text", { x: R - 4, y: T + 12 * (i + 1), "font-size": 11, "text-anchor": "end", fill: l.colour || COLOURS[i % COLOURS.length] }, svg).textContent = l.name;
    });
    return svg;
  }
  window.Charts = { line, COLOURS };
})();
