package tasks

import "strings"

// Yang19MatchTrial is the record of a trial of the matching family (dms,
// dnms, dmc, dnmc), neurogym's _DelayMatch1DResponse wrapped in
// _MultiModalityStimulus, two modality copies in a ScheduleEnvs.
//
// A trial draws its modality m (see Yang19Config.RandomModality), the
// class ground_truth (0 match, 1 non-match, each with probability 1/2) and
// the sample position i_sample uniformly from 0..15. The test position is
//
//	dms, dnms: i_test = i_sample (match) or (i_sample+8) mod 16 (non-match)
//	dmc, dnmc: i_test = u + 8 c, u uniform in 0..7, where c is the sample's
//	           category (match) or the other one (non-match)
//
// with the sample's category 1 if i_sample > 8 and 0 otherwise, as in
// neurogym v2.2.0: position 8 (180 degrees) counts as category 0 for the
// sample but as category 1 for the test, whose categories are 0..7 and
// 8..15. A response is required on match trials of dms and dmc and on
// non-match trials of dnms and dnmc ("go" trials); then the label is
// i_test+1 in the decision period, and 0 elsewhere; on the other trials
// the label is 0 throughout (keep fixating).
//
// Periods (defaults): fixation 300 ms, sample 500 ms, delay 1000 ms, test
// 500 ms, decision 900 ms. Observations: x[0] = 1 in the fixation period
// only; ring m = bump(i_sample, 1) + sigma_eff xi in the sample period and
// bump(i_test, 1) + sigma_eff xi in the test period (sigma_eff =
// Sigma/sqrt(Dt), xi standard normal); the other ring and everything else
// 0. With neurogym's step, keeping fixation through a no-go trial earns
// reward 0 and leaves the performance at 0; responding on it is a "fail".
type Yang19MatchTrial struct {
	// GroundTruth is the class: 0 match, 1 non-match (neurogym's index in
	// its choices ["match", "non-match"]); not an action.
	GroundTruth int
	// Modality is the ring of the stimuli, 0 or 1.
	Modality int
	// Sample and Test are the ring positions of the sample and the test.
	Sample, Test int
	// Go is 1 if the trial requires a response toward Test, 0 if not.
	Go int
}

// Fields returns ground_truth, modality, i_sample, i_test and go. All but
// go can be overridden (i_test only in dmc and dnmc, within the category
// the class implies; in dms and dnms it follows from i_sample).
func (r Yang19MatchTrial) Fields() []Field {
	return []Field{IntField("ground_truth", r.GroundTruth), IntField("modality", r.Modality),
		IntField("i_sample", r.Sample), IntField("i_test", r.Test), IntField("go", r.Go)}
}

// yang19Match is the Def of the matching family.
type yang19Match struct {
	yang19Base
	category, matchGo bool
}

// newYang19Match configures dms, dnms, dmc or dnmc.
func newYang19Match(short string, cfg Yang19Config) (*yang19Match, error) {
	d := &yang19Match{category: strings.HasSuffix(short, "c"), matchGo: short[1] == 'm'}
	tm := Timing{"fixation": Constant(300), "sample": Constant(500), "delay": Constant(1000),
		"test": Constant(500), "decision": Constant(900)}
	var err error
	d.yang19Base, err = newYang19Base(short, cfg, tm, []string{"fixation", "sample", "delay", "test", "decision"}, true, false, true)
	return d, err
}

// NewTrial draws, in neurogym's order, the modality, the class, the sample
// (and for categories the test), the periods and the noise.
func (d *yang19Match) NewTrial(b *Builder) Record {
	const half = Yang19DimRing / 2
	r := Yang19MatchTrial{Modality: d.modality(b), GroundTruth: b.Int("ground_truth", 2)}
	r.Sample = b.Int("i_sample", Yang19DimRing)
	if d.category {
		cat := 0
		if r.Sample > half {
			cat = 1
		}
		if r.GroundTruth == 1 {
			cat = 1 - cat
		}
		r.Test = int(b.Var("i_test", float64(b.Rng.IntN(half)+cat*half), checkIntIn(cat*half, half)))
	} else {
		r.Test = (r.Sample + r.GroundTruth*half) % Yang19DimRing
	}
	where := yang19Mod(r.Modality)
	b.Periods(d.periods...)
	b.AddOb("fixation", 1, "fixation")
	b.AddObs(where, Yang19Bump(r.Sample, 1), "sample")
	b.AddObs(where, Yang19Bump(r.Test, 1), "test")
	b.AddRandn(where, 0, d.sigmaEff, "sample", "test")
	if (r.GroundTruth == 0) == d.matchGo {
		r.Go = 1
		b.SetChoice("choice", r.Test, "decision")
	}
	return r
}
