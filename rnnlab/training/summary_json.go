package training

import (
	"encoding/json"

	"github.com/rnnlab/rnnlab/rnnlab/finite"
)

// MarshalJSON writes p with a loss or accuracy that is NaN (a window
// without a decision step has no accuracy) as null, never as 0.
func (p Point) MarshalJSON() ([]byte, error) {
	type plain Point
	return json.Marshal(struct {
		plain
		Loss finite.Float `json:"loss"`
		Acc  finite.Float `json:"acc"`
	}{plain(p), finite.Float(p.Loss), finite.Float(p.Acc)})
}

// UnmarshalJSON reads a Point written by MarshalJSON: null is NaN.
func (p *Point) UnmarshalJSON(b []byte) error {
	type plain Point
	aux := struct {
		*plain
		Loss finite.Float `json:"loss"`
		Acc  finite.Float `json:"acc"`
	}{plain: (*plain)(p)}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	p.Loss, p.Acc = float64(aux.Loss), float64(aux.Acc)
	return nil
}

// MarshalJSON writes s with its final means null when they are NaN (a
// failed run, or no step), never 0.
func (s Summary) MarshalJSON() ([]byte, error) {
	type plain Summary
	return json.Marshal(struct {
		plain
		FinalLoss     finite.Float `json:"final_loss"`
		FinalAccuracy finite.Float `json:"final_accuracy"`
	}{plain(s), finite.Float(s.FinalLoss), finite.Float(s.FinalAccuracy)})
}

// UnmarshalJSON reads a Summary written by MarshalJSON: null is NaN.
func (s *Summary) UnmarshalJSON(b []byte) error {
	type plain Summary
	aux := struct {
		*plain
		FinalLoss     finite.Float `json:"final_loss"`
		FinalAccuracy finite.Float `json:"final_accuracy"`
	}{plain: (*plain)(s)}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	s.FinalLoss, s.FinalAccuracy = float64(aux.FinalLoss), float64(aux.FinalAccuracy)
	return nil
}
