package cluster

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/entente/entente/scenarios"
	"github.com/entente/entente/sim/sweep"
)

// The parts of a Kubernetes object the tests read.
type object struct {
	APIVersion string `yaml:"apiVersion"`
	Kind       string `yaml:"kind"`
	Metadata   struct {
		Name string `yaml:"name"`
	} `yaml:"metadata"`
	Spec struct {
		AccessModes          []string `yaml:"accessModes"`
		CompletionMode       string   `yaml:"completionMode"`
		Completions          *int     `yaml:"completions"`
		Parallelism          *int     `yaml:"parallelism"`
		BackoffLimitPerIndex *int     `yaml:"backoffLimitPerIndex"`
		Template             struct {
			Spec struct {
				RestartPolicy string `yaml:"restartPolicy"`
				Containers    []struct {
					Name    string   `yaml:"name"`
					Image   string   `yaml:"image"`
					Command []string `yaml:"command"`
					Args    []string `yaml:"args"`
					Env     []struct {
						Name  string `yaml:"name"`
						Value string `yaml:"value"`
					} `yaml:"env"`
					VolumeMounts []struct {
						Name      string `yaml:"name"`
						MountPath string `yaml:"mountPath"`
					} `yaml:"volumeMounts"`
				} `yaml:"containers"`
				Volumes []struct {
					Name                  string `yaml:"name"`
					PersistentVolumeClaim struct {
						ClaimName string `yaml:"claimName"`
					} `yaml:"persistentVolumeClaim"`
				} `yaml:"volumes"`
			} `yaml:"spec"`
		} `yaml:"template"`
	} `yaml:"spec"`
}

// manifest parses sweep-k8s.yaml: every document, by kind/name.
func manifest(t *testing.T) map[string]*object {
	t.Helper()
	b, err := os.ReadFile("sweep-k8s.yaml")
	if err != nil {
		t.Fatal(err)
	}
	objs := map[string]*object{}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	for {
		var o object
		err := dec.Decode(&o)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("sweep-k8s.yaml is not valid YAML: %v", err)
		}
		key := o.Kind + "/" + o.Metadata.Name
		if o.APIVersion == "" || o.Kind == "" || o.Metadata.Name == "" {
			t.Fatalf("sweep-k8s.yaml: a document without apiVersion, kind or name: %+v", o)
		}
		if objs[key] != nil {
			t.Fatalf("sweep-k8s.yaml: %s twice", key)
		}
		objs[key] = &o
	}
	for _, key := range []string{"PersistentVolumeClaim/entente-data", "Job/entente-sweep", "Job/entente-merge"} {
		if objs[key] == nil {
			t.Fatalf("sweep-k8s.yaml has no %s (has %v)", key, keys(objs))
		}
	}
	return objs
}

func keys(m map[string]*object) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// script is the shell command of a Job's only container: sh -c ARG.
func script(t *testing.T, o *object) string {
	t.Helper()
	cs := o.Spec.Template.Spec.Containers
	if len(cs) != 1 {
		t.Fatalf("%s: %d containers, want 1", o.Metadata.Name, len(cs))
	}
	c := cs[0]
	if !slices.Equal(c.Command, []string{"sh", "-c"}) || len(c.Args) != 1 {
		t.Fatalf("%s: command %q args %q, want sh -c and one script", o.Metadata.Name, c.Command, c.Args)
	}
	if c.Image == "" {
		t.Fatalf("%s: no image", o.Metadata.Name)
	}
	mounted := false
	for _, m := range c.VolumeMounts {
		mounted = mounted || m.Name == "data" && m.MountPath == "/data"
	}
	claim := false
	for _, v := range o.Spec.Template.Spec.Volumes {
		claim = claim || v.Name == "data" && v.PersistentVolumeClaim.ClaimName == "entente-data"
	}
	if !mounted || !claim {
		t.Fatalf("%s: the claim entente-data is not mounted at /data", o.Metadata.Name)
	}
	if o.Spec.Template.Spec.RestartPolicy != "Never" {
		t.Fatalf("%s: restartPolicy %q, want Never (a Job's pod; retries by the Job)", o.Metadata.Name, o.Spec.Template.Spec.RestartPolicy)
	}
	return c.Args[0]
}

var shardFlag = regexp.MustCompile(`--shard[ =]"?\$\{?JOB_COMPLETION_INDEX\}?/([0-9]+)"?(\s|$)`)

