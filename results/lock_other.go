//go:build !unix

package results

import (
	"fmt"
	"os"
)

// lockDir opens the folder. Systems without flock get no lock against a
// second writer: the folder checks of Claim still apply.
func lockDir(dir string) (*os.File, error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, fmt.Errorf("results: %w", err)
	}
	return f, nil
}

func unlockDir(f *os.File) { f.Close() }
