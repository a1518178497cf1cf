package plots

import (
	"math"
	"math/rand"
)

// synthEnv returns a two-trial perceptual decision making run (43 steps).
func synthEnv() EnvData {
	r := rand.New(rand.NewSource(1))
	d := EnvData{
		Name:          "PerceptualDecisionMaking",
		ChannelGroups: []Group{{"fixation", []int{0}}, {"stimulus", []int{1, 2}}},
		ActionGroups:  []Group{{"fixation", []int{0}}, {"choice 1", []int{1}}, {"choice 2", []int{2}}},
		RewardValues:  []NamedValue{{"abort", -0.1}, {"correct", 1}, {"fail", 0}},
		TrialStarts:   []int{0, 21},
	}
	trial := func(gt int, n int) {
		for t := 0; t < n; t++ {
			obs := []float32{1, 0, 0}
			label := 0
			if t >= 3 && t < n-2 {
				obs[1] = float32(0.5 + 0.2*float64(1-2*gt) + 0.3*r.NormFloat64())
				obs[2] = float32(0.5 - 0.2*float64(1-2*gt) + 0.3*r.NormFloat64())
			}
			if t >= n-2 {
				obs[0] = 0
				label = gt + 1
			}
			act := 0
			if r.Float64() < 0.3 {
				act = r.Intn(3)
			}
			rew, perf := 0.0, -1.0
			if t == n-1 {
				act = label
				rew, perf = 1, 1
			}
			d.Obs = append(d.Obs, obs)
			d.Actions = append(d.Actions, act)
			d.Labels = append(d.Labels, label)
			d.Rewards = append(d.Rewards, rew)
			d.Perf = append(d.Perf, perf)
		}
	}
	trial(0, 21)
	trial(1, 22)
	d.Rewards[5] = -0.1
	return d
}

// synthTrajectories returns trials fanning out along PC 1 by choice.
func synthTrajectories(n int) []Trajectory {
	r := rand.New(rand.NewSource(2))
	var out []Trajectory
	for i := 0; i < n; i++ {
		gt := r.Intn(2)
		s := float64(1 - 2*gt)
		coh := []float64{0, 3.2, 6.4, 12.8, 25.6, 51.2}[r.Intn(6)] / 51.2
		var t Trajectory
		t.Choice = gt
		for k := 0; k < 22; k++ {
			x := -s * (0.4 + coh) * 4 * (1 - math.Exp(-float64(k)/7))
			y := 1.5*math.Sin(float64(k)/7) + 0.15*r.NormFloat64()
			t.X = append(t.X, x+0.1*r.NormFloat64())
			t.Y = append(t.Y, y)
		}
		out = append(out, t)
	}
	return out
}

// synthFixedPoints returns points on a line along PC 1.
func synthFixedPoints() Points {
	var p Points
	for i := -6; i <= 6; i++ {
		p.X = append(p.X, 0.6*float64(i))
		p.Y = append(p.Y, 0.08*float64(i)+0.5)
	}
	return p
}

// synthEigs returns a spectrum inside the unit circle, leading at 0.85.
func synthEigs() []complex128 {
	r := rand.New(rand.NewSource(3))
	eigs := []complex128{0.85}
	for len(eigs) < 64 {
		rad := 0.6 * math.Sqrt(r.Float64())
		a := 2 * math.Pi * r.Float64()
		z := complex(rad*math.Cos(a), rad*math.Sin(a))
		if imag(z) != 0 && len(eigs) < 63 {
			eigs = append(eigs, z, complex(real(z), -imag(z)))
		} else {
			eigs = append(eigs, complex(real(z), 0))
		}
	}
	return eigs
}

// synthConds returns condition-averaged trajectories for 12 signed coherences.
func synthConds() []CondTrajectory {
	var out []CondTrajectory
	for _, c := range []float64{51.2, 25.6, 12.8, 6.4, 3.2, 0} {
		for _, s := range []float64{-1, 1} {
			if c == 0 && s > 0 {
				continue
			}
			var ct CondTrajectory
			ct.Coh = s * c
			for k := 0; k < 20; k++ {
				ct.X = append(ct.X, s*(0.3+c/20)*(1-math.Exp(-float64(k)/6)))
				ct.Y = append(ct.Y, math.Sin(float64(k)/6)*(1+c/100))
			}
			out = append(out, ct)
		}
	}
	return out
}

// synthHistory returns a training history of n logged steps.
func synthHistory(n int) TrainingHistory {
	var h TrainingHistory
	for i := 0; i < n; i++ {
		step := (i + 1) * 200
		h.Steps = append(h.Steps, step)
		h.Loss = append(h.Loss, 0.05+0.9*math.Exp(-float64(i)/8)+0.02*math.Sin(float64(i)))
		if i%5 == 4 {
			h.AccSteps = append(h.AccSteps, step)
			h.Accuracy = append(h.Accuracy, 0.5+0.45*(1-math.Exp(-float64(i)/10)))
		}
	}
	return h
}
