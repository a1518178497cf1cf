package analysis

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// Orthogonal ±1 columns of length 8 (Walsh functions), each of mean 0 and
// squared norm 8.
var (
	walshA = []float64{1, 1, 1, 1, -1, -1, -1, -1}
	walshB = []float64{1, 1, -1, -1, 1, 1, -1, -1}
	walshC = []float64{1, -1, 1, -1, 1, -1, 1, -1}
)

// cols stacks columns into an n×len(cs) matrix.
func cols(cs ...[]float64) *mat.Dense {
	m := mat.NewDense(len(cs[0]), len(cs), nil)
	for j, c := range cs {
		m.SetCol(j, c)
	}
	return m
}

func scaled(a float64, v []float64) []float64 {
	out := make([]float64, len(v))
	for i := range v {
		out[i] = a * v[i]
	}
	return out
}

func plus(u, v []float64) []float64 {
	out := make([]float64, len(u))
	for i := range u {
		out[i] = u[i] + v[i]
	}
	return out
}

// randn returns an r×c matrix of standard normal entries.
func randn(rng *rand.Rand, r, c int) *mat.Dense {
	m := mat.NewDense(r, c, nil)
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			m.Set(i, j, rng.NormFloat64())
		}
	}
	return m
}

// randOrthogonal returns a random p×p orthogonal matrix (Q of a QR).
func randOrthogonal(rng *rand.Rand, p int) *mat.Dense {
	var qr mat.QR
	qr.Factorize(randn(rng, p, p))
	var q mat.Dense
	qr.QTo(&q)
	return &q
}

func mul(a, b mat.Matrix) *mat.Dense {
	var c mat.Dense
	c.Mul(a, b)
	return &c
}

// pair returns related activity: X (n×10) Gaussian and Y = tanh(X W) +
// 0.3 noise (n×8), plus a row offset on X, so that no measure is 0 or 1.
func pair(seed uint64, n int) (X, Y *mat.Dense) {
	rng := rand.New(rand.NewPCG(seed, 1))
	X = randn(rng, n, 10)
	Y = mul(X, randn(rng, 10, 8))
	Y.Apply(func(i, j int, v float64) float64 { return math.Tanh(v/3) + 0.3*rng.NormFloat64() }, Y)
	X.Apply(func(i, j int, v float64) float64 { return v + float64(j) }, X)
	return X, Y
}

func approx(t *testing.T, what string, got, want, tol float64) {
	t.Helper()
	if math.Abs(got-want) > tol || math.IsNaN(got) {
		t.Errorf("%s = %.12g, want %.12g (± %g)", what, got, want, tol)
	}
}

// TestSimilarityHandComputed checks small cases worked by hand.
func TestSimilarityHandComputed(t *testing.T) {
	// p = 1 each: CKA is the squared correlation, CCA its absolute value.
	// x − x̄ = (−1.5, −0.5, 0.5, 1.5), y = (1, −1, 1, −1): x·y = −2,
	// |x|² = 5, |y|² = 4, so CKA = 4/20 and CCA = 2/√20.
	x := cols([]float64{1, 2, 3, 4})
	y := cols([]float64{1, -1, 1, -1})
	cka, _ := LinearCKA(x, y)
	approx(t, "CKA 1-d", cka, 0.2, 1e-14)
	cca, _ := CCA(x, y)
	approx(t, "CCA 1-d", cca, 1/math.Sqrt(5), 1e-14)

	// X = [a b], Y = [a]: XᵀX = 8I (‖·‖_F = 8√2), YᵀY = 8, YᵀX = [8 0],
	// CKA = 64/(8√2·8) = 1/√2; Y lies in X's span: the one correlation is 1.
	X, Y := cols(walshA, walshB), cols(walshA)
	cka, _ = LinearCKA(X, Y)
	approx(t, "CKA [a b] vs [a]", cka, 1/math.Sqrt2, 1e-14)
	cca, _ = CCA(X, Y)
	approx(t, "CCA [a b] vs [a]", cca, 1, 1e-14)

	// X = [a b], Y = [a+b c]: YᵀY = diag(16, 8) (‖·‖_F = √320), YᵀX =
	// [[8 8] [0 0]] (‖·‖²_F = 128): CKA = 128/(8√2·√320) = 16/√640. The
	// canonical correlations are 1 (a+b) and 0 (a−b against c): mean 1/2.
	Y = cols(plus(walshA, walshB), walshC)
	cka, _ = LinearCKA(X, Y)
	approx(t, "CKA [a b] vs [a+b c]", cka, 16/math.Sqrt(640), 1e-14)
	rho, _ := CanonicalCorrelations(X, Y)
	if len(rho) != 2 {
		t.Fatalf("correlations %v, want 2", rho)
	}
	approx(t, "ρ1", rho[0], 1, 1e-12)
	approx(t, "ρ2", rho[1], 0, 1e-12)
	cca, _ = CCA(X, Y)
	approx(t, "CCA [a b] vs [a+b c]", cca, 0.5, 1e-12)

	// X = [a 0.001c], Y = [b 0.001c]: CCA matches the shared low-variance
	// direction c (correlations 1 and 0, mean 1/2); SVCCA keeps 99 % of the
	// variance, a alone and b alone, which are uncorrelated: 0.
	X, Y = cols(walshA, scaled(1e-3, walshC)), cols(walshB, scaled(1e-3, walshC))
	cca, _ = CCA(X, Y)
	approx(t, "CCA with a shared small direction", cca, 0.5, 1e-9)
	sv, err := SVCCA(X, Y, 0)
	if err != nil {
		t.Fatal(err)
	}
	approx(t, "SVCCA with a shared small direction", sv, 0, 1e-9)
	r, _ := SVDReduce(X, 0.99)
	if _, k := r.Dims(); k != 1 {
		t.Fatalf("SVDReduce kept %d components, want 1", k)
	}
	for i, v := range walshA { // the score on the first component is ±a
		approx(t, "|score|", math.Abs(r.At(i, 0)), math.Abs(v), 1e-12)
	}
	if r, _ = SVDReduce(X, 1); r.RawMatrix().Cols != 2 {
		t.Errorf("SVDReduce(keep 1) kept %d components, want 2", r.RawMatrix().Cols)
	}
}

