package calibrate

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// CheckpointFile is the file of a calibration's evaluations, one line each
// as it finishes, in its output folder: what Config.Replay reads back when a
// calibration that Ctrl-C, a kill or a lost node cut short is resumed.
const CheckpointFile = "evaluations.tsv"

// checkpointMagic is the checkpoint's first line (its format's version).
const checkpointMagic = "# entente calibrate checkpoint 1"

// Identity is a digest of everything that decides the evaluations of a
// calibration: the scenario (its hash and its parameters, the start), the
// fitted bounds, moments, fitted steps, budget, starts, replicates, seed
// and network, the stationary cross-section (its world and steps), and
// extra (what the caller adds: the program's version, say). Workers and
// Progress do not enter it: they do not change an evaluation. A resumed
// calibration must have the identity of the one that wrote the checkpoint.
func (c *Config) Identity(extra string) (string, error) {
	bounds, moments, fitLast, maxEvals := c.settings()
	type stationary struct {
		Name   string
		Steps  int
		Weight float64
		World  any
	}
	var st *stationary
	if c.Stationary != nil {
		st = &stationary{c.Stationary.Name, c.Stationary.Steps, c.Stationary.Weight, c.Stationary.World}
	}
	var scenario, hash string
	var params any
	if c.Scenario != nil {
		scenario, hash, params = c.Scenario.Name, c.Scenario.Hash, c.Scenario.Params
	}
	b, err := json.Marshal(struct {
		Scenario, Hash string
		Params         any
		Bounds         []Bound
		Moments        []Moment
		FitLast        int
		MaxEvals       int
		Starts         []Start
		Replicates     int
		Seed           uint64
		Network        Network
		Stationary     *stationary
		Extra          string
	}{scenario, hash, params, bounds, moments, fitLast, maxEvals, c.Starts,
		c.Options.Replicates, c.Options.Seed, c.Options.Network, st, extra})
	if err != nil {
		return "", fmt.Errorf("calibrate: the calibration's identity: %w", err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:]), nil
}

// CheckpointWriter appends a calibration's evaluations to its checkpoint,
// each line synced to disk before the next evaluation starts.
type CheckpointWriter struct {
	f *os.File
}

// CreateCheckpoint starts the checkpoint at path for the calibration of
// the given identity, replacing any file there.
func CreateCheckpoint(path, identity string) (*CheckpointWriter, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("calibrate: checkpoint: %w", err)
	}
	if _, err := fmt.Fprintf(f, "%s\n# identity %s\n# n\tstart\theld\tin_sample\tout_of_sample\tvalues\tstationary\n", checkpointMagic, identity); err != nil {
		f.Close()
		return nil, fmt.Errorf("calibrate: checkpoint %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, fmt.Errorf("calibrate: checkpoint %s: %w", path, err)
	}
	return &CheckpointWriter{f: f}, nil
}

// AppendCheckpoint reopens the checkpoint at path to add evaluations after
// its first good bytes (ReadCheckpoint's count: a line a kill cut short is
// dropped).
func AppendCheckpoint(path string, good int64) (*CheckpointWriter, error) {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return nil, fmt.Errorf("calibrate: checkpoint: %w", err)
	}
	if err := f.Truncate(good); err != nil {
		f.Close()
		return nil, fmt.Errorf("calibrate: checkpoint %s: %w", path, err)
	}
	if _, err := f.Seek(good, io.SeekStart); err != nil {
		f.Close()
		return nil, fmt.Errorf("calibrate: checkpoint %s: %w", path, err)
	}
	return &CheckpointWriter{f: f}, nil
}

// Write appends one evaluation and syncs it.
func (w *CheckpointWriter) Write(e Eval) error {
	if _, err := w.f.WriteString(checkpointLine(e)); err != nil {
		return fmt.Errorf("calibrate: checkpoint %s: %w", w.f.Name(), err)
	}
	if err := w.f.Sync(); err != nil {
		return fmt.Errorf("calibrate: checkpoint %s: %w", w.f.Name(), err)
	}
	return nil
}

// Close closes the checkpoint.
func (w *CheckpointWriter) Close() error {
	if w == nil || w.f == nil {
		return nil
	}
	err := w.f.Close()
	w.f = nil
	return err
}

// checkpointLine is one evaluation as a line: numbers in the shortest form
// that reads back to the same float64 (NaN and ±Inf spelled so), the
// stationarity description quoted.
func checkpointLine(e Eval) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d\t%d\t%d\t", e.N, e.Start, boolDigit(e.Held))
	b.WriteString(strconv.FormatFloat(e.Objective, 'g', -1, 64))
	b.WriteByte('\t')
	b.WriteString(strconv.FormatFloat(e.Out, 'g', -1, 64))
	b.WriteByte('\t')
	for i, v := range e.Values {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(strconv.FormatFloat(v, 'g', -1, 64))
	}
	b.WriteByte('\t')
	b.WriteString(strconv.Quote(e.Stationary))
	b.WriteByte('\n')
	return b.String()
}

