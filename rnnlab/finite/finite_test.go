package finite

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
)

func TestCheck(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	x := make([]float32, 64*64)
	if err := Check("w_rr", []int{64, 64}, x); err != nil {
		t.Fatalf("finite array: %v", err)
	}
	cases := []struct {
		name  string
		shape []int
		at    int
		v     float64
		want  string
	}{
		{"w_rr", []int{64, 64}, 3*64 + 17, nan, "w_rr[3,17] is NaN"},
		{"b_rr", []int{64 * 64}, 12, inf, "b_rr[12] is +Inf"},
		{"w", []int{4, 8, 128}, 1*8*128 + 2*128 + 5, -inf, "w[1,2,5] is -Inf"},
		{"flat", nil, 4000, nan, "flat[4000] is NaN"},
		{"odd shape", []int{3, 3}, 7, nan, "odd shape[7] is NaN"}, // shape does not hold len(x)
	}
	for _, c := range cases {
		y := make([]float32, len(x))
		y[c.at] = float32(c.v)
		y[len(y)-1] = float32(nan) // only the first is named
		err := Check(c.name, c.shape, y)
		if err == nil || err.Error() != c.want {
			t.Errorf("%s: got %v, want %q", c.name, err, c.want)
		}
		z := make([]float64, len(x))
		z[c.at] = c.v
		if err := Check(c.name, c.shape, z); err == nil || err.Error() != c.want {
			t.Errorf("%s (float64): got %v, want %q", c.name, err, c.want)
		}
	}
	// The largest finite numbers are finite.
	if err := Check("big", nil, []float32{math.MaxFloat32, -math.MaxFloat32, math.SmallestNonzeroFloat32}); err != nil {
		t.Error(err)
	}
	if err := Value("loss", nan); err == nil || err.Error() != "loss is NaN" {
		t.Errorf("Value: %v", err)
	}
	if err := Value("loss", 1e300); err != nil {
		t.Errorf("Value(1e300): %v", err)
	}
}

func TestFloatJSON(t *testing.T) {
	type doc struct {
		A, B, C, D Float
	}
	b, err := json.Marshal(doc{1.5, Float(math.NaN()), Float(math.Inf(-1)), 0})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"A":1.5,"B":null,"C":null,"D":0}`; string(b) != want {
		t.Fatalf("marshal: %s, want %s", b, want)
	}
	var d doc
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	if d.A != 1.5 || !math.IsNaN(float64(d.B)) || !math.IsNaN(float64(d.C)) || d.D != 0 {
		t.Errorf("round trip: %+v", d)
	}
	if err := json.Unmarshal([]byte(`{"A":"x"}`), &d); err == nil || !strings.Contains(err.Error(), "string") {
		t.Errorf("a string: %v", err)
	}
}
