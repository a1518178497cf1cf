// Package plot3d draws interactive, rotatable 3-D views of a network's
// dynamics with plotly.js: trajectories in the space of the first three
// principal components and the fixed points over them, marked as Golub &
// Sussillo's FixedPointFinder (plot_fps) marks them: stable points black,
// unstable points red, each unstable mode a short red line through its
// point.
//
// The figure is plain plotly JSON (Scene.Figure) rendered as HTML that
// carries plotly.js itself (Scene.HTML for a notebook cell, e.g.
// gonbui.DisplayHTML(html); Scene.Page for a standalone file or an HTML
// report), so it works offline and its output is kept in a saved .ipynb.
// plotly.js is vendored, compressed, in plotlyjs/ (the npm package
// plotly.js-gl3d-dist-min, version PlotlyVersion) and embedded in the
// binary: no npm, CDN or network at run time.
package plot3d

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"io"
	"sync"
)

// PlotlyVersion is the version of the embedded plotly.js bundle (npm
// plotly.js-gl3d-dist-min).
const PlotlyVersion = "4.1.1"

// PlotlySHA256 is the SHA-256 of the embedded, uncompressed bundle, as
// npm ships it.
const PlotlySHA256 = "aab04dcd9c103a92b18723f8c837712fe820f325d0bcd2421e415e8124a75b9f"

//go:embed plotlyjs/plotly-gl3d.min.js.gz
var plotlyGz []byte

var (
	plotlyOnce sync.Once
	plotlyJS   []byte
	plotlyErr  error
)

// PlotlyJS returns the embedded plotly.js bundle (about 1.75 MB of
// JavaScript, which defines window.Plotly), decompressed once.
func PlotlyJS() ([]byte, error) {
	plotlyOnce.Do(func() {
		zr, err := gzip.NewReader(bytes.NewReader(plotlyGz))
		if err != nil {
			plotlyErr = fmt.Errorf("plot3d: reading the embedded plotly.js: %w", err)
			return
		}
		b, err := io.ReadAll(zr)
		if err != nil {
			plotlyErr = fmt.Errorf("plot3d: reading the embedded plotly.js: %w", err)
			return
		}
		sum := sha256.Sum256(b)
		if got := hex.EncodeToString(sum[:]); got != PlotlySHA256 {
			plotlyErr = fmt.Errorf("plot3d: the embedded plotly.js has SHA-256 %s, want %s", got, PlotlySHA256)
			return
		}
		// Inside an inline <script>, "</script" would end the element:
		// "<\/" means the same in JavaScript strings and regular
		// expressions. (Version 4.1.1 has none.)
		plotlyJS = bytes.ReplaceAll(b, []byte("</script"), []byte(`<\/script`))
	})
	return plotlyJS, plotlyErr
}
