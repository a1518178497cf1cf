package tasks

import (
	"errors"
	"fmt"
	"math"
)

// resolveDt100 returns dt, or neurogym's usual 100 ms when dt is 0.
func resolveDt100(dt float64) (float64, error) {
	switch {
	case !finite(dt) || dt < 0:
		return 0, fmt.Errorf("dt = %v ms: must be finite and > 0 (0 means the default 100)", dt)
	case dt == 0:
		return 100, nil
	}
	return dt, nil
}

// resolveSigmaEff returns the per-step noise standard deviation
// sigma/sqrt(dt), with sigma = 1 when s is nil.
func resolveSigmaEff(s *float64, dt float64) (float64, error) {
	sigma := 1.0
	if s != nil {
		sigma = *s
	}
	if !finite(sigma) || sigma < 0 {
		return 0, fmt.Errorf("sigma = %v: must be finite and >= 0", sigma)
	}
	return sigma / math.Sqrt(dt), nil
}

// resolveTiming fills user's durations into the defaults and rejects a
// timing that can give a trial of zero steps when periods (all of them,
// laid end to end) are at their shortest.
func resolveTiming(defaults, user Timing, dt float64, periods ...string) (Timing, error) {
	tm, err := defaults.With(user)
	if err != nil {
		return nil, err
	}
	if tm.MinSteps(dt, periods...) == 0 {
		return nil, fmt.Errorf("timing at dt = %v ms can give a zero-length trial (periods %v)", dt, periods)
	}
	return tm, nil
}

// resolveRewardsNoFail resolves the rewards of a task whose wrong choices
// earn 0 and that has no "fail" reward to set (neurogym's rewards dict
// without a "fail" key).
func resolveRewardsNoFail(r Rewards) (Rewards, []NamedValue, error) {
	if r.Fail != nil {
		return Rewards{}, nil, errors.New("reward fail: this task has no fail reward (a wrong choice earns 0); leave Rewards.Fail nil")
	}
	return r.Resolve(-0.1, 1, 0)
}

// ringCohMeans returns cos(theta_k - theta_g)*coh/200 + 0.5 for the n ring
// angles theta_k = 2 pi k / n: neurogym's ring stimulus.
func ringCohMeans(n, g int, coh float64) []float64 {
	m := make([]float64, n)
	for k := range m {
		m[k] = math.Cos(2*math.Pi*float64(k)/float64(n)-2*math.Pi*float64(g)/float64(n))*coh/200 + 0.5
	}
	return m
}
