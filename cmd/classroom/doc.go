// Package classroom provides classroom mode: a local web server and
// embedded pages that run a scenario live in the browser, alone or as a
// class, with nothing to install beyond the entente binary and nothing
// loaded from the network. `entente serve` starts it.
//
// # The pages
//
// Hand-written HTML, CSS and JavaScript under web/, embedded with go:embed
// and served from the embedded folder only, under a strict
// Content-Security-Policy ('self'):
//
//	/             a solo run (index.html, app.js): play, step, knobs, an actor's
//	              options with the change in utility by term, exports
//	/class.html   a class's projector, or the teacher's page with the teacher's
//	              token in the address's fragment (class.js)
//	/join         a student's device (join.js)
//
// netview.js draws the network for a room to read: actors grouped by
// region in blocks placed as on a map, each block a grid whose cells fit
// their labels (names where they fit, ids otherwise), so that no label
// overlaps another and nothing moves between steps; ties by form, groups
// and organisations as hulls, focus mode, a filter by form.
//
// # Classes
//
// A class (class.go) is one run shared by a teacher, a projector and up to
// Options.ClassSize students. It has a six-character join code; each student
// joins with a name and gets an unguessable token, the proof of the state
// it holds (picked from the free ones, or assigned by the teacher). Every
// step is a round: the class's goroutine opens it (each seated state's
// situation in words and its options, from sim.Sim.Choices), times it,
// and resolves it when every student has chosen, the timer runs out or the
// teacher advances. The class is the run's sim.Controller: a student's pick
// is taken at the state's opportunity (or the model's, when the student did
// not choose or the pick was not open), and a student whose state is asked
// to consent answers on the device, up to the round's time, while the step
// waits. Its sim.Recorder keeps the seated states' decisions for the
// debrief. A step the engine panics in is undone (the run was cloned before
// it) and taken again on the model alone.
//
// Live updates are server-sent events (sse.go): every change closes the
// class's changed channel and each open stream writes what its audience
// sees (status, step, or the student's own panel), so a slow client skips
// versions instead of queueing them.
//
// # The API
//
// Solo sessions:
//
//	GET    /api/scenarios                   built-in scenarios [{name, summary}]
//	POST   /api/session                     new session {scenario} or {file, source}, optional seed; 201 State
//	GET    /api/session/{id}                State (full series, recent events)
//	DELETE /api/session/{id}                end the session; 204
//	POST   /api/session/{id}/scenario       load another scenario, as for POST /api/session
//	POST   /api/session/{id}/step           {steps: 1..50}; State with what is new since
//	POST   /api/session/{id}/reset          {seed?}; back to step 0, knobs kept
//	POST   /api/session/{id}/knob           {knob, value} or {knob, profile: true}
//	GET    /api/session/{id}/actor/{actor}  situation, ties, threats, recent decisions, options
//	GET    /api/session/{id}/series.csv     the metric series so far
//
// Classes (T: the teacher's token, S: a student's, in X-Entente-Token; an
// event stream, which cannot set headers, takes ?token=):
//
//	POST /api/class                          {scenario | file, source; seed, mode, timer, auto}; 201 with the teacher's token (from this machine only, unless Options.AnyTeacher)
//	POST /api/join                           {code, name}; 201 {code, token, student}
//	GET  /api/class/{code}                   join addresses, scenario, utility terms
//	GET  /api/class/{code}/qr.svg            the join address as a QR code (drawn here, qr.go); 503 without one
//	GET  /api/class/{code}/events[?token=]   server-sent events: status, step (projector, T), me (S)
//	GET  /api/class/{code}/history           the network at every step (replay)
//	GET  /api/class/{code}/actor/{actor}     an actor's situation and options (focus mode)
//	GET  /api/class/{code}/debrief           decisions beside the model's, consents, outcomes, metrics
//	GET  /api/class/{code}/export/{file}     decisions.csv, consents.csv, outcomes.csv, series.csv
//	POST /api/class/{code}/pick|choose|consent|leave                 S
//	POST /api/class/{code}/teacher/{action}                          T: start, pause, resume, advance,
//	     end, restart, timer, auto, mode, assign, assign-rest, kick, knob, replay, replay-stop, close
//
// Errors are JSON {"error": "...", "errors": [located scenario errors]}
// with a 4xx status: 400 bad input, 403 a missing or wrong token or a
// cross-site request, 404 unknown session, class, scenario, actor or
// endpoint, 409 out of turn, 410 a settled consent question, 413 body too
// large, 415 not JSON, 421 a foreign host, 422 invalid scenario, 429 too
// many sessions, classes, students or wrong codes; and 503 while a step
// runs (a class's actor, debrief and exports) or, for the QR code, when the
// server has no address students' devices reach (it listens on every
// address of a computer without a network address, and was given no
// --host).
//
// # Limits and safety
//
// The server answers only to localhost, the machine's addresses and
// Options.Hosts (421 otherwise: a DNS-rebinding page cannot reach it);
// refuses requests that change something unless its own page sent them
// (Sec-Fetch-Site, Origin; bodies must be JSON, so a cross-site form needs a
// preflight the server never grants); refuses query parameters its pages
// never send (an API route takes none but an event stream's token and the
// QR code's url, the pages /join and /class the class's code; 400 naming
// the parameter) and, in a teacher action's body, the fields of another
// action; compares tokens in constant time; and
// limits wrong join codes per address. Options caps solo sessions (50),
// classes (4), class size (40), rounds (300), steps (2,000), uploaded
// actors (300) and upload size (1 MiB). An upload is scanned before it is
// parsed (prescan.go: values, actors, ties, groups, no aliases), so an
// oversized world is refused before it is built, and uploads are parsed one
// at a time (Options.ParseSlots): four concurrent 1 MB uploads raise the
// peak memory by some 20 to 37 MB (TestUploadMemory). A panic in a handler
// becomes a 500 JSON error. Serve shuts down gracefully when its context
// ends.
package classroom
