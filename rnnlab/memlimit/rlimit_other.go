//go:build !unix

package memlimit

// addressLimit reports no address-space limit where RLIMIT_AS does not exist.
func addressLimit() (float64, bool) { return 0, false }