// TestSimilaritySelf checks CKA(X, X) = CCA(X, X) = SVCCA(X, X) = 1.
func TestSimilaritySelf(t *testing.T) {
	X, Y := pair(1, 300)
	for _, m := range []*mat.Dense{X, Y} {
		cka, _ := LinearCKA(m, m)
		approx(t, "CKA(X, X)", cka, 1, 1e-12)
		cca, _ := CCA(m, m)
		approx(t, "CCA(X, X)", cca, 1, 1e-12)
		sv, _ := SVCCA(m, m, 0)
		approx(t, "SVCCA(X, X)", sv, 1, 1e-12)
	}
}

// TestSimilarityInvariances checks the invariances that define each
// measure on related random activity: CKA and SVCCA under orthogonal maps,
// isotropic scaling and translation of either side; CCA under any
// invertible linear map; and that CKA does change under a non-isotropic
// scaling, which CCA ignores.
func TestSimilarityInvariances(t *testing.T) {
	X, Y := pair(2, 400)
	rng := rand.New(rand.NewPCG(3, 3))
	cka0, err := LinearCKA(X, Y)
	if err != nil {
		t.Fatal(err)
	}
	cca0, _ := CCA(X, Y)
	sv0, _ := SVCCA(X, Y, 0)
	t.Logf("related data: CKA %.4f, CCA %.4f, SVCCA %.4f", cka0, cca0, sv0)
	if cka0 < 0.1 || cka0 > 0.95 || cca0 < 0.1 || cca0 > 0.95 {
		t.Fatalf("the test pair is degenerate: CKA %v, CCA %v", cka0, cca0)
	}
	shift := func(m *mat.Dense) *mat.Dense {
		out := mat.DenseCopyOf(m)
		out.Apply(func(i, j int, v float64) float64 { return v + 5*float64(j+1) }, out)
		return out
	}
	orthX := mul(X, randOrthogonal(rng, 10))
	orthX.Scale(-3.7, orthX)
	orthY := mul(Y, randOrthogonal(rng, 8))
	orthY.Scale(0.02, orthY)
	for _, c := range []struct {
		name string
		x, y *mat.Dense
	}{
		{"X Q, Y", mul(X, randOrthogonal(rng, 10)), Y},
		{"X, Y Q", X, mul(Y, randOrthogonal(rng, 8))},
		{"-3.7 X Q, 0.02 Y Q'", orthX, orthY},
		{"X + 1cᵀ, Y + 1dᵀ", shift(X), shift(Y)},
	} {
		cka, _ := LinearCKA(c.x, c.y)
		approx(t, "CKA("+c.name+")", cka, cka0, 1e-10)
		cca, _ := CCA(c.x, c.y)
		approx(t, "CCA("+c.name+")", cca, cca0, 1e-10)
		sv, _ := SVCCA(c.x, c.y, 0)
		approx(t, "SVCCA("+c.name+")", sv, sv0, 1e-8)
	}
	// Any invertible map (here a random Gaussian one, and a diagonal one):
	// CCA unchanged, CKA changed.
	ax := mul(X, randn(rng, 10, 10))
	diag := mat.NewDiagDense(8, []float64{1, 10, 0.1, 3, 1, 1, 0.5, 20})
	ay := mul(Y, diag)
	cca, _ := CCA(ax, ay)
	approx(t, "CCA(X A, Y D)", cca, cca0, 1e-10)
	rho0, _ := CanonicalCorrelations(X, Y)
	rho, _ := CanonicalCorrelations(ax, ay)
	for i := range rho0 {
		approx(t, "ρ_i(X A, Y D)", rho[i], rho0[i], 1e-10)
	}
	if cka, _ := LinearCKA(ax, ay); math.Abs(cka-cka0) < 1e-3 {
		t.Errorf("CKA(X A, Y D) = %v, the same as CKA(X, Y) = %v: it should depend on the metric", cka, cka0)
	}
}

