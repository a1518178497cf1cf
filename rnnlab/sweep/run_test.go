package sweep

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMain makes the test binary a sweep worker when RNNLAB_SWEEP_TEST_WORKER
// is set: "BINARY FILE --index I" does run I, as rnnlab sweep task does.
func TestMain(m *testing.M) {
	// Not the fuzzing engine's workers (go test -fuzz), which inherit the variable.
	if os.Getenv("RNNLAB_SWEEP_TEST_WORKER") == "1" && !strings.HasPrefix(os.Args[len(os.Args)-1], "-test.") && !slices.ContainsFunc(os.Args, func(a string) bool { return strings.HasPrefix(a, "-test.fuzzworker") }) {
		os.Exit(worker(os.Args[1:]))
	}
	os.Setenv("RNNLAB_SWEEP_TEST_WORKER", "1") // for the workers the tests start
	os.Exit(m.Run())
}

func worker(args []string) int {
	if len(args) != 3 || args[1] != "--index" {
		fmt.Fprintf(os.Stderr, "worker: bad arguments %q\n", args)
		return 2
	}
	s, err := Load(args[0])
	i, ierr := strconv.Atoi(args[2])
	if err != nil || ierr != nil {
		fmt.Fprintln(os.Stderr, "worker:", err, ierr)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if _, _, err := RunTask(ctx, s, i, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "worker:", err)
		return 1
	}
	return 0
}

