package seeds

import "testing"

// TestStreamsAreDistinct: the four streams of one run, and of runs with
// seeds 0..999 (the offsets are 1000 apart), never share a seed.
func TestStreamsAreDistinct(t *testing.T) {
	seen := map[uint64]string{}
	for s := uint64(0); s < 1000; s++ {
		for name, f := range map[string]func(uint64) uint64{"Params": Params, "Data": Data, "Analysis": Analysis, "Rollout": Rollout, "Noise": Noise} {
			v := f(s)
			if prev, dup := seen[v]; dup {
				t.Fatalf("%s(%d) = %d is also %s", name, s, v, prev)
			}
			seen[v] = name
		}
		for i := range 20 {
			v := Clustering(Analysis(s), i)
			if prev, dup := seen[v]; dup {
				t.Fatalf("Clustering(Analysis(%d), %d) = %d is also %s", s, i, v, prev)
			}
			seen[v] = "Clustering"
			v = ClusterTrials(Analysis(s), i)
			if prev, dup := seen[v]; dup {
				t.Fatalf("ClusterTrials(Analysis(%d), %d) = %d is also %s", s, i, v, prev)
			}
			seen[v] = "ClusterTrials"
		}
	}
	if Clustering(Analysis(7), 0) != 5007 || Clustering(Analysis(7), 2) != 5007+2<<32 || ClusterTrials(Analysis(7), 1) != 6007+1<<32 {
		t.Errorf("Clustering offsets changed: %d %d", Clustering(Analysis(7), 0), Clustering(Analysis(7), 2))
	}
	if Params(7) != 7 || Data(7) != 1007 || Analysis(7) != 2007 || Rollout(7) != 3007 || Noise(7) != 4007 {
		t.Errorf("offsets changed: %d %d %d %d (every published number depends on them)", Params(7), Data(7), Analysis(7), Rollout(7))
	}
}
