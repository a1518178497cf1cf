// Package report builds a self-contained HTML page describing a run: a
// title, sections of lightly formatted text, tables of numbers and figures.
// Figures are embedded in the page (base64 PNG or inline SVG), so the single
// file can be opened, mailed or archived without any other file or network
// access.
//
// Text is escaped; the only markup recognised in section text is a small
// Markdown-like subset (see AddSection).
//
// A study's figures are report.Figure values, a figure with the name of its
// file and its caption: the study draws them into a FigureList, writes them
// into its folder with WriteFiles and adds them to its report by name with
// AddFigures.
package report

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"html/template"
	"io"
	"regexp"
	"strings"

	"github.com/rnnlab/rnnlab/rnnlab/atomicfile"
	"github.com/rnnlab/rnnlab/rnnlab/plots"
)

// Report is an HTML report under construction. Items are rendered in the
// order they were added. The zero value is usable; New sets the title.
type Report struct {
	// Title is the page title and top heading.
	Title string
	// Subtitle, if not empty, is shown under the title (e.g. the run's
	// date or configuration summary).
	Subtitle string
	items    []item
	nsec     int
}

// Pair is a named value for AddValues.
type Pair struct {
	Name  string
	Value any
}

// item is one rendered block; exactly one field group is used.
type item struct {
	Kind string // "section", "text", "figure", "table"

	// section
	ID    string
	Title string

	// text
	HTML template.HTML

	// figure
	Caption string
	Src     template.HTMLAttr
	SVG     template.HTML

	// table
	Header []string
	Rows   [][]string
}

// New returns an empty report with the given title.
func New(title string) *Report { return &Report{Title: title} }

// AddSection starts a new section with a heading and optional text. The
// text is escaped and then formatted with a small Markdown-like subset:
// blank lines separate paragraphs; a paragraph whose lines all start with
// "- " or "* " is a bullet list; lines between ``` fences are preformatted;
// `code` and **bold** work inline.
func (r *Report) AddSection(title, text string) {
	r.nsec++
	r.items = append(r.items, item{Kind: "section", ID: fmt.Sprintf("s%d", r.nsec), Title: title})
	r.AddText(text)
}

// AddText adds text to the current section, formatted as in AddSection.
// Empty text adds nothing.
func (r *Report) AddText(text string) {
	if strings.TrimSpace(text) == "" {
		return
	}
	r.items = append(r.items, item{Kind: "text", HTML: formatText(text)})
}

// AddFigure renders fig as PNG and embeds it with a caption.
func (r *Report) AddFigure(caption string, fig *plots.Figure) error {
	b, err := render(caption, fig, "png")
	if err != nil {
		return err
	}
	return r.AddPNG(caption, b)
}

// render encodes fig in format ("png", "svg") for the figure captioned
// caption.
func render(caption string, fig *plots.Figure, format string) ([]byte, error) {
	if fig == nil {
		return nil, errors.New("report: nil figure")
	}
	b, err := fig.Encode(format)
	if err != nil {
		return nil, fmt.Errorf("report: figure %q: %w", caption, err)
	}
	return b, nil
}

// AddFigureSVG renders fig as SVG and inlines it in the page with a
// caption. SVG keeps the figure sharp at any zoom; text is drawn with the
// browser's copy of the font (Liberation Sans or a fallback).
func (r *Report) AddFigureSVG(caption string, fig *plots.Figure) error {
	b, err := render(caption, fig, "svg")
	if err != nil {
		return err
	}
	// Drop the XML prolog and comments before the <svg> element: they are
	// not allowed inside HTML.
	i := bytes.Index(b, []byte("<svg"))
	if i < 0 {
		return fmt.Errorf("report: figure %q: SVG output has no <svg> element", caption)
	}
	// The SVG comes from gonum/plot's own encoder, with every text escaped,
	// so it is trusted markup.
	r.items = append(r.items, item{Kind: "figure", Caption: caption, SVG: template.HTML(b[i:])})
	return nil
}

// AddPNG embeds an already encoded PNG image with a caption.
func (r *Report) AddPNG(caption string, png []byte) error {
	if !bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")) {
		return fmt.Errorf("report: image %q is not a PNG", caption)
	}
	// The attribute is built here from base64 text (no quotes, no markup),
	// so it is safe; passing it as an attribute also keeps html/template
	// from entity-escaping every '+' of the base64 data.
	src := `src="data:image/png;base64,` + base64.StdEncoding.EncodeToString(png) + `"`
	r.items = append(r.items, item{Kind: "figure", Caption: caption, Src: template.HTMLAttr(src)})
	return nil
}

// AddTable adds a table with a caption, a header row and rows of cells.
// Every row must have as many cells as the header (when the header is not
// empty).
func (r *Report) AddTable(caption string, header []string, rows [][]string) error {
	width := len(header)
	for i, row := range rows {
		if width == 0 {
			width = len(row)
		}
		if len(row) != width {
			return fmt.Errorf("report: table %q row %d has %d cells, want %d", caption, i, len(row), width)
		}
	}
	r.items = append(r.items, item{Kind: "table", Caption: caption, Header: header, Rows: rows})
	return nil
}

// AddValues adds a two-column table of named values. Floats are printed
// with 4 significant digits, other values with fmt's %v.
func (r *Report) AddValues(caption string, pairs ...Pair) {
	rows := make([][]string, len(pairs))
	for i, p := range pairs {
		var v string
		switch x := p.Value.(type) {
		case float64:
			v = fmt.Sprintf("%.4g", x)
		case float32:
			v = fmt.Sprintf("%.4g", x)
		default:
			v = fmt.Sprint(x)
		}
		rows[i] = []string{p.Name, v}
	}
	r.items = append(r.items, item{Kind: "table", Caption: caption, Rows: rows})
}

