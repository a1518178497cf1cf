package main

import (
	"io"
	"strings"
)

func init() {
	tutorials["multitask"] = tutorialCmd{
		synopsis: "Yang et al. 2019's twenty tasks: the shipped network's task variance, clusters, FTV and lesions (rnnlab multitask analyze)",
		run:      runMultitaskTutorial,
	}
}

// runMultitaskTutorial is notebooks/multitask.ipynb as a command: the
// analysis of the shipped network (multitask.ShippedCheckpoint) with its
// figures and report.html, exactly rnnlab multitask analyze without --run
// (whose flags it takes; --out is required here, as for every tutorial).
func runMultitaskTutorial(args []string, stdout io.Writer) error {
	for _, a := range args {
		if a == "-h" || a == "-help" || a == "--help" {
			return runMultitaskAnalyze(args, stdout, io.Discard)
		}
	}
	hasOut := false
	for _, a := range args {
		if a == "--out" || a == "-out" || strings.HasPrefix(a, "--out=") || strings.HasPrefix(a, "-out=") {
			hasOut = true
		}
	}
	if !hasOut {
		return usagef("--out is required (the folder for the figures and report.html)")
	}
	return runMultitaskAnalyze(args, stdout, io.Discard)
}
