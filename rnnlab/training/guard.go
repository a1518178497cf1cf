package training

import (
	"fmt"

	"github.com/rnnlab/rnnlab/rnnlab/finite"
	"github.com/rnnlab/rnnlab/rnnlab/models"
	"github.com/rnnlab/rnnlab/rnnlab/optim"
)

// DivergedError is the error of a training step that diverged: its loss
// or one of its gradients is not finite, or its Adam update made a weight
// or a moment NaN or ±Inf. The step is not applied: the weights and
// Adam's state stay those after step Step−1, the last finite ones.
type DivergedError struct {
	// Step is the 1-based step that diverged.
	Step int
	// What names the value, e.g. "loss is NaN" or "gradient of
	// w_rr[0,12] is +Inf" (see package finite).
	What string
}

// Error is the one line "training diverged at step 37: loss is NaN".
func (e *DivergedError) Error() string {
	return fmt.Sprintf("training diverged at step %d: %s", e.Step, e.What)
}

// Guard applies Adam updates that keep every weight and moment finite
// (every training loop of rnnlab uses one). Check refuses a step whose
// loss L or gradient ∂L/∂θ is not finite; Update saves θ, m and v, applies
// the update
//
//	m ← β1 m + (1−β1) g,  v ← β2 v + (1−β2) g²,  θ ← θ − lr · m̂ / (√v̂ + ε)
//
// (optim.State.Update) and, if a value of θ, m or v is then not finite
// (a learning rate so large that θ overflows float32, say), restores them
// and the step count. Either way the error is a *DivergedError. The copy
// costs one pass over the parameters and moments per step.
type Guard struct {
	names  []string
	shapes [][]int
	saved  [][]float32 // θ, m, v of every parameter, in that order
}

// NewGuard returns a Guard for the parameters of p (their names and
// shapes name the values in errors).
func NewGuard(p *models.Params) *Guard {
	return &Guard{names: p.ParamNames(), shapes: p.Shapes()}
}

// Check returns a *DivergedError for step when loss or a value of grads
// (in the order of the parameters) is not finite, else nil.
func (g *Guard) Check(step int, loss float64, grads [][]float32) error {
	if err := finite.Value("loss", loss); err != nil {
		return &DivergedError{Step: step, What: err.Error()}
	}
	for i, gr := range grads {
		if err := finite.Check("gradient of "+g.name(i), g.shape(i), gr); err != nil {
			return &DivergedError{Step: step, What: err.Error()}
		}
	}
	return nil
}

// Update applies st.Update(p.Values, grads) as update number step (so
// step is st.Step+1); if the update makes a weight or a moment non-finite
// it restores p.Values and st to their values before the update and
// returns a *DivergedError naming the first such value.
func (g *Guard) Update(step int, p *models.Params, st *optim.State, grads [][]float32) error {
	if len(st.M) != len(p.Values) || len(st.V) != len(p.Values) {
		return fmt.Errorf("training: step %d: %d parameters for %d and %d moment slots", step, len(p.Values), len(st.M), len(st.V))
	}
	k := 0
	for i, x := range p.Values {
		for _, src := range [][]float32{x, st.M[i], st.V[i]} {
			if k == len(g.saved) {
				g.saved = append(g.saved, nil)
			}
			g.saved[k] = append(g.saved[k][:0], src...)
			k++
		}
	}
	prevStep := st.Step
	if err := st.Update(p.Values, grads); err != nil {
		return fmt.Errorf("training: step %d: %w", step, err)
	}
	for i, x := range p.Values {
		for j, arr := range [][]float32{x, st.M[i], st.V[i]} {
			name := []string{g.name(i), "Adam's first moment of " + g.name(i), "Adam's second moment of " + g.name(i)}[j]
			if err := finite.Check(name, g.shape(i), arr); err != nil {
				g.restore(p, st, prevStep)
				return &DivergedError{Step: step, What: fmt.Sprintf("%v after the Adam update (learning rate %g)", err, st.Adam.LR.Rate(step-1))}
			}
		}
	}
	return nil
}

// restore copies the saved weights and moments back into p and st.
func (g *Guard) restore(p *models.Params, st *optim.State, step int) {
	k := 0
	for i, x := range p.Values {
		for _, dst := range [][]float32{x, st.M[i], st.V[i]} {
			copy(dst, g.saved[k])
			k++
		}
	}
	st.Step = step
}

func (g *Guard) name(i int) string {
	if i < len(g.names) {
		return g.names[i]
	}
	return fmt.Sprintf("parameter %d", i)
}

func (g *Guard) shape(i int) []int {
	if i < len(g.shapes) {
		return g.shapes[i]
	}
	return nil
}
