package bench

import (
	"fmt"
	"html/template"
	"io"
	"strings"
)

// HTML writes the report as a self-contained HTML page: the figures, the
// per-cell table with its ratio check (flagged cells highlighted), the
// tutorial's pieces, the host and load, and the scaling tables when they
// ran. Medians are shown with min–max; times in ms unless the unit says
// otherwise.
func (r *Report) HTML(w io.Writer) error {
	return htmlPage.Execute(w, r)
}

var htmlPage = template.Must(template.New("bench").Funcs(template.FuncMap{
	"stat": func(s *Stat) string {
		if s == nil {
			return "–"
		}
		return fmtMedRange(s)
	},
	"ratio": func(s *Stat) string {
		if s == nil {
			return "–"
		}
		return fmt.Sprintf("%.2f", s.Median)
	},
	"met": func(m *bool) string {
		switch {
		case m == nil:
			return "–"
		case *m:
			return "met"
		}
		return "flagged"
	},
	"deref":  func(b *bool) bool { return *b },
	"join":   func(s []string) string { return strings.Join(s, "; ") },
	"target": func() float64 { return TargetCellRatio },
	"load":   fmtLoad,
}).Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>rnnlab bench</title>
<style>
body{font-family:sans-serif;margin:2em;max-width:70em}
table{border-collapse:collapse;margin:1em 0}
th,td{border:1px solid #ccc;padding:.25em .6em;text-align:right}
th:first-child,td:first-child{text-align:left}
.flagged{background:#fdd}
</style></head><body>
<h1>rnnlab bench</h1>
<p>{{.Started.Format "2006-01-02 15:04 MST"}}, {{printf "%.0f" .Seconds}} s; {{.Host.NumCPU}} CPUs ({{.Host.CPU}}), {{.Host.GoVersion}};
load average before {{load .Host.LoadBefore}}, after {{load .Host.LoadAfter}}.
PyTorch: {{.Torch.Status}}{{if .Torch.Version}} (torch {{.Torch.Version}}, {{.Torch.Threads}} threads){{end}}.</p>
<h2>Figures</h2>
<table><tr><th>figure</th><th>unit</th><th>rnnlab median (min–max)</th><th>PyTorch</th><th>rnnlab/PyTorch</th><th>target</th></tr>
{{range .Measurements}}<tr><td>{{.Label}}</td><td>{{.Unit}}</td><td>{{stat .Rnnlab}}</td><td>{{stat .Torch}}</td><td>{{ratio .Ratio}}</td><td>{{if .Target}}{{.Target}} ({{met .Met}}){{end}}</td></tr>
{{end}}</table>
{{if .Cells}}<h2>Training step per cell</h2>
<p>Forward over T steps of a batch of B, BPTT, Adam; ms per step. The target is rnnlab/PyTorch ≤ {{target}}.</p>
<table><tr><th>cell</th><th>network</th><th>engine</th><th>rnnlab median (min–max)</th><th>PyTorch</th><th>rnnlab/PyTorch</th><th>≤ {{target}}</th></tr>
{{range .Cells}}<tr{{if .Met}}{{if not (deref .Met)}} class="flagged"{{end}}{{end}}><td>{{.Cell}}</td><td>{{.Network}}</td><td>{{.Engine}}</td><td>{{stat .Rnnlab}}</td><td>{{stat .Torch}}</td><td>{{ratio .Ratio}}</td><td>{{met .Met}}</td></tr>
{{end}}</table>
{{with .Flagged}}<p class="flagged">Flagged (ratio &gt; {{target}}): {{join .}}</p>{{end}}{{end}}
{{with .Multitask}}<h2>Multitask training step (Yang et al. 2019)</h2>
<p>{{.Network}}, {{.Inputs}} inputs, {{.Outputs}} outputs, B {{.Batch}}, T {{.SeqLen}}, {{.Engine}} engine; ms per step.
rnnlab's time includes making the batch of the twenty tasks in Go ({{stat .Data}} ms of it); PyTorch's does not (random batches made in advance; neurogym takes about 24 ms per batch).</p>
<table><tr><th>rnnlab median (min–max)</th><th>PyTorch</th><th>rnnlab/PyTorch</th><th>≤ {{.Target}}</th></tr>
<tr><td>{{stat .Rnnlab}}</td><td>{{stat .Torch}}</td><td>{{ratio .Ratio}}</td><td>{{met .Met}}</td></tr></table>{{end}}
{{with .Pipe}}<h2>Tutorial</h2>
<p>{{.Engine}} engine: train {{printf "%.2f" .Train}} s, activity {{printf "%.2f" .Activity}} s, fixed points {{printf "%.2f" .FixedPoints}} s ({{.FPIters}} iterations, {{.FPKept}} kept), Newton {{printf "%.2f" .Newton}} s; total {{printf "%.2f" .Total}} s.
{{with .Torch}}PyTorch, same compute: train {{printf "%.2f" .Train}} s, fixed points {{printf "%.2f" .FixedPoints}} s; total {{printf "%.2f" .Total}} s.{{end}}</p>{{end}}
<p>Peak memory: {{printf "%.0f" .PeakRSSMB}} MB (Go mapped {{printf "%.0f" .GoHeapMB}} MB){{if .Torch.PeakRSSMB}}; PyTorch {{printf "%.0f" .Torch.PeakRSSMB}} MB{{end}}.</p>
{{with .Scaling}}<h2>Scaling</h2>
<table><tr><th>step</th><th>H</th><th>B</th><th>T</th><th>candidates</th><th>rnnlab median (min–max)</th><th>PyTorch</th><th>rnnlab/PyTorch</th></tr>
{{range .Train}}<tr><td>training ({{.Sweep}})</td><td>{{.Hidden}}</td><td>{{.Batch}}</td><td>{{.SeqLen}}</td><td></td><td>{{stat .Rnnlab}}</td><td>{{stat .Torch}}</td><td>{{ratio .Ratio}}</td></tr>
{{end}}{{range .FP}}<tr><td>fixed point</td><td>64</td><td></td><td></td><td>{{.Candidates}}</td><td>{{stat .Rnnlab}}</td><td>{{stat .Torch}}</td><td>{{ratio .Ratio}}</td></tr>
{{end}}</table>
{{if .Cells}}<h3>Training step per cell and hidden size</h3>
<table><tr><th>cell</th><th>H</th><th>engine</th><th>rnnlab median (min–max)</th><th>PyTorch</th><th>rnnlab/PyTorch</th></tr>
{{range .Cells}}<tr><td>{{.Cell}}</td><td>{{.Hidden}}</td><td>{{.Engine}}</td><td>{{stat .Rnnlab}}</td><td>{{stat .Torch}}</td><td>{{ratio .Ratio}}</td></tr>
{{end}}</table>{{end}}{{end}}
</body></html>
`))
