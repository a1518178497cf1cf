package bench

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// TorchScript is the PyTorch reference script (torch_ref.py), run by Run
// with Options.Python.
//
//go:embed torch_ref.py
var TorchScript []byte

// torchResult is what the script prints.
type torchResult struct {
	Version   string         `json:"torch_version"`
	Threads   int            `json:"threads"`
	PeakRSSKB float64        `json:"peak_rss_kb"`
	TrainMs   []float64      `json:"train_step_ms"`
	FPMs      []float64      `json:"fp_step_ms"`
	Pipeline  *TorchPipeline `json:"pipeline"`
	// Cells and ScalingCells answer the job's "cells" and scaling "cells".
	Cells        []torchCell `json:"cells"`
	ScalingCells []torchCell `json:"scaling_cells"`
	// MultitaskMs answers the job's "multitask" (MultitaskRow).
	MultitaskMs []float64 `json:"multitask_ms"`
	Train       []struct {
		Hidden int       `json:"hidden"`
		Batch  int       `json:"batch"`
		Seq    int       `json:"seq"`
		Ms     []float64 `json:"ms"`
	} `json:"scaling_train"`
	FP []struct {
		Candidates int       `json:"candidates"`
		Ms         []float64 `json:"ms"`
	} `json:"scaling_fp"`
}

// TorchAvailable reports whether python can import torch, with the reason
// when it cannot.
func TorchAvailable(ctx context.Context, python string) error {
	if python == "" {
		python = DefaultPython
	}
	if _, err := os.Stat(python); err != nil {
		return fmt.Errorf("%s not found", python)
	}
	out, err := exec.CommandContext(ctx, python, "-c", "import torch").CombinedOutput()
	if err != nil {
		msg := strings.TrimSpace(string(out))
		if i := strings.LastIndex(msg, "\n"); i >= 0 {
			msg = msg[i+1:]
		}
		if msg == "" {
			msg = err.Error()
		}
		return fmt.Errorf("torch cannot be imported by %s (%s); on Debian: apt-get install python3-torch", python, msg)
	}
	return nil
}

// runTorch runs the reference script on job and decodes its output.
func runTorch(ctx context.Context, o Options, job map[string]any) (*torchResult, error) {
	if err := TorchAvailable(ctx, o.Python); err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "rnnlab-bench-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	script := filepath.Join(dir, "torch_ref.py")
	if err := os.WriteFile(script, TorchScript, 0o644); err != nil {
		return nil, err
	}
	arg, err := json.Marshal(job)
	if err != nil {
		return nil, err
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, o.Python, script, string(arg))
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if len(msg) > 400 {
			msg = "..." + msg[len(msg)-400:]
		}
		return nil, fmt.Errorf("reference script failed: %v: %s", err, msg)
	}
	var res torchResult
	if err := json.Unmarshal(bytes.TrimSpace(stdout.Bytes()), &res); err != nil {
		return nil, fmt.Errorf("reference script output: %w", err)
	}
	if len(res.TrainMs) == 0 || len(res.FPMs) == 0 {
		return nil, errors.New("reference script output lacks timings")
	}
	return &res, nil
}
