package pipeline

import (
	"fmt"

	"github.com/rnnlab/rnnlab/rnnlab/analysis"
	"github.com/rnnlab/rnnlab/rnnlab/memlimit"
	"github.com/rnnlab/rnnlab/rnnlab/seeds"
)

// MaxAnalysisTrials is the largest AnalyzeOptions.Trials (and the largest
// --trials of rnnlab analyze, [analysis] trials of a sweep file).
const MaxAnalysisTrials = 1_000_000

// Check reports, in one line, options Analyze would refuse for the run r:
// a number of trials outside 0..MaxAnalysisTrials (0 means 100), an input
// whose length is not the network's, or an analysis whose memory estimate
// (the trials' states, inputs and outputs and their copies for the PCA and
// the search; trial length from one drawn trial, doubled) exceeds what is
// available (memlimit.Check). Analyze calls it first; a command calls it
// before it creates its output folder.
func (o AnalyzeOptions) Check(r *Run) error {
	p := r.Params
	switch {
	case o.Trials < 0 || o.Trials > MaxAnalysisTrials:
		return fmt.Errorf("number of trials must be in 1..%d, got %d", MaxAnalysisTrials, o.Trials)
	case o.Input == nil && analysis.DefaultInput(p.NumInput) == nil:
		return fmt.Errorf("the default input of the fixed-point search, %v, is the tutorial task's; the network of %s takes %d inputs: give one (--input)",
			analysis.TutorialInput, r.Summary.Config.Task, p.NumInput)
	case o.Input != nil && len(o.Input) != p.NumInput:
		return fmt.Errorf("input has %d values, the network takes %d", len(o.Input), p.NumInput)
	}
	trials := o.Trials
	if trials == 0 {
		trials = 100
	}
	seed := seeds.Analysis(r.Summary.Seed)
	if o.Seed != nil {
		seed = *o.Seed
	}
	task, err := r.NewTask(seed)
	if err != nil {
		return err
	}
	tr, err := task.NewTrial(nil)
	if err != nil {
		return err
	}
	perStep := 32*float64(p.StateSize()) + 4*float64(p.NumInput+p.NumOutput)
	need := float64(trials) * 2 * float64(tr.N) * perStep
	return memlimit.Check(fmt.Sprintf("the analysis of %d trials of about %d steps", trials, tr.N), need)
}