// writeSweep writes a sweep file into a fresh folder and loads it.
func writeSweep(t *testing.T, text string) *Sweep {
	t.Helper()
	path := filepath.Join(t.TempDir(), "sweep.toml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

const tinySweep = `
out = "out"
steps = 20
analyse = false
[base]
hidden = 4
batch = 4
seq_len = 50
[axes]
seed = [0, 1, 2, 3]
`

func statusesOf(t *testing.T, s *Sweep) []string {
	t.Helper()
	sts, err := s.Status(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(sts))
	for i, st := range sts {
		out[i] = st.Status
	}
	return out
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestLocalExecutor: a failed run and a run interrupted mid-run are
// reported as failed and missing; the next run does exactly those two and
// leaves the done runs' records untouched; a third does nothing.
func TestLocalExecutor(t *testing.T) {
	s := writeSweep(t, tinySweep)
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	local := Local{Jobs: 2, Command: []string{exe, s.File, "--index"}, Log: &log}

	// Run 1 hangs after training until interrupted, run 2 fails.
	t.Setenv("RNNLAB_SWEEP_TEST_FAULTS", "hang=1;fail=2")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error)
	go func() { done <- local.Run(ctx, s, []int{0, 1, 2, 3}) }()
	deadline := time.Now().Add(60 * time.Second)
	for {
		st := statusesOf(t, s)
		if slices.Equal(st, []string{StatusDone, StatusRunning, StatusFailed, StatusDone}) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("statuses %v after 60 s", st)
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel() // Ctrl-C: the hanging worker gets SIGINT
	if err := <-done; err == nil || !strings.Contains(err.Error(), "interrupted") {
		t.Fatalf("Run after cancel: %v", err)
	}
	if st := statusesOf(t, s); !slices.Equal(st, []string{StatusDone, StatusMissing, StatusFailed, StatusDone}) {
		t.Fatalf("statuses after the interruption %v\n%s", st, log.String())
	}
	if _, err := os.Stat(s.Runs[1].Dir(s.Out)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the interrupted run left its folder: %v", err)
	}
	r2, err := ReadResult(s.Runs[2].Dir(s.Out))
	if err != nil || r2.Status != StatusFailed || !strings.Contains(r2.Error, "injected failure") {
		t.Errorf("failed run's record %+v, %v", r2, err)
	}
	sts, _ := s.Status(context.Background())
	if todo := ToDo(sts); !slices.Equal(todo, []int{1, 2}) {
		t.Fatalf("ToDo %v, want [1 2]", todo)
	}
	// A killed run's leftovers (SIGKILL: no cleanup) count as missing too.
	if err := os.MkdirAll(s.Runs[1].Dir(s.Out)+".tmp", 0o755); err != nil {
		t.Fatal(err)
	}
	before := map[int][]byte{0: readFile(t, filepath.Join(s.Runs[0].Dir(s.Out), ResultFile)), 3: readFile(t, filepath.Join(s.Runs[3].Dir(s.Out), ResultFile))}

	t.Setenv("RNNLAB_SWEEP_TEST_FAULTS", "")
	log.Reset()
	if err := local.Run(context.Background(), s, ToDo(sts)); err != nil {
		t.Fatalf("second Run: %v", err)
	}
	if st := statusesOf(t, s); !slices.Equal(st, []string{StatusDone, StatusDone, StatusDone, StatusDone}) {
		t.Fatalf("statuses after the second run %v", st)
	}
	if n := strings.Count(log.String(), "\n"); n != 2 || !strings.Contains(log.String(), "[2/2] run ") {
		t.Errorf("second run's progress, want 2 lines:\n%s", log.String())
	}
	for i, b := range before {
		if !bytes.Equal(b, readFile(t, filepath.Join(s.Runs[i].Dir(s.Out), ResultFile))) {
			t.Errorf("run %d was redone", i)
		}
	}
	if _, err := os.Stat(s.Runs[1].Dir(s.Out) + ".tmp"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the killed run's .tmp folder is still there")
	}
	// Done runs are skipped by RunTask itself too.
	if _, skipped, err := RunTask(context.Background(), s, 0, nil); err != nil || !skipped {
		t.Errorf("RunTask of a done run: skipped %v, %v", skipped, err)
	}
}

// TestSameResultsInAnyOrder: a run's numbers depend only on the sweep file:
// done in another order, in another folder, by another number of workers,
// the table is the same but for the wall times.
func TestSameResultsInAnyOrder(t *testing.T) {
	text := strings.Replace(tinySweep, "analyse = false", "", 1) + "[analysis]\ntrials = 4\n"
	a := writeSweep(t, text)
	b := writeSweep(t, text)
	exe, _ := os.Executable()
	if err := (Local{Jobs: 1, Command: []string{exe, a.File, "--index"}}).Run(context.Background(), a, []int{0, 1, 2, 3}); err != nil {
		t.Fatal(err)
	}
	if err := (Local{Jobs: 2, Command: []string{exe, b.File, "--index"}}).Run(context.Background(), b, []int{3, 1, 2, 0}); err != nil {
		t.Fatal(err)
	}
	ta, _, err := a.Collect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	tb, _, err := b.Collect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if d := DiffTables(ta, tb); d != "" {
		t.Fatal(d)
	}
	if ta.Rows[0][ta.Column("fixed_points")] == nil {
		t.Errorf("the runs were not analysed: %v", ta.Rows[0])
	}
}

// TestCollect: the table has a column per axis then the metrics; the CSV
// reads back exactly and the JSON is a list of objects with nulls where a
// run has no value.
func TestCollect(t *testing.T) {
	s := writeSweep(t, `
out = "out"
steps = 10
[axes]
task = ["PerceptualDecisionMaking-v0", "DelayComparison-v0"]
hidden = [4, 8]
`)
	if err := s.Prepare(); err != nil {
		t.Fatal(err)
	}
	// Fake records: run 0 done and analysed, run 1 done with a note, run 2 failed, run 3 missing.
	recs := []*Result{
		{Status: StatusDone, FinalAccuracy: 0.875, FinalLoss: 0.1 + 0.2, Steps: 10, TrainSeconds: 1.5, Analysed: true,
			TrialAccuracy: 0.9, FixedPoints: 12, ExactPoints: 1, SlowMode: [2]float64{0.98, 0}, HasLine: true, LineMeasure: 0.93, Seconds: 2},
		{Status: StatusDone, FinalAccuracy: 0.5, FinalLoss: 0.7, Steps: 10, Note: "analysis skipped: x"},
		{Status: StatusFailed, Error: "boom"},
	}
	for i, r := range recs {
		r.Index, r.ID, r.Params = i, s.Runs[i].ID, s.Runs[i].Params
		if err := writeRecord(s.Runs[i].Dir(s.Out), r); err != nil {
			t.Fatal(err)
		}
	}
	tab, sts, err := s.Collect(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got := Summary(sts); got != "4 runs: 2 done, 1 failed, 0 running, 0 pending, 1 missing" {
		t.Errorf("summary %q", got)
	}
	if err := WriteReport(s, tab, sts); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(bytes.NewReader(readFile(t, filepath.Join(s.Out, ResultsCSV)))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	wantHeader := append([]string{"index", "id", "task", "hidden"}, MetricColumns...)
	if !slices.Equal(rows[0], wantHeader) || len(rows) != 5 {
		t.Fatalf("CSV header %q (want %q), %d lines", rows[0], wantHeader, len(rows))
	}
	col := func(name string) int { return slices.Index(wantHeader, name) }
	r0 := rows[1]
	if r0[col("task")] != "PerceptualDecisionMaking-v0" || r0[col("hidden")] != "4" || r0[col("status")] != "done" ||
		r0[col("final_accuracy")] != "0.875" || r0[col("fixed_points")] != "12" || r0[col("slow_mode_re")] != "0.98" ||
		r0[col("line_measure")] != "0.93" || r0[col("note")] != "" {
		t.Errorf("row 0 %q", r0)
	}
	if v, _ := strconv.ParseFloat(r0[col("final_loss")], 64); v != 0.1+0.2 {
		t.Errorf("final_loss %s does not read back exactly", r0[col("final_loss")])
	}
	if r1 := rows[2]; r1[col("hidden")] != "8" || r1[col("fixed_points")] != "" || r1[col("note")] != "analysis skipped: x" {
		t.Errorf("row 1 %q", r1)
	}
	if r2 := rows[3]; r2[col("status")] != "failed" || r2[col("final_accuracy")] != "" {
		t.Errorf("row 2 %q", r2)
	}
	if r3 := rows[4]; r3[col("task")] != "DelayComparison-v0" || r3[col("status")] != "missing" {
		t.Errorf("row 3 %q", r3)
	}
	var js []map[string]any
	if err := json.Unmarshal(readFile(t, filepath.Join(s.Out, ResultsJSON)), &js); err != nil {
		t.Fatal(err)
	}
	if len(js) != 4 || js[0]["final_accuracy"] != 0.875 || js[0]["hidden"] != 4.0 || js[1]["fixed_points"] != nil || js[3]["status"] != "missing" {
		t.Errorf("JSON %v", js)
	}
	html := string(readFile(t, filepath.Join(s.Out, ReportFile)))
	for _, want := range []string{"final accuracy against task", "slow mode (Re of the leading eigenvalue) against hidden", "0000-"} {
		if !strings.Contains(html, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	figs, _ := filepath.Glob(filepath.Join(s.Out, "figures", "*.png"))
	if len(figs) != 4 {
		t.Errorf("figures %v, want 4 (2 metrics x 2 axes)", figs)
	}
}

// TestFolderOfAnotherSweep: a sweep folder is refused to a different sweep.
func TestFolderOfAnotherSweep(t *testing.T) {
	s := writeSweep(t, tinySweep)
	if err := s.Prepare(); err != nil {
		t.Fatal(err)
	}
	other, err := ParseString(strings.Replace(tinySweep, "steps = 20", "steps = 21", 1), filepath.Dir(s.File))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []func() error{other.Prepare, other.CheckFolder} {
		if err := f(); err == nil || !strings.Contains(err.Error(), "belongs to another sweep") {
			t.Errorf("got %v, want the folder refused", err)
		}
	}
	if _, _, err := RunTask(context.Background(), other, 0, nil); err == nil {
		t.Error("RunTask wrote into another sweep's folder")
	}
}

func TestArraySpec(t *testing.T) {
	for _, c := range []struct {
		in   []int
		want string
	}{{[]int{0, 1, 2, 3}, "0-3"}, {[]int{1, 2}, "1-2"}, {[]int{5}, "5"}, {[]int{0, 2, 3, 4, 7}, "0,2-4,7"}} {
		if got := ArraySpec(c.in); got != c.want {
			t.Errorf("ArraySpec(%v) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestParseSqueue(t *testing.T) {
	out := "12|[4-6%2]|PENDING\n12|1|RUNNING\n12|0|COMPLETED\n12|2|CANCELLED\n12|3|FAILED\n7|0|RUNNING\n"
	got := ParseSqueue(out, "12")
	want := map[int]string{0: "COMPLETED", 1: "RUNNING", 2: "CANCELLED", 3: "FAILED", 4: "PENDING", 5: "PENDING", 6: "PENDING"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("ParseSqueue = %v, want %v", got, want)
	}
}

func TestScript(t *testing.T) {
	s := writeSweep(t, tinySweep)
	sc := Slurm{Task: []string{"/opt/my rnnlab", "sweep", "task", s.File, "--index"}, Partition: "cpu", Time: "10:00", Mem: "1G"}.Script(s)
	for _, want := range []string{
		"#!/bin/sh\n", "#SBATCH --partition=cpu\n", "#SBATCH --time=10:00\n", "#SBATCH --mem=1G\n", "#SBATCH --cpus-per-task=1\n",
		"#SBATCH --output=" + filepath.Join(s.Out, "logs", "slurm-%A_%a.out") + "\n",
		"exec '/opt/my rnnlab' sweep task " + s.File + " --index \"$SLURM_ARRAY_TASK_ID\"\n",
	} {
		if !strings.Contains(sc, want) {
			t.Errorf("script lacks %q:\n%s", want, sc)
		}
	}
}

// TestSubmitErrors: a missing sbatch and a rejected submission are
// one-line errors and record no job.
func TestSubmitErrors(t *testing.T) {
	s := writeSweep(t, tinySweep)
	_, err := Slurm{Task: []string{"rnnlab"}, Sbatch: "/nonexistent/sbatch"}.Submit(context.Background(), s, []int{0})
	if err == nil || !strings.Contains(err.Error(), "/nonexistent/sbatch not found") {
		t.Errorf("missing sbatch: %v", err)
	}
	fake := filepath.Join(t.TempDir(), "sbatch")
	os.WriteFile(fake, []byte("#!/bin/sh\necho 'sbatch: error: invalid partition specified: nope' >&2\necho 'sbatch: error: Batch job submission failed' >&2\nexit 1\n"), 0o755)
	_, err = Slurm{Task: []string{"rnnlab"}, Sbatch: fake, Partition: "nope"}.Submit(context.Background(), s, []int{0})
	if err == nil || !strings.Contains(err.Error(), "sbatch rejected the job: sbatch: error: invalid partition specified: nope") || strings.Contains(err.Error(), "\n") {
		t.Errorf("rejected submission: %v", err)
	}
	if jobs, err := s.Jobs(); len(jobs) != 0 || err != nil {
		t.Errorf("jobs recorded after a rejected submission: %v %v", jobs, err)
	}
	if _, err := os.Stat(filepath.Join(s.Out, "slurm", "sweep.sbatch")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a script was written for a rejected submission: %v", err)
	}
}
