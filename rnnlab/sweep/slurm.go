package sweep

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/rnnlab/rnnlab/rnnlab/atomicfile"
)

// Slurm submits a sweep's runs to a Slurm cluster as one job array: array
// task i runs run i with Task followed by i (for the rnnlab command: rnnlab
// sweep task FILE --index). The clients (sbatch, squeue) read SLURM_CONF
// from the environment like any Slurm command.
type Slurm struct {
	// Task is the array task's command line without the index.
	Task []string
	// Collect, if not empty, is submitted as a job that runs after the
	// array (afterany) and collects the results.
	Collect []string
	// Partition, Time (e.g. "30:00") and Mem (e.g. "2G") are passed to
	// sbatch when not empty; CPUs is --cpus-per-task (default: the
	// sweep's threads); MaxParallel (> 0) limits the array tasks running at
	// once (--array=...%K).
	Partition, Time, Mem string
	CPUs, MaxParallel    int
	// Sbatch and Squeue are the client binaries (default "sbatch" and
	// "squeue", looked up on PATH).
	Sbatch, Squeue string
}

// Job is one submission of a sweep, as recorded in OUT/slurm/jobs.json.
type Job struct {
	JobID        string    `json:"job_id"`
	Indexes      []int     `json:"indexes"`
	CollectJobID string    `json:"collect_job_id,omitempty"`
	Submitted    time.Time `json:"submitted"`
	Script       string    `json:"script"`
}

// Script returns the batch script of the array: the sbatch options and the
// array task's command.
func (sl Slurm) Script(s *Sweep) string {
	var b strings.Builder
	fmt.Fprintf(&b, "#!/bin/sh\n")
	fmt.Fprintf(&b, "#SBATCH --job-name=rnnlab-sweep-%s\n", s.ID[:8])
	fmt.Fprintf(&b, "#SBATCH --output=%s\n", filepath.Join(s.Out, "logs", "slurm-%A_%a.out"))
	fmt.Fprintf(&b, "#SBATCH --chdir=%s\n", s.Out)
	cpus := sl.CPUs
	if cpus <= 0 {
		cpus = s.Threads
	}
	fmt.Fprintf(&b, "#SBATCH --cpus-per-task=%d\n", cpus)
	for _, o := range [][2]string{{"partition", sl.Partition}, {"time", sl.Time}, {"mem", sl.Mem}} {
		if o[1] != "" {
			fmt.Fprintf(&b, "#SBATCH --%s=%s\n", o[0], o[1])
		}
	}
	fmt.Fprintf(&b, "# Array task i does run i of the sweep %s (id %s).\n", s.File, s.ID)
	fmt.Fprintf(&b, "exec %s \"$SLURM_ARRAY_TASK_ID\"\n", shellJoin(sl.Task))
	return b.String()
}

// Submit submits the batch script with sbatch --parsable
// --array=<indexes>[%MaxParallel], then the collect job if any, and records
// the job and a copy of the script (OUT/slurm/jobs.json, sweep.sbatch, each
// written atomically). A missing sbatch or a rejected submission is a
// one-line error and records nothing.
func (sl Slurm) Submit(ctx context.Context, s *Sweep, indexes []int) (*Job, error) {
	if len(sl.Task) == 0 {
		return nil, errors.New("sweep: Slurm.Task is empty")
	}
	if len(indexes) == 0 {
		return nil, errors.New("sweep: nothing to submit")
	}
	sbatch, err := lookPath(sl.Sbatch, "sbatch")
	if err != nil {
		return nil, err
	}
	if err := s.Prepare(); err != nil {
		return nil, err
	}
	dir := filepath.Join(s.Out, "slurm")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	// sbatch reads the script from its standard input; the copy in the
	// sweep folder is written once the job is accepted.
	text := sl.Script(s)
	script := filepath.Join(dir, "sweep.sbatch")
	array := ArraySpec(indexes)
	if sl.MaxParallel > 0 {
		array += "%" + strconv.Itoa(sl.MaxParallel)
	}
	id, err := runSbatch(ctx, sbatch, text, "--parsable", "--array="+array)
	if err != nil {
		return nil, err
	}
	if err := atomicfile.Write(script, []byte(text)); err != nil {
		return nil, err
	}
	job := &Job{JobID: id, Indexes: indexes, Submitted: time.Now().UTC(), Script: script}
	if len(sl.Collect) > 0 {
		cid, err := runSbatch(ctx, sbatch, "", "--parsable", "--dependency=afterany:"+id, "--kill-on-invalid-dep=yes",
			"--job-name=rnnlab-collect-"+s.ID[:8], "--output="+filepath.Join(s.Out, "logs", "slurm-collect-%j.out"),
			"--chdir="+s.Out, "--wrap="+shellJoin(sl.Collect))
		if err != nil {
			return job, fmt.Errorf("array job %s submitted, but the collect job was not: %w", id, err)
		}
		job.CollectJobID = cid
	}
	jobs, _ := s.Jobs()
	jobs = append(jobs, *job)
	b, _ := json.MarshalIndent(jobs, "", "  ")
	if err := atomicfile.Write(filepath.Join(dir, "jobs.json"), append(b, '\n')); err != nil {
		return job, err
	}
	return job, nil
}

