//go:build unix

package f32

import "syscall"

// cpuSeconds returns the CPU time (user and system) the process has used:
// on a shared machine the rate per CPU-second shows a kernel's speed when
// it runs, whatever share of the cores the other processes take.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}