// shards checks the Indexed Job and returns its shard count N.
func shards(t *testing.T, objs map[string]*object) (int, string) {
	t.Helper()
	job := objs["Job/entente-sweep"]
	if job.Spec.CompletionMode != "Indexed" {
		t.Fatalf("entente-sweep: completionMode %q, want Indexed", job.Spec.CompletionMode)
	}
	if job.Spec.Completions == nil || job.Spec.Parallelism == nil {
		t.Fatal("entente-sweep: completions and parallelism must be set")
	}
	n := *job.Spec.Completions
	if n < 1 || *job.Spec.Parallelism != n {
		t.Fatalf("entente-sweep: completions %d, parallelism %d: want both the shard count", n, *job.Spec.Parallelism)
	}
	sh := script(t, job)
	m := shardFlag.FindAllStringSubmatch(sh, -1)
	if len(m) != 1 {
		t.Fatalf("entente-sweep: want one --shard $JOB_COMPLETION_INDEX/N in %q", sh)
	}
	if got, _ := strconv.Atoi(m[0][1]); got != n {
		t.Fatalf("entente-sweep: --shard $JOB_COMPLETION_INDEX/%d but completions %d", got, n)
	}
	for _, want := range []string{`--out "/data/sweep/shard-$JOB_COMPLETION_INDEX"`, "--resume", "entente sweep "} {
		if !strings.Contains(sh, want) {
			t.Fatalf("entente-sweep: the command has no %s: %q", want, sh)
		}
	}
	return n, sh
}

func TestManifest(t *testing.T) {
	objs := manifest(t)
	if pvc := objs["PersistentVolumeClaim/entente-data"]; !slices.Contains(pvc.Spec.AccessModes, "ReadWriteMany") {
		t.Errorf("entente-data: access modes %v, want ReadWriteMany (every shard's pod writes to it)", pvc.Spec.AccessModes)
	}
	n, _ := shards(t, objs)
	if p := objs["Job/entente-sweep"].Spec.BackoffLimitPerIndex; p == nil || *p < 1 {
		t.Error("entente-sweep: no backoffLimitPerIndex: a failed shard would not be retried on its own")
	}
	merge := objs["Job/entente-merge"]
	sh := script(t, merge)
	env := merge.Spec.Template.Spec.Containers[0].Env
	i := slices.IndexFunc(env, func(e struct {
		Name  string `yaml:"name"`
		Value string `yaml:"value"`
	}) bool {
		return e.Name == "SHARDS"
	})
	if i < 0 || env[i].Value != strconv.Itoa(n) {
		t.Errorf("entente-merge: SHARDS %v, want %d (the shard count of entente-sweep)", env, n)
	}
	for _, want := range []string{`"/data/sweep/shard-$i"`, `"$SHARDS"`, "entente merge $dirs --out /data/sweep/all", `"complete": true`} {
		if !strings.Contains(sh, want) {
			t.Errorf("entente-merge: the command has no %s: %q", want, sh)
		}
	}
}

// fields splits a shell command into words (quotes removed; no expansions).
func fields(s string) []string {
	var out []string
	var w strings.Builder
	in, quote := false, rune(0)
	for _, r := range s {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			w.WriteRune(r)
		case r == '"' || r == '\'':
			quote, in = r, true
		case r == ' ' || r == '\t' || r == '\n':
			if in {
				out = append(out, w.String())
				w.Reset()
				in = false
			}
		default:
			w.WriteRune(r)
			in = true
		}
	}
	if in {
		out = append(out, w.String())
	}
	return out
}

// The sweep in the manifest is valid: its scenario exists, every --vary
// parses and every point loads, and the N indexes are exactly the shards
// sweep.ParseShard accepts, covering every point once.
func TestManifestSweep(t *testing.T) {
	n, sh := shards(t, manifest(t))
	w := fields(sh)
	k := slices.Index(w, "sweep")
	if k < 1 || w[k-1] != "entente" || k+1 >= len(w) {
		t.Fatalf("no 'entente sweep SCENARIO' in %q", w)
	}
	scenario := w[k+1]
	var factors []sweep.Factor
	var seed uint64 = 1
	for j := k + 2; j+1 < len(w); j++ {
		switch w[j] {
		case "--vary":
			f, err := sweep.ParseFactor(w[j+1])
			if err != nil {
				t.Fatal(err)
			}
			factors = append(factors, f)
		case "--seed":
			s, err := strconv.ParseUint(w[j+1], 10, 64)
			if err != nil {
				t.Fatalf("--seed %q: %v", w[j+1], err)
			}
			seed = s
		}
	}
	d, err := sweep.NewDesign(sweep.Grid, factors, 0, 0, seed)
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{0, d.Len() - 1} {
		if _, err := scenarios.Load(scenario, d.Overrides(i)...); err != nil {
			t.Fatalf("point %d of the manifest's sweep does not load: %v", i, err)
		}
	}
	if d.Len() < n {
		t.Errorf("%d shards for %d points: some pods would have nothing to do", n, d.Len())
	}
	owner := make([]int, d.Len())
	for i := range owner {
		owner[i] = -1
	}
	// JOB_COMPLETION_INDEX runs from 0 to completions-1.
	for idx := range n {
		i, m, err := sweep.ParseShard(fmt.Sprintf("%d/%d", idx, n))
		if err != nil || i != idx || m != n {
			t.Fatalf("index %d: ParseShard = %d, %d, %v", idx, i, m, err)
		}
		for p := range d.Len() {
			if p%m == i {
				if owner[p] >= 0 {
					t.Fatalf("point %d in shards %d and %d", p, owner[p], i)
				}
				owner[p] = i
			}
		}
	}
	for p, o := range owner {
		if o < 0 {
			t.Fatalf("point %d in no shard", p)
		}
	}
	if _, _, err := sweep.ParseShard(fmt.Sprintf("%d/%d", n, n)); err == nil {
		t.Errorf("ParseShard accepts index %d of %d", n, n)
	}
}

