package results

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// filePerm is the mode of every file a set writes (os.CreateTemp makes 0600).
const filePerm = 0o644

// WriteFileAtomic writes a file by calling write on a buffered writer over a
// temporary file in the same folder, then syncing it and renaming it to path.
// Readers see either the old file or the complete new one, never a partial
// file; on error the temporary file is removed and path is left alone. The
// folder is not synced: a file that must survive a crash of the machine
// (a set's manifest, a resumable set's parts) is followed by syncDir of its
// folder, once for all the files renamed into it.
func WriteFileAtomic(path string, write func(w io.Writer) error) (err error) {
	return writeAtomic(path, write, true)
}

// writeAtomic is WriteFileAtomic, syncing the file before the rename only
// when sync is set (a set Inside a sweep relies on its digests instead).
func writeAtomic(path string, write func(w io.Writer) error, sync bool) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		// (the error names the file asked for, not the temporary one)
		return fmt.Errorf("results: cannot write %s: %w", path, unwrapPath(err))
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	bw := getWriter(f)
	defer putWriter(bw)
	if err = write(bw); err != nil {
		return err
	}
	if err = bw.Flush(); err != nil {
		return fmt.Errorf("results: writing %s: %w", path, err)
	}
	return commit(f, path, sync)
}

// syncDir syncs a folder so that the renames into it are durable (a
// variable for the tests).
var syncDir = syncDirOS

// SyncFolder syncs folder dir so that the files renamed into it (by
// WriteFileAtomic, which syncs each file but not its folder) survive a
// crash of the machine: call it once after the last of them.
func SyncFolder(dir string) error { return syncFolder(dir) }

// syncFolder is syncDir with an error that names the folder.
func syncFolder(dir string) error {
	if err := syncDir(dir); err != nil {
		return fmt.Errorf("results: syncing folder %s: %w", dir, unwrapPath(err))
	}
	return nil
}

// commitTemp syncs, closes and renames a temporary file into place.
func commitTemp(f *os.File, path string) error { return commit(f, path, true) }

// commit closes and renames a temporary file into place, syncing it first
// if sync is set.
func commit(f *os.File, path string, sync bool) error {
	if err := f.Chmod(filePerm); err != nil {
		return fmt.Errorf("results: %w", err)
	}
	if sync {
		if err := f.Sync(); err != nil {
			return fmt.Errorf("results: writing %s: %w", path, err)
		}
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("results: writing %s: %w", path, err)
	}
	if err := os.Rename(f.Name(), path); err != nil {
		os.Remove(f.Name())
		return fmt.Errorf("results: cannot write %s: %w", path, unwrapRename(err))
	}
	return nil
}

// CheckWritable makes sure results can be written to dir before any run
// starts: it creates the folder (and its parents) if needed and writes and
// removes a probe file. The error names the folder and says how to fix it.
func CheckWritable(dir string) error {
	if dir == "" {
		return errors.New("results: no output folder given (set one with --out)")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("results: cannot create output folder %q: %w (choose another folder with --out, or create it and make it writable)", dir, unwrapPath(err))
	}
	f, err := os.CreateTemp(dir, ".entente-probe-*")
	if err == nil {
		_, err = f.Write([]byte("probe\n"))
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if rerr := os.Remove(f.Name()); err == nil {
			err = rerr
		}
	}
	if err != nil {
		return fmt.Errorf("results: output folder %q is not writable: %w (choose another folder with --out, or fix its permissions)", dir, unwrapPath(err))
	}
	return nil
}

// unwrapRename drops the *LinkError wrapper of a failed rename, which names
// the temporary file.
func unwrapRename(err error) error {
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

// unwrapPath drops the *PathError wrapper so messages name the folder once.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
