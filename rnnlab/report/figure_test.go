package report

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFigureList checks that a list keeps its figures in order and, after
// the first error, ignores every later Add and reports that error.
func TestFigureList(t *testing.T) {
	var l FigureList
	a, b := testFigure(t), testFigure(t)
	l.Add("a", "first", a, nil)
	l.Add("b", "second", b, nil)
	figs, err := l.Figures()
	if err != nil || len(figs) != 2 || figs[0].Name != "a" || figs[0].Caption != "first" || figs[0].Figure != a || figs[1].Name != "b" || figs[1].Figure != b {
		t.Fatalf("Figures() = %+v, %v", figs, err)
	}
	boom := errors.New("boom")
	l.Add("c", "third", nil, boom)
	l.Add("d", "fourth", nil, errors.New("later"))
	l.Add("e", "fifth", a, nil)
	if !errors.Is(l.Err(), boom) || l.Err().Error() != "figure c: boom" {
		t.Fatalf("Err() = %v, want figure c: boom", l.Err())
	}
	if figs, err := l.Figures(); figs != nil || err != l.Err() {
		t.Fatalf("Figures() after an error = %v, %v", figs, err)
	}
}

// TestAddFigures checks that figures are embedded by name in the order of
// the names, that a missing name adds nothing, and that PNG bytes are
// embedded as they are.
func TestAddFigures(t *testing.T) {
	png, err := testFigure(t).PNG()
	if err != nil {
		t.Fatal(err)
	}
	figs := []Figure{
		{Name: "x", Caption: "cap-x-old", Figure: testFigure(t)},
		{Name: "y", Caption: "cap-y", PNG: png},
		{Name: "x", Caption: "cap-x", Figure: testFigure(t)},
	}
	r := New("t")
	if err := r.AddFigures(figs, "y", "missing", "x"); err != nil {
		t.Fatal(err)
	}
	html, err := r.HTML()
	if err != nil {
		t.Fatal(err)
	}
	s := string(html)
	iy, ix := strings.Index(s, "cap-y"), strings.Index(s, "cap-x")
	if iy < 0 || ix < 0 || ix < iy || strings.Contains(s, "cap-x-old") {
		t.Fatalf("figures out of order or the wrong one of two names: y at %d, x at %d", iy, ix)
	}
	if n := strings.Count(s, "<figure>"); n != 2 {
		t.Fatalf("%d figures, want 2", n)
	}
	// The bytes figure is the same as AddPNG's.
	want := New("t")
	if err := want.AddPNG("cap-y", png); err != nil {
		t.Fatal(err)
	}
	got := New("t")
	if err := got.AddNamedFigure(figs[1]); err != nil {
		t.Fatal(err)
	}
	wh, _ := want.HTML()
	gh, _ := got.HTML()
	if !bytes.Equal(wh, gh) {
		t.Fatal("AddNamedFigure of PNG bytes differs from AddPNG")
	}
	if err := New("t").AddNamedFigure(Figure{Name: "nil"}); err == nil {
		t.Fatal("an empty figure was embedded")
	}
}

// TestWriteFiles checks the files written for each extension: the figure's
// own encodings, and a PNG-only figure refused as SVG.
func TestWriteFiles(t *testing.T) {
	dir := t.TempDir()
	f := testFigure(t)
	png, err := f.PNG()
	if err != nil {
		t.Fatal(err)
	}
	figs := []Figure{{Name: "spec", Figure: f}, {Name: "raw", PNG: png}}
	if err := WriteFiles(dir, figs, ".png"); err != nil {
		t.Fatal(err)
	}
	if err := WriteFiles(dir, figs[:1], ".svg"); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"spec.png", "raw.png"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil || !bytes.Equal(b, png) {
			t.Fatalf("%s: %v, or not the figure's PNG", name, err)
		}
	}
	svg, err := os.ReadFile(filepath.Join(dir, "spec.svg"))
	if err != nil || !bytes.Contains(svg, []byte("<svg")) {
		t.Fatalf("spec.svg: %v, or no <svg>", err)
	}
	if err := WriteFiles(dir, figs[1:], ".svg"); err == nil || !strings.HasPrefix(err.Error(), "figure raw: ") {
		t.Fatalf("a PNG figure written as SVG: %v", err)
	}
	if _, err := (Figure{Name: "e"}).Encode("png"); err == nil {
		t.Fatal("an empty figure was encoded")
	}
}
