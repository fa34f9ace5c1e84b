// entente join: a student's device. Join with the code and a name; the
// server answers with a token this device keeps (localStorage), the proof
// of which state it may act for. Updates arrive as server-sent events.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const show = (id) => ["joinForm", "seatPick", "waitSeat", "play", "ended"].forEach((s) => { $(s).hidden = s !== id; });
  const q = new URLSearchParams(location.search);
  const app = { code: "", token: "", name: "", me: null, status: null, deadline: 0, terms: [], ready: false };
  window.joinPage = app;

  const key = (code) => "entente-join-" + code;
  function remember() { try { localStorage.setItem(key(app.code), JSON.stringify({ token: app.token, name: app.name })); } catch (e) { /* private */ } }
  function forget() { try { localStorage.removeItem(key(app.code)); } catch (e) { /* private */ } }

  async function api(method, path, body) {
    const opt = { method, headers: {} };
    if (body !== undefined) { opt.body = JSON.stringify(body); opt.headers["Content-Type"] = "application/json"; }
    if (app.token) opt.headers["X-Entente-Token"] = app.token;
    const r = await fetch(path, opt);
    const text = await r.text();
    let data = null;
    try { data = text ? JSON.parse(text) : null; } catch (e) { data = { error: text }; }
    if (!r.ok) { const err = new Error((data && data.error ? data.error : r.statusText).replace(/^classroom: /, "")); err.status = r.status; throw err; }
    return data;
  }
  const base = () => "/api/class/" + encodeURIComponent(app.code);
  const err = (e) => { $("error").textContent = e ? e.message || String(e) : ""; };

  // ---------- joining ----------

  $("code").value = (q.get("code") || "").toUpperCase();
  $("joinForm").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    $("joinError").textContent = "";
    try {
      const j = await api("POST", "/api/join", { code: $("code").value, name: $("name").value });
      app.code = j.code; app.token = j.token; app.name = j.name;
      remember();
      history.replaceState(null, "", location.pathname + "?code=" + j.code);
      connect();
    } catch (e) { $("joinError").textContent = e.message; }
  });

  function connect() {
    $("who").textContent = app.name;
    const info = api("GET", base()).then((ci) => { app.terms = ci.terms; }).catch(() => {});
    const es = new EventSource(base() + "/events?token=" + encodeURIComponent(app.token));
    app.es = es;
    es.addEventListener("status", (e) => { app.status = JSON.parse(e.data); app.deadline = performance.now() + app.status.leftMs; render(); });
    es.addEventListener("me", (e) => { app.me = JSON.parse(e.data); info.then(render); });
    es.addEventListener("removed", (e) => { es.close(); forget(); app.token = ""; show("joinForm"); $("joinError").textContent = JSON.parse(e.data).reason; });
    es.addEventListener("closed", () => { es.close(); err(new Error("the class has ended")); });
    es.onerror = () => {
      if (es.readyState !== EventSource.CLOSED) return;
      // a token the server does not know (the class ended, or a restart)
      forget(); app.token = ""; show("joinForm");
      $("joinError").textContent = "this device is no longer in the class; join again";
    };
    app.ready = true;
  }

  // ---------- the round ----------

  function render() {
    const me = app.me, st = app.status;
    if (!me || !st) return;
    err(null);
    if (st.phase === "ended") { renderEnded(); return; }
    if (!me.seat) {
      if (me.free.length) { show("seatPick"); renderFree(me.free); } else show("waitSeat");
      return;
    }
    show("play");
    const p = me.seat;
    $("stateName").textContent = p.label;
    $("who").textContent = app.name + " · " + p.label;
    $("roundInfo").textContent = st.phase === "lobby" ? "The class has not started yet: read your situation." :
      st.phase === "choosing" ? "Step " + p.step + ": choose before the time runs out, or the model chooses for you." + (st.paused ? " (paused)" : "") :
      st.phase === "resolving" ? "The round is being played…" : "";
    const ul = $("situation");
    ul.textContent = "";
    p.situation.forEach((s) => { const li = document.createElement("li"); li.textContent = s; ul.appendChild(li); });
    drawEgo(p);
    renderAsks(me);
    renderLast(me);
    renderOptions(p, me, st);
  }

  function renderFree(free) {
    const box = $("freeStates");
    box.textContent = "";
    free.forEach((f) => {
      const b = document.createElement("button");
      b.dataset.actor = f.id;
      b.textContent = f.label;
      const s = document.createElement("small"); s.textContent = f.region; b.appendChild(s);
      b.addEventListener("click", () => api("POST", base() + "/pick", { actor: f.id }).catch(err));
      box.appendChild(b);
    });
  }

  function bars(terms, names) {
    const box = document.createElement("div");
    box.className = "bars";
    const max = Math.max(1e-9, ...terms.map(Math.abs));
    terms.forEach((v, i) => {
      if (Math.abs(v) < 5e-4) return;
      const n = document.createElement("span"); n.textContent = names[i] || "term " + i;
      const bar = document.createElement("div"); bar.className = "bar";
      const fill = document.createElement("span"); fill.className = v > 0 ? "pos" : "neg";
      fill.style.width = (50 * Math.abs(v) / max).toFixed(1) + "%";
      bar.appendChild(fill);
      const num = document.createElement("span"); num.className = "num"; num.textContent = (v > 0 ? "+" : "") + v.toFixed(3);
      box.appendChild(n); box.appendChild(bar); box.appendChild(num);
    });
    return box;
  }

  function renderOptions(p, me, st) {
    const ol = $("options");
    ol.textContent = "";
    const open = st.phase === "choosing" || st.phase === "lobby";
    const best = p.options.reduce((b, o) => (!b || o.prob > b.prob ? o : b), null);
    $("optNote").textContent = p.options.length ? "(the change in your utility the model expects, by term)" : "";
    p.options.slice().sort((a, b) => b.delta - a.delta).forEach((o) => {
      const li = document.createElement("li");
      li.dataset.index = o.index;
      li.className = (me.picked === o.index ? "picked" : "") + (best === o ? " model" : "");
      const head = document.createElement("div"); head.className = "head";
      const t = document.createElement("span"); t.textContent = o.text;
      const d = document.createElement("span"); d.className = "delta " + (o.delta >= 0 ? "pos" : "neg");
      d.textContent = (o.delta >= 0 ? "+" : "") + o.delta.toFixed(3);
      head.appendChild(t); head.appendChild(d);
      li.appendChild(head);
      const why = document.createElement("div"); why.className = "why";
      why.textContent = "the model would choose this " + Math.round(100 * o.prob) + "% of the time" + (o.consent ? " · needs the other side's consent" : "") +
        (me.picked === o.index ? " · your choice" : "");
      li.appendChild(why);
      li.appendChild(bars(o.terms, app.terms));
      li.addEventListener("click", () => {
        if (!open) return;
        if (st.phase !== "choosing") { err(new Error("the round has not started yet")); return; }
        api("POST", base() + "/choose", { step: p.step, option: me.picked === o.index ? null : o.index }).catch(err);
      });
      ol.appendChild(li);
    });
    if (!p.options.length) { const li = document.createElement("li"); li.textContent = p.inSystem ? "no options this step" : "your state is not in the system yet"; ol.appendChild(li); }
    if (me.note) { const li = document.createElement("li"); li.className = "note"; li.textContent = me.note; ol.prepend(li); }
  }

  function renderAsks(me) {
    const box = $("asks");
    box.textContent = "";
    me.asks.forEach((a) => {
      const div = document.createElement("div");
      div.className = "ask";
      div.dataset.ask = a.id;
      const h = document.createElement("strong"); h.textContent = a.proposal + ". Do you consent?"; div.appendChild(h);
      const p = document.createElement("div"); p.className = "why";
      p.textContent = "For your state the model expects " + (a.yours.delta >= 0 ? "+" : "") + a.yours.delta.toFixed(3) +
        " (it would accept " + Math.round(100 * a.yours.prob) + "% of the time). ";
      const left = document.createElement("span");
      left.className = "left";
      left.dataset.deadline = String(performance.now() + a.leftMs);
      p.appendChild(left);
      div.appendChild(p);
      div.appendChild(bars(a.yours.terms, app.terms));
      const bs = document.createElement("div"); bs.className = "buttons";
      [["accept", true], ["refuse", false]].forEach(([label, v]) => {
        const b = document.createElement("button"); b.textContent = label; b.className = v ? "primary" : "";
        b.addEventListener("click", () => api("POST", base() + "/consent", { id: a.id, accept: v }).catch(err));
        bs.appendChild(b);
      });
      div.appendChild(bs);
      box.appendChild(div);
      if (navigator.vibrate) navigator.vibrate(200);
    });
  }

  function renderLast(me) {
    const box = $("lastRound");
    box.textContent = "";
    if (!me.last) return;
    const l = me.last;
    const div = document.createElement("div"); div.className = "last";
    div.textContent = "Step " + l.step + ": " + (l.external ? "you chose " : "the model chose ") + "“" + l.chosen.text + "”" +
      (l.external && l.model.text !== l.chosen.text ? " (the model would have chosen “" + l.model.text + "”)" : "") +
      (l.done ? "." : ", which was not carried out.") + (l.note && !l.external ? " " + l.note[0].toUpperCase() + l.note.slice(1) + "." : "");
    box.appendChild(div);
  }

  function renderEnded() {
    show("ended");
    if (app.es) app.es.close();
    api("GET", base() + "/debrief").then((d) => {
      const ol = $("myTimeline");
      ol.textContent = "";
      d.timeline.filter((r) => r.student === app.name).forEach((r) => {
        const li = document.createElement("li");
        li.textContent = "step " + r.step + ": " + (r.external ? "you chose " : "the model chose ") + r.chosen.text +
          (r.chosen.text !== r.model.text ? " · the model: " + r.model.text : " · as the model would");
        ol.appendChild(li);
      });
    }).catch(() => {});
  }

  // drawEgo draws the state and its partners around it.
  function drawEgo(p) {
    const svg = $("ego");
    svg.textContent = "";
    const NS = "http://www.w3.org/2000/svg";
    const mk = (n, a) => { const e = document.createElementNS(NS, n); for (const k in a) e.setAttribute(k, a[k]); svg.appendChild(e); return e; };
    const cx = 160, cy = 110, R = 80;
    const colour = { alliance: "#1D2A57", cooperation: "#5E6E91", assistance: "#C05A00" };
    p.ties.forEach((t, i) => {
      const a = -Math.PI / 2 + (2 * Math.PI * i) / Math.max(1, p.ties.length);
      const x = cx + R * Math.cos(a) * 1.5, y = cy + R * Math.sin(a);
      mk("line", { x1: cx, y1: cy, x2: x, y2: y, stroke: colour[t.form] || "#5E6E91", "stroke-width": 1 + 1.2 * ["nominal", "initial", "institutionalised", "advanced"].indexOf(t.level) + 1,
        "stroke-dasharray": t.form === "alliance" ? "" : "6 4" });
      mk("circle", { cx: x, cy: y, r: 7, fill: "#9fb3d9", stroke: "#222" });
      const tx = mk("text", { x, y: y + (y < cy ? -11 : 20), "text-anchor": "middle", "font-size": 12, "font-weight": 700 });
      tx.textContent = t.label.length > 16 ? t.other : t.label;
    });
    mk("circle", { cx, cy, r: 14, fill: "#FFB300", stroke: "#000", "stroke-width": 2 });
    const me = mk("text", { x: cx, y: cy + 30, "text-anchor": "middle", "font-size": 13, "font-weight": 800 });
    me.textContent = p.actor;
    if (!p.ties.length) { const t = mk("text", { x: cx, y: 40, "text-anchor": "middle", "font-size": 13, fill: "#555" }); t.textContent = "no ties yet"; }
  }

  function tick() {
    const st = app.status, t = $("timer");
    if (st && st.phase === "choosing") {
      const left = st.paused ? st.leftMs : Math.max(0, app.deadline - performance.now());
      const s = Math.ceil(left / 1000);
      t.textContent = Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
      t.classList.toggle("low", s <= 10);
    } else t.textContent = "";
    document.querySelectorAll(".ask .left").forEach((s) => {
      const left = st && st.paused ? "paused" : Math.max(0, Math.ceil((+s.dataset.deadline - performance.now()) / 1000)) + " s to answer";
      if (s.textContent !== left) s.textContent = left;
    });
    requestAnimationFrame(tick);
  }
  requestAnimationFrame(tick);

  // A device that joined before keeps its seat across reloads.
  const code = ($("code").value || "").replace(/[\s-]/g, "");
  let saved = null;
  try { saved = code && JSON.parse(localStorage.getItem(key(code)) || "null"); } catch (e) { saved = null; }
  if (saved && saved.token) { app.code = code; app.token = saved.token; app.name = saved.name; connect(); }
  else { show("joinForm"); app.ready = true; }
})();
