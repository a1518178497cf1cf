package sweep

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
)

// RunStatus is the state of one run.
type RunStatus struct {
	Run Run
	// Status is StatusDone, StatusFailed, StatusRunning, StatusPending or
	// StatusMissing.
	Status string
	// Detail is the failure's error, or the Slurm state of a run that is
	// not done (e.g. "slurm CANCELLED").
	Detail string
	// Result is the run's run.json (nil when missing).
	Result *Result
}

// Status returns the state of every run: done and failed from the runs'
// records, running from the runs' locks (a process on this machine holds
// it) and from squeue for the Slurm jobs this sweep submitted, missing
// otherwise. Status never uses sacct. A Slurm query that fails is reported
// in the error, with the statuses from the files.
func (s *Sweep) Status(ctx context.Context) ([]RunStatus, error) {
	if err := s.CheckFolder(); err != nil {
		return nil, err
	}
	slurm, qerr := s.slurmStates(ctx)
	out := make([]RunStatus, len(s.Runs))
	for i, run := range s.Runs {
		st := RunStatus{Run: run, Status: StatusMissing}
		dir := run.Dir(s.Out)
		r, err := ReadResult(dir)
		switch {
		case err == nil && (r.Status == StatusDone || r.Status == StatusFailed):
			st.Status, st.Result = r.Status, r
			if r.Status == StatusFailed {
				st.Detail = r.Error
			}
		case err != nil && !errors.Is(err, os.ErrNotExist):
			st.Detail = err.Error()
		}
		// A failed run being redone shows as running or pending.
		if st.Status == StatusMissing || st.Status == StatusFailed {
			active := ""
			if locked(s.lockFile(run)) {
				active = StatusRunning
			}
			state, ok := slurm[i]
			if ok {
				switch state {
				case "PENDING", "REQUEUED", "RESV_DEL_HOLD", "REQUEUE_HOLD", "SUSPENDED":
					active = max(active, StatusPending) // running wins: "running" > "pending"
				case "RUNNING", "CONFIGURING", "COMPLETING", "STAGE_OUT", "SIGNALING", "RESIZING":
					active = StatusRunning
				}
			}
			switch {
			case active != "":
				st.Status, st.Detail = active, ""
				if ok {
					st.Detail = "slurm " + state
				}
			case ok && st.Status == StatusMissing:
				st.Detail = "slurm " + state
			}
		}
		out[i] = st
	}
	return out, qerr
}

// Counts returns the number of runs in each status.
func Counts(sts []RunStatus) map[string]int {
	c := map[string]int{}
	for _, st := range sts {
		c[st.Status]++
	}
	return c
}

// Summary returns the one-line count of sts, e.g. "12 runs: 10 done, 1
// failed, 0 running, 0 pending, 1 missing".
func Summary(sts []RunStatus) string {
	c := Counts(sts)
	return fmt.Sprintf("%d runs: %d done, %d failed, %d running, %d pending, %d missing",
		len(sts), c[StatusDone], c[StatusFailed], c[StatusRunning], c[StatusPending], c[StatusMissing])
}

// ToDo returns the indexes of the runs a new `sweep run` does: the missing
// and the failed ones (not those done, running or pending).
func ToDo(sts []RunStatus) []int {
	var idx []int
	for _, st := range sts {
		if st.Status == StatusMissing || st.Status == StatusFailed {
			idx = append(idx, st.Run.Index)
		}
	}
	return idx
}

// PrintStatus writes one line per run that is not done, then the summary
// line.
func PrintStatus(w io.Writer, s *Sweep, sts []RunStatus, all bool) {
	for _, st := range sts {
		if st.Status == StatusDone && !all {
			continue
		}
		line := fmt.Sprintf("%-8s %s  %s", st.Status, st.Run.ID, s.Label(st.Run))
		if st.Detail != "" {
			line += "  (" + st.Detail + ")"
		}
		fmt.Fprintln(w, line)
	}
	fmt.Fprintln(w, Summary(sts))
}
