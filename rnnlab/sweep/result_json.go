package sweep

import (
	"encoding/json"
	"math"

	"github.com/rnnlab/rnnlab/rnnlab/finite"
)

// resultJSON is run.json's form of a Result: its metrics are finite.Float,
// null when they have no value. (They sit one level above the embedded
// Result's fields of the same names, so encoding/json uses them.)
type resultJSON struct {
	*plainResult
	FinalLoss     finite.Float    `json:"final_loss"`
	FinalAccuracy finite.Float    `json:"final_accuracy"`
	TrialAccuracy finite.Float    `json:"trial_accuracy"`
	SlowMode      [2]finite.Float `json:"slow_mode"`
	LineMeasure   finite.Float    `json:"line_measure"`
}

// plainResult is Result without its JSON methods.
type plainResult Result

// MarshalJSON writes r as run.json: the metrics of a run that is not done
// (a failure record) are null, never 0, and so is a metric without a
// finite value.
func (r Result) MarshalJSON() ([]byte, error) {
	p := plainResult(r)
	j := resultJSON{&p, finite.Float(r.FinalLoss), finite.Float(r.FinalAccuracy), finite.Float(r.TrialAccuracy),
		[2]finite.Float{finite.Float(r.SlowMode[0]), finite.Float(r.SlowMode[1])}, finite.Float(r.LineMeasure)}
	if r.Status != StatusDone {
		nan := finite.Float(math.NaN())
		j.FinalLoss, j.FinalAccuracy, j.TrialAccuracy, j.SlowMode, j.LineMeasure = nan, nan, nan, [2]finite.Float{nan, nan}, nan
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads a run.json written by MarshalJSON: null is NaN.
func (r *Result) UnmarshalJSON(b []byte) error {
	j := resultJSON{plainResult: (*plainResult)(r)}
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	r.FinalLoss, r.FinalAccuracy, r.TrialAccuracy = float64(j.FinalLoss), float64(j.FinalAccuracy), float64(j.TrialAccuracy)
	r.SlowMode = [2]float64{float64(j.SlowMode[0]), float64(j.SlowMode[1])}
	r.LineMeasure = float64(j.LineMeasure)
	return nil
}
