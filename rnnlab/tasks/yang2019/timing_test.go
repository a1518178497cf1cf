package yang2019_test

import (
	"fmt"
	"testing"
)

// TestEpochDurations draws 1500 batches of every rule at dt = 20 and
// checks the distribution of every epoch's length in steps against
// task.py's int(ms/dt) of its duration distribution (ruleLayout): no
// length outside the support, χ² within bounds. fdgo, reactgo, delaydm1
// and dmcgo are also checked at dt = 30, where the truncation splits the
// uniform ranges unevenly (U[300, 700)/30: 10 takes 1/40, 11..22 3/40 each,
// 23 1/40).
func TestEpochDurations(t *testing.T) {
	type job struct {
		rule string
		dt   float64
	}
	var jobs []job
	for _, r := range paperRules {
		jobs = append(jobs, job{r, 20})
	}
	for _, r := range []string{"fdgo", "reactgo", "delaydm1", "dmcgo"} {
		jobs = append(jobs, job{r, 30})
	}
	for ji, j := range jobs {
		lay := ruleLayout(j.rule)
		_, infos := gen(t, j.rule, 1500, 1, j.dt, uint64(200+ji))
		for ei, name := range lay.epochs {
			counts := map[int]int{}
			for _, in := range infos {
				a, b, _ := span(in, name)
				counts[b-a]++
			}
			checkCounts(t, fmt.Sprintf("%s dt %v epoch %s", j.rule, j.dt, name), counts, lay.durs[ei].pmf(j.dt))
		}
	}
}
