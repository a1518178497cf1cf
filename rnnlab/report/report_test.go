package report

import (
	"bytes"
	"encoding/base64"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/rnnlab/rnnlab/rnnlab/plots"
)

func testFigure(t *testing.T) *plots.Figure {
	t.Helper()
	f, err := plots.Spectrum([]complex128{0.85, complex(0.3, 0.4), complex(0.3, -0.4)})
	if err != nil {
		t.Fatal(err)
	}
	return f.SetSize(300, 240).SetDPI(72)
}

func buildReport(t *testing.T) *Report {
	t.Helper()
	r := New("Run <1> & co")
	r.Subtitle = "seed 0"
	r.AddSection("Task", "Perceptual decision making at `dt = 100` ms.\n\n- **64** units\n- 2 choices")
	r.AddSection("Training", "Loss went from 1.1 to 0.02.\n\n```\nstep  loss\n100   <0.5>\n```")
	r.AddValues("Summary", Pair{"accuracy", 0.98765}, Pair{"steps", 2000}, Pair{"name", "<b>x</b>"})
	if err := r.AddTable("Fixed points", []string{"#", "speed"}, [][]string{{"1", "1e-6"}, {"2", "3e-7"}}); err != nil {
		t.Fatal(err)
	}
	r.AddSection("Analysis <script>alert(1)</script>", "Eigenvalues <i>inside</i> the unit circle.")
	if err := r.AddFigure("Spectrum & leading eigenvalue", testFigure(t)); err != nil {
		t.Fatal(err)
	}
	if err := r.AddFigureSVG("Spectrum (SVG)", testFigure(t)); err != nil {
		t.Fatal(err)
	}
	return r
}

// TestReportContent checks the HTML of a report with every kind of block;
// with RNNLAB_GALLERY=dir it also writes it there as report.html, to look at.
func TestReportContent(t *testing.T) {
	b, err := buildReport(t).HTML()
	if err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("RNNLAB_GALLERY"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, "report.html"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s := string(b)
	for _, want := range []string{
		"<!DOCTYPE html>",
		"<title>Run &lt;1&gt; &amp; co</title>",
		`<h2 id="s1">Task</h2>`,
		`<h2 id="s2">Training</h2>`,
		"Analysis &lt;script&gt;alert(1)&lt;/script&gt;",
		"<code>dt = 100</code>",
		"<li><strong>64</strong> units</li>",
		"<pre>step  loss\n100   &lt;0.5&gt;</pre>",
		"Eigenvalues &lt;i&gt;inside&lt;/i&gt; the unit circle.",
		"<td>0.9877</td>", "<td>2000</td>", "<td>&lt;b&gt;x&lt;/b&gt;</td>",
		"<th>speed</th>", "<td>3e-7</td>",
		"<figcaption>Spectrum &amp; leading eigenvalue</figcaption>",
		`<a href="#s3">`,
		"<svg ",
	} {
		if !strings.Contains(s, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	for _, bad := range []string{"<script>", "<i>inside", "<b>x", "ZgotmplZ", "<?xml", `src="http`, `href="http`, "<link"} {
		if strings.Contains(s, bad) {
			t.Errorf("report contains %q", bad)
		}
	}
	// The PNG is embedded and decodes.
	m := regexp.MustCompile(`src="data:image/png;base64,([A-Za-z0-9+/=]+)"`).FindStringSubmatch(s)
	if m == nil {
		t.Fatal("no embedded PNG")
	}
	raw, err := base64.StdEncoding.DecodeString(m[1])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := png.Decode(bytes.NewReader(raw)); err != nil {
		t.Fatalf("embedded PNG: %v", err)
	}
}

func TestReportErrors(t *testing.T) {
	r := New("x")
	if err := r.AddTable("t", []string{"a", "b"}, [][]string{{"1"}}); err == nil {
		t.Error("no error for a short row")
	}
	if err := r.AddTable("t", nil, [][]string{{"1", "2"}, {"3"}}); err == nil {
		t.Error("no error for ragged rows")
	}
	if err := r.AddPNG("p", []byte("GIF89a")); err == nil {
		t.Error("no error for a non-PNG")
	}
	if err := r.AddFigure("f", nil); err == nil {
		t.Error("no error for a nil figure")
	}
	if err := r.AddFigureSVG("f", nil); err == nil {
		t.Error("no error for a nil figure")
	}
	if err := r.WriteFile(filepath.Join(t.TempDir(), "missing", "r.html")); err == nil {
		t.Error("no error for a missing directory")
	}
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "report.html")
	if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := buildReport(t)
	if err := r.WriteFile(path); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := r.HTML()
	if !bytes.Equal(got, want) {
		t.Error("file content differs from HTML()")
	}
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		var names []string
		for _, e := range ents {
			names = append(names, e.Name())
		}
		t.Errorf("directory holds %v, want only report.html", names)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v", fi.Mode())
	}
}

func TestEmptyReport(t *testing.T) {
	var r Report
	b, err := r.HTML()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "<h1>Report</h1>") {
		t.Error("empty report lacks default title")
	}
}
