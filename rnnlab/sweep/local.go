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
// many failed. Each run's output goes to OUT/logs/ID.log. Canceling ctx
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
	work := make(chan int)
	var (
		mu             sync.Mutex
		finished, fail int
		wg             sync.WaitGroup
	)
	for range min(jobs, len(indexes)) {
		wg.Go(func() {
			for i := range work {
				err := l.runOne(ctx, s, i)
				mu.Lock()
				finished++
				if ctx.Err() != nil {
					mu.Unlock()
					continue
				}
				line := progressLine(s, i)
				if err != nil && line == "" {
					line = fmt.Sprintf("run %s failed: %v", s.Runs[i].ID, err)
				}
				if err != nil {
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
	if fail > 0 {
		return fmt.Errorf("%d of %d runs failed (rnnlab sweep status lists them; logs in %s)", fail, len(indexes), filepath.Join(s.Out, "logs"))
	}
	return nil
}

// runOne runs the worker process of run i, its output to its log file.
func (l Local) runOne(ctx context.Context, s *Sweep, i int) error {
	run := s.Runs[i]
	logf, err := os.Create(filepath.Join(s.Out, "logs", run.ID+".log"))
	if err != nil {
		return err
	}
	defer logf.Close()
	args := append(append([]string(nil), l.Command[1:]...), strconv.Itoa(i))
	cmd := exec.CommandContext(ctx, l.Command[0], args...)
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGINT) }
	cmd.WaitDelay = 30 * time.Second
	return cmd.Run()
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
