//go:build unix

package results

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// lockDir takes an exclusive flock on the folder itself (no lock file is
// made). The lock belongs to the open file, so it is released by unlockDir
// or when the process ends, however it ends.
func lockDir(dir string) (*os.File, error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, fmt.Errorf("results: %w", err)
	}
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	switch {
	case err == nil:
		return f, nil
	case errors.Is(err, syscall.EWOULDBLOCK):
		f.Close()
		return nil, fmt.Errorf("results: output folder %q: %w (wait for it to finish, or choose another folder with --out)", dir, ErrLocked)
	case errors.Is(err, syscall.ENOLCK), errors.Is(err, syscall.EOPNOTSUPP), errors.Is(err, syscall.ENOSYS):
		// a file system without locks (some network file systems): go on
		// unlocked rather than refuse to run
		return f, nil
	}
	f.Close()
	return nil, fmt.Errorf("results: locking output folder %q: %w", dir, err)
}

func unlockDir(f *os.File) {
	_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	f.Close()
}
