package plots

import (
	"image/color"
	"math"
)

// Colours of the original figures (matplotlib's named colours and its
// default colour cycle).
var (
	// Red marks choice 0 / ground truth 0.
	Red = color.RGBA{R: 255, A: 255}
	// Blue marks choice 1 / ground truth 1.
	Blue = color.RGBA{B: 255, A: 255}
	// Green is matplotlib's 'g', used for the ground truth line.
	Green = color.RGBA{G: 128, A: 255}
	// Grey is used for trial-start lines and zero-coherence conditions.
	Grey = color.RGBA{R: 128, G: 128, B: 128, A: 255}
	// C0 and C1 are the first two colours of matplotlib's default cycle.
	C0 = color.RGBA{R: 31, G: 119, B: 180, A: 255}
	C1 = color.RGBA{R: 255, G: 127, B: 14, A: 255}
)

// extra colours for choices beyond 0 and 1 (matplotlib's tab10 without blue
// and red).
var moreChoices = []color.RGBA{
	{R: 44, G: 160, B: 44, A: 255},
	{R: 148, G: 103, B: 189, A: 255},
	{R: 140, G: 86, B: 75, A: 255},
	{R: 227, G: 119, B: 194, A: 255},
	{R: 188, G: 189, B: 34, A: 255},
	{R: 23, G: 190, B: 207, A: 255},
}

// ChoiceColor returns the colour of a choice: red for 0, blue for 1 and
// further distinct colours for larger values.
func ChoiceColor(choice int) color.RGBA {
	switch {
	case choice == 0:
		return Red
	case choice == 1:
		return Blue
	case choice < 0:
		return Grey
	}
	return moreChoices[(choice-2)%len(moreChoices)]
}

// withAlpha returns c with opacity a in [0, 1] (premultiplied, as
// color.RGBA requires).
func withAlpha(c color.RGBA, a float64) color.RGBA {
	a = math.Max(0, math.Min(1, a))
	return color.RGBA{
		R: uint8(float64(c.R)*a + 0.5),
		G: uint8(float64(c.G)*a + 0.5),
		B: uint8(float64(c.B)*a + 0.5),
		A: uint8(255*a + 0.5),
	}
}

// lerp mixes a and b: t=0 gives a, t=1 gives b.
func lerp(a, b color.RGBA, t float64) color.RGBA {
	t = math.Max(0, math.Min(1, t))
	m := func(x, y uint8) uint8 { return uint8(float64(x)*(1-t) + float64(y)*t + 0.5) }
	return color.RGBA{R: m(a.R, b.R), G: m(a.G, b.G), B: m(a.B, b.B), A: m(a.A, b.A)}
}

// Diverging returns the colour of a value v in [-1, 1] on a red–grey–blue
// diverging map: -1 is a strong red, 0 grey and +1 a strong blue.
func Diverging(v float64) color.RGBA {
	strongRed := color.RGBA{R: 178, G: 24, B: 43, A: 255}
	strongBlue := color.RGBA{R: 33, G: 102, B: 172, A: 255}
	lightGrey := color.RGBA{R: 150, G: 150, B: 150, A: 255}
	if math.IsNaN(v) {
		return lightGrey
	}
	if v < 0 {
		return lerp(lightGrey, strongRed, math.Sqrt(-v))
	}
	return lerp(lightGrey, strongBlue, math.Sqrt(v))
}

// viridisStops samples matplotlib's viridis colour map at 9 evenly spaced
// points.
var viridisStops = []color.RGBA{
	{68, 1, 84, 255},
	{71, 44, 122, 255},
	{59, 81, 139, 255},
	{44, 113, 142, 255},
	{33, 144, 141, 255},
	{39, 173, 129, 255},
	{92, 200, 99, 255},
	{170, 220, 50, 255},
	{253, 231, 37, 255},
}

// viridis is a palette.Palette interpolating viridisStops.
type viridis int

// Colors implements palette.Palette: n samples of Viridis.
func (n viridis) Colors() []color.Color {
	out := make([]color.Color, int(n))
	for i := range out {
		out[i] = Viridis(float64(i) / float64(int(n)-1))
	}
	return out
}
