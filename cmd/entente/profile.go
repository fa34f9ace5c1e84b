package main

import (
	"errors"
	"fmt"
	"os"
	"runtime/pprof"
	"sync"
)

// The CPU profile --cpuprofile writes: one at a time in a process, like
// the runtime's profiler itself. `go tool pprof bin/entente FILE` shows
// where a command's time went.
var (
	profMu   sync.Mutex
	profFile *os.File
)

// startCPUProfile starts writing a CPU profile to path ("" does nothing).
func startCPUProfile(path string) error {
	if path == "" {
		return nil
	}
	profMu.Lock()
	defer profMu.Unlock()
	if profFile != nil {
		return errors.New("--cpuprofile: a profile is already being written in this process")
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("--cpuprofile %s: %w (give a file in a folder you can write)", path, err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		os.Remove(path)
		return fmt.Errorf("--cpuprofile %s: %w", path, err)
	}
	profFile = f
	return nil
}

// stopCPUProfile finishes the profile startCPUProfile started, if any.
func stopCPUProfile() error {
	profMu.Lock()
	defer profMu.Unlock()
	if profFile == nil {
		return nil
	}
	pprof.StopCPUProfile()
	f := profFile
	profFile = nil
	if err := f.Close(); err != nil {
		return fmt.Errorf("--cpuprofile %s: %w", f.Name(), err)
	}
	return nil
}
