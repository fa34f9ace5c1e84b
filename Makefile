# entente — see README.md. `make run` and `make test` are the quick start.
GO      ?= go
BIN     := bin/entente
PKGS    := ./...
VERSION := $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X github.com/entente/entente/results.Version=$(VERSION)

.PHONY: build run test test-cluster bench fuzz validate knockout calibrate pgo docs lint clean

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/entente

# repeatable: --force replaces what an earlier `make run` left in the folder
run: build
	@echo "make run: taiwan-crisis, 20 replicates, into results/out/taiwan-crisis (replacing an earlier make run's results there)"
	./$(BIN) run taiwan-crisis --replicates 20 --seed 1 --out results/out/taiwan-crisis --force

# vet, then every package with the race detector; .ci/test says what it is
# doing as it goes and whether the browser test skipped (no chromium)
test:
	GO=$(GO) bash .ci/test

# a real single-node Slurm runs a sharded sweep as a job array and merges it
# (needs root and the Debian packages it installs; says SKIP otherwise)
test-cluster:
	bash cmd/entente/cluster/test-slurm.sh

# Go benchmarks, then the speed ratios of issue 15 measured side by side:
# the metrics, the charts, two workers against one, a 1,000-point sweep's
# throughput and memory, the step against a tight loop of the same utility
# evaluations, and the step's scaling exponent up to 200,000 actors
# (CPU or wall seconds; see cmd/entente/internal/benchratio). TWIN=/path/to/twin.py also times a
# Python/networkx twin of the metrics on the same graphs (run by PYTHON);
# BASELINE=/path/to/entente (an earlier build) pairs the sweep's throughput
# against it.
PYTHON ?= python3
bench: build
	$(GO) test -run '^$$' -bench . -benchmem $(PKGS)
	$(GO) run ./cmd/entente/internal/benchratio -entente $(BIN) $(if $(TWIN),-twin $(TWIN) -python $(PYTHON)) $(if $(BASELINE),-baseline $(BASELINE))

# every fuzz target (each parser of a file or flag the project reads), one
# after another for FUZZTIME each; a failing input is kept in the package's
# testdata/fuzz and then runs with the tests
FUZZTIME ?= 20s
fuzz:
	@set -e; grep -r --include='*_test.go' -o '^func Fuzz[A-Za-z0-9_]*' cmd results scenarios sim | grep -v '_local_test.go' | \
	sed -e 's|^\(.*\)/[^/]*_test.go:func |\1 |' | sort -u | while read dir name; do \
		echo "fuzz: $$name in ./$$dir for $(FUZZTIME)"; \
		$(GO) test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 10s ./$$dir; \
	done

# the robustness check of the stylised facts (long: several seconds a
# point): a Latin hypercube of 50 points over the plausible ranges of the
# assumed parameters and temperatures up to 0.15; prints the share of
# points at which each fact holds (README, "Robustness")
POINTS ?= 50
validate: build
	./$(BIN) facts --hypercube $(POINTS) --seed 1 --out results/out/validate --force

# every parameter at its neutral value and which tests then fail
knockout:
	$(GO) run ./scenarios/facts/knockout > docs/.knockout.md.tmp && mv docs/.knockout.md.tmp docs/knockout.md || { rm -f docs/.knockout.md.tmp; exit 1; }
	@tail -n 1 docs/knockout.md

# the calibration on the alliance record behind DefaultParams, in two
# blocks (docs/calibration/README.md): the commitment parameters on the
# record alone, then the parameters of non-binding ties on the record and the
# baseline's stationarity with the first block held; the defaults are both
# overlays (results/out/calibrate/defaults.overlay). The record block also
# searches from each start in docs/calibration/previous.start (the previous
# fit, and a second basin of the objective). Both blocks run 32 replicates
# an evaluation: at 8 the cross-section's moments (the few ties of one
# world: the baseline's 6 alliances, 13 assistance ties) moved with the
# noise, and the record's objective was rugged enough for the search to end
# in a dip of it (docs/calibration/README.md).
calibrate: build
	./$(BIN) calibrate --import-year 1981 --replicates 32 --evals 200 --seed 1 --block record --overlay docs/calibration/start.overlay $$(grep -v '^#' docs/calibration/previous.start | sed 's/^/--start /') --out results/out/calibrate-record --force
	./$(BIN) calibrate --import-year 1981 --replicates 32 --evals 100 --seed 1 --block cross-section --overlay docs/calibration/start.overlay --overlay results/out/calibrate-record/calibrated.overlay --out results/out/calibrate --force
	cat results/out/calibrate-record/calibrated.overlay results/out/calibrate/calibrated.overlay > results/out/calibrate/defaults.overlay

# the CPU profile behind profile-guided optimisation: go build reads
# cmd/entente/default.pgo by itself. Profiles of the record (compare and
# a calibration), two built-ins (one with charts), a sweep and the facts,
# merged; rerun after large changes to the hot code (a stale profile still
# builds, with less gain)
PGO_DIR ?= results/out/pgo
pgo: build
	rm -rf $(PGO_DIR) && mkdir -p $(PGO_DIR)
	./$(BIN) compare --import-year 1981 --replicates 40 --seed 5 --out $(PGO_DIR)/compare --cpuprofile $(PGO_DIR)/compare.prof > /dev/null
	./$(BIN) calibrate --import-year 1981 --replicates 4 --evals 12 --seed 5 --block record --overlay docs/calibration/start.overlay --out $(PGO_DIR)/calibrate --cpuprofile $(PGO_DIR)/calibrate.prof > /dev/null
	./$(BIN) run baseline --replicates 30 --seed 5 --out $(PGO_DIR)/baseline --cpuprofile $(PGO_DIR)/baseline.prof > /dev/null 2>&1
	./$(BIN) run taiwan-crisis --replicates 20 --seed 5 --out $(PGO_DIR)/taiwan --cpuprofile $(PGO_DIR)/taiwan.prof > /dev/null 2>&1
	./$(BIN) sweep classroom --vary retrenchment.political=0:1:200 --replicates 1 --steps 20 --out $(PGO_DIR)/sweep --cpuprofile $(PGO_DIR)/sweep.prof > /dev/null 2>&1
	./$(BIN) facts --seed 5 --cpuprofile $(PGO_DIR)/facts.prof > /dev/null
	$(GO) tool pprof -proto $(PGO_DIR)/*.prof > cmd/entente/.default.pgo.tmp && mv cmd/entente/.default.pgo.tmp cmd/entente/default.pgo
	@echo "cmd/entente/default.pgo: $$(wc -c < cmd/entente/default.pgo) bytes; make build uses it"

# the parameter table of docs/MODEL.md, regenerated from the code
# (a test fails when they differ)
docs: build
	@./$(BIN) list parameters --markdown > docs/.params.md
	@awk 'BEGIN{skip=0} /^<!-- parameters:begin/{print; while ((getline line < "docs/.params.md") > 0) print line; skip=1; next} /^<!-- parameters:end/{skip=0} !skip{print}' docs/MODEL.md > docs/.MODEL.md && mv docs/.MODEL.md docs/MODEL.md
	@rm -f docs/.params.md
	@echo "docs/MODEL.md: parameter table regenerated"

lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)

clean:
	rm -rf bin results/out
