package nbui

import (
	"errors"
	"fmt"
	"html"
	"os"
	"time"

	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/dom"
	"github.com/janpfeifer/gonb/gonbui/widgets"

	"github.com/rnnlab/rnnlab/rnnlab/plots"
)

// HeadlessEnv is the environment variable that scripts/run-notebooks.sh and the notebook test set to
// "1" when they execute notebooks without a browser: Explore then draws its first figure and shows no
// slider (GoNB's slider waits for the browser to answer, which never happens headless).
const HeadlessEnv = "RNNLAB_NOTEBOOK_HEADLESS"

// frontEndWait is how long Explore waits for the browser to set up its slider before falling back to
// the static figure (a notebook executed headlessly without HeadlessEnv).
const frontEndWait = 5 * time.Second

// ExploreFrame returns the HTML of one frame of Explore: the frame's label (escaped) above its figure,
// a PNG inline.
func ExploreFrame(label string, f *plots.Figure) (string, error) {
	if f == nil {
		return "", errors.New("nbui: no figure to show")
	}
	png, err := f.PNG()
	if err != nil {
		return "", err
	}
	return "<div><b>" + html.EscapeString(label) + "</b></div>" + imgHTML(png), nil
}

// Explore lets the reader move a slider over the frames 0..n−1 and see each one's figure: it shows
// frame initial (its label(i) and draw(i)), a slider and a "Done" button under it, and redraws in
// place on every move. It returns when Done is pressed or after idle without a move, and leaves the
// last frame shown as an ordinary output (saved with the notebook). Headless (HeadlessEnv set, or no
// browser answering within a few seconds) and outside a notebook it only shows frame initial. An error
// of draw stops it.
func Explore(n, initial int, label func(i int) string, draw func(i int) (*plots.Figure, error), idle time.Duration) error {
	if n <= 0 || initial < 0 || initial >= n {
		return fmt.Errorf("nbui: Explore: frame %d of %d", initial, n)
	}
	frame := func(i int) (string, error) {
		f, err := draw(i)
		if err != nil {
			return "", fmt.Errorf("nbui: drawing frame %d (%s): %w", i, label(i), err)
		}
		return ExploreFrame(label(i), f)
	}
	last, err := frame(initial)
	if err != nil {
		return err
	}
	if !gonbui.IsNotebook || os.Getenv(HeadlessEnv) == "1" {
		gonbui.DisplayHTML(last)
		gonbui.Sync()
		return nil
	}
	liveID := "rnnlab-explore-" + gonbui.UniqueId()
	gonbui.UpdateHtml(liveID, last)
	div := dom.CreateTransientDiv()
	ready := make(chan [2]any, 1)
	go func() {
		s := widgets.Slider(0, n-1, initial).AppendTo(div).Done()
		b := widgets.Button("Done").AppendTo(div).Done()
		ready <- [2]any{s, b}
	}()
	finish := func() error {
		gonbui.UpdateHtml(liveID, "")
		dom.Remove(div)
		gonbui.DisplayHTML(last)
		gonbui.Sync()
		return nil
	}
	var w [2]any
	select {
	case w = <-ready:
	case <-time.After(frontEndWait):
		return finish() // no browser: keep the first frame
	}
	moves := w[0].(*widgets.SliderBuilder).Listen().LatestOnly()
	done := w[1].(*widgets.ButtonBuilder).Listen()
	defer moves.Close()
	defer done.Close()
	for {
		select {
		case <-done.C:
			return finish()
		case i := <-moves.C:
			if i < 0 || i >= n {
				continue
			}
			if last, err = frame(i); err != nil {
				_ = finish()
				return err
			}
			gonbui.UpdateHtml(liveID, last)
		case <-time.After(idle):
			return finish()
		}
	}
}
