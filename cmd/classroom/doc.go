// Package classroom provides classroom mode: a local web server and an
// embedded page that run a scenario live in the browser, for a teacher's
// projector, with nothing to install beyond the entente binary and nothing
// loaded from the network. `entente serve` starts it.
//
// # The page
//
// Hand-written HTML, CSS and JavaScript under web/, embedded with go:embed
// and served with http.FileServerFS from the embedded folder only. A strict
// Content-Security-Policy ('self') keeps the page from loading anything
// else. The page picks a built-in scenario or uploads a scenario file (whose
// errors come back located, as in `entente validate`); plays, pauses, steps
// and resets; moves each threat's intensity, political and military
// retrenchment and the temperature live (sim.SetIntensity, SetRetrenchment,
// SetParams), the seed on reset; draws the network in SVG (colour by region
// or alliance bloc, size by capability, thickness by level, dashed
// non-binding forms, arrows for support flows, groups as outlined hulls);
// lays it out with a small force layout warm-started every step, so the
// picture stays put; draws four chosen metrics as line charts; shows an
// actor's ties, threats and recent decisions on a click, and the events in
// plain words (sim.Describe); exports the picture (SVG, PNG) and the metric
// series (CSV: step,metric,value).
//
// # The API
//
//	GET    /api/scenarios                   built-in scenarios [{name, summary}]
//	POST   /api/session                     new session {scenario} or {file, source}, optional seed; 201 State
//	GET    /api/session/{id}                State (full series, recent events)
//	DELETE /api/session/{id}                end the session; 204
//	POST   /api/session/{id}/scenario       load another scenario, as for POST /api/session
//	POST   /api/session/{id}/step           {steps: 1..50}; State with what is new since
//	POST   /api/session/{id}/reset          {seed?}; back to step 0, knobs kept
//	POST   /api/session/{id}/knob           {knob, value} or {knob, profile: true}
//	GET    /api/session/{id}/actor/{actor}  ties, threats, recent decisions of one actor
//	GET    /api/session/{id}/series.csv     the metric series so far
//
// Knobs are "threat:NAME", "political", "military" (each in [0, 1];
// profile: true returns it to the scenario's profile), "temperature" (the
// parameter's range) and "seed" (a whole number, used by the next reset).
// Errors are JSON {"error": "...", "errors": [located scenario errors]}
// with a 4xx status: 400 bad input, 404 unknown session, scenario, actor or
// endpoint, 409 step limit, 413 body too large, 422 invalid scenario, 429
// too many sessions.
//
// # Limits and safety
//
// Each browser tab has its own session, guarded by its own mutex; the
// janitor removes sessions idle for Options.IdleTimeout (15 minutes). Bodies
// are decoded strictly (unknown fields are errors) under http.MaxBytesReader;
// Options caps sessions (50), steps per run (2,000), actors per uploaded
// scenario (300) and upload size (1 MiB). A panic in a handler becomes a
// 500 JSON error. Serve shuts down gracefully when its context ends.
package classroom
