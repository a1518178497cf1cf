//go:build unix

package memlimit

import (
	"math"
	"syscall"
)

// addressLimit returns the address-space limit (RLIMIT_AS, ulimit -v) in
// bytes; false when there is none.
func addressLimit() (float64, bool) {
	var rl syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_AS, &rl); err != nil || rl.Cur == math.MaxUint64 {
		return 0, false
	}
	return float64(rl.Cur), true
}
