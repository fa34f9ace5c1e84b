package sim

import (
	"crypto/sha256"
	"encoding/binary"
	"math/rand/v2"
)

// RunSeed derives the 32-byte ChaCha8 seed of one run from the master seed and
// the run's identity: SHA-256(master seed ‖ scenario ‖ point ‖ replicate).
// Distinct identities give independent streams; the same identity gives the
// same stream whatever the number of workers or the order runs execute in.
func RunSeed(master uint64, scenario string, point, replicate int) [32]byte {
	h := sha256.New()
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], master)
	h.Write(b[:])
	binary.LittleEndian.PutUint64(b[:], uint64(len(scenario)))
	h.Write(b[:])
	h.Write([]byte(scenario))
	binary.LittleEndian.PutUint64(b[:], uint64(point))
	h.Write(b[:])
	binary.LittleEndian.PutUint64(b[:], uint64(replicate))
	h.Write(b[:])
	var s [32]byte
	copy(s[:], h.Sum(nil))
	return s
}

// SeedFromInt is a convenience seed for tests and examples: RunSeed(n, "", 0, 0).
func SeedFromInt(n uint64) [32]byte { return RunSeed(n, "", 0, 0) }

func newSource(seed [32]byte) *rand.ChaCha8 { return rand.NewChaCha8(seed) }