// With the manifest's shard count, the shards really run (sweep.Run) every
// point of a sweep exactly once, and merge.
func TestManifestShardsRunEveryPointOnce(t *testing.T) {
	n, _ := shards(t, manifest(t))
	points := 2*n + 3 // not a multiple of n: the last shards hold fewer points
	f, err := sweep.ParseFactor(fmt.Sprintf("retrenchment.political=0:1:%d", points))
	if err != nil {
		t.Fatal(err)
	}
	base := t.TempDir()
	var dirs []string
	seen := map[string]int{}
	for idx := range n {
		i, m, err := sweep.ParseShard(fmt.Sprintf("%d/%d", idx, n))
		if err != nil {
			t.Fatal(err)
		}
		dir := filepath.Join(base, fmt.Sprintf("shard-%d", idx))
		rep, err := sweep.Run(context.Background(), &sweep.Config{
			Scenario: "classroom", Factors: []sweep.Factor{f}, Design: sweep.Grid, Replicates: 1, Steps: 2,
			Seed: 7, Workers: 1, Out: dir, Shard: i, Shards: m,
		})
		if err != nil {
			t.Fatal(err)
		}
		if !rep.Complete {
			t.Fatalf("shard %d not complete", idx)
		}
		ents, err := os.ReadDir(filepath.Join(dir, sweep.PointsDir))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range ents {
			if prev, ok := seen[e.Name()]; ok {
				t.Fatalf("%s in shards %d and %d", e.Name(), prev, idx)
			}
			seen[e.Name()] = idx
		}
		dirs = append(dirs, dir)
	}
	for p := range points {
		name := filepath.Base(sweep.PointDir("", p))
		if _, ok := seen[name]; !ok {
			t.Errorf("point %d (%s) in no shard", p, name)
		}
	}
	if len(seen) != points {
		t.Errorf("%d point folders for %d points", len(seen), points)
	}
	if _, err := sweep.Merge(filepath.Join(base, "all"), dirs, nil); err != nil {
		t.Fatalf("the shards do not merge: %v", err)
	}
}

var setting = regexp.MustCompile(`(?m)^: "\$\{(SWEEP_[A-Z_]+):=([^"]*)\}"`)

// The defaults at the top of sweep.sbatch describe a valid sweep.
func TestSbatchDefaults(t *testing.T) {
	b, err := os.ReadFile("sweep.sbatch")
	if err != nil {
		t.Fatal(err)
	}
	set := map[string]string{}
	for _, m := range setting.FindAllStringSubmatch(string(b), -1) {
		set[m[1]] = m[2]
	}
	for _, k := range []string{"SWEEP_BIN", "SWEEP_OUT", "SWEEP_SCENARIO", "SWEEP_VARY", "SWEEP_SHARDS", "SWEEP_REPLICATES", "SWEEP_SEED", "SWEEP_STEPS", "SWEEP_DESIGN"} {
		if _, ok := set[k]; !ok {
			t.Errorf("sweep.sbatch: no setting %s at the top", k)
		}
	}
	if n, err := strconv.Atoi(set["SWEEP_SHARDS"]); err != nil || n < 1 {
		t.Errorf("SWEEP_SHARDS=%q", set["SWEEP_SHARDS"])
	}
	var factors []sweep.Factor
	for _, v := range strings.Fields(set["SWEEP_VARY"]) {
		f, err := sweep.ParseFactor(v)
		if err != nil {
			t.Fatal(err)
		}
		factors = append(factors, f)
	}
	d, err := sweep.NewDesign(set["SWEEP_DESIGN"], factors, 0, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := scenarios.Load(set["SWEEP_SCENARIO"], d.Overrides(d.Len()-1)...); err != nil {
		t.Errorf("sweep.sbatch's default sweep does not load: %v", err)
	}
	for _, dir := range []string{"#SBATCH --partition=", "#SBATCH --time=", "#SBATCH --cpus-per-task="} {
		if !strings.Contains(string(b), dir) {
			t.Errorf("sweep.sbatch: no %s line", dir)
		}
	}
}

// The scripts are valid bash, and submit.sh reads sweep.sbatch's settings.
func TestScriptsParse(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	for _, f := range []string{"sweep.sbatch", "submit.sh", "test-slurm.sh"} {
		if out, err := exec.Command(bash, "-n", f).CombinedOutput(); err != nil {
			t.Errorf("bash -n %s: %v\n%s", f, err, out)
		}
	}
	cmd := exec.Command(bash, "-c", `SWEEP_SETTINGS_ONLY=1 . ./sweep.sbatch && echo "$SWEEP_SHARDS $SWEEP_SCENARIO"`)
	cmd.Env = append(os.Environ(), "SWEEP_SHARDS=5")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.HasPrefix(string(out), "5 ") {
		t.Errorf("sourcing sweep.sbatch for its settings: %q, %v", out, err)
	}
}
