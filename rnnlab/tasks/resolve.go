package tasks

import (
	"errors"
	"fmt"
	"math"
)

// Helpers that resolve the configuration fields the ported tasks share
// (dt, sigma, timing, rewards) and build their ring stimuli. A task whose
// own rule differs (other messages, extra conditions) keeps its own check.

// resolveDt returns the time step dt in ms, or def (neurogym's default of
// the task: 100 ms for most, 80 for some) when dt is 0. dt must be finite
// and > 0 when set.
func resolveDt(dt, def float64) (float64, error) {
	switch {
	case !finite(dt) || dt < 0:
		return 0, fmt.Errorf("dt = %v ms: must be finite and > 0 (0 means the default %v)", dt, def)
	case dt == 0:
		return def, nil
	}
	return dt, nil
}

// resolveSigma returns the noise level sigma before dt scaling: *s, or 1
// when s is nil. It must be finite and >= 0.
func resolveSigma(s *float64) (float64, error) {
	sigma := 1.0
	if s != nil {
		sigma = *s
	}
	if !finite(sigma) || sigma < 0 {
		return 0, fmt.Errorf("sigma = %v: must be finite and >= 0", sigma)
	}
	return sigma, nil
}

// resolveSigmaEff returns the per-step noise standard deviation
// sigma_eff = sigma/sqrt(dt), sigma resolved by resolveSigma (nil means 1).
func resolveSigmaEff(s *float64, dt float64) (float64, error) {
	sigma, err := resolveSigma(s)
	if err != nil {
		return 0, err
	}
	return sigma / math.Sqrt(dt), nil
}

// resolveTiming returns defaults with user's durations filled in
// (Timing.With) and rejects a timing that can give a trial of zero steps
// at dt: one whose periods, laid end to end in that order, all at their
// shortest, sum to 0 steps (Timing.MinSteps).
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
// without a "fail" key): abort -0.1, correct +1, fail 0, Fail must be nil.
func resolveRewardsNoFail(r Rewards) (Rewards, []NamedValue, error) {
	if r.Fail != nil {
		return Rewards{}, nil, errors.New("reward fail: this task has no fail reward (a wrong choice earns 0); leave Rewards.Fail nil")
	}
	return r.Resolve(-0.1, 1, 0)
}

// ringAngles returns the n preferred directions of a ring,
// theta_k = 2 pi k / n for k = 0..n-1.
func ringAngles(n int) []float64 {
	theta := make([]float64, n)
	for k := range theta {
		theta[k] = 2 * math.Pi * float64(k) / float64(n)
	}
	return theta
}

// ringCos returns cos(theta_k - x) for every preferred direction theta_k:
// the tuning of a ring of units to the direction x.
func ringCos(theta []float64, x float64) []float64 {
	v := make([]float64, len(theta))
	for k, th := range theta {
		v[k] = math.Cos(th - x)
	}
	return v
}

// ringCohMeans returns neurogym's coherence ring stimulus
// cos(theta_k - theta_g) coh/200 + 0.5 for the n ring angles
// theta_k = 2 pi k / n (coh in percent).
func ringCohMeans(n, g int, coh float64) []float64 {
	theta := ringAngles(n)
	v := ringCos(theta, theta[g])
	for k := range v {
		v[k] = v[k]*coh/200 + 0.5
	}
	return v
}

// ringHalfCos returns the working-memory tasks' ring stimulus
// cos(theta_k - x)/2 + 1/2 of every preferred angle theta_k for the
// angle x.
func ringHalfCos(theta []float64, x float64) []float64 {
	v := ringCos(theta, x)
	for k := range v {
		v[k] = v[k]*0.5 + 0.5
	}
	return v
}
