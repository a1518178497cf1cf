package bench

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// Table writes a short text summary: one line per figure with rnnlab's and
// PyTorch's min/median/max, the median ratio and the target; the per-cell
// table (engine, rnnlab's and PyTorch's min/median/max, the median ratio
// against TargetCellRatio) and the cells it flags; then the pipeline's
// pieces, memory, load and the scaling tables.
func (r *Report) Table(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "figure\tunit\trnnlab min/med/max\tPyTorch min/med/max\trnnlab/PyTorch\ttarget")
	for _, f := range r.Measurements {
		ratio, target := "-", ""
		if f.Ratio != nil {
			ratio = fmt.Sprintf("%.2f", f.Ratio.Median)
		}
		if f.Target > 0 {
			op := "ratio <= "
			if f.Name == "pipeline" {
				op = "< "
			}
			target = fmt.Sprintf("%s%g", op, f.Target)
			if f.Name == "pipeline" {
				target += " s"
			}
			if f.Met != nil {
				if *f.Met {
					target += " (met)"
				} else {
					target += " (missed)"
				}
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", f.Label, f.Unit, fmtStat(f.Rnnlab), fmtStat(f.Torch), ratio, target)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(r.Cells) > 0 {
		fmt.Fprintln(w)
		tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintf(tw, "cell (B%d T%d H%d)\tengine\trnnlab ms min/med/max\tPyTorch ms min/med/max\trnnlab/PyTorch\ttarget\n", CellBatch, CellSeqLen, CellHidden)
		for _, c := range r.Cells {
			_, rat, met := cellCols(c)
			rat = strings.ReplaceAll(rat, "–", "-")
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\tratio <= %g (%s)\n", c.Network, c.Engine, fmtStat(c.Rnnlab), fmtStat(c.Torch), rat, TargetCellRatio,
				strings.Trim(strings.ReplaceAll(met, "–", "no PyTorch"), "*"))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		if f := r.Flagged(); len(f) > 0 {
			fmt.Fprintf(w, "flagged (ratio > %g): %s\n", TargetCellRatio, strings.Join(f, "; "))
		} else if r.Torch.Status == "ok" {
			fmt.Fprintf(w, "every cell within the ratio %g\n", TargetCellRatio)
		}
	}
	if r.Multitask != nil {
		fmt.Fprintln(w)
		r.Multitask.writeText(w)
	}
	if p := r.Pipe; p != nil {
		fmt.Fprintf(w, "tutorial (%s engine): train %.2f s, activity %.2f s, fixed points %.2f s (%d iterations, %d kept), Newton %.2f s; total %.2f s\n",
			p.Engine, p.Train, p.Activity, p.FixedPoints, p.FPIters, p.FPKept, p.Newton, p.Total)
		if p.Torch != nil {
			fmt.Fprintf(w, "PyTorch, same compute: train %.2f s, fixed points %.2f s; total %.2f s\n", p.Torch.Train, p.Torch.FixedPoints, p.Torch.Total)
		}
	}
	torch := r.Torch.Status
	if r.Torch.Status == "ok" {
		torch = fmt.Sprintf("torch %s, %d threads, peak RSS %.0f MB", r.Torch.Version, r.Torch.Threads, r.Torch.PeakRSSMB)
	}
	fmt.Fprintf(w, "memory: peak RSS %.0f MB (Go mapped %.0f MB); PyTorch: %s\n", r.PeakRSSMB, r.GoHeapMB, torch)
	fmt.Fprintf(w, "load average before %s, after %s; %d CPUs (%s), %s\n", fmtLoad(r.Host.LoadBefore), fmtLoad(r.Host.LoadAfter),
		r.Host.NumCPU, r.Host.CPU, r.Host.GoVersion)
	if r.Scaling != nil {
		fmt.Fprintln(w)
		if _, err := io.WriteString(w, r.Scaling.Markdown()); err != nil {
			return err
		}
		if len(r.Scaling.Cells) > 0 {
			fmt.Fprintf(w, "\ntraining step per cell (median ms, B%d T%d):\n\n", CellBatch, CellSeqLen)
			_, err := io.WriteString(w, r.Scaling.CellsMarkdown())
			return err
		}
	}
	return nil
}

func fmtLoad(l [3]float64) string {
	s := make([]string, 3)
	for k, v := range l {
		s[k] = fmt.Sprintf("%.2f", v)
	}
	return strings.Join(s, " ")
}
