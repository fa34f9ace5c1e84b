package results

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
)

// digests returns the SHA-256 of each of the set's files (the manifest
// left out), as Manifest.Digests holds them, from what it kept as it
// wrote them (reading back those written by another hand).
func (s *Set) digests() (map[string]string, error) {
	out := make(map[string]string, len(s.man.Files))
	for _, name := range s.man.Files {
		if name == ManifestFile {
			continue
		}
		d, ok := s.dig[name]
		if !ok {
			// a file written by another hand (charts): read back
			var err error
			if d, err = digestFile(filepath.Join(s.dir, filepath.FromSlash(name))); err != nil {
				return nil, fmt.Errorf("results: %w", err)
			}
		}
		out[name] = d
	}
	return out, nil
}

// hashedFile is a file written in place, not synced, through a pooled
// buffer and hashed as it is written: how a set Inside a sweep writes its
// files (writeDigest; timeseries.csv streamed by the set).
type hashedFile struct {
	f *os.File
	h hash.Hash
	w *bufio.Writer
}

func createHashed(path string) (*hashedFile, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, filePerm)
	if err != nil {
		return nil, fmt.Errorf("results: %w", err)
	}
	h := sha256.New()
	return &hashedFile{f: f, h: h, w: getWriter(io.MultiWriter(f, h))}, nil
}

// finish flushes and closes the file and returns its digest; after an
// error (err, the writer's, or its own) it removes the file and returns
// that error as it is.
func (x *hashedFile) finish(err error) (string, error) {
	if err == nil {
		err = x.w.Flush()
	}
	putWriter(x.w)
	if cerr := x.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(x.f.Name())
		return "", err
	}
	return "sha256:" + hex.EncodeToString(x.h.Sum(nil)), nil
}

// writeDigest writes a file in place through a buffer, not synced, and
// returns its digest.
func writeDigest(path string, write func(w io.Writer) error) (string, error) {
	x, err := createHashed(path)
	if err != nil {
		return "", err
	}
	d, err := x.finish(write(x.w))
	if err != nil {
		return "", fmt.Errorf("results: writing %s: %w", path, err)
	}
	return d, nil
}

func digestFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := copyPooled(h, f); err != nil {
		return "", err
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil)), nil
}

// VerifyDigests checks that every file the manifest m of the set in dir
// lists, the manifest aside, is there with the digest m records: what a
// set Inside a sweep wrote without syncing its files is trusted only then
// (after a crash, a file renamed into place may have lost its content).
// A manifest without digests (a set that synced each file) passes if its
// files exist.
func VerifyDigests(dir string, m *Manifest) error {
	for _, name := range m.Files {
		if name == ManifestFile {
			continue
		}
		path := filepath.Join(dir, filepath.FromSlash(name))
		if m.Digests == nil {
			if _, err := os.Stat(path); err != nil {
				return fmt.Errorf("results: %s lists %s: %w", filepath.Join(dir, ManifestFile), name, err)
			}
			continue
		}
		want, ok := m.Digests[name]
		if !ok {
			return fmt.Errorf("results: %s lists %s without its digest", filepath.Join(dir, ManifestFile), name)
		}
		got, err := digestFile(path)
		if err != nil {
			return fmt.Errorf("results: %s lists %s: %w", filepath.Join(dir, ManifestFile), name, err)
		}
		if got != want {
			return fmt.Errorf("results: %s is not the file %s recorded (digest %s, want %s): it was cut short; rerun it (entente sweep --resume)",
				path, filepath.Join(dir, ManifestFile), got, want)
		}
	}
	return nil
}
