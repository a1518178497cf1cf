//go:build !unix

package sweep

import "os"

// lockHandoff: no descriptor is passed to a worker (ExtraFiles is not
// supported everywhere).
const lockHandoff = false

// lockRun opens the lock file without locking it where flock is not
// available: runs are not protected against being done twice at once.
func lockRun(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
}

// locked is always false where flock is not available.
func locked(path string) bool { return false }
