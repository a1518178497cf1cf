package tasks

import (
	"fmt"
	"math"
)

// Helpers shared by the working-memory tasks DelayMatchSample,
// DelayMatchCategory, DualDelayMatchSample, DelayPairedAssociation and
// GoNogo: the common config fields and the registration.

// wmDt resolves a config's time step: 0 means neurogym's default 100 ms.
func wmDt(dt float64) (float64, error) {
	switch {
	case !finite(dt) || dt < 0:
		return 0, fmt.Errorf("dt = %v ms: must be finite and > 0 (0 means the default 100)", dt)
	case dt == 0:
		return 100, nil
	}
	return dt, nil
}

// wmSigmaEff resolves a noise level (nil means 1; it must be finite and
// >= 0) and returns it scaled to the step, sigma/sqrt(dt).
func wmSigmaEff(sigma *float64, dt float64) (float64, error) {
	s := 1.0
	if sigma != nil {
		s = *sigma
	}
	if !finite(s) || s < 0 {
		return 0, fmt.Errorf("sigma = %v: must be finite and >= 0", s)
	}
	return s / math.Sqrt(dt), nil
}

// wmTiming fills the defaults def with the user's durations and rejects a
// timing whose periods, laid end to end in order, can make an empty trial
// at dt.
func wmTiming(def, user Timing, dt float64, order ...string) (Timing, error) {
	tm, err := def.With(user)
	if err != nil {
		return nil, err
	}
	if tm.MinSteps(dt, order...) == 0 {
		return nil, fmt.Errorf("timing at dt = %v ms can give a zero-length trial (periods %v)", dt, order)
	}
	return tm, nil
}

// wmRing returns the ring stimulus cos(theta_k - x)/2 + 1/2 of every
// preferred angle theta_k for the angle x.
func wmRing(theta []float64, x float64) []float64 {
	v := make([]float64, len(theta))
	for k, th := range theta {
		v[k] = math.Cos(th-x)*0.5 + 0.5
	}
	return v
}
