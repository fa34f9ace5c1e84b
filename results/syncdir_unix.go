//go:build unix

package results

import (
	"errors"
	"os"
	"syscall"
)

// syncDirOS syncs folder dir, so that the renames and creations in it
// survive a crash of the machine. A file system that cannot sync a folder
// (EINVAL, ENOTSUP: some network and FUSE ones) is not an error.
func syncDirOS(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = f.Sync()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if errors.Is(err, syscall.EINVAL) || errors.Is(err, syscall.ENOTSUP) {
		return nil
	}
	return err
}