// TestSimilarityIndependent checks that independent activity scores low
// and that the ordering independent < related < identical holds.
func TestSimilarityIndependent(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	X, Y := randn(rng, 2000, 10), randn(rng, 2000, 12)
	cka, _ := LinearCKA(X, Y)
	cca, _ := CCA(X, Y)
	sv, _ := SVCCA(X, Y, 0)
	t.Logf("independent data (n 2000): CKA %.4f, CCA %.4f, SVCCA %.4f", cka, cca, sv)
	// Under independence E‖YcᵀXc‖² ≈ n p1 p2, so CKA ≈ √(p1 p2)/n ≈ 0.005,
	// and canonical correlations are of order √(p/n) ≈ 0.07.
	if cka > 0.02 || cca > 0.1 || sv > 0.1 {
		t.Errorf("independent data: CKA %v, CCA %v, SVCCA %v; want < 0.02, 0.1, 0.1", cka, cca, sv)
	}
	X2, Y2 := pair(5, 2000)
	related, _ := LinearCKA(X2, Y2)
	if !(cka < related && related < 1) {
		t.Errorf("CKA: independent %v, related %v: want independent < related < 1", cka, related)
	}
}

// TestSimilaritySVCCALowRank checks that SVCCA finds a shared latent
// signal that noise dimensions hide from plain CCA: X and Y are different
// mixtures of the same 3 latents plus small independent noise.
func TestSimilaritySVCCALowRank(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 6))
	n := 1000
	Z := randn(rng, n, 3)
	X, Y := mul(Z, randn(rng, 3, 20)), mul(Z, randn(rng, 3, 15))
	noise := func(m *mat.Dense) {
		m.Apply(func(i, j int, v float64) float64 { return v + 0.01*rng.NormFloat64() }, m)
	}
	noise(X)
	noise(Y)
	r, _ := SVDReduce(X, 0)
	if _, k := r.Dims(); k != 3 {
		t.Errorf("SVDReduce kept %d components of a rank-3 signal, want 3", k)
	}
	sv, _ := SVCCA(X, Y, 0)
	cca, _ := CCA(X, Y)
	t.Logf("shared 3-d latent: SVCCA %.4f, CCA %.4f", sv, cca)
	if sv < 0.99 || cca > 0.5 {
		t.Errorf("SVCCA %v (want > 0.99), CCA %v (want < 0.5: 12 of its 15 correlations are noise)", sv, cca)
	}
}

func TestSimilarityErrors(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	constant := mat.NewDense(10, 2, nil)
	constant.Apply(func(i, j int, v float64) float64 { return 0.1 }, constant)
	nan := randn(rng, 10, 2)
	nan.Set(3, 1, math.NaN())
	type fn func(X, Y mat.Matrix) (float64, error)
	measures := map[string]fn{
		"linear cka": LinearCKA,
		"cca":        CCA,
		"svcca":      func(X, Y mat.Matrix) (float64, error) { return SVCCA(X, Y, 0) },
	}
	for name, f := range measures {
		for _, c := range []struct {
			x, y mat.Matrix
			want string
		}{
			{randn(rng, 10, 3), randn(rng, 9, 3), "X has 10 samples (rows), Y has 9"},
			{randn(rng, 1, 3), randn(rng, 1, 3), "too few samples: n = 1, want at least 2"},
			{constant, randn(rng, 10, 2), "constant activity"},
			{randn(rng, 10, 2), nan, "Y[3][1] = NaN is not finite"},
			{nil, randn(rng, 10, 2), "nil activity matrix"},
		} {
			_, err := f(c.x, c.y)
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "analysis: "+name+": ") || strings.Contains(err.Error(), "\n") {
				t.Errorf("%s: error %v, want one line \"analysis: %s: ...%s...\"", name, err, name, c.want)
			}
		}
	}
	// CCA needs n > rank X + rank Y: 10 samples of 5 + 5 units are too few.
	if _, err := CCA(randn(rng, 10, 5), randn(rng, 10, 5)); err == nil || !strings.Contains(err.Error(), "too few samples: n = 10, want n > rank X + rank Y = 5 + 5") {
		t.Errorf("CCA with n = rank X + rank Y: %v", err)
	}
	if _, err := CCA(randn(rng, 11, 5), randn(rng, 11, 5)); err != nil {
		t.Errorf("CCA with n = 11 > 5 + 5: %v", err)
	}
	// CKA works with fewer samples than units.
	if _, err := LinearCKA(randn(rng, 5, 40), randn(rng, 5, 30)); err != nil {
		t.Errorf("CKA with n = 5 < p: %v", err)
	}
	for _, keep := range []float64{-0.1, 1.01, math.NaN()} {
		if _, err := SVDReduce(randn(rng, 10, 2), keep); err == nil || !strings.Contains(err.Error(), "keep must be a fraction of variance in (0, 1]") {
			t.Errorf("keep %v: %v", keep, err)
		}
	}
}
