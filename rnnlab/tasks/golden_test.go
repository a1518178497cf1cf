package tasks

import (
	"encoding/json"
	"math"
	"os"
	"testing"
)

// TestGoldenNeurogymTrials compares the three neurogym trials of
// testdata/golden-pdm-dt100-seed0.json (HEAD, seed 0; copied from the
// project's spec folder) with our noise-free trials of the same condition.
// Our random stream differs from numpy's, so the stimulus is compared up to
// the noise: the residuals must look like N(0, 0.1^2) draws, which catches a
// wrong mean formula or swapped channels. Everything else must be exact,
// in both fixation modes (the primer's variant has the fixation channel 1
// on rows 0..20).
func TestGoldenNeurogymTrials(t *testing.T) {
	raw, err := os.ReadFile("testdata/golden-pdm-dt100-seed0.json")
	if err != nil {
		t.Fatal(err)
	}
	var g struct {
		Trials []struct {
			GroundTruth int         `json:"ground_truth"`
			Coh         float64     `json:"coh"`
			Target      []int       `json:"target"`
			Observation [][]float32 `json:"observation"`
		} `json:"trials"`
	}
	if err := json.Unmarshal(raw, &g); err != nil {
		t.Fatal(err)
	}
	if len(g.Trials) != 3 {
		t.Fatalf("%d golden trials", len(g.Trials))
	}
	for _, onlyFix := range []bool{true, false} {
		p := mustNew(t, NewPerceptualDecisionMaking, PerceptualDecisionMakingConfig{Sigma: Ptr(0.0), FixationOnlyInFixation: onlyFix})
		for n, gt := range g.Trials {
			tr := mustTrial(t, p, Override{"ground_truth": float64(gt.GroundTruth), "coh": gt.Coh})
			if tr.N != len(gt.Target) || tr.N != len(gt.Observation) {
				t.Fatalf("trial %d: N %d, golden %d", n, tr.N, len(gt.Target))
			}
			var sum [3]float64
			var ss float64
			for s := 0; s < tr.N; s++ {
				if tr.Labels[s] != gt.Target[s] {
					t.Errorf("trial %d step %d: label %d, golden %d", n, s, tr.Labels[s], gt.Target[s])
				}
				want := append([]float32(nil), gt.Observation[s]...)
				if !onlyFix && s < 21 {
					want[0] = 1 // the 2021 variant
				}
				for k, w := range want {
					got := tr.ObsAt(s)[k]
					if k == 0 || s == 0 || s == 21 {
						if got != w {
							t.Errorf("trial %d step %d channel %d: %v, golden %v", n, s, k, got, w)
						}
						continue
					}
					r := float64(w - got)
					if math.Abs(r) > 0.5 {
						t.Errorf("trial %d step %d channel %d: residual %v is over 5 sigma", n, s, k, r)
					}
					sum[k] += r
					ss += r * r
				}
			}
			// 20 residuals per channel: mean within 5 standard errors of 0.
			for k := 1; k <= 2; k++ {
				if m := sum[k] / 20; math.Abs(m) > 5*0.1/math.Sqrt(20) {
					t.Errorf("trial %d channel %d: mean residual %v, the stimulus means differ", n, k, m)
				}
			}
			if sd := math.Sqrt(ss / 40); sd < 0.05 || sd > 0.16 {
				t.Errorf("trial %d: residual rms %v, want about 0.1", n, sd)
			}
		}
	}
}
