package training

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/gomlx/gomlx/ui/notebooks"
)

// Progress displays the advance of a training run. Update is called after
// every step (implementations throttle their output); Clear is called before
// a log line is printed and Done once at the end.
type Progress interface {
	Update(s ProgressState)
	Clear()
	Done(s ProgressState)
}

// ProgressState is what a Progress shows.
type ProgressState struct {
	Step, Steps int
	// Loss and Acc are running means over the current log window.
	Loss, Acc float64
	// MsPerStep is the median wall time per step so far.
	MsPerStep float64
	Elapsed   time.Duration
}

// DefaultProgress returns the progress display used when Hooks.Progress is
// nil: a one-line bar on stderr when stderr is a terminal, a carriage-return
// line on stdout inside a GoNB (or bash_kernel) notebook, where Jupyter
// overwrites the line in place, and nil (no display) otherwise.
func DefaultProgress() Progress {
	if notebooks.IsNotebook() {
		return NewLineProgress(os.Stdout, time.Second, false)
	}
	if fi, err := os.Stderr.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
		return NewLineProgress(os.Stderr, 200*time.Millisecond, true)
	}
	return nil
}

// LineProgress redraws one text line with a carriage return:
//
//	[#########...........]  450/1500  loss 0.0712  acc 0.812  31.2 ms/step  ETA 33s
//
// at most once per interval.
type LineProgress struct {
	w        io.Writer
	interval time.Duration
	ansi     bool // erase the line with ANSI "erase to end of line"

	mu      sync.Mutex
	last    time.Time
	visible bool
}

// NewLineProgress returns a LineProgress writing to w at most once per
// interval; ansi selects terminal line erasing (leave it off for notebooks).
func NewLineProgress(w io.Writer, interval time.Duration, ansi bool) *LineProgress {
	return &LineProgress{w: w, interval: interval, ansi: ansi}
}

func (p *LineProgress) line(s ProgressState) string {
	const width = 24
	frac := 0.0
	if s.Steps > 0 {
		frac = float64(s.Step) / float64(s.Steps)
	}
	n := int(frac * width)
	bar := strings.Repeat("#", n) + strings.Repeat(".", width-n)
	eta := ""
	if s.Step > 0 && s.Step < s.Steps {
		left := time.Duration(float64(s.Elapsed) / float64(s.Step) * float64(s.Steps-s.Step))
		eta = "  ETA " + left.Round(time.Second).String()
	}
	return fmt.Sprintf("[%s] %*d/%d  loss %.4f  acc %.3f  %.1f ms/step%s",
		bar, len(fmt.Sprint(s.Steps)), s.Step, s.Steps, s.Loss, s.Acc, s.MsPerStep, eta)
}

func (p *LineProgress) draw(text string) {
	if p.ansi {
		fmt.Fprint(p.w, "\r\x1b[K"+text)
	} else {
		fmt.Fprint(p.w, "\r"+text)
	}
	p.visible = true
}

// Update redraws the line if the interval has passed.
func (p *LineProgress) Update(s ProgressState) {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := time.Now()
	if now.Sub(p.last) < p.interval {
		return
	}
	p.last = now
	p.draw(p.line(s))
}

// Clear erases the line (so a log line can be printed in its place).
func (p *LineProgress) Clear() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.visible {
		return
	}
	if p.ansi {
		fmt.Fprint(p.w, "\r\x1b[K")
	} else {
		fmt.Fprint(p.w, "\r")
	}
	p.visible = false
	p.last = time.Time{}
}

// Done draws the final state and ends the line.
func (p *LineProgress) Done(s ProgressState) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.draw(p.line(s))
	fmt.Fprintln(p.w)
	p.visible = false
}
