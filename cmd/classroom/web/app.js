// entente classroom mode: a live, steerable view of the alliance network.
// Plain JavaScript, no external resources. The server holds the run; this
// page draws it, lays the network out with a small force layout that is
// warm-started every step (so the picture stays put), and sends the knobs.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);

  const DEFAULT_CHARTS = ["ties_alliance", "ties_cooperation", "minilaterals", "coalitions"];

  const app = {
    session: null, state: null, playing: false, colourBy: "region",
    series: [], metrics: [], events: [], selected: null,
    perf: [], renderPerf: [], renders: 0, busy: false, reachedEnd: false,
    charts: DEFAULT_CHARTS.slice(),
  };
  window.classroom = app; // for the browser test and the curious

  // ---------- server ----------

  async function api(method, path, body) {
    const opt = { method, headers: {} };
    if (body !== undefined) {
      opt.body = JSON.stringify(body);
      opt.headers["Content-Type"] = "application/json";
    }
    const r = await fetch(path, opt);
    let data = null;
    const text = await r.text();
    try { data = text ? JSON.parse(text) : null; } catch (e) { data = { error: text }; }
    if (!r.ok) {
      const err = new Error((data && data.error) || r.statusText);
      err.status = r.status; err.data = data;
      throw err;
    }
    return data;
  }
  const sessionPath = (p) => "/api/session/" + encodeURIComponent(app.session) + (p || "");

  async function ensureSession(body) {
    const st = await api("POST", "/api/session", body || { scenario: "classroom" });
    app.session = st.session;
    try { sessionStorage.setItem("entente-session", st.session); } catch (e) { /* private mode */ }
    return st;
  }

  // call runs a session request, making a new session if the old one expired.
  async function call(method, p, body) {
    try {
      return await api(method, sessionPath(p), body);
    } catch (e) {
      if (e.status === 404 && /session/.test(e.message)) {
        const name = app.state ? app.state.scenario.name : "classroom";
        const st = await ensureSession(app.state && app.state.scenario.builtin ? { scenario: name } : {});
        showBanner("the session had expired: started again", 3000);
        return st;
      }
      throw e;
    }
  }

  // ---------- state ----------

  function accept(st) {
    const scenarioChanged = !app.state || app.state.scenario.name !== st.scenario.name ||
      app.state.scenario.file !== st.scenario.file || app.state.session !== st.session;
    if (st.full) {
      app.series = st.series.slice();
      app.events = st.events.slice();
    } else {
      app.series.push(...st.series);
      app.events.push(...st.events);
      if (app.events.length > 2000) app.events.splice(0, app.events.length - 2000);
    }
    app.metrics = st.metrics;
    app.state = st;
    if (scenarioChanged) newScenario(st);
    if (st.step === 0) app.reachedEnd = false;
    render();
  }

  function newScenario(st) {
    app.selected = null;
    $("actor").hidden = true;
    app.charts = DEFAULT_CHARTS.map((m, i) => (st.metrics.includes(m) ? m : st.metrics[i] || st.metrics[0]));
    buildKnobs(st);
    buildCharts();
    const sel = $("scenario");
    if (st.scenario.builtin) sel.value = st.scenario.name;
    else {
      let opt = sel.querySelector("option[data-upload]");
      if (!opt) { opt = document.createElement("option"); opt.dataset.upload = "1"; sel.appendChild(opt); }
      opt.value = "__upload"; opt.textContent = st.scenario.file + " (file)";
      sel.value = "__upload";
    }
    $("about").textContent = st.scenario.description || "";
  }

  // ---------- knobs ----------

  function knobRow(parent, key, title, knob) {
    const div = document.createElement("div");
    div.className = "knob";
    div.dataset.knob = key;
    div.innerHTML = '<div class="knobhead"><span></span><output></output>' +
      '<button class="follow" title="follow the scenario again">scenario</button></div>' +
      '<input type="range" min="0" max="1" step="0.01">';
    div.querySelector("span").textContent = title;
    const input = div.querySelector("input");
    input.setAttribute("aria-label", title);
    const follow = div.querySelector("button");
    input.addEventListener("input", () => {
      div.querySelector("output").textContent = (+input.value).toFixed(2);
      follow.classList.remove("on");
      div.dataset.dirty = "1";
      sendKnob(key, +input.value);
    });
    input.addEventListener("change", () => { delete div.dataset.dirty; sendKnob(key, +input.value, true); });
    follow.addEventListener("click", () => sendKnob(key, null, true));
    parent.appendChild(div);
    updateKnob(div, knob);
  }

  function updateKnob(div, knob) {
    if (!div || div.dataset.dirty) return;
    div.querySelector("input").value = knob.value;
    div.querySelector("output").textContent = knob.value.toFixed(2);
    const follow = div.querySelector("button");
    follow.classList.toggle("on", !knob.set);
    follow.title = knob.set ? "set by the class; click to follow the scenario's profile again" : "following the scenario's profile";
  }

  function buildKnobs(st) {
    const tk = $("threatKnobs");
    tk.textContent = "";
    if (!st.knobs.threats.length) tk.textContent = "no threats in this scenario";
    st.knobs.threats.forEach((t) => knobRow(tk, "threat:" + t.name, t.name + " (" + t.kind + ")", t));
    const rk = $("retrenchKnobs");
    rk.textContent = "";
    knobRow(rk, "political", "political", st.knobs.political);
    knobRow(rk, "military", "military", st.knobs.military);
    updateModelKnobs(st);
  }

  function updateModelKnobs(st) {
    const t = $("temperature");
    if (!t.dataset.dirty) {
      t.max = Math.max(0.5, st.knobs.temperature);
      t.value = st.knobs.temperature;
      $("tempOut").textContent = (+st.knobs.temperature).toFixed(3);
    }
    if (document.activeElement !== $("seed")) $("seed").value = st.seed;
  }

  function updateKnobs(st) {
    st.knobs.threats.forEach((t) => updateKnob(knobDiv("threat:" + t.name), t));
    updateKnob(knobDiv("political"), st.knobs.political);
    updateKnob(knobDiv("military"), st.knobs.military);
    updateModelKnobs(st);
  }
  const knobDiv = (key) => document.querySelector('.knob[data-knob="' + CSS.escape(key) + '"]');

  // sendKnob throttles slider drags to one request in flight per knob.
  const pending = new Map();
  function sendKnob(key, value, final) {
    const body = value === null ? { knob: key, profile: true } : { knob: key, value };
    const p = pending.get(key) || { busy: false, next: null };
    pending.set(key, p);
    if (p.busy) { p.next = body; return; }
    p.busy = true;
    (async function run(b) {
      try {
        const st = await call("POST", "/knob", b);
        if (st.session === app.session && !p.next) {
          const div = knobDiv(key);
          if (div && final) delete div.dataset.dirty;
          accept(st);
        }
      } catch (e) { showError(e); }
      if (p.next) { const n = p.next; p.next = null; return run(n); }
      p.busy = false;
    })(body);
  }

  $("temperature").addEventListener("input", (ev) => {
    ev.target.dataset.dirty = "1";
    $("tempOut").textContent = (+ev.target.value).toFixed(3);
    sendKnob("temperature", +ev.target.value);
  });
  $("temperature").addEventListener("change", (ev) => { delete ev.target.dataset.dirty; sendKnob("temperature", +ev.target.value, true); });
  $("seed").addEventListener("change", (ev) => {
    const v = Math.floor(+ev.target.value);
    if (!(v >= 0)) return;
    sendKnob("seed", v, true);
    showBanner("seed " + v + ": press reset to rerun with it", 2500);
  });

  // ---------- play ----------

  async function stepOnce() {
    if (app.busy) return false;
    app.busy = true;
    const t0 = performance.now();
    try {
      const st = await call("POST", "/step", { steps: 1 });
      accept(st);
      app.perf.push(performance.now() - t0);
      if (app.perf.length > 200) app.perf.shift();
      return true;
    } catch (e) {
      showError(e);
      return false;
    } finally {
      app.busy = false;
    }
  }

  async function playLoop() {
    while (app.playing) {
      const t0 = performance.now();
      const ok = await stepOnce();
      const st = app.state;
      if (!ok || st.step >= st.maxSteps) { setPlaying(false); break; }
      if (!app.reachedEnd && st.step >= st.scenario.steps) {
        app.reachedEnd = true;
        setPlaying(false);
        showBanner("end of the scenario (" + st.scenario.steps + " steps): play to go on", 4000);
        break;
      }
      const wait = 1000 / +$("speed").value - (performance.now() - t0);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  }

  function setPlaying(on) {
    app.playing = on;
    $("play").textContent = on ? "❚❚ pause" : "▶ play";
    if (on) playLoop();
  }

  $("play").addEventListener("click", () => setPlaying(!app.playing));
  $("step").addEventListener("click", () => { setPlaying(false); stepOnce(); });
  $("reset").addEventListener("click", async () => {
    setPlaying(false);
    try { accept(await call("POST", "/reset", {})); } catch (e) { showError(e); }
  });
  document.addEventListener("keydown", (ev) => {
    if (ev.target.closest("input, select, textarea")) return;
    if (ev.key === " ") { ev.preventDefault(); setPlaying(!app.playing); }
    else if (ev.key === "ArrowRight") { setPlaying(false); stepOnce(); }
    else if (ev.key === "r") $("reset").click();
    else if (ev.key === "Escape") closeActor();
  });

  // ---------- scenarios ----------

  async function loadScenarios() {
    const list = await api("GET", "/api/scenarios");
    const sel = $("scenario");
    sel.textContent = "";
    list.forEach((s) => {
      const o = document.createElement("option");
      o.value = s.name; o.textContent = s.name; o.title = s.summary;
      sel.appendChild(o);
    });
  }

  $("scenario").addEventListener("change", async (ev) => {
    if (ev.target.value === "__upload") return;
    setPlaying(false);
    try { accept(await call("POST", "/scenario", { scenario: ev.target.value })); clearErrors(); } catch (e) { showError(e); }
  });

  $("upload").addEventListener("change", async (ev) => {
    const f = ev.target.files[0];
    ev.target.value = "";
    if (!f) return;
    setPlaying(false);
    if (f.size > 1 << 20) { showError(new Error("the file is larger than 1 MiB")); return; }
    const text = await f.text();
    try { accept(await call("POST", "/scenario", { file: f.name, source: text })); app.lastUpload = { file: f.name, source: text }; clearErrors(); } catch (e) { showError(e, f.name); }
  });

  function clearErrors() { const box = $("errors"); box.hidden = true; box.textContent = ""; }

  function showError(e, file) {
    const box = $("errors");
    box.hidden = false;
    box.textContent = "";
    const h = document.createElement("h3");
    h.textContent = file ? file + ": not loaded" : "problem";
    box.appendChild(h);
    const p = document.createElement("div");
    p.textContent = e.message;
    box.appendChild(p);
    if (e.data && e.data.errors) {
      const ul = document.createElement("ul");
      e.data.errors.forEach((x) => {
        const li = document.createElement("li");
        li.textContent = x.text;
        ul.appendChild(li);
      });
      box.appendChild(ul);
    }
    const close = document.createElement("button");
    close.textContent = "dismiss";
    close.addEventListener("click", clearErrors);
    box.appendChild(close);
  }

  let bannerTimer = 0;
  function showBanner(text, ms) {
    const b = $("banner");
    b.textContent = text; b.hidden = false;
    clearTimeout(bannerTimer);
    bannerTimer = setTimeout(() => { b.hidden = true; }, ms);
  }

  // ---------- drawing ----------

  // The network is drawn by netview.js: actors grouped by region on a fixed
  // layout where no label overlaps another, groups as hulls, focus on the
  // selected actor. It stays put between steps.
  const SVGNS = "http://www.w3.org/2000/svg";
  const el = (name, attrs, parent) => {
    const e = document.createElementNS(SVGNS, name);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  };
  const view = NetView.create($("net"), { onSelect: (id) => selectActor(id) });
  app.view = view;

  function render() {
    const st = app.state;
    const t0 = performance.now();
    drawNetwork(st);
    updateKnobs(st);
    drawCharts();
    drawLog();
    $("clock").textContent = "step " + st.step + " / " + st.scenario.steps;
    if (app.selected) refreshActor();
    app.renders++;
    app.lastRenderMs = performance.now() - t0;
    app.renderPerf.push(app.lastRenderMs);
    if (app.renderPerf.length > 200) app.renderPerf.shift();
  }

  function drawNetwork(st) {
    view.focus = app.selected;
    view.draw(st.network);
    view.legend($("legend"));
  }
  let resizeTimer = 0;
  window.addEventListener("resize", () => { clearTimeout(resizeTimer); resizeTimer = setTimeout(() => view.relayout(), 150); });

  // ---------- charts ----------

  function buildCharts() {
    const box = $("charts");
    box.textContent = "";
    app.charts.forEach((m, ci) => {
      const div = document.createElement("div");
      div.className = "chart";
      div.innerHTML = '<div class="head"><select></select><span class="val"></span></div>';
      const sel = div.querySelector("select");
      sel.setAttribute("aria-label", "metric of chart " + (ci + 1));
      app.metrics.forEach((name) => {
        const o = document.createElement("option");
        o.value = name; o.textContent = name.replace(/_/g, " ");
        sel.appendChild(o);
      });
      sel.value = m;
      sel.addEventListener("change", () => { app.charts[ci] = sel.value; drawCharts(); });
      el("svg", { viewBox: "0 0 360 92", preserveAspectRatio: "none" }, div);
      box.appendChild(div);
    });
  }

  function drawCharts() {
    const divs = $("charts").querySelectorAll(".chart");
    const st = app.state;
    const last = Math.max(st.scenario.steps, st.step, 1);
    app.charts.forEach((m, ci) => {
      const div = divs[ci];
      if (!div) return;
      const k = app.metrics.indexOf(m);
      const svg = div.querySelector("svg");
      svg.textContent = "";
      if (k < 0) return;
      const pts = app.series.map((p) => [p.step, p.values[k]]);
      let lo = Math.min(0, ...pts.map((p) => p[1])), hi = Math.max(...pts.map((p) => p[1]));
      if (!(hi > lo)) hi = lo + 1;
      const X = (t) => 34 + (320 * t) / last, Y = (v) => 84 - (76 * (v - lo)) / (hi - lo);
      el("line", { x1: 34, y1: 84, x2: 356, y2: 84, stroke: "#888", "stroke-width": 1 }, svg);
      el("line", { x1: 34, y1: 6, x2: 34, y2: 84, stroke: "#888", "stroke-width": 1 }, svg);
      const fmt = (v) => (Math.abs(v) >= 100 || Number.isInteger(v) ? String(Math.round(v)) : v.toFixed(2));
      el("text", { x: 30, y: 14, "font-size": 12, "text-anchor": "end", fill: "#333" }, svg).textContent = fmt(hi);
      el("text", { x: 30, y: 86, "font-size": 12, "text-anchor": "end", fill: "#333" }, svg).textContent = fmt(lo);
      el("text", { x: 356, y: 92, "font-size": 10, "text-anchor": "end", fill: "#555" }, svg).textContent = String(last);
      const d = pts.map((p, i) => (i ? "L" : "M") + X(p[0]).toFixed(1) + "," + Y(p[1]).toFixed(1)).join("");
      el("path", { d, fill: "none", stroke: "#0B57D0", "stroke-width": 2.5, "stroke-linejoin": "round", class: "series" }, svg);
      if (pts.length) {
        const p = pts[pts.length - 1];
        el("circle", { cx: X(p[0]), cy: Y(p[1]), r: 3.5, fill: "#0B57D0" }, svg);
        div.querySelector(".val").textContent = fmt(p[1]);
      }
    });
  }

  // ---------- log and actor panel ----------

  function drawLog() {
    const ol = $("log");
    const showRefusals = $("showRefusals").checked;
    ol.textContent = "";
    let shown = 0;
    for (let i = app.events.length - 1; i >= 0 && shown < 150; i--) {
      const e = app.events[i];
      if (!showRefusals && /rejected/.test(e.kind)) continue;
      const li = document.createElement("li");
      li.className = "k-" + e.kind + (app.selected && (e.actor === app.selected || e.other === app.selected) ? " hl" : "");
      li.textContent = e.text;
      ol.appendChild(li);
      shown++;
    }
    if (!shown) {
      const li = document.createElement("li");
      li.textContent = app.state.step ? "no decisions yet" : "press play: decisions appear here";
      ol.appendChild(li);
    }
  }
  $("showRefusals").addEventListener("change", drawLog);

  function selectActor(id) {
    app.selected = app.selected === id ? null : id;
    if (!app.selected) { closeActor(); return; }
    drawNetwork(app.state);
    drawLog();
    refreshActor();
  }

  function closeActor() {
    app.selected = null;
    $("actor").hidden = true;
    if (app.state) { drawNetwork(app.state); drawLog(); }
  }

  let actorSeq = 0;
  async function refreshActor() {
    const id = app.selected, seq = ++actorSeq;
    let d;
    try { d = await call("GET", "/actor/" + encodeURIComponent(id)); } catch (e) { showError(e); return; }
    if (seq !== actorSeq || app.selected !== id) return;
    const box = $("actor");
    box.hidden = false;
    box.textContent = "";
    const h = document.createElement("h3");
    h.textContent = d.label + (d.patron ? " (patron)" : "");
    const x = document.createElement("button");
    x.textContent = "×"; x.title = "close (Esc)";
    x.addEventListener("click", closeActor);
    h.appendChild(x);
    box.appendChild(h);
    const line = (t) => { const p = document.createElement("div"); p.textContent = t; box.appendChild(p); };
    line(d.id + " · " + d.kind + " · " + d.region + (d.members.length ? " · members " + d.members.join(", ") : ""));
    line("capability " + d.capability.toFixed(3) + " · reliability " + d.reliability.toFixed(2) + " · reputation " + d.reputation.toFixed(2));
    line("threat felt " + d.threat.toFixed(3) + (d.threats.length ? " (" + d.threats.map((t) => t.name + " " + t.value.toFixed(2)).join(", ") + ")" : "") +
      " · insecurity " + d.insecurity.toFixed(3));
    line("depends on the patron " + (100 * d.dependence).toFixed(0) + "% · autonomy " + d.autonomy.toFixed(2));
    const table = document.createElement("table");
    table.innerHTML = "<tr><th>tie with</th><th>form</th><th>level</th><th class=num>trust</th><th class=num>age</th></tr>";
    d.ties.forEach((t) => {
      const tr = document.createElement("tr");
      const cells = [t.label, t.form + (t.donor ? (t.donor === d.id ? " →" : " ←") : ""), t.level, t.trust.toFixed(2), String(t.age)];
      cells.forEach((c, i) => { const td = document.createElement("td"); td.textContent = c; if (i > 2) td.className = "num"; tr.appendChild(td); });
      table.appendChild(tr);
    });
    if (!d.ties.length) line("no ties");
    else box.appendChild(table);
    if (d.groups.length) line("groups: " + d.groups.map((g) => g.name + " (" + g.kind + ", " + g.level + ")").join("; "));
    // what the actor would weigh now, with the model's expected change in
    // its utility by term (the explanation students see on their devices)
    if (d.options && d.options.length) {
      const ho = document.createElement("strong");
      ho.textContent = "its options now (change in utility by term; the model's odds)";
      box.appendChild(ho);
      const ot = document.createElement("table");
      ot.className = "opts";
      d.options.slice().sort((a, b) => b.prob - a.prob).slice(0, 6).forEach((o) => {
        const tr = document.createElement("tr");
        const td = document.createElement("td");
        td.textContent = o.text;
        const why = document.createElement("div");
        why.className = "note";
        why.textContent = o.terms.map((v, i) => [d.terms[i], v]).filter((x) => Math.abs(x[1]) >= 5e-4)
          .map((x) => x[0] + " " + (x[1] > 0 ? "+" : "") + x[1].toFixed(3)).join(", ");
        td.appendChild(why);
        const dd = document.createElement("td"); dd.className = "num"; dd.textContent = (o.delta > 0 ? "+" : "") + o.delta.toFixed(3);
        const pp = document.createElement("td"); pp.className = "num"; pp.textContent = Math.round(100 * o.prob) + "%";
        tr.appendChild(td); tr.appendChild(dd); tr.appendChild(pp);
        ot.appendChild(tr);
      });
      box.appendChild(ot);
    }
    const h4 = document.createElement("strong");
    h4.textContent = "recent decisions";
    box.appendChild(h4);
    const ul = document.createElement("ul");
    d.recent.forEach((e) => { const li = document.createElement("li"); li.textContent = e.text; ul.appendChild(li); });
    if (!d.recent.length) { const li = document.createElement("li"); li.textContent = "none yet"; ul.appendChild(li); }
    box.appendChild(ul);
  }

  // ---------- colour toggle ----------

  function setColourBy(by) {
    app.colourBy = by;
    $("byRegion").classList.toggle("on", by === "region");
    $("byBloc").classList.toggle("on", by === "bloc");
    view.colourBy = by;
    if (app.state) drawNetwork(app.state);
  }
  $("byRegion").addEventListener("click", () => setColourBy("region"));
  $("byBloc").addEventListener("click", () => setColourBy("bloc"));

  // ---------- export ----------

  function fileBase() {
    const st = app.state;
    return (st.scenario.name || "run").replace(/[^A-Za-z0-9._-]/g, "_") + "-step" + st.step;
  }

  function svgText() { return view.svgText(); }

  function download(blob, name) {
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 5000);
  }

  app.svgText = svgText;
  $("exportSVG").addEventListener("click", () => download(new Blob([svgText()], { type: "image/svg+xml" }), fileBase() + ".svg"));
  $("exportPNG").addEventListener("click", () => {
    const img = new Image();
    const url = URL.createObjectURL(new Blob([svgText()], { type: "image/svg+xml" }));
    img.onload = () => {
      const r = $("net").getBoundingClientRect();
      const c = document.createElement("canvas");
      c.width = 2 * r.width; c.height = 2 * r.height;
      const ctx = c.getContext("2d");
      ctx.fillStyle = "#fff";
      ctx.fillRect(0, 0, c.width, c.height);
      ctx.drawImage(img, 0, 0, c.width, c.height);
      URL.revokeObjectURL(url);
      c.toBlob((b) => download(b, fileBase() + ".png"), "image/png");
    };
    img.onerror = () => showError(new Error("could not draw the PNG"));
    img.src = url;
  });
  $("exportCSV").addEventListener("click", () => {
    const a = document.createElement("a");
    a.href = sessionPath("/series.csv");
    a.download = fileBase() + "-series.csv";
    document.body.appendChild(a);
    a.click();
    a.remove();
  });

  // ---------- a class ----------

  // startClass starts a class on the scenario shown (a built-in, or the
  // file opened) and opens the teacher's page; the teacher's token travels
  // in the address's fragment, which no server sees.
  $("startClass").addEventListener("click", async () => {
    const st = app.state;
    const mode = confirm("Let students pick their states?\n\nOK: students pick a free state.\nCancel: you assign the states.") ? "pick" : "teacher";
    const body = { mode };
    if (st && st.scenario.builtin) body.scenario = st.scenario.name;
    else if (app.lastUpload) { body.file = app.lastUpload.file; body.source = app.lastUpload.source; }
    else body.scenario = "classroom";
    try {
      const ci = await api("POST", "/api/class", body);
      location.href = "/class.html#code=" + ci.code + "&teacher=" + ci.teacher;
    } catch (e) { showError(e); }
  });

  // ---------- start ----------

  async function start() {
    try {
      await loadScenarios();
      let st = null;
      let saved = null;
      try { saved = sessionStorage.getItem("entente-session"); } catch (e) { /* private mode */ }
      if (saved) {
        app.session = saved;
        try { st = await api("GET", sessionPath()); } catch (e) { st = null; }
      }
      if (!st) st = await ensureSession();
      accept(st);
      app.ready = true;
    } catch (e) {
      showError(e);
    }
  }
  start();
})();
