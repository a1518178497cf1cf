package tasks

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestStepsOf(t *testing.T) {
	for _, tc := range []struct {
		ms, dt float64
		want   int
	}{
		{50, 20, 2}, // 50 ms at dt 20 -> 40 ms
		{100, 30, 3},
		{2000, 100, 20},
		{0, 100, 0},
		{99.9, 100, 0},
		{0.3, 0.1, 3}, // 0.3/0.1 = 2.9999999999999996 in float64
	} {
		if got := StepsOf(tc.ms, tc.dt); got != tc.want {
			t.Errorf("StepsOf(%v, %v) = %d, want %d", tc.ms, tc.dt, got, tc.want)
		}
	}
}

func TestDurationSample(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const n = 20000
	t.Run("constant", func(t *testing.T) {
		if v := Constant(300).Sample(rng); v != 300 {
			t.Errorf("got %v", v)
		}
	})
	t.Run("choice", func(t *testing.T) {
		d := Choice(50, 100, 200)
		seen := map[float64]int{}
		for range n {
			seen[d.Sample(rng)]++
		}
		for _, v := range []float64{50, 100, 200} {
			if c := seen[v]; math.Abs(float64(c)-n/3.) > 5*math.Sqrt(n*2/9.) {
				t.Errorf("value %v drawn %d times of %d", v, c, n)
			}
		}
		if len(seen) != 3 {
			t.Errorf("drew values outside the choice: %v", seen)
		}
	})
	t.Run("uniform", func(t *testing.T) {
		d := Uniform(100, 400)
		sum := 0.0
		for range n {
			v := d.Sample(rng)
			if v < 100 || v >= 400 {
				t.Fatalf("%v outside [100, 400)", v)
			}
			sum += v
		}
		if m, se := sum/n, 300/math.Sqrt(12*n); math.Abs(m-250) > 5*se {
			t.Errorf("mean %v, want 250 ± %v", m, 5*se)
		}
	})
	for _, tc := range []struct {
		name           string
		mean, min, max float64
	}{
		{"bounded", 200, 100, 500},
		{"unbounded", 200, 50, 0},
		{"min far above mean", 10, 1000, 1100},
	} {
		t.Run("truncexp "+tc.name, func(t *testing.T) {
			d := TruncExp(tc.mean, tc.min, tc.max)
			hi := math.Inf(1)
			if tc.max > 0 {
				hi = tc.max
			}
			// Mean of an exponential truncated to [a, b): a + m - w e^{-w/m}/(1-e^{-w/m}), w = b-a.
			want := tc.min + tc.mean
			if !math.IsInf(hi, 1) {
				w := hi - tc.min
				want -= w * math.Exp(-w/tc.mean) / -math.Expm1(-w/tc.mean)
			}
			sum, sum2 := 0.0, 0.0
			for range n {
				v := d.Sample(rng)
				if v < tc.min || v >= hi {
					t.Fatalf("%v outside [%v, %v)", v, tc.min, hi)
				}
				sum += v
				sum2 += v * v
			}
			m := sum / n
			se := math.Sqrt((sum2/n - m*m) / n)
			if math.Abs(m-want) > 5*se {
				t.Errorf("mean %v, want %v ± %v", m, want, 5*se)
			}
		})
	}
	t.Run("truncexp min >= max gives max", func(t *testing.T) {
		if v := TruncExp(100, 300, 200).Sample(rng); v != 200 {
			t.Errorf("got %v, want 200", v)
		}
	})
}

func TestParseDuration(t *testing.T) {
	for _, tc := range []struct {
		in, want string // want is the String form, or an error substring after "!"
	}{
		{"100", "100"},
		{" constant(250) ", "250"},
		{"choice(50, 100,200,400)", "choice(50,100,200,400)"},
		{"uniform(100,500)", "uniform(100,500)"},
		{"truncexp(300,100,1000)", "truncexp(300,100,1000)"},
		{"truncated_exponential(300,100)", "truncexp(300,100)"},
		{"truncexp(300)", "truncexp(300,0)"},
		{"default", "default"},
		{"", "default"},
		{"-5", "!must be finite and >= 0"},
		{"uniform(5)", "!takes 2 to 2"},
		{"uniform(500,100)", "!min > max"},
		{"gamma(3)", "!unknown kind"},
		{"choice(1,x)", "!bad number"},
		{"choice(1,2", "!missing ')'"},
		{"abc", "!not a number"},
		{"truncexp(0,1,2)", "!mean"},
	} {
		d, err := ParseDuration(tc.in)
		if strings.HasPrefix(tc.want, "!") {
			if err == nil || !strings.Contains(err.Error(), tc.want[1:]) {
				t.Errorf("ParseDuration(%q): error %v, want %q", tc.in, err, tc.want[1:])
			}
			continue
		}
		if err != nil || d.String() != tc.want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %s", tc.in, d, err, tc.want)
		}
		if d.Kind != DurationDefault {
			back, err := ParseDuration(d.String())
			if err != nil || back.String() != d.String() {
				t.Errorf("round trip of %q: %v, %v", tc.in, back, err)
			}
		}
	}
}
