package pipeline

import (
	"fmt"
	"math"
	"math/cmplx"
	"path/filepath"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/rnnlab/rnnlab/rnnlab/analysis"
	"github.com/rnnlab/rnnlab/rnnlab/fixedpoints"
	"github.com/rnnlab/rnnlab/rnnlab/npz"
)

// TestSession checks what a notebook's analysis cells call against a recomputation: the activity and
// PCA of OpenSession, the projections coloured by ground truth or choice, the saved slow points, the
// exact points of Newton's method (only converged starts count) and the 3-D scene's stability marks.
func TestSession(t *testing.T) {
	r := shortRun(t, 300)
	s, err := OpenSession(r.Dir, 30, 11)
	if err != nil {
		t.Fatal(err)
	}
	task, err := r.NewTask(11)
	if err != nil {
		t.Fatal(err)
	}
	act, err := analysis.CollectActivity(r.Params, task, 30)
	if err != nil {
		t.Fatal(err)
	}
	if s.Activity.NumStates() != act.NumStates() || !mat.Equal(s.Activity.StackDense(), act.StackDense()) {
		t.Fatal("the session's activity differs from CollectActivity on the same seed")
	}
	pca2, err := analysis.FitPCA(act.StackDense(), 2)
	if err != nil {
		t.Fatal(err)
	}
	if s.PCA.K() != 3 || s.PCA.ExplainedVarianceRatio[0] != pca2.ExplainedVarianceRatio[0] {
		t.Errorf("session PCA: %d components, ratio %v; a 2-component fit: %v", s.PCA.K(), s.PCA.ExplainedVarianceRatio, pca2.ExplainedVarianceRatio)
	}

	// Projections: PC 1 and 2 of each state, coloured by ground truth or by choice.
	for _, by := range []ColorBy{ByGroundTruth, ByChoice} {
		trajs, err := s.Trajectories(by)
		if err != nil {
			t.Fatal(err)
		}
		if len(trajs) != 30 {
			t.Fatalf("%d trajectories, want 30", len(trajs))
		}
		for i, tr := range act.Trials {
			want := tr.GroundTruth
			if by == ByChoice && tr.Choice >= 0 {
				want = tr.Choice
			}
			if trajs[i].Choice != want {
				t.Errorf("by %d: trial %d coloured %d, want %d", by, i, trajs[i].Choice, want)
			}
			row := mat.Row(nil, 0, act.TrialDense(i))
			pc := pca2.TransformRow(row)
			if math.Abs(trajs[i].X[0]-pc[0]) > 1e-9 || math.Abs(trajs[i].Y[0]-pc[1]) > 1e-9 || len(trajs[i].X) != tr.N {
				t.Fatalf("trial %d: first point (%v, %v), want %v; %d points, want %d", i, trajs[i].X[0], trajs[i].Y[0], pc, len(trajs[i].X), tr.N)
			}
		}
	}

	// A short search, saved and loaded back.
	f, err := s.Finder()
	if err != nil {
		t.Fatal(err)
	}
	search := fixedpoints.PrimerSearch()
	search.Options.MaxIters = 600
	search.FilterLoss = 1e-2
	_, fp, err := search.Find(f.Eval, s.Activity.Stack(), s.Input)
	if err != nil {
		t.Fatal(err)
	}
	if fp.Len() < 2 {
		t.Fatalf("the short search kept %d points", fp.Len())
	}
	if _, err := s.LoadFixedPoints(); err == nil || !strings.Contains(err.Error(), "run the search first") {
		t.Errorf("loading before saving: %v", err)
	}
	if err := s.SaveFixedPoints(fp); err != nil {
		t.Fatal(err)
	}
	points, err := s.LoadFixedPoints()
	if err != nil {
		t.Fatal(err)
	}
	if !mat.Equal(points, analysis.Points(fp)) {
		t.Fatal("the loaded points differ from the saved ones")
	}
	if _, err := LoadFixedPoints(filepath.Join(r.Dir, "model.npz")); err == nil {
		t.Error("LoadFixedPoints of a file without points: no error")
	}
	nanPath := filepath.Join(t.TempDir(), "nan.npz")
	w := npz.NewWriter()
	bad := []float64{0, 1, 2, 3, 4, math.Inf(-1)}
	if err := w.Add("points", []int{2, 3}, bad); err != nil || w.WriteFile(nanPath) != nil {
		t.Fatal(err)
	}
	if _, err := LoadFixedPoints(nanPath); err == nil || !strings.HasSuffix(err.Error(), "nan.npz: points[1,2] is -Inf") {
		t.Errorf("LoadFixedPoints of a non-finite point: %v", err)
	}

	// Newton: the same as Finder.Exact from the same points, counting converged starts only.
	ex, err := FindExact(f, points, s.Input, 0.03)
	if err != nil {
		t.Fatal(err)
	}
	want, rep, err := f.Exact(fp, fixedpoints.DefaultNewtonOptions(), 0.03)
	if err != nil {
		t.Fatal(err)
	}
	if ex.Started != fp.Len() || ex.Converged != rep.NumConverged() || ex.Points.Len() != want.Len() || len(ex.Eigen) != want.Len() {
		t.Fatalf("FindExact: %d started, %d converged, %d points; Exact: %d converged, %d points",
			ex.Started, ex.Converged, ex.Points.Len(), rep.NumConverged(), want.Len())
	}
	for k := range ex.Points.Len() {
		x := ex.Points.Point(k)
		fx, err := f.Evaluate(x, s.Input)
		if err != nil {
			t.Fatal(err)
		}
		if fx.Speed[0] > 1e-10 {
			t.Errorf("exact point %d has speed %g", k, fx.Speed[0])
		}
	}

	// What the tutorial prints about them: one line per point after the count.
	text := ex.Text(s.PCA)
	if lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n"); len(lines) != 1+ex.Points.Len() ||
		!strings.HasPrefix(lines[0], fmt.Sprintf("Newton's method: %d of %d slow points converged, to %d distinct", ex.Converged, ex.Started, ex.Points.Len())) {
		t.Errorf("ExactPoints.Text:\n%s", text)
	}

	// Line attractor and 3-D scene.
	la, err := s.LineAttractor(points)
	if err != nil {
		t.Fatal(err)
	}

	// The whole analysis in one call, with the same search, gives what the steps gave.
	s.FixedPoints.Search = &search
	whole, err := s.AnalyzeFixedPoints()
	if err != nil {
		t.Fatal(err)
	}
	if !mat.Equal(analysis.Points(whole.Points), points) || !mat.Equal(analysis.Points(whole.Exact), analysis.Points(ex.Points)) ||
		whole.Line == nil || whole.Line.Index != la.Index || whole.Line.Eigenvalue != la.Eigenvalue {
		t.Errorf("AnalyzeFixedPoints: %d points, %d exact, line %+v; the steps: %d, %d, point %d with λ %v",
			whole.Points.Len(), whole.Exact.Len(), whole.Line, fp.Len(), ex.Points.Len(), la.Index, la.Eigenvalue)
	}
	if la.Index < 0 || la.Index >= fp.Len() {
		t.Errorf("line attractor at point %d of %d", la.Index, fp.Len())
	}
	if lt := LineText(la, fp.Len()); !strings.Contains(lt, fmt.Sprintf("Middle fixed point: number %d of %d\n", la.Index+1, fp.Len())) ||
		!strings.Contains(lt, fmt.Sprintf("Largest real part: %.4f ", real(la.Eigenvalue))) ||
		!strings.Contains(lt, fmt.Sprintf("spectral radius): %.4f\n", la.Eigen.SpectralRadius())) {
		t.Errorf("LineText:\n%s", lt)
	}
	scene, err := s.Scene3D(points, 5, ByGroundTruth)
	if err != nil {
		t.Fatal(err)
	}
	if len(scene.Trajectories) != 5 || len(scene.FixedPoints) != fp.Len() {
		t.Fatalf("scene: %d trajectories, %d points", len(scene.Trajectories), len(scene.FixedPoints))
	}
	stable := 0
	for _, p := range scene.FixedPoints {
		if p.Stable {
			stable++
		}
	}
	if st := s.SceneText(scene); !strings.HasPrefix(st, fmt.Sprintf("3-D view: 5 trials, %d fixed points (%d stable, %d unstable)", fp.Len(), stable, fp.Len()-stable)) {
		t.Errorf("SceneText: %s", st)
	}
	for k, p := range scene.FixedPoints {
		js, err := f.Jacobians(points.RawRowView(k), s.Input)
		if err != nil {
			t.Fatal(err)
		}
		e, err := fixedpoints.Decompose(js[0], fp.D, fixedpoints.ByMagnitude, false)
		if err != nil {
			t.Fatal(err)
		}
		unstable := 0
		for _, v := range e.Values {
			if cmplx.Abs(v) >= 1 && imag(v) == 0 {
				unstable++
			}
		}
		if p.Stable != (cmplx.Abs(e.Values[0]) < 1) || len(p.Modes) < unstable {
			t.Errorf("point %d: stable %v with %d modes; spectral radius %v, %d real unstable modes",
				k, p.Stable, len(p.Modes), cmplx.Abs(e.Values[0]), unstable)
		}
		pc := s.PCA.TransformRow(points.RawRowView(k))
		if math.Abs(p.X-pc[0]) > 1e-9 || math.Abs(p.Z-pc[2]) > 1e-9 {
			t.Errorf("point %d at (%v, %v, %v), want %v", k, p.X, p.Y, p.Z, pc)
		}
	}
	if _, err := scene.Figure(); err != nil {
		t.Fatal(err)
	}

	// One trial of a forced condition: the same states as the network's forward pass on that trial.
	for _, c := range []float64{-25.6, 0, 51.2} {
		ov := PDMCondition(c)
		one, err := s.TrialAt(ov, 5)
		if err != nil {
			t.Fatal(err)
		}
		tr := one.Trials[0]
		if len(one.Trials) != 1 || tr.SignedCoh() != c && !(c == 0 && tr.Coh == 0) || (c > 0) != (tr.GroundTruth == 1) {
			t.Errorf("condition %v: trial %+v", c, tr)
		}
		task, err := r.NewTask(5)
		if err != nil {
			t.Fatal(err)
		}
		trial, err := task.NewTrial(ov)
		if err != nil {
			t.Fatal(err)
		}
		states, _ := r.Params.Forward(trial.Obs)
		if len(states) != len(one.States[0]) || states[len(states)-1] != one.States[0][len(states)-1] {
			t.Errorf("condition %v: TrialAt's states differ from Forward on the same trial", c)
		}
		if _, err := s.TrialOverAttractor(ov, 5, points); err != nil {
			t.Fatal(err)
		}
	}
}

func TestOpenSessionErrors(t *testing.T) {
	if _, err := OpenSession(t.TempDir(), 10, 1); err == nil || !strings.Contains(err.Error(), "not a run folder") {
		t.Errorf("empty folder: %v", err)
	}
	if _, err := OpenSession(t.TempDir(), 0, 1); err == nil || !strings.Contains(err.Error(), "trials") {
		t.Errorf("0 trials: %v", err)
	}
}
