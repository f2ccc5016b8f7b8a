package toolmaker

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// WriteTable prints the LATM-style table: per task the accuracy, whether a
// tool was made (and in how many Maker replies), dispatch accuracy, the share
// of instances answered with no model call besides dispatch, and what making
// and using cost; then the total, the baseline when measured, the stream's
// throughput and the wrongly answered instances.
func (rep *EvalReport) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	width := len("total")
	for _, r := range rep.Tasks {
		width = max(width, len(r.Task))
	}
	base := rep.Total.BaselineAccuracy != nil
	head := fmt.Sprintf("%-*s\t", width, "task") + "n\ttool (replies)\taccuracy\tdispatch\tno model\tmake tokens\tmake $\tmake $/inst\tuse tokens/inst\tuse $/inst\tmaker\tuser\tdispatcher\t"
	if base {
		head += "maker direct\tdirect $/inst\t"
	}
	fmt.Fprintln(tw, head)
	line := func(r TaskReport) {
		made := "no"
		if r.ToolMade {
			made = "yes"
		}
		fmt.Fprintf(tw, "%-*s\t%d\t%s (%d)\t%s\t%s\t%s\t%d\t%.4f\t%.6f\t%.1f\t%.6f\t%d\t%d\t%d\t",
			width, r.Task, r.N, made, r.MakeReplies, pct(r.Accuracy), pct(r.DispatchAccuracy), pct(r.ZeroCallShare),
			r.MakeTokens, r.MakeCostUSD, r.MakeCostPerInstanceUSD, r.UseTokensPerInstance, r.UseCostPerInstanceUSD,
			r.MakerCalls, r.UserCalls, r.DispatcherCalls)
		if base {
			fmt.Fprintf(tw, "%s\t%.6f\t", pct(*r.BaselineAccuracy), r.BaselineCostPerInstUSD)
		}
		fmt.Fprintln(tw)
	}
	for _, r := range rep.Tasks {
		line(r)
	}
	line(rep.Total)
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\nmaking: %s; stream: %d instances in %s (%.0f instances/s)\n",
		rep.MakeDuration.Round(1e6), rep.Instances, rep.Duration.Round(1e6), rep.InstancesPerSecond)
	fmt.Fprintf(w, "cost: making %.4f USD once, using %.6f USD per instance; total %.4f USD\n",
		rep.Total.MakeCostUSD, rep.Total.UseCostPerInstanceUSD, rep.Total.CostUSD)
	if n := rep.Total.Errors; n > 0 {
		fmt.Fprintf(w, "%d requests failed (counted as wrong; see below)\n", n)
	}
	if rep.Scripted != "" {
		fmt.Fprintf(w, "scripted model (%s): no model was called; tokens are estimates, priced like the models it stands for\n", rep.Scripted)
	}
	for _, r := range rep.Tasks {
		if r.MakeError != "" {
			fmt.Fprintf(w, "\n%s: no tool: %s\n", r.Task, r.MakeError)
		}
		if len(r.Wrong) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s: %d wrong\n", r.Task, len(r.Wrong))
		for i, x := range r.Wrong {
			if i == 10 {
				fmt.Fprintf(w, "  ... and %d more\n", len(r.Wrong)-i)
				break
			}
			fmt.Fprintf(w, "  #%d (%s, routed to %q): expected %q, got %q: %s\n",
				x.Index, x.Path, x.Routed, x.Expected, x.Got, oneLine(x.Input, 120))
		}
	}
	return nil
}

// pct formats a share as a percentage.
func pct(x float64) string {
	return strings.TrimSuffix(fmt.Sprintf("%.1f", 100*x), ".0") + "%"
}
