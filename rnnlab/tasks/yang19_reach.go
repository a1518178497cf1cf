package tasks

// Yang19ReachTrial is the record of a trial of the reach family (go, rtgo,
// dlygo, anti, rtanti, dlyanti).
//
// Sigma and Cohs are not options of these tasks (no noise, no
// coherence). A trial draws its modality m (see
// Yang19Config.RandomModality) and its response direction g uniformly from
// 0..15. The stimulus sits at ring
// position j = g (go tasks) or j = (g+8) mod 16 (anti tasks), strength 1.
// Periods and observations:
//
//	go, anti, dlygo, dlyanti: fixation 500 ms, stimulus 500 ms, delay 0 ms
//	  (500 ms for dlygo and dlyanti), decision 500 ms;
//	  x[0] = 1 in fixation, stimulus and delay; ring m = bump_j in the
//	  stimulus period only (not through the delay); 0 elsewhere
//	rtgo, rtanti: fixation 500 ms, decision 500 ms;
//	  x[0] = 1 in fixation; ring m = bump_j in the decision period
//
// There is no stimulus noise. The label is 0, and g+1 in the decision
// period. Neurogym's dlygo and dlyanti replace a user's timing with
// {delay: 500}; here a user's timing is applied over the 500 ms delay
// default. The reaction-time tasks have no stimulus or delay period to
// time (neurogym keeps and ignores their timing; here naming them is an
// error).
type Yang19ReachTrial struct {
	// GroundTruth is the response direction 0..15; the label in the
	// decision period is GroundTruth+1.
	GroundTruth int
	// Modality is the ring the stimulus is shown on, 0 (channels 1..16) or
	// 1 (channels 17..32).
	Modality int
	// Anti is 1 if the stimulus is opposite the response direction, at
	// ring position (GroundTruth+8) mod 16, and 0 if it is at GroundTruth.
	Anti int
}

// Fields returns ground_truth, modality and anti; all three can be
// overridden (neurogym's _Reach takes an "anti" override too).
func (r Yang19ReachTrial) Fields() []Field {
	return []Field{IntField("ground_truth", r.GroundTruth), IntField("modality", r.Modality), IntField("anti", r.Anti)}
}

// yang19Reach is the Def of the reach family (neurogym's _Reach wrapped in
// _MultiModalityStimulus, two modality copies in a ScheduleEnvs).
type yang19Reach struct {
	yang19Base
	anti, reaction bool
}

// newYang19Reach configures one of the six reach tasks.
func newYang19Reach(short string, cfg Yang19Config) (*yang19Reach, error) {
	d := &yang19Reach{anti: short == "anti" || short == "rtanti" || short == "dlyanti", reaction: short[:2] == "rt"}
	tm := Timing{"fixation": Constant(500), "stimulus": Constant(500), "delay": Constant(0), "decision": Constant(500)}
	periods := []string{"fixation", "stimulus", "delay", "decision"}
	if short == "dlygo" || short == "dlyanti" {
		tm["delay"] = Constant(500)
	}
	if d.reaction {
		tm = Timing{"fixation": Constant(500), "decision": Constant(500)}
		periods = []string{"fixation", "decision"}
	}
	var err error
	d.yang19Base, err = newYang19Base(short, cfg, tm, periods, false, false, true)
	return d, err
}

// NewTrial draws the modality, the direction, the periods; no noise.
func (d *yang19Reach) NewTrial(b *Builder) Record {
	r := Yang19ReachTrial{Modality: d.modality(b), GroundTruth: b.Int("ground_truth", Yang19DimRing)}
	anti := 0
	if d.anti {
		anti = 1
	}
	r.Anti = int(b.Var("anti", float64(anti), checkIntBelow(2)))
	j := (r.GroundTruth + r.Anti*Yang19DimRing/2) % Yang19DimRing
	b.Periods(d.periods...)
	stim := "stimulus"
	if d.reaction {
		b.AddOb("fixation", 1, "fixation")
		stim = "decision"
	} else {
		b.AddOb("fixation", 1, "fixation", "stimulus", "delay")
	}
	b.AddObs(yang19Mod(r.Modality), Yang19Bump(j, 1), stim)
	b.SetChoice("choice", r.GroundTruth, "decision")
	return r
}
