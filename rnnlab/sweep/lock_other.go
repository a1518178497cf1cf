//go:build !unix

package sweep

// lockRun is a no-op where flock is not available: runs are not protected
// against being done twice at once.
func lockRun(path string) (func(), error) { return func() {}, nil }

// locked is always false where flock is not available.
func locked(path string) bool { return false }
