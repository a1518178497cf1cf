package sweep

import (
	"strings"
	"testing"
)

// FuzzParseString: any text parses to a planned sweep or to a one-line
// error, never a panic or an unbounded loop or allocation; a planned sweep
// has between 1 and a million runs, each of which passes check. The seed
// corpus is the file tests' good and bad files and testdata/fuzz.
func FuzzParseString(f *testing.F) {
	for _, s := range []string{
		"out = \"o\"\nsteps = 10\n",
		"out = \"o\"\nsteps = 10\n[axes]\nseed = {from = 0, to = 3}\nlr = {from = 1e-4, to = 1e-2, num = 3, scale = \"log\"}\n",
		"out = \"o\"\nsteps = 10\nzip = [[\"seed\", \"hidden\"]]\n[axes]\nseed = [0, 1]\nhidden = [4, 8]\n",
		"out = \"o\"\nsteps = 10\nthreads = 2\nanalyse = false\n[base]\ncell = \"gru\"\ntau = 200.0\n[analysis]\ntrials = 5\ninput = [1, 0]\n",
		"out = \"o\"\nsteps = 10\n[axes]\nseed = {from = nan, to = 3}\n",
		"out = \"o\"\nsteps = 10\n[axes]\nseed = {from = 1e19, to = 1e19}\n",
		"out = \"o\"\nsteps = 10\naxes = \"seed\"\n",
		"out = \"o\"\nsteps = 10\n[base]\nlr = inf\n",
		"out = \"o\"\nsteps = 10\nthreads = 100000000\n",
		"out = \"o\"\nsteps = 10\n[analysis]\ntrials = 1000000000000\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		s, err := ParseString(text, "/x")
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error of more than one line: %q", err)
			}
			return
		}
		if len(s.Runs) < 1 || len(s.Runs) > 1_000_000 {
			t.Fatalf("%d runs", len(s.Runs))
		}
		if s.Threads < 1 || s.Threads > MaxThreads || s.Analysis.Trials < 1 {
			t.Fatalf("threads %d, analysis trials %d", s.Threads, s.Analysis.Trials)
		}
		for _, r := range s.Runs {
			if err := check(r.Params); err != nil {
				t.Fatalf("run %d planned with a bad configuration: %v", r.Index, err)
			}
		}
	})
}
