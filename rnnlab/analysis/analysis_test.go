package analysis

import (
	"math"
	"testing"

	"github.com/rnnlab/rnnlab/rnnlab/fixedpoints"
	"github.com/rnnlab/rnnlab/rnnlab/internal/stats"
	"github.com/rnnlab/rnnlab/rnnlab/models"
	"github.com/rnnlab/rnnlab/rnnlab/tasks"
	"gonum.org/v1/gonum/mat"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// Four points (3,0), (−3,0), (0,1), (0,−1) rotated by (cos, sin) = (0.8, 0.6)
// and shifted by (1, 2). By hand: mean (1, 2); PC1 = ±(0.8, 0.6) with variance
// 18/3 = 6, PC2 = ±(−0.6, 0.8) with variance 2/3; ratios 0.9 and 0.1.
// sklearn ≥ 1.5 signs: the largest-|entry| positive, so PC1 = (0.8, 0.6) and
// PC2 = (−0.6, 0.8).
func TestPCAWorkedByHand(t *testing.T) {
	raw := [][2]float64{{3, 0}, {-3, 0}, {0, 1}, {0, -1}}
	data := mat.NewDense(4, 2, nil)
	for i, r := range raw {
		data.Set(i, 0, 0.8*r[0]-0.6*r[1]+1)
		data.Set(i, 1, 0.6*r[0]+0.8*r[1]+2)
	}
	p, err := FitPCA(data, 2)
	if err != nil {
		t.Fatal(err)
	}
	if !near(p.Mean[0], 1, 1e-12) || !near(p.Mean[1], 2, 1e-12) {
		t.Errorf("mean %v", p.Mean)
	}
	want := [][]float64{{0.8, 0.6}, {-0.6, 0.8}}
	for c := range want {
		for j := range want[c] {
			if !near(p.Components.At(c, j), want[c][j], 1e-12) {
				t.Fatalf("components\n%v\nwant %v", mat.Formatted(p.Components), want)
			}
		}
	}
	if !near(p.ExplainedVariance[0], 6, 1e-12) || !near(p.ExplainedVariance[1], 2.0/3, 1e-12) {
		t.Errorf("explained variance %v", p.ExplainedVariance)
	}
	if !near(p.ExplainedVarianceRatio[0], 0.9, 1e-12) || !near(p.ExplainedVarianceRatio[1], 0.1, 1e-12) {
		t.Errorf("ratios %v", p.ExplainedVarianceRatio)
	}
	tr, err := p.Transform(data)
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range raw {
		if !near(tr.At(i, 0), r[0], 1e-12) || !near(tr.At(i, 1), r[1], 1e-12) {
			t.Errorf("sample %d -> (%v, %v), want %v", i, tr.At(i, 0), tr.At(i, 1), r)
		}
	}
	if got := p.TransformRow([]float64{1.8, 2.6}); !near(got[0], 1, 1e-12) || !near(got[1], 0, 1e-12) {
		t.Errorf("TransformRow = %v", got)
	}
	// The score-based rule (sklearn < 1.5) makes each component's
	// largest-magnitude score positive: here the scores ±3 tie on PC1, so
	// use an asymmetric set where the −4 score dominates.
	asym := mat.NewDense(3, 2, []float64{-4, 0, 1, 0.1, 3, -0.1})
	s, _ := FitPCASign(asym, 1, SignByScores)
	sc, _ := s.Transform(asym)
	best := 0
	for i := 0; i < 3; i++ {
		if math.Abs(sc.At(i, 0)) > math.Abs(sc.At(best, 0)) {
			best = i
		}
	}
	if sc.At(best, 0) <= 0 {
		t.Errorf("score rule: largest score %v not positive", sc.At(best, 0))
	}
	if v, _ := FitPCA(asym, 1); v.Components.At(0, 0) <= 0 {
		t.Errorf("component rule: PC1 = %v", v.Component(0))
	}
	if _, err := FitPCA(data, 3); err == nil {
		t.Errorf("k > d accepted")
	}
	if _, err := FitPCA(mat.NewDense(2, 1, []float64{1, math.NaN()}), 1); err == nil {
		t.Errorf("NaN accepted")
	}
}

func TestLineAttractorSynthetic(t *testing.T) {
	// Fixed points on the line x = c + s·v in 3-D, v = (2, 1, 2)/3; the
	// Jacobian has eigenvalue 0.9 along v and 0.3 across it.
	v := []float64{2.0 / 3, 1.0 / 3, 2.0 / 3}
	c := []float64{1, -1, 0.5}
	ss := []float64{-2, -1, 0, 0.5, 1, 3}
	pts := mat.NewDense(len(ss), 3, nil)
	for i, s := range ss {
		for k := range v {
			pts.Set(i, k, c[k]+s*v[k])
		}
	}
	// PCA of a cloud elongated along −v, so the sign rule is exercised.
	cloud := mat.NewDense(4, 3, nil)
	for i, s := range []float64{-3, -1, 1, 3} {
		for k := range v {
			cloud.Set(i, k, c[k]-s*v[k]+0.1*float64(i%2))
		}
	}
	pca, err := FitPCA(cloud, 2)
	if err != nil {
		t.Fatal(err)
	}
	jac := func(x []float64) ([]float64, error) {
		j := make([]float64, 9)
		for a := 0; a < 3; a++ {
			for b := 0; b < 3; b++ {
				id := 0.0
				if a == b {
					id = 1
				}
				j[a*3+b] = 0.9*v[a]*v[b] + 0.3*(id-v[a]*v[b])
			}
		}
		return j, nil
	}
	la, err := FindLineAttractor(pts, pca, jac, fixedpoints.ByMagnitude)
	if err != nil {
		t.Fatal(err)
	}
	if !near(real(la.Eigenvalue), 0.9, 1e-12) {
		t.Errorf("eigenvalue %v", la.Eigenvalue)
	}
	if !near(la.LineMeasure, 1, 1e-12) || la.PC1Cosine < 0.99 {
		t.Errorf("line measure %v, PC1 cosine %v", la.LineMeasure, la.PC1Cosine)
	}
	// PC1 points along ±v; Direction must have a positive PC1 projection.
	dot := 0.0
	for k := range v {
		dot += la.Direction[k] * pca.Component(0)[k]
	}
	if dot <= 0 {
		t.Errorf("direction sign: projection on PC1 %v", dot)
	}
	// Median PC1 coordinate: the points' PC1 coordinates are ∓s (PC1 ∝ ±v);
	// the median of 6 values lies between s = 0 and s = 0.5, nearest either.
	if la.Index != 2 && la.Index != 3 {
		t.Errorf("chosen index %d", la.Index)
	}
	// Segment endpoints are the projections of the extreme points.
	e0, e1 := pca.TransformRow(mat.Row(nil, 0, pts)), pca.TransformRow(mat.Row(nil, 5, pts))
	match := func(a, b []float64) bool { return near(a[0], b[0], 1e-9) && near(a[1], b[1], 1e-9) }
	if !(match(la.Segment[0], e0) && match(la.Segment[1], e1)) && !(match(la.Segment[0], e1) && match(la.Segment[1], e0)) {
		t.Errorf("segment %v, want endpoints %v and %v", la.Segment, e0, e1)
	}
}

func TestRunAndConditionAverages(t *testing.T) {
	task, err := tasks.New("PerceptualDecisionMaking-v0", tasks.WithDt(100), tasks.WithSeed(3))
	if err != nil {
		t.Fatal(err)
	}
	p, err := models.NewParams(models.DefaultConfig(), 2)
	if err != nil {
		t.Fatal(err)
	}
	act, err := CollectActivity(p, task, 100)
	if err != nil {
		t.Fatal(err)
	}
	stack := act.Stack()
	if act.NumStates() != 2200 || len(stack) != 2200*64 {
		t.Errorf("stacked %d states (%d values), want 2200×64", act.NumStates(), len(stack))
	}
	for i, tr := range act.Trials {
		if tr.DecisionStep != tr.N-1 {
			t.Errorf("trial %d: decision step %d of %d", i, tr.DecisionStep, tr.N)
		}
		o := act.Outputs[i][tr.DecisionStep*3 : tr.DecisionStep*3+3]
		if want := stats.Argmax(o) - 1; tr.Choice != want || tr.Correct != (want == tr.GroundTruth) {
			t.Errorf("trial %d: choice %d correct %v, outputs %v gt %d", i, tr.Choice, tr.Correct, o, tr.GroundTruth)
		}
		// States agree with a fresh forward pass on the stored inputs.
		s, _ := p.Forward(act.Inputs[i])
		if s[len(s)-1] != act.States[i][len(s)-1] {
			t.Fatalf("trial %d states differ", i)
		}
	}
	pca, err := FitPCA(act.StackDense(), 2)
	if err != nil {
		t.Fatal(err)
	}
	if r := pca.ExplainedVarianceRatio; r[0] < r[1] || r[0]+r[1] > 1+1e-12 {
		t.Errorf("ratios %v", r)
	}
	conds := ConditionAverages(act)
	total := 0
	for k, c := range conds {
		total += c.Trials
		if k > 0 && c.SignedCoh <= conds[k-1].SignedCoh {
			t.Errorf("not sorted: %v after %v", c.SignedCoh, conds[k-1].SignedCoh)
		}
		if c.Counts[0] != c.Trials || len(c.Mean) != c.Steps()*64 {
			t.Errorf("condition %v: counts %v, %d values", c.SignedCoh, c.Counts, len(c.Mean))
		}
	}
	if total != 100 {
		t.Errorf("conditions cover %d trials", total)
	}
	// Hand check of one average.
	c := conds[0]
	sum, n := 0.0, 0
	for i, tr := range act.Trials {
		if tr.SignedCoh() == c.SignedCoh {
			sum += float64(act.States[i][5*64+7])
			n++
		}
	}
	if !near(c.Mean[5*64+7], sum/float64(n), 1e-6) {
		t.Errorf("mean %v, want %v", c.Mean[5*64+7], sum/float64(n))
	}
	if _, err := CollectActivity(p, task, 0); err == nil {
		t.Errorf("n = 0 accepted")
	}
}

// TestEvaluatorsAgree checks that the CPU and GoMLX evaluators of a CTRNN
// give the same speeds, and that engine names are checked.
func TestEvaluatorsAgree(t *testing.T) {
	p, err := models.NewParams(models.DefaultConfig(), 3)
	if err != nil {
		t.Fatal(err)
	}
	cpu, err := EvaluatorFor(p, models.EngineCPU)
	if err != nil {
		t.Fatal(err)
	}
	gx, err := EvaluatorFor(p, models.EngineGoMLX)
	if err != nil {
		t.Fatal(err)
	}
	n, d := 5, p.NumHidden
	x := make([]float32, n*d)
	for i := range x {
		x[i] = float32(i%7) * 0.1
	}
	s1, g1 := make([]float32, n), make([]float32, n*d)
	s2, g2 := make([]float32, n), make([]float32, n*d)
	if err := cpu.SpeedGrad(x, TutorialInput, s1, g1); err != nil {
		t.Fatal(err)
	}
	if err := gx.SpeedGrad(x, TutorialInput, s2, g2); err != nil {
		t.Fatal(err)
	}
	for i := range s1 {
		if math.Abs(float64(s1[i]-s2[i])) > 1e-5*math.Max(1, math.Abs(float64(s2[i]))) {
			t.Errorf("speed %d: cpu %v, gomlx %v", i, s1[i], s2[i])
		}
	}
	if _, err := EvaluatorFor(p, "quantum"); err == nil {
		t.Error("want an error for an unknown engine")
	}
}

func TestSignedCohConvention(t *testing.T) {
	if got := (TrialResult{GroundTruth: 0, Coh: 12.8}).SignedCoh(); got != -12.8 {
		t.Errorf("ground truth 0: %v, want -12.8 (evidence for choice 0 is negative)", got)
	}
	if got := (TrialResult{GroundTruth: 1, Coh: 12.8}).SignedCoh(); got != 12.8 {
		t.Errorf("ground truth 1: %v, want 12.8", got)
	}
}
