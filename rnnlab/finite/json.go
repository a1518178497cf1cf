package finite

import (
	"encoding/json"
	"math"
)

// Float is a float64 whose JSON form is null when it has no finite value:
// NaN and ±Inf marshal to null (JSON has no such numbers), and null
// unmarshals to NaN, so a missing or diverged number is never read back as
// 0. A finite value marshals as encoding/json marshals a float64.
type Float float64

// MarshalJSON writes f as a JSON number, or null when f is not finite.
func (f Float) MarshalJSON() ([]byte, error) {
	if !Is(float64(f)) {
		return []byte("null"), nil
	}
	return json.Marshal(float64(f))
}

// UnmarshalJSON reads a JSON number into f, and null as NaN.
func (f *Float) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*f = Float(math.NaN())
		return nil
	}
	var x float64
	if err := json.Unmarshal(b, &x); err != nil {
		return err
	}
	*f = Float(x)
	return nil
}