// Render writes the HTML page to w.
func (r *Report) Render(w io.Writer) error {
	var toc []item
	for _, it := range r.items {
		if it.Kind == "section" {
			toc = append(toc, it)
		}
	}
	data := struct {
		Title, Subtitle string
		TOC, Items      []item
	}{r.Title, r.Subtitle, toc, r.items}
	if data.Title == "" {
		data.Title = "Report"
	}
	return page.Execute(w, data)
}

// HTML returns the HTML page.
func (r *Report) HTML() ([]byte, error) {
	var buf bytes.Buffer
	if err := r.Render(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// WriteFile writes the HTML page to path atomically: the page is written
// to a temporary file in the same directory, synced, and renamed over path,
// so readers never see a partial page.
func (r *Report) WriteFile(path string) error {
	b, err := r.HTML()
	if err != nil {
		return err
	}
	if err := atomicfile.Write(path, b); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return nil
}

var (
	inlineCode = regexp.MustCompile("`([^`]+)`")
	inlineBold = regexp.MustCompile(`\*\*([^*]+)\*\*`)
)

// formatInline escapes s and applies `code` and **bold**.
func formatInline(s string) string {
	s = template.HTMLEscapeString(s)
	s = inlineCode.ReplaceAllString(s, "<code>$1</code>")
	s = inlineBold.ReplaceAllString(s, "<strong>$1</strong>")
	return s
}

// formatText turns the Markdown-like subset described in AddSection into
// HTML. Every piece of the input is escaped before markup is added.
func formatText(text string) template.HTML {
	var out strings.Builder
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	var para []string
	flush := func() {
		if len(para) == 0 {
			return
		}
		isList := true
		for _, l := range para {
			t := strings.TrimSpace(l)
			if !strings.HasPrefix(t, "- ") && !strings.HasPrefix(t, "* ") {
				isList = false
			}
		}
		if isList {
			out.WriteString("<ul>\n")
			for _, l := range para {
				out.WriteString("<li>" + formatInline(strings.TrimSpace(l)[2:]) + "</li>\n")
			}
			out.WriteString("</ul>\n")
		} else {
			parts := make([]string, len(para))
			for i, l := range para {
				parts[i] = formatInline(strings.TrimSpace(l))
			}
			out.WriteString("<p>" + strings.Join(parts, "\n") + "</p>\n")
		}
		para = para[:0]
	}
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if strings.HasPrefix(strings.TrimSpace(l), "```") {
			flush()
			var code []string
			for i++; i < len(lines) && !strings.HasPrefix(strings.TrimSpace(lines[i]), "```"); i++ {
				code = append(code, lines[i])
			}
			out.WriteString("<pre>" + template.HTMLEscapeString(strings.Join(code, "\n")) + "</pre>\n")
			continue
		}
		if strings.TrimSpace(l) == "" {
			flush()
			continue
		}
		para = append(para, l)
	}
	flush()
	// Built only from escaped input and fixed tags.
	return template.HTML(out.String())
}

var page = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: #222; max-width: 60rem; margin: 2rem auto; padding: 0 1.2rem; line-height: 1.5; }
h1 { font-size: 1.8rem; margin-bottom: 0.2rem; }
.subtitle { color: #666; margin-top: 0; }
h2 { font-size: 1.35rem; border-bottom: 1px solid #ddd; padding-bottom: 0.2rem; margin-top: 2.2rem; }
nav ul { padding-left: 1.2rem; margin: 0.3rem 0 1rem; }
nav a, nav a:visited { color: #2458a6; text-decoration: none; }
code, pre { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.9em; background: #f4f4f4; border-radius: 3px; }
code { padding: 0.05em 0.3em; }
pre { padding: 0.7em; overflow-x: auto; }
figure { margin: 1.2rem 0; text-align: center; }
figure img, figure svg { max-width: 100%; height: auto; }
figcaption { color: #555; font-size: 0.92rem; margin-top: 0.3rem; }
table { border-collapse: collapse; margin: 1rem 0; font-size: 0.95rem; }
caption { caption-side: top; text-align: left; font-weight: 600; padding-bottom: 0.3rem; }
th, td { border: 1px solid #ddd; padding: 0.3em 0.7em; text-align: left; }
th { background: #f4f4f4; }
td { font-variant-numeric: tabular-nums; }
</style>
</head>
<body>
<h1>{{.Title}}</h1>
{{if .Subtitle}}<p class="subtitle">{{.Subtitle}}</p>
{{end}}{{if gt (len .TOC) 1}}<nav><ul>
{{range .TOC}}<li><a href="#{{.ID}}">{{.Title}}</a></li>
{{end}}</ul></nav>
{{end}}{{range .Items}}{{if eq .Kind "section"}}<h2 id="{{.ID}}">{{.Title}}</h2>
{{else if eq .Kind "text"}}{{.HTML}}{{else if eq .Kind "figure"}}<figure>
{{if .Src}}<img {{.Src}} alt="{{.Caption}}">{{else}}{{.SVG}}{{end}}
{{if .Caption}}<figcaption>{{.Caption}}</figcaption>{{end}}
</figure>
{{else if eq .Kind "table"}}<table>
{{if .Caption}}<caption>{{.Caption}}</caption>
{{end}}{{if .Header}}<thead><tr>{{range .Header}}<th>{{.}}</th>{{end}}</tr></thead>
{{end}}<tbody>
{{range .Rows}}<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>
{{end}}</tbody>
</table>
{{end}}{{end}}</body>
</html>
`))
