package sweep

import (
	"os"
	"strconv"
	"strings"
)

// lockEnv tells a worker that the process starting it (Local) holds the
// run's lock and passed it as file descriptor 3: "3:RUNID".
const lockEnv = "RNNLAB_SWEEP_LOCK"

// takeLock takes the lock of run, or adopts the one the parent Local
// passed down (lockEnv) when it is the same file; the returned file's Close
// releases this process' hold.
func (s *Sweep) takeLock(run Run) (*os.File, error) {
	path := s.lockFile(run)
	if fd, id, ok := strings.Cut(os.Getenv(lockEnv), ":"); ok && id == run.ID {
		if n, err := strconv.Atoi(fd); err == nil && n > 2 {
			f := os.NewFile(uintptr(n), path)
			a, aerr := f.Stat()
			b, berr := os.Stat(path)
			if aerr == nil && berr == nil && os.SameFile(a, b) {
				return f, nil
			}
		}
	}
	return lockRun(path)
}
