// entente class: the teacher's page and the projector's. The address's
// fragment carries the class code and, on the teacher's link only, the
// teacher's token (a fragment is never sent to a server or in a referrer).
// Updates arrive as server-sent events; the page never polls.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const frag = new URLSearchParams(location.hash.slice(1));
  const code = (frag.get("code") || new URLSearchParams(location.search).get("code") || "").toUpperCase();
  let teacher = frag.get("teacher") || "";
  try {
    if (teacher) sessionStorage.setItem("entente-teacher-" + code, teacher);
    else teacher = sessionStorage.getItem("entente-teacher-" + code) || "";
  } catch (e) { /* private mode */ }
  if (teacher) history.replaceState(null, "", location.pathname + "#code=" + code);

  const app = {
    code, teacher, role: teacher ? "teacher" : "projector", info: null, status: null, step: null,
    focus: null, ready: false, renders: 0, replaying: null, frames: null, serverOffset: 0, received: 0,
  };
  window.classPage = app; // for the browser test and the curious

  const view = NetView.create($("net"), { onSelect: (id) => select(id) });
  app.view = view;

  async function api(method, path, body) {
    const opt = { method, headers: {} };
    if (body !== undefined) { opt.body = JSON.stringify(body); opt.headers["Content-Type"] = "application/json"; }
    if (teacher) opt.headers["X-Entente-Token"] = teacher;
    const r = await fetch(path, opt);
    const text = await r.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch (e) { data = { error: text }; }
    if (!r.ok) { const err = new Error((data && data.error) || r.statusText); err.status = r.status; throw err; }
    return data;
  }
  const base = "/api/class/" + encodeURIComponent(code);
  const act = (action, body) => api("POST", base + "/teacher/" + action, body || {}).catch(showError);

  let bannerTimer = 0;
  function banner(text, ms) {
    const b = $("banner");
    b.textContent = text; b.hidden = false;
    clearTimeout(bannerTimer);
    if (ms) bannerTimer = setTimeout(() => { b.hidden = true; }, ms);
  }
  function showError(e) { banner(e.message || String(e), 6000); }

  // ---------- events ----------

  function connect() {
    const es = new EventSource(base + "/events" + (teacher ? "?token=" + encodeURIComponent(teacher) : ""));
    es.addEventListener("hello", (e) => { app.role = JSON.parse(e.data).role; $("teacherControls").hidden = app.role !== "teacher"; });
    es.addEventListener("status", (e) => { app.received = performance.now(); onStatus(JSON.parse(e.data)); });
    es.addEventListener("step", (e) => onStep(JSON.parse(e.data)));
    es.addEventListener("closed", () => { banner("the class has ended", 0); es.close(); });
    es.onerror = () => { if (es.readyState === EventSource.CLOSED) banner("lost the connection to the server; reload the page", 0); };
    app.es = es;
  }

  function onStatus(st) {
    const prev = app.status;
    app.status = st;
    $("round").textContent = st.phase === "lobby" ? "lobby: students join" : st.phase === "ended" ? "run ended at step " + st.step :
      "step " + st.step + " / " + st.steps + (st.phase === "resolving" ? " · resolving" : "") + (st.paused ? " · paused" : "");
    $("chosen").textContent = st.phase === "choosing" ? st.chosen + " / " + st.seated + " chosen" : st.joined + " joined";
    $("codeSmall").textContent = code.slice(0, 3) + "-" + code.slice(3);
    $("pause").textContent = st.paused ? "resume" : "pause";
    $("start").hidden = st.phase !== "lobby";
    $("advance").hidden = st.phase === "lobby" || st.phase === "ended";
    $("auto").checked = st.auto;
    $("assignRow").hidden = app.role !== "teacher";
    const sel = $("timerSel");
    if (![...sel.options].some((o) => +o.value === st.timer)) { const o = document.createElement("option"); o.textContent = st.timer; sel.appendChild(o); }
    sel.value = String(st.timer);
    app.deadline = performance.now() + st.leftMs;
    const jb = $("joinBox");
    jb.hidden = !app.info || st.phase === "ended";
    const small = st.phase !== "lobby";
    jb.classList.toggle("small", small);
    // during the rounds the join box moves to the side panel, off the picture
    if (small && jb.parentElement !== $("side")) $("side").prepend(jb);
    if (!small && jb.parentElement !== $("stage")) $("stage").appendChild(jb);
    drawStudents(st);
    if (st.waiting.length) banner("waiting for " + st.waiting.map((w) => w.student + " (" + w.actor + ", asked by " + w.from + ")").join(", ") + " to answer", 0);
    else if (prev && prev.waiting.length) $("banner").hidden = true;
    if (st.replay && (!prev || !prev.replay || prev.replay.sinceMs > st.replay.sinceMs)) startReplay(st.replay);
    if (!st.replay && app.replaying) stopReplay();
    if (st.phase === "ended" && prev && prev.phase !== "ended") openDebrief();
  }

  function tick() {
    const st = app.status;
    const t = $("timer");
    if (st && st.phase === "choosing") {
      const left = st.paused ? st.leftMs : Math.max(0, app.deadline - performance.now());
      const s = Math.ceil(left / 1000);
      t.textContent = Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
      t.classList.toggle("low", s <= 10);
    } else t.textContent = "";
    requestAnimationFrame(tick);
  }

  function onStep(sv) {
    const first = !app.step;
    app.step = sv;
    $("scenarioName").textContent = sv.scenario.name + " · seed " + sv.seed;
    if (first) { buildFilters(); buildKnobs(sv); }
    updateKnobs(sv);
    if (!app.replaying) drawNet(sv.network);
    drawCharts(sv);
    drawLog(sv);
    if (app.focus) refreshFocus();
    app.renders++;
  }

  function drawNet(net) {
    view.seated = new Map();
    if (app.status && app.status.students) app.status.students.forEach((s) => { if (s.actor) view.seated.set(s.actor, s.name); });
    view.draw(net);
    view.legend($("legend"));
  }

  // ---------- students ----------

  function drawStudents(st) {
    const ol = $("students");
    ol.textContent = "";
    $("studentCount").textContent = "(" + st.joined + ")";
    const states = app.step ? app.step.network.nodes.filter((n) => n.kind === "state") : [];
    const taken = new Set((st.students || []).map((s) => s.actor).filter(Boolean));
    (st.students || []).forEach((s) => {
      const li = document.createElement("li");
      li.className = (st.phase === "choosing" && s.actor ? (s.chosen ? "chosen" : "waiting") : "") + (s.online ? "" : " offline");
      const name = document.createElement("span");
      name.textContent = s.name;
      li.appendChild(name);
      if (app.role === "teacher") {
        const sel = document.createElement("select");
        sel.setAttribute("aria-label", "state of " + s.name);
        const none = document.createElement("option"); none.value = ""; none.textContent = "no state"; sel.appendChild(none);
        states.forEach((n) => {
          if (taken.has(n.id) && n.id !== s.actor) return;
          const o = document.createElement("option"); o.value = n.id; o.textContent = n.label; sel.appendChild(o);
        });
        sel.value = s.actor || "";
        sel.addEventListener("change", () => act("assign", { student: s.id, actor: sel.value }));
        li.appendChild(sel);
        const x = document.createElement("button");
        x.textContent = "×"; x.title = "remove " + s.name + " from the class";
        x.addEventListener("click", () => { if (confirm("Remove " + s.name + " from the class?")) act("kick", { student: s.id }); });
        li.appendChild(x);
      } else {
        const sp = document.createElement("span"); sp.className = "st"; sp.textContent = s.label || "no state yet"; li.appendChild(sp);
      }
      ol.appendChild(li);
    });
    if (!(st.students || []).length) { const li = document.createElement("li"); li.textContent = "no one yet"; ol.appendChild(li); }
    if (app.step && !app.replaying) drawNet(app.step.network);
  }

  // ---------- knobs ----------

  function knobRow(parent, key, title) {
    const div = document.createElement("div");
    div.className = "knob"; div.dataset.knob = key;
    div.innerHTML = '<div class="knobhead"><span></span><output></output></div><input type="range" min="0" max="1" step="0.05">';
    div.querySelector("span").textContent = title;
    const input = div.querySelector("input");
    input.setAttribute("aria-label", title);
    input.addEventListener("input", () => { div.querySelector("output").textContent = (+input.value).toFixed(2); div.dataset.dirty = "1"; });
    input.addEventListener("change", () => { delete div.dataset.dirty; act("knob", { knob: key, value: +input.value }); });
    parent.appendChild(div);
  }
  function buildKnobs(sv) {
    $("knobBox").hidden = app.role !== "teacher";
    $("threatKnobs").textContent = "";
    sv.knobs.threats.forEach((t) => knobRow($("threatKnobs"), "threat:" + t.name, t.name + " (" + t.kind + ")"));
    $("retrenchKnobs").textContent = "";
    knobRow($("retrenchKnobs"), "political", "political");
    knobRow($("retrenchKnobs"), "military", "military");
  }
  function updateKnobs(sv) {
    const set = (key, k) => {
      const div = document.querySelector('.knob[data-knob="' + key + '"]');
      if (!div || div.dataset.dirty) return;
      div.querySelector("input").value = k.value;
      div.querySelector("output").textContent = k.value.toFixed(2) + (k.set ? " (set)" : "");
    };
    sv.knobs.threats.forEach((t) => set("threat:" + t.name, t));
    set("political", sv.knobs.political);
    set("military", sv.knobs.military);
  }

  // ---------- filters, charts, log ----------

  function buildFilters() {
    const box = $("filters");
    box.textContent = "";
    const add = (label, on, fn) => {
      const l = document.createElement("label");
      const c = document.createElement("input");
      c.type = "checkbox"; c.checked = on;
      c.addEventListener("change", () => fn(c.checked));
      l.appendChild(c); l.appendChild(document.createTextNode(" " + label));
      box.appendChild(l);
      return c;
    };
    const hidden = new Set();
    ["alliance", "cooperation", "assistance"].forEach((f) => add(f, true, (on) => {
      if (on) hidden.delete(f); else hidden.add(f);
      view.setHidden([...hidden]); view.legend($("legend"));
    }).dataset.form = f);
    add("organisations", false, (on) => view.setShowOrgs(on));
  }

  const CHARTS = [["ties_alliance", "ties_cooperation"], ["minilaterals", "coalitions"]];
  function drawCharts(sv, box) {
    box = box || $("charts");
    box.textContent = "";
    const last = Math.max(sv.scenario.steps, sv.step, 1);
    CHARTS.forEach((names) => {
      const lines = names.filter((m) => sv.metrics.includes(m)).map((m) => {
        const k = sv.metrics.indexOf(m);
        return { name: m.replace(/_/g, " "), points: sv.series.map((p) => [p.step, p.values[k]]) };
      });
      if (lines.length) box.appendChild(Charts.line(lines.map((l) => l.name).join(" · "), lines, last, 360, 110));
    });
  }

  function drawLog(sv) {
    const ol = $("log");
    ol.textContent = "";
    sv.events.slice(-40).reverse().forEach((e) => {
      if (/rejected/.test(e.kind)) return;
      const li = document.createElement("li");
      li.textContent = "step " + e.step + ": " + e.text;
      ol.appendChild(li);
    });
  }

  // ---------- focus ----------

  function select(id) {
    app.focus = app.focus === id ? null : id;
    view.setFocus(app.focus);
    if (app.focus) refreshFocus(); else $("focusBox").hidden = true;
  }

  async function refreshFocus() {
    const id = app.focus;
    let d;
    try { d = await api("GET", base + "/actor/" + encodeURIComponent(id)); } catch (e) { if (e.status !== 503) showError(e); return; }
    if (app.focus !== id) return;
    const box = $("focusBox");
    box.hidden = false;
    box.textContent = "";
    const h = document.createElement("h3");
    h.textContent = d.label;
    const x = document.createElement("button"); x.textContent = "×"; x.title = "leave focus mode";
    x.addEventListener("click", () => select(id));
    h.appendChild(x);
    box.appendChild(h);
    d.situation.forEach((s) => { const p = document.createElement("p"); p.textContent = s; box.appendChild(p); });
    box.appendChild(optionsTable(d.options, d.terms));
  }

  // optionsTable shows options with the model's expected change in utility
  // by term (the explanation also used on students' devices).
  function optionsTable(options, terms) {
    const t = document.createElement("table");
    t.className = "opts";
    t.innerHTML = "<tr><th>option</th><th class=num>Δ utility</th><th class=num>model</th></tr>";
    options.slice().sort((a, b) => b.prob - a.prob).slice(0, 8).forEach((o) => {
      const tr = document.createElement("tr");
      const td = document.createElement("td");
      td.textContent = o.text;
      const terms1 = document.createElement("div");
      terms1.className = "terms";
      o.terms.forEach((v, i) => {
        if (Math.abs(v) < 5e-4) return;
        const s = document.createElement("span");
        s.className = v > 0 ? "pos" : "neg";
        s.textContent = terms[i] + " " + (v > 0 ? "+" : "") + v.toFixed(3);
        terms1.appendChild(s);
      });
      td.appendChild(terms1);
      tr.appendChild(td);
      const d = document.createElement("td"); d.className = "num"; d.textContent = (o.delta > 0 ? "+" : "") + o.delta.toFixed(3); tr.appendChild(d);
      const p = document.createElement("td"); p.className = "num"; p.textContent = Math.round(100 * o.prob) + "%"; tr.appendChild(p);
      t.appendChild(tr);
    });
    return t;
  }

  // ---------- replay ----------

  async function startReplay(r) {
    if (!app.frames || app.frames.length <= (app.status ? app.status.step : 0)) {
      try { app.frames = (await api("GET", base + "/history")).frames; } catch (e) { showError(e); return; }
    }
    app.replaying = { r, t0: performance.now() - r.sinceMs };
    const frame = () => {
      if (!app.replaying) return;
      const k = Math.min(app.frames.length - 1, r.from + Math.floor(((performance.now() - app.replaying.t0) / 1000) * r.speed));
      if (k !== app.replaying.k) { app.replaying.k = k; view.draw(app.frames[k]); banner("replay: step " + k + " / " + (app.frames.length - 1), 0); }
      if (k < app.frames.length - 1) requestAnimationFrame(frame);
      else setTimeout(() => { if (app.role === "teacher") act("replay-stop"); }, 1500);
    };
    requestAnimationFrame(frame);
  }
  function stopReplay() {
    app.replaying = null;
    $("banner").hidden = true;
    if (app.step) drawNet(app.step.network);
  }

  // ---------- debrief ----------

  async function openDebrief() {
    let d;
    try { d = await api("GET", base + "/debrief"); } catch (e) { showError(e); return; }
    app.debrief = d;
    const body = $("debriefBody");
    body.textContent = "";
    const h = (text) => { const e = document.createElement("h3"); e.textContent = text; body.appendChild(e); };
    const table = (head, rows) => {
      const t = document.createElement("table");
      const tr = document.createElement("tr");
      head.forEach((x) => { const th = document.createElement("th"); th.textContent = x; tr.appendChild(th); });
      t.appendChild(tr);
      rows.forEach((r) => {
        const tr = document.createElement("tr");
        r.forEach((x) => { const td = document.createElement("td"); if (x instanceof Node) td.appendChild(x); else td.textContent = x; tr.appendChild(td); });
        t.appendChild(tr);
      });
      body.appendChild(t);
    };
    h("The students' decisions beside the model's (" + d.timeline.length + ")");
    table(["step", "student", "state", "chose", "the model would have", "", "carried out"], d.timeline.map((r) => {
      const same = document.createElement("span");
      const eq = r.chosen.text === r.model.text;
      same.className = eq ? "same" : "diff";
      same.textContent = eq ? "same" : "differs";
      return [r.step, r.student, r.label, (r.external ? "" : "(model) ") + r.chosen.text + " (" + (r.chosen.delta >= 0 ? "+" : "") + r.chosen.delta.toFixed(3) + ")",
        r.model.text + " (" + (r.model.delta >= 0 ? "+" : "") + r.model.delta.toFixed(3) + ")", same, r.done ? "yes" : "no" + (r.note ? " · " + r.note : "")];
    }));
    if (d.consents.length) {
      h("Consents the students were asked for (" + d.consents.length + ")");
      table(["step", "student", "state", "asked by", "proposal", "answer", "the model would have"], d.consents.map((c) =>
        [c.step, c.student, c.actor, c.from, c.proposal, c.answered ? (c.accepted ? "accepted" : "refused") : "no answer (model)", c.model ? "accepted" : "refused"]));
    }
    h("Each state's outcome (start → now)");
    const seated = new Map(d.seats.map((s) => [s.actor, s.student]));
    const rows = [];
    d.now.forEach((n, i) => {
      if (n.kind !== "state") return;
      const s = d.start[i];
      rows.push([n.label, seated.get(n.id) || "(model)", s.ties + " → " + n.ties, s.alliances + " → " + n.alliances, s.groups + " → " + n.groups,
        s.memberships + " → " + n.memberships, s.insecurity.toFixed(3) + " → " + n.insecurity.toFixed(3), s.threat.toFixed(2) + " → " + n.threat.toFixed(2)]);
    });
    rows.sort((a, b) => (a[1] === "(model)") - (b[1] === "(model)") || (a[0] < b[0] ? -1 : 1));
    table(["state", "student", "ties", "alliances", "groups", "memberships", "insecurity", "threat felt"], rows);
    h("The metrics over time");
    const charts = document.createElement("div");
    charts.id = "debriefCharts";
    body.appendChild(charts);
    const last = Math.max(d.scenario.steps, d.step, 1);
    d.metrics.forEach((m, k) => charts.appendChild(Charts.line(m.replace(/_/g, " "), [{ name: m, points: d.series.map((p) => [p.step, p.values[k]]) }], last, 300, 110)));
    $("debrief").hidden = false;
  }

  function download(blob, name) {
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a); a.click(); a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 5000);
  }
  const fileBase = () => (app.step ? app.step.scenario.name : "class") + "-" + code + "-step" + (app.status ? app.status.step : 0);
  document.querySelectorAll("[data-export]").forEach((b) => b.addEventListener("click", async () => {
    const r = await fetch(base + "/export/" + b.dataset.export);
    if (!r.ok) { showError(new Error(await r.text())); return; }
    download(await r.blob(), fileBase() + "-" + b.dataset.export);
  }));
  function svgToPNG(svgText, w, h, name) {
    const img = new Image();
    const url = URL.createObjectURL(new Blob([svgText], { type: "image/svg+xml" }));
    img.onload = () => {
      const c = document.createElement("canvas");
      c.width = 2 * w; c.height = 2 * h;
      const ctx = c.getContext("2d");
      ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, c.width, c.height);
      ctx.drawImage(img, 0, 0, c.width, c.height);
      URL.revokeObjectURL(url);
      c.toBlob((b) => download(b, name), "image/png");
    };
    img.src = url;
  }
  app.svgText = () => view.svgText();
  $("exportSVG").addEventListener("click", () => download(new Blob([view.svgText()], { type: "image/svg+xml" }), fileBase() + ".svg"));
  $("exportPNG").addEventListener("click", () => { const r = $("net").getBoundingClientRect(); svgToPNG(view.svgText(), r.width, r.height, fileBase() + ".png"); });
  $("chartsSVG").addEventListener("click", () => {
    const svgs = [...document.querySelectorAll("#debriefCharts svg")];
    let y = 0;
    const parts = svgs.map((s) => { const h = +s.getAttribute("height"); const g = '<g transform="translate(0,' + y + ')">' + s.innerHTML + "</g>"; y += h + 10; return g; });
    const text = '<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="300" height="' + y + '" font-family="DejaVu Sans, sans-serif">' + parts.join("") + "</svg>";
    download(new Blob([text], { type: "image/svg+xml" }), fileBase() + "-metrics.svg");
  });
  $("debriefBtn").addEventListener("click", openDebrief);
  $("closeDebrief").addEventListener("click", () => { $("debrief").hidden = true; });

  // ---------- teacher's controls ----------

  $("start").addEventListener("click", () => act("start"));
  $("advance").addEventListener("click", () => act("advance"));
  $("pause").addEventListener("click", () => act(app.status && app.status.paused ? "resume" : "pause"));
  $("timerSel").addEventListener("change", () => act("timer", { seconds: +$("timerSel").value }));
  $("auto").addEventListener("change", () => act("auto", { on: $("auto").checked }));
  $("replay").addEventListener("click", () => act("replay", { from: 0, speed: 3 }));
  $("end").addEventListener("click", () => { if (confirm("End the run here and show the debrief?")) act("end"); });
  $("restart").addEventListener("click", () => { if (confirm("Start the run again at step 0? The debrief of this run is dropped.")) act("restart"); });
  $("assignRest").addEventListener("click", () => act("assign-rest"));
  const toggleProjector = () => { document.body.classList.toggle("projector"); setTimeout(() => view.relayout(), 50); };
  $("projectorMode").addEventListener("click", toggleProjector);
  document.addEventListener("keydown", (e) => {
    if (e.target.tagName === "INPUT" || e.target.tagName === "SELECT") return;
    if (e.key === "p" || e.key === "P") toggleProjector();
    if (e.key === "Escape" && app.focus) select(app.focus);
  });
  let resizeTimer = 0;
  window.addEventListener("resize", () => { clearTimeout(resizeTimer); resizeTimer = setTimeout(() => view.relayout(), 150); });

  async function start() {
    if (!code) { banner("no class code in the address: open the link the server printed, or start a class from the home page", 0); return; }
    try {
      app.info = await api("GET", base);
    } catch (e) { showError(e); return; }
    const url = (app.info.joinURLs || [])[0];
    $("code").textContent = code.slice(0, 3) + "-" + code.slice(3);
    if (url) {
      $("joinURL").textContent = url.replace(/\?code=.*$/, "");
      $("qr").src = base + "/qr.svg?url=" + encodeURIComponent(url);
    } else {
      // no address students can reach: no QR code to draw (the route says 503)
      $("joinURL").textContent = "(no address)";
      $("qr").hidden = true;
    }
    if (!app.info.reachable) {
      $("unreachable").hidden = false;
      $("unreachable").textContent = app.info.unreachable || "Students' devices cannot reach this server: it listens on this computer only. Restart it with --addr 0.0.0.0:8080.";
    }
    if (app.role !== "teacher") document.body.classList.add("projector");
    connect();
    app.ready = true;
    requestAnimationFrame(tick);
  }
  start();
})();
