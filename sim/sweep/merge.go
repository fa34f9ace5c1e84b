package sweep

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/entente/entente/results"
)

// Merge combines the folders of a sharded sweep (or any folders holding
// complete points of one sweep) into out: it copies every point's folder and
// writes the top-level files, exactly those one machine running the whole
// sweep writes (byte-identical, the points' manifest.json times aside). Every
// point must be complete in one of the folders; the folders' sweep.json must
// describe the same sweep. out must be new or empty (see MergeReplace), and
// not one of dirs.
func Merge(out string, dirs []string, draw ChartFunc) (*Report, error) {
	return merge(out, dirs, draw, false)
}

// MergeReplace is Merge into a folder that may hold a result set: it is
// replaced (what it held is removed first, as with --force).
func MergeReplace(out string, dirs []string, draw ChartFunc) (*Report, error) {
	return merge(out, dirs, draw, true)
}

func merge(out string, dirs []string, draw ChartFunc, force bool) (*Report, error) {
	if len(dirs) == 0 {
		return nil, errors.New("sweep: merge: no folders to merge")
	}
	if out == "" {
		return nil, errors.New("sweep: merge: no output folder (--out)")
	}
	var ref Manifest
	for k, dir := range dirs {
		m, err := readManifest(dir)
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("sweep: merge: %s has no %s: not a sweep folder", dir, ManifestFile)
		}
		if err != nil {
			return nil, err
		}
		if m.Shard != "" {
			if _, _, err := ParseShard(m.Shard); err != nil {
				return nil, fmt.Errorf("sweep: merge: %s: %w", dir, err)
			}
		}
		if k == 0 {
			ref = m
			continue
		}
		if !bytes.Equal(m.comparable(), ref.comparable()) || m.Version != ref.Version {
			return nil, fmt.Errorf("sweep: merge: %s and %s hold different sweeps (scenario, factors, design, seed, replicates, steps, outcomes or version differ)", dirs[0], dir)
		}
	}
	d, err := NewDesign(ref.Design, ref.Factors, ref.Samples, ref.Levels, ref.Seed)
	if err != nil {
		return nil, fmt.Errorf("sweep: merge: %w", err)
	}
	if d.Len() != ref.Points {
		return nil, fmt.Errorf("sweep: merge: the design has %d points, %s says %d", d.Len(), ManifestFile, ref.Points)
	}
	outAbs, _ := filepath.Abs(out)
	for _, dir := range dirs {
		if a, _ := filepath.Abs(dir); a == outAbs {
			return nil, fmt.Errorf("sweep: merge: --out %s is one of the folders to merge: write the merged sweep to a new folder", out)
		}
	}
	src := make([]string, d.Len())
	var missing []string
	for i := range d.Len() {
		for _, dir := range dirs {
			if PointComplete(dir, i) {
				src[i] = dir
				break
			}
		}
		if src[i] == "" {
			missing = append(missing, strconv.Itoa(i))
		}
	}
	if len(missing) > 0 {
		more := ""
		if len(missing) > 10 {
			more = fmt.Sprintf(" and %d more", len(missing)-10)
			missing = missing[:10]
		}
		return nil, fmt.Errorf("sweep: merge: points %s%s are complete in none of the folders: run the missing shards (with --resume)",
			strings.Join(missing, ", "), more)
	}
	mode := results.New
	if force {
		mode = results.Replace
	}
	folder, err := results.Claim(out, mode)
	var occ *results.OccupiedError
	if errors.As(err, &occ) {
		occ.Resume = false // a merge cannot continue a set
	}
	if err != nil {
		return nil, err
	}
	defer folder.Release()
	man := ref
	man.Shard, man.PointsDone, man.Complete, man.Files = "", 0, false, []string{}
	if err := writeManifest(out, man); err != nil {
		return nil, err
	}
	for i, dir := range src {
		from := PointDir(dir, i)
		to := PointDir(out, i)
		if err := copyTree(from, to); err != nil {
			return nil, fmt.Errorf("sweep: merge: copying point %d: %w", i, err)
		}
	}
	files, err := assemble(out, d, ref.Outcomes, draw, false)
	if err != nil {
		return nil, err
	}
	man.Files, man.PointsDone, man.Complete = files, d.Len(), true
	rep := &Report{Dir: out, Points: d.Len(), Complete: true, Manifest: man, Folder: folder}
	return rep, writeManifest(out, man)
}

// ParseShard parses "I/N" (0 <= I < N).
func ParseShard(s string) (i, n int, err error) {
	a, b, ok := strings.Cut(s, "/")
	i, err1 := strconv.Atoi(strings.TrimSpace(a))
	n, err2 := strconv.Atoi(strings.TrimSpace(b))
	if !ok || err1 != nil || err2 != nil {
		return 0, 0, fmt.Errorf("sweep: shard %q: want I/N, e.g. 0/4 (shards are numbered from 0)", s)
	}
	if n < 1 || i < 0 || i >= n {
		return 0, 0, fmt.Errorf("sweep: shard %q: want 0 <= I < N (shards are numbered from 0 to N-1)", s)
	}
	return i, n, nil
}

// copyTree copies a folder of regular files; the manifest last, so a copy
// cut short is never taken for a complete point.
func copyTree(from, to string) error {
	var manifest string
	err := filepath.WalkDir(from, func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		if e.IsDir() {
			return os.MkdirAll(filepath.Join(to, rel), 0o755)
		}
		if rel == "manifest.json" {
			manifest = path
			return nil
		}
		return copyFile(path, filepath.Join(to, rel))
	})
	if err != nil {
		return err
	}
	if manifest != "" {
		return copyFile(manifest, filepath.Join(to, "manifest.json"))
	}
	return nil
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}
