package sweep

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"time"
)

// Local runs a sweep's runs on this machine, Jobs worker processes at a
// time. Each run is its own process, Command followed by the run's index
// (for the rnnlab command: rnnlab sweep task FILE --index), so a run that
// crashes or is killed affects no other and every run is done as on a
// cluster node.
type Local struct {
	// Jobs is the number of runs done at once (default 1).
	Jobs int
	// Command is the worker's command line without the index.
	Command []string
	// Log receives one progress line per finished run; nil is silent.
	Log io.Writer
}

// Run does the runs with the given indexes and returns an error naming how
// many failed. Each run's output goes to OUT/logs/ID.log. A run held by
// another process (a second sweep run of the same file) is skipped and
// reported as such, not as failed, and its log is left alone; so is a run
// whose record another process wrote since Run started. Canceling ctx
// (Ctrl-C) sends SIGINT to the workers, which stop without a record: their
// runs stay missing.
func (l Local) Run(ctx context.Context, s *Sweep, indexes []int) error {
	if len(l.Command) == 0 {
		return errors.New("sweep: Local.Command is empty")
	}
	if err := s.Prepare(); err != nil {
		return err
	}
	jobs := max(l.Jobs, 1)
	log := l.Log
	if log == nil {
		log = io.Discard
	}
	before := map[int]string{}
	for _, i := range indexes {
		before[i] = recordStamp(s, i)
	}
	work := make(chan int)
	var (
		mu                   sync.Mutex
		finished, fail, held int
		wg                   sync.WaitGroup
	)
	for range min(jobs, len(indexes)) {
		wg.Go(func() {
			for i := range work {
				skip, err := l.runOne(ctx, s, i, before[i])
				mu.Lock()
				finished++
				if ctx.Err() != nil {
					mu.Unlock()
					continue
				}
				line := progressLine(s, i)
				switch {
				case skip != "":
					held++
					line = fmt.Sprintf("run %s %s, skipped  (%s)", s.Runs[i].ID, skip, s.Label(s.Runs[i]))
				case err != nil && line == "":
					line = fmt.Sprintf("run %s failed: %v", s.Runs[i].ID, err)
				}
				if skip == "" && err != nil {
					fail++
				}
				fmt.Fprintf(log, "[%d/%d] %s\n", finished, len(indexes), line)
				mu.Unlock()
			}
		})
	}
	for _, i := range indexes {
		select {
		case work <- i:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
	}
	close(work)
	wg.Wait()
	if ctx.Err() != nil {
		return fmt.Errorf("interrupted: the unfinished runs are missing and the next sweep run does them")
	}
	if held > 0 {
		fmt.Fprintf(log, "%d of %d runs were held or done by another sweep run (rnnlab sweep status shows them)\n", held, len(indexes))
	}
	if fail > 0 {
		return fmt.Errorf("%d of %d runs failed (rnnlab sweep status lists them; logs in %s)", fail, len(indexes), filepath.Join(s.Out, "logs"))
	}
	return nil
}

// recordStamp identifies the state of run i's record (run.json): its size
// and time, "" when there is none.
func recordStamp(s *Sweep, i int) string {
	st, err := os.Stat(filepath.Join(s.Runs[i].Dir(s.Out), ResultFile))
	if err != nil {
		return ""
	}
	return fmt.Sprint(st.Size(), st.ModTime().UnixNano())
}

// runOne runs the worker process of run i, its output to its log file,
// holding the run's lock (passed to the worker, which adopts it). It
// returns why the run was skipped instead: another process holds its lock,
// or wrote its record since before (the record's stamp when Run started).
func (l Local) runOne(ctx context.Context, s *Sweep, i int, before string) (skip string, err error) {
	run := s.Runs[i]
	lock, err := lockRun(s.lockFile(run))
	if errors.Is(err, ErrRunning) {
		return "held by another sweep run", nil
	}
	if err != nil {
		return "", err
	}
	defer lock.Close()
	if recordStamp(s, i) != before {
		return "done by another sweep run", nil
	}
	logf, err := os.Create(filepath.Join(s.Out, "logs", run.ID+".log"))
	if err != nil {
		return "", err
	}
	defer logf.Close()
	args := append(append([]string(nil), l.Command[1:]...), strconv.Itoa(i))
	cmd := exec.CommandContext(ctx, l.Command[0], args...)
	cmd.Stdout, cmd.Stderr = logf, logf
	if lockHandoff {
		cmd.ExtraFiles = []*os.File{lock} // descriptor 3: the worker holds the lock too
		cmd.Env = append(os.Environ(), lockEnv+"=3:"+run.ID)
	}
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGINT) }
	cmd.WaitDelay = 30 * time.Second
	return "", cmd.Run()
}

// progressLine describes the finished run i from its record ("" if none).
func progressLine(s *Sweep, i int) string {
	run := s.Runs[i]
	r, err := ReadResult(run.Dir(s.Out))
	if err != nil {
		return ""
	}
	if r.Status == StatusFailed {
		return fmt.Sprintf("run %s failed: %s  (%s)", run.ID, r.Error, s.Label(run))
	}
	line := fmt.Sprintf("run %s done in %.1f s: accuracy %.3f, loss %.4f", run.ID, r.Seconds, r.FinalAccuracy, r.FinalLoss)
	switch {
	case r.Analysed && r.FixedPoints > 0:
		line += fmt.Sprintf(", %d fixed points, slow mode %.3f", r.FixedPoints, r.SlowMode[0])
	case r.Analysed:
		line += ", no fixed point kept"
	case r.Note != "":
		line += " (" + r.Note + ")"
	}
	return line + "  (" + s.Label(run) + ")"
}