func boolDigit(b bool) int {
	if b {
		return 1
	}
	return 0
}

// ErrNoCheckpoint is returned (wrapped) by ReadCheckpoint for a file that
// does not exist.
var ErrNoCheckpoint = errors.New("no checkpoint")

// ReadCheckpoint reads the checkpoint at path: the identity of the
// calibration that wrote it, its evaluations in order, and how many of its
// bytes are good. A last line without its newline (a write a kill cut
// short) is dropped; any other line that does not parse, or evaluations out
// of order, is an error naming the line.
func ReadCheckpoint(path string) (identity string, evals []Eval, good int64, err error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return "", nil, 0, fmt.Errorf("calibrate: %s: %w", path, ErrNoCheckpoint)
	}
	if err != nil {
		return "", nil, 0, fmt.Errorf("calibrate: checkpoint: %w", err)
	}
	identity, evals, good, err = parseCheckpoint(data)
	if err != nil {
		return "", nil, 0, fmt.Errorf("calibrate: checkpoint %s: %w", path, err)
	}
	return identity, evals, good, nil
}

func parseCheckpoint(data []byte) (identity string, evals []Eval, good int64, err error) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	line := 0
	for sc.Scan() {
		text := sc.Text()
		line++
		complete := good+int64(len(text)) < int64(len(data)) // its newline was written
		if !complete {
			break // the write a kill cut short
		}
		switch {
		case line == 1:
			if text != checkpointMagic {
				return "", nil, 0, fmt.Errorf("line 1: %q is not a checkpoint of entente calibrate (want %q)", text, checkpointMagic)
			}
		case line == 2:
			id, ok := strings.CutPrefix(text, "# identity ")
			if !ok || len(id) != 64 {
				return "", nil, 0, fmt.Errorf("line 2: %q: want \"# identity\" and a SHA-256 in hex", text)
			}
			identity = id
		case strings.HasPrefix(text, "#"):
		default:
			e, perr := parseCheckpointLine(text)
			if perr != nil {
				return "", nil, 0, fmt.Errorf("line %d: %w", line, perr)
			}
			if e.N != len(evals)+1 {
				return "", nil, 0, fmt.Errorf("line %d: evaluation %d after %d evaluations: want %d", line, e.N, len(evals), len(evals)+1)
			}
			evals = append(evals, e)
		}
		good += int64(len(text)) + 1
	}
	if err := sc.Err(); err != nil {
		return "", nil, 0, err
	}
	if identity == "" {
		return "", nil, 0, errors.New("no identity line: the checkpoint was cut short before its header was written")
	}
	return identity, evals, good, nil
}

func parseCheckpointLine(text string) (Eval, error) {
	f := strings.Split(text, "\t")
	if len(f) != 7 {
		return Eval{}, fmt.Errorf("%d tab-separated fields, want 7 (n, start, held, in_sample, out_of_sample, values, stationary)", len(f))
	}
	var e Eval
	var err error
	if e.N, err = strconv.Atoi(f[0]); err != nil || e.N < 1 {
		return Eval{}, fmt.Errorf("n %q: want a positive integer", f[0])
	}
	if e.Start, err = strconv.Atoi(f[1]); err != nil || e.Start < 0 {
		return Eval{}, fmt.Errorf("start %q: want a non-negative integer", f[1])
	}
	switch f[2] {
	case "0":
	case "1":
		e.Held = true
	default:
		return Eval{}, fmt.Errorf("held %q: want 0 or 1", f[2])
	}
	if e.Objective, err = strconv.ParseFloat(f[3], 64); err != nil {
		return Eval{}, fmt.Errorf("in_sample %q: want a number", f[3])
	}
	if e.Out, err = strconv.ParseFloat(f[4], 64); err != nil {
		return Eval{}, fmt.Errorf("out_of_sample %q: want a number", f[4])
	}
	for _, s := range strings.Fields(f[5]) {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return Eval{}, fmt.Errorf("value %q: want a number", s)
		}
		e.Values = append(e.Values, v)
	}
	if len(e.Values) == 0 {
		return Eval{}, errors.New("no parameter values")
	}
	if e.Stationary, err = strconv.Unquote(f[6]); err != nil {
		return Eval{}, fmt.Errorf("stationary %s: want a quoted string", f[6])
	}
	return e, nil
}
