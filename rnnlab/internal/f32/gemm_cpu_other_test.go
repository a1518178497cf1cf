//go:build !unix

package f32

// cpuSeconds is not measured off unix.
func cpuSeconds() float64 { return 0 }
