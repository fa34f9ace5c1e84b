// entente netview: the alliance network drawn for a room to read.
//
// The layout groups actors by region in blocks placed roughly as on a map
// (Americas left, Europe and Africa in the middle, Asia right), and lays
// each block out as a grid whose cells are wide enough for their labels:
// no label can overlap another, and nothing moves between steps (the
// layout depends only on the actors and the size of the picture). Ties are
// drawn by form (solid alliances, dashed cooperation, arrows for
// assistance), groups and organisations as hulls around their members.
// Focus mode highlights one actor's ties and fades the rest; ties can be
// filtered by form.
"use strict";

(function () {
  const SVGNS = "http://www.w3.org/2000/svg";
  const FONT = "system-ui, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif";
  const PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#8C6D1F", "#6A3FB5",
    "#1B9E77", "#E7298A", "#66A61E", "#A6761D", "#4D4D4D", "#B8860B"];
  const GROUP_COLOURS = ["#6A3FB5", "#1B9E77", "#B8860B", "#C2185B", "#00838F", "#5D4037", "#7B1FA2", "#2E7D32"];
  const FORMS = {
    alliance: { stroke: "#1D2A57", dash: "", label: "alliance (binding)" },
    cooperation: { stroke: "#5E6E91", dash: "9 6", label: "cooperation" },
    assistance: { stroke: "#C05A00", dash: "9 6", label: "assistance → recipient" },
    coalition: { stroke: "#8E24AA", dash: "3 5", label: "coalition" },
  };
  // Rough map positions (column, row) for common region names.
  const GEO = [
    [/americ|latin|caribbean|west(?!ern europe)/i, 0, 0.5],
    [/europe|nordic|baltic|north(?!.*(america|africa|east))/i, 1, 0.25],
    [/africa|sahel|south(?!.*(asia|east|america))/i, 1, 0.8],
    [/eurasia|russia|central asia|caucas/i, 2, 0.2],
    [/middle ?east|gulf|levant|mena/i, 2, 0.75],
    [/asia|pacific|oceania|indo|east/i, 3, 0.5],
  ];

  const el = (name, attrs, parent) => {
    const e = document.createElementNS(SVGNS, name);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  };

  let measureCtx = null;
  function textWidth(text, size, weight) {
    if (!measureCtx) measureCtx = document.createElement("canvas").getContext("2d");
    measureCtx.font = (weight || 700) + " " + size + "px " + FONT;
    return measureCtx.measureText(text).width;
  }

  function hash(s) {
    let h = 2166136261;
    for (let i = 0; i < s.length; i++) { h ^= s.charCodeAt(i); h = Math.imul(h, 16777619); }
    return h >>> 0;
  }

  // regionPlaces assigns each region a column and a row position.
  function regionPlaces(regions) {
    const out = new Map();
    const unknown = [];
    regions.forEach((r) => {
      const g = GEO.find(([re]) => re.test(r));
      if (g) out.set(r, { col: g[1], y: g[2] });
      else unknown.push(r);
    });
    // Regions the map does not know, or several on one spot: spread them
    // over the columns by name, balancing the columns.
    if (unknown.length || new Set([...out.values()].map((p) => p.col + ":" + p.y)).size < out.size) {
      out.clear();
      const cols = Math.max(1, Math.min(4, Math.round(Math.sqrt(regions.length * 1.6))));
      regions.slice().sort().forEach((r, i) => out.set(r, { col: i % cols, y: Math.floor(i / cols) }));
    }
    return out;
  }

  // layout places every node: {pos: Map id -> {x, y, r, label, font, lx, ly, lw, lh}, regions: [...]}
  function layout(nodes, W, H, opt) {
    opt = opt || {};
    const pad = 12, titleH = 24;
    const maxFont = opt.maxFont || 17, minFont = opt.minFont || 13;
    const byRegion = new Map();
    nodes.forEach((n) => {
      const r = n.region || "(no region)";
      if (!byRegion.has(r)) byRegion.set(r, []);
      byRegion.get(r).push(n);
    });
    const regions = [...byRegion.keys()];
    const places = regionPlaces(regions);
    const colOf = new Map();
    regions.forEach((r) => {
      const c = places.get(r).col;
      if (!colOf.has(c)) colOf.set(c, []);
      colOf.get(c).push(r);
    });
    const cols = [...colOf.keys()].sort((a, b) => a - b);
    cols.forEach((c) => colOf.get(c).sort((a, b) => places.get(a).y - places.get(b).y || (a < b ? -1 : 1)));
    // Column widths follow the square root of their actors (wide enough for
    // the grid), region heights their share of the column.
    const count = (r) => byRegion.get(r).length;
    const colWeight = cols.map((c) => Math.sqrt(colOf.get(c).reduce((s, r) => s + count(r), 0)) + 1);
    const totalW = colWeight.reduce((a, b) => a + b, 0);
    const pos = new Map(), blocks = [];
    let x0 = pad;
    cols.forEach((c, ci) => {
      const cw = ((W - pad * (cols.length + 1)) * colWeight[ci]) / totalW;
      const rs = colOf.get(c);
      const tot = rs.reduce((s, r) => s + count(r), 0);
      let y0 = pad;
      const avail = H - pad * (rs.length + 1);
      rs.forEach((r) => {
        const bh = (avail * count(r)) / tot;
        blocks.push({ region: r, x: x0, y: y0, w: cw, h: bh });
        y0 += bh + pad;
      });
      x0 += cw + pad;
    });
    // Each block: a grid with the best cell size for its labels.
    blocks.forEach((b) => {
      const ns = byRegion.get(b.region).slice().sort((p, q) =>
        (p.kind === "state" ? 0 : 1) - (q.kind === "state" ? 0 : 1) || q.capability - p.capability || (p.id < q.id ? -1 : 1));
      const n = ns.length;
      const gh = b.h - titleH;
      let best = null;
      for (let c = 1; c <= n; c++) {
        const rows = Math.ceil(n / c);
        const cw = b.w / c, ch = gh / rows;
        // the biggest font at which every id fits its cell; each actor then
        // shows its name where the name fits, else its id
        for (let f = maxFont; f >= minFont; f--) {
          const lh = f + 4;
          const r = Math.min(22, (ch - lh - 8) / 2);
          if (r < 5) continue;
          if (ns.some((nd) => textWidth(nd.id, f) > cw - 6)) continue;
          const names = ns.filter((nd) => textWidth(nd.label, f) <= cw - 6).length / n;
          // cells about 1.6 times as wide as tall suit a label under a node
          const shape = Math.abs(Math.log(cw / ch / 1.6));
          const score = f * 10 + 30 * names + 2 * r - 10 * shape;
          if (!best || score > best.score) best = { score, c, rows, cw, ch, f, r };
          break;
        }
      }
      if (!best) best = { c: n, rows: 1, cw: b.w / n, ch: gh, f: minFont, r: 5 };
      b.grid = best;
      ns.forEach((nd, k) => {
        const row = Math.floor(k / best.c), col = k % best.c;
        const inRow = Math.min(best.c, n - row * best.c);
        // centre short last rows; nudge odd rows half a cell (fewer ties through nodes)
        const off = (best.c - inRow) / 2 + (row % 2 && inRow === best.c && best.c > 1 ? 0 : 0);
        const cx = b.x + (col + off + 0.5) * best.cw;
        const cellTop = b.y + titleH + row * best.ch;
        const label = textWidth(nd.label, best.f) <= best.cw - 6 ? nd.label : nd.id;
        const lw = textWidth(label, best.f), lh = best.f + 4;
        const rMax = best.r;
        const cy = cellTop + 4 + rMax;
        pos.set(nd.id, { x: cx, y: cy, rMax, label, font: best.f, lx: cx - lw / 2, ly: cy + rMax + 3, lw, lh,
          cell: { x: cx - best.cw / 2, y: cellTop, w: best.cw, h: best.ch } });
      });
    });
    return { pos, blocks, W, H };
  }

  // convex hull (Andrew's monotone chain)
  function convexHull(points) {
    const p = points.slice().sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    if (p.length < 3) return p;
    const cross = (o, a, b) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
    const lower = [], upper = [];
    for (const q of p) { while (lower.length >= 2 && cross(lower[lower.length - 2], lower[lower.length - 1], q) <= 0) lower.pop(); lower.push(q); }
    for (let i = p.length - 1; i >= 0; i--) { const q = p[i]; while (upper.length >= 2 && cross(upper[upper.length - 2], upper[upper.length - 1], q) <= 0) upper.pop(); upper.push(q); }
    upper.pop(); lower.pop();
    return lower.concat(upper);
  }

  // hullPath draws a group around its members: the convex hull when the
  // members are close, otherwise a band along the shortest tree joining
  // them (a concave hull that does not swallow the actors between them).
  function hullPath(pts, pad) {
    if (!pts.length) return "";
    let spanX = 0, spanY = 0;
    pts.forEach((p) => { spanX = Math.max(spanX, Math.abs(p[0] - pts[0][0])); spanY = Math.max(spanY, Math.abs(p[1] - pts[0][1])); });
    const ring = (cx, cy, r, out) => { for (let i = 0; i < 16; i++) { const a = (2 * Math.PI * i) / 16; out.push([cx + r * Math.cos(a), cy + r * Math.sin(a)]); } };
    if (pts.length <= 3 || Math.max(spanX, spanY) < 260) {
      const all = [];
      pts.forEach((p) => ring(p[0], p[1], pad, all));
      const h = convexHull(all);
      return { kind: "fill", d: "M" + h.map((p) => p[0].toFixed(1) + "," + p[1].toFixed(1)).join(" L") + " z" };
    }
    // Prim's tree
    const inTree = [0], rest = pts.map((_, i) => i).slice(1), segs = [];
    while (rest.length) {
      let bi = -1, bj = -1, bd = Infinity;
      for (const i of inTree) for (const j of rest) {
        const d = (pts[i][0] - pts[j][0]) ** 2 + (pts[i][1] - pts[j][1]) ** 2;
        if (d < bd) { bd = d; bi = i; bj = j; }
      }
      segs.push([pts[bi], pts[bj]]);
      inTree.push(bj);
      rest.splice(rest.indexOf(bj), 1);
    }
    let d = segs.map(([a, b]) => "M" + a[0].toFixed(1) + "," + a[1].toFixed(1) + " L" + b[0].toFixed(1) + "," + b[1].toFixed(1)).join(" ");
    return { kind: "band", d, width: 2 * pad };
  }

  function create(svg, opt) {
    opt = opt || {};
    const view = {
      svg, lay: null, key: "", net: null, focus: null, hidden: new Set(), showOrgs: !!opt.showOrgs,
      colourBy: "region", regionColour: new Map(), blocColour: new Map(), onSelect: opt.onSelect || null,
      seated: new Map(), // actor id -> student name
      highlight: null,
    };

    function colourOf(n) {
      if (view.colourBy === "bloc") {
        if (!n.bloc) return "#BDBDBD";
        if (!view.blocColour.has(n.bloc)) view.blocColour.set(n.bloc, PALETTE[view.blocColour.size % PALETTE.length]);
        return view.blocColour.get(n.bloc);
      }
      if (!view.regionColour.has(n.region)) view.regionColour.set(n.region, PALETTE[view.regionColour.size % PALETTE.length]);
      return view.regionColour.get(n.region);
    }

    // size is the picture's size in CSS pixels, in steps of 16, so that a
    // few pixels more or less (a toolbar's text) do not move the actors
    function size() {
      const r = svg.getBoundingClientRect();
      const q = (v, lo) => Math.max(lo, 16 * Math.floor(v / 16));
      return { W: q(r.width, 320), H: q(r.height, 240) };
    }

    // draw redraws the picture for net; the layout is recomputed only when
    // the actors or the picture's size change.
    function draw(net) {
      view.net = net;
      const { W, H } = size();
      const key = W + "x" + H + ":" + net.nodes.map((n) => n.id + "/" + n.region).join(",");
      if (key !== view.key) {
        view.lay = layout(net.nodes, W, H, opt);
        view.key = key;
        view.regionColour.clear();
        [...new Set(net.nodes.map((n) => n.region))].sort().forEach((r, i) => view.regionColour.set(r, PALETTE[i % PALETTE.length]));
      }
      const lay = view.lay, pos = lay.pos;
      svg.setAttribute("viewBox", "0 0 " + W + " " + H);
      svg.setAttribute("font-family", FONT);
      svg.textContent = "";
      const defs = el("defs", {}, svg);
      for (const [form, s] of Object.entries(FORMS)) {
        const m = el("marker", { id: "arrow-" + form, viewBox: "0 0 10 10", refX: "9", refY: "5", markerWidth: "4.5",
          markerHeight: "4.5", orient: "auto-start-reverse", markerUnits: "strokeWidth" }, defs);
        el("path", { d: "M0,0 L10,5 L0,10 z", fill: s.stroke }, m);
      }
      el("rect", { x: 0, y: 0, width: W, height: H, fill: "#fff" }, svg);
      const gBlocks = el("g", { class: "regions" }, svg);
      lay.blocks.forEach((b) => {
        el("rect", { x: b.x, y: b.y, width: b.w, height: b.h, rx: 10, fill: "#F6F7F9", stroke: "#E1E4EA" }, gBlocks);
        const t = el("text", { x: b.x + 10, y: b.y + 17, "font-size": 15, "font-weight": 700, fill: "#555", class: "label region-label" }, gBlocks);
        t.textContent = b.region.replace(/([a-z])([A-Z])/g, "$1 $2");
      });
      const focus = view.focus;
      const nbr = new Set();
      if (focus) net.edges.forEach((e) => { if (e.a === focus) nbr.add(e.b); if (e.b === focus) nbr.add(e.a); });
      const gHull = el("g", { class: "hulls" }, svg);
      const hulls = (net.groups || []).map((g) => ({ g, kind: g.kind, colour: g.kind === "coalition" ? "#C62828" : GROUP_COLOURS[g.id % GROUP_COLOURS.length] }));
      if (view.showOrgs) (net.orgs || []).forEach((g) => hulls.push({ g, kind: "organisation", colour: "#607D8B" }));
      hulls.forEach((h, hi) => {
        const pts = h.g.members.map((m) => pos.get(m)).filter(Boolean).map((p) => [p.x, p.y]);
        if (pts.length < 2) return;
        const touches = !focus || h.g.members.includes(focus);
        const pad = 10 + 4 * (hi % 3);
        const hp = hullPath(pts, pad);
        const g = el("g", { opacity: touches ? (h.kind === "organisation" ? 0.18 : 0.3) : 0.06, class: "hull-group", "data-name": h.g.name || "" }, gHull);
        if (hp.kind === "fill") {
          el("path", { d: hp.d, fill: h.colour, "fill-opacity": 0.45, stroke: h.colour, "stroke-width": 3, "stroke-linejoin": "round",
            "stroke-dasharray": h.kind === "coalition" ? "10 5" : "", class: "hull" }, g);
        } else {
          el("path", { d: hp.d, fill: "none", stroke: h.colour, "stroke-width": hp.width + 5, "stroke-linecap": "round", "stroke-linejoin": "round", class: "hull" }, g);
          el("path", { d: hp.d, fill: "none", stroke: "#fff", "stroke-opacity": 0.55, "stroke-width": hp.width, "stroke-linecap": "round", "stroke-linejoin": "round" }, g);
        }
        const title = el("title", {}, g);
        title.textContent = (h.g.name || h.kind) + (h.g.issue ? " (" + h.g.issue + ")" : "") + ": " + h.g.members.join(", ");
      });
      const gEdge = el("g", { class: "edges" }, svg);
      net.edges.forEach((e) => {
        if (view.hidden.has(e.form)) return;
        const a = pos.get(e.a), b = pos.get(e.b);
        if (!a || !b) return;
        const s = FORMS[e.form] || FORMS.cooperation;
        const on = !focus || e.a === focus || e.b === focus;
        let [p, q] = [a, b];
        if (e.donor && e.donor === e.b) [p, q] = [b, a];
        const dx = q.x - p.x, dy = q.y - p.y, d = Math.hypot(dx, dy) || 1;
        const rp = radius(p, nodeOf(net, p === a ? e.a : e.b)), rq = radius(q, nodeOf(net, q === a ? e.a : e.b));
        // a slight bend, so that ties along a row do not run through the
        // nodes between their ends
        const bend = Math.min(40, d * 0.12) * ((hash(e.a + e.b) & 1) ? 1 : -1);
        const mx = (p.x + q.x) / 2 - (dy / d) * bend, my = (p.y + q.y) / 2 + (dx / d) * bend;
        const sx = p.x + ((mx - p.x) / Math.hypot(mx - p.x, my - p.y)) * rp, sy = p.y + ((my - p.y) / Math.hypot(mx - p.x, my - p.y)) * rp;
        const ex = q.x - ((q.x - mx) / Math.hypot(q.x - mx, q.y - my)) * (rq + 2), ey = q.y - ((q.y - my) / Math.hypot(q.x - mx, q.y - my)) * (rq + 2);
        const attrs = { d: `M${sx.toFixed(1)},${sy.toFixed(1)} Q${mx.toFixed(1)},${my.toFixed(1)} ${ex.toFixed(1)},${ey.toFixed(1)}`,
          fill: "none", stroke: s.stroke, "stroke-width": (1 + 1.1 * e.level).toFixed(1), "stroke-linecap": "round",
          "stroke-opacity": on ? (focus ? 0.95 : 0.6) : 0.06, class: "edge" };
        if (s.dash) attrs["stroke-dasharray"] = s.dash;
        if (e.donor) attrs["marker-end"] = "url(#arrow-" + (FORMS[e.form] ? e.form : "cooperation") + ")";
        const line = el("path", attrs, gEdge);
        line.dataset.form = e.form;
        line.dataset.a = e.a; line.dataset.b = e.b;
        const title = el("title", {}, line);
        title.textContent = e.a + " – " + e.b + ": " + e.form + ", level " + e.level + (e.donor ? ", support from " + e.donor : "");
      });
      const gNode = el("g", { class: "nodes" }, svg);
      const maxThreat = Math.max(0.001, ...net.nodes.map((n) => n.threat));
      net.nodes.forEach((n) => {
        const p = pos.get(n.id);
        if (!p) return;
        const faded = n.absent || (focus && focus !== n.id && !nbr.has(n.id));
        const g = el("g", { class: "node", "data-id": n.id, transform: `translate(${p.x.toFixed(1)},${p.y.toFixed(1)})`, opacity: faded ? 0.28 : 1 }, gNode);
        const r = radius(p, n);
        const t = n.threat / maxThreat;
        if (t > 0.05) el("circle", { r: r + 2 + 4 * t, fill: "none", stroke: "#E53935", "stroke-opacity": 0.3 + 0.5 * t, "stroke-width": 1.5 + 3 * t }, g);
        const look = { fill: colourOf(n), stroke: n.patron ? "#000" : "#222", "stroke-width": n.patron ? 4 : 1.3 };
        if (n.absent) look["stroke-dasharray"] = "3 3";
        if (focus === n.id || view.highlight === n.id) { look.stroke = "#FFB300"; look["stroke-width"] = 5; }
        if (n.kind === "organisation") el("rect", Object.assign({ x: -r, y: -r, width: 2 * r, height: 2 * r, rx: 4 }, look), g);
        else if (n.kind !== "state") el("path", Object.assign({ d: `M0,${-r * 1.2} L${r * 1.2},0 L0,${r * 1.2} L${-r * 1.2},0 z` }, look), g);
        else el("circle", Object.assign({ r }, look), g);
        if (view.seated.has(n.id)) el("circle", { r: 3.5, cx: r * 0.75, cy: -r * 0.75, fill: "#FFB300", stroke: "#000", "stroke-width": 1, class: "seat" }, g);
        const label = el("text", { x: 0, y: p.rMax + 3 + p.font * 0.82, "text-anchor": "middle", "font-size": p.font, "font-weight": 700,
          fill: "#111", stroke: "#fff", "stroke-width": 4, "paint-order": "stroke", "stroke-linejoin": "round", class: "label node-label" }, g);
        label.textContent = p.label;
        const title = el("title", {}, g);
        title.textContent = n.label + " (" + n.kind + ", " + n.region + ")" + (view.seated.has(n.id) ? "\nplayed by " + view.seated.get(n.id) : "") +
          "\ncapability " + n.capability.toFixed(3) + "\nperceived threat " + n.threat.toFixed(3) + (n.absent ? "\nnot yet in the system" : "");
        g.addEventListener("click", () => { if (view.onSelect) view.onSelect(n.id); });
      });
    }

    function nodeOf(net, id) { return net.nodes.find((n) => n.id === id) || { capability: 0, kind: "state" }; }
    // radius within the cell's room, by capability (organisations smaller:
    // their capability is their members')
    function radius(p, n) {
      const c = Math.sqrt(Math.max(0, Math.min(1, n.capability || 0)));
      return Math.max(4, Math.min(p.rMax, 5 + (n.kind === "state" ? 20 : 10) * c));
    }

    view.draw = draw;
    view.setFocus = (id) => { view.focus = id; if (view.net) draw(view.net); };
    view.setHidden = (forms) => { view.hidden = new Set(forms); if (view.net) draw(view.net); };
    view.setColourBy = (by) => { view.colourBy = by; if (view.net) draw(view.net); };
    view.setShowOrgs = (on) => { view.showOrgs = on; if (view.net) draw(view.net); };
    view.relayout = () => { view.key = ""; if (view.net) draw(view.net); };
    // labelBoxes returns every text label's box on screen (for the test).
    view.labelBoxes = () => [...svg.querySelectorAll("text.label")].map((t) => {
      const r = t.getBoundingClientRect();
      return { text: t.textContent, x: r.left, y: r.top, w: r.width, h: r.height, size: parseFloat(t.getAttribute("font-size")) * (svg.getBoundingClientRect().width / size().W) };
    });
    view.legend = (box) => legend(view, box);
    view.svgText = () => {
      const clone = svg.cloneNode(true);
      const { W, H } = size();
      clone.setAttribute("xmlns", SVGNS);
      clone.setAttribute("width", W);
      clone.setAttribute("height", H);
      clone.querySelectorAll("title").forEach((t) => t.remove());
      return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(clone);
    };
    return view;
  }

  // legend fills an HTML element with what the colours, lines and hulls mean.
  function legend(view, box) {
    box.textContent = "";
    const row = (swatch, text) => {
      const d = document.createElement("div");
      d.className = "lg";
      d.appendChild(swatch);
      d.appendChild(document.createTextNode(text));
      box.appendChild(d);
    };
    const sw = (draw) => { const s = el("svg", { width: 30, height: 16, viewBox: "0 0 30 16" }); draw(s); return s; };
    if (view.colourBy === "region") view.regionColour.forEach((c, r) => row(sw((s) => el("circle", { cx: 15, cy: 8, r: 6, fill: c, stroke: "#222" }, s)), r));
    for (const [form, s] of Object.entries(FORMS)) {
      if (form === "coalition") continue;
      const d = sw((v) => el("line", { x1: 1, y1: 8, x2: 29, y2: 8, stroke: s.stroke, "stroke-width": 4, "stroke-dasharray": s.dash }, v));
      row(d, s.label + (view.hidden.has(form) ? " (hidden)" : ""));
    }
    const net = view.net;
    if (net) (net.groups || []).forEach((g) => {
      const c = g.kind === "coalition" ? "#C62828" : GROUP_COLOURS[g.id % GROUP_COLOURS.length];
      row(sw((s) => el("rect", { x: 2, y: 2, width: 26, height: 12, rx: 6, fill: c, "fill-opacity": 0.35, stroke: c, "stroke-width": 2 }, s)),
        (g.kind === "coalition" ? "coalition vs " + (g.threat || "?") : g.name || "group") + (g.issue ? " · " + g.issue : "") + " (" + g.members.length + ")");
    });
  }

  window.NetView = { create, layout, FORMS };
})();