// runSbatch runs sbatch with the script on its standard input (if not
// empty) and returns the job id it prints (--parsable: "ID" or
// "ID;CLUSTER").
func runSbatch(ctx context.Context, sbatch, script string, args ...string) (string, error) {
	var out, errb bytes.Buffer
	cmd := exec.CommandContext(ctx, sbatch, args...)
	if script != "" {
		cmd.Stdin = strings.NewReader(script)
	}
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		msg := strings.Join(strings.Fields(errb.String()), " ")
		if msg == "" {
			msg = err.Error()
		}
		return "", fmt.Errorf("sbatch rejected the job: %s", msg)
	}
	id, _, _ := strings.Cut(strings.TrimSpace(out.String()), ";")
	if _, err := strconv.ParseUint(id, 10, 64); err != nil {
		return "", fmt.Errorf("sbatch printed %q, not a job id", strings.TrimSpace(out.String()))
	}
	return id, nil
}

func lookPath(bin, def string) (string, error) {
	if bin == "" {
		bin = def
	}
	p, err := exec.LookPath(bin)
	if err != nil {
		return "", fmt.Errorf("%s not found: Slurm's client commands are needed for --executor slurm (on a laptop use --executor local)", bin)
	}
	return p, nil
}

// Jobs returns the Slurm jobs submitted for the sweep, oldest first.
func (s *Sweep) Jobs() ([]Job, error) {
	b, err := os.ReadFile(filepath.Join(s.Out, "slurm", "jobs.json"))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var jobs []Job
	if err := json.Unmarshal(b, &jobs); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(s.Out, "slurm", "jobs.json"), err)
	}
	return jobs, nil
}

// ArraySpec formats indexes for sbatch --array: "0-11", "1,4-6".
func ArraySpec(indexes []int) string {
	var parts []string
	for k := 0; k < len(indexes); {
		j := k
		for j+1 < len(indexes) && indexes[j+1] == indexes[j]+1 {
			j++
		}
		if j == k {
			parts = append(parts, strconv.Itoa(indexes[k]))
		} else {
			parts = append(parts, fmt.Sprintf("%d-%d", indexes[k], indexes[j]))
		}
		k = j + 1
	}
	return strings.Join(parts, ",")
}

// slurmStates returns the Slurm state of the array tasks of the sweep's
// jobs, by run index, from squeue (newer jobs override older ones). No
// jobs, no query.
func (s *Sweep) slurmStates(ctx context.Context) (map[int]string, error) {
	jobs, err := s.Jobs()
	if err != nil || len(jobs) == 0 {
		return nil, err
	}
	squeue, err := lookPath("", "squeue")
	if err != nil {
		return nil, fmt.Errorf("cannot query the Slurm jobs of this sweep: %w", err)
	}
	states := map[int]string{}
	for _, j := range jobs {
		var out, errb bytes.Buffer
		cmd := exec.CommandContext(ctx, squeue, "-h", "-r", "-t", "all", "-j", j.JobID, "-o", "%F|%K|%T")
		cmd.Stdout, cmd.Stderr = &out, &errb
		if err := cmd.Run(); err != nil {
			if strings.Contains(errb.String(), "Invalid job id") { // purged: its tasks are done or missing
				continue
			}
			return states, fmt.Errorf("squeue: %s", strings.Join(strings.Fields(errb.String()), " "))
		}
		for k, v := range ParseSqueue(out.String(), j.JobID) {
			states[k] = v
		}
	}
	return states, nil
}

// ParseSqueue parses the lines "ARRAYJOBID|TASKID|STATE" of squeue -h -r
// -o "%F|%K|%T" for the array job id; a pending range "[2-5%2]" or "2-5"
// gives every task in it.
func ParseSqueue(out, jobID string) map[int]string {
	states := map[int]string{}
	for _, line := range strings.Split(out, "\n") {
		f := strings.Split(strings.TrimSpace(line), "|")
		if len(f) != 3 || f[0] != jobID {
			continue
		}
		spec := strings.Trim(f[1], "[]")
		spec, _, _ = strings.Cut(spec, "%")
		for _, part := range strings.Split(spec, ",") {
			lo, hi, isRange := strings.Cut(part, "-")
			a, err1 := strconv.Atoi(lo)
			b := a
			var err2 error
			if isRange {
				b, err2 = strconv.Atoi(hi)
			}
			if err1 != nil || err2 != nil {
				continue
			}
			for k := a; k <= b; k++ {
				states[k] = f[2]
			}
		}
	}
	return states
}

// Wait polls the status every poll until none of the runs with the given
// indexes is pending or running, writing one progress line per run that
// finishes; it returns the final statuses.
func Wait(ctx context.Context, s *Sweep, indexes []int, poll time.Duration, log io.Writer) ([]RunStatus, error) {
	if log == nil {
		log = io.Discard
	}
	reported := map[int]bool{}
	for {
		sts, err := s.Status(ctx)
		if err != nil {
			return sts, err
		}
		active := 0
		for _, i := range indexes {
			st := sts[i]
			switch st.Status {
			case StatusPending, StatusRunning:
				active++
			case StatusDone, StatusFailed:
				if !reported[i] {
					reported[i] = true
					fmt.Fprintf(log, "[%d/%d] %s\n", len(reported), len(indexes), progressLine(s, i))
				}
			}
		}
		if active == 0 {
			return sts, nil
		}
		select {
		case <-ctx.Done():
			return sts, ctx.Err()
		case <-time.After(poll):
		}
	}
}

// shellJoin quotes args for sh.
func shellJoin(args []string) string {
	q := make([]string, len(args))
	for i, a := range args {
		if a != "" && strings.Trim(a, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@%") == "" {
			q[i] = a
		} else {
			q[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
	}
	return strings.Join(q, " ")
}
