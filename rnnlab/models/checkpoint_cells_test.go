package models

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rnnlab/rnnlab/rnnlab/npz"
	"github.com/rnnlab/rnnlab/rnnlab/optim"
)

// TestCheckpointEveryCell saves every cell of the table with Adam's state
// and loads it back: the configuration (cell and options), the weights and
// the optimiser state come back bit for bit.
func TestCheckpointEveryCell(t *testing.T) {
	dir := t.TempDir()
	for k, cc := range cellCases() {
		p := perturbed(t, cc.cfg, uint64(k))
		var sizes []int
		for _, v := range p.Values {
			sizes = append(sizes, len(v))
		}
		st := optim.PyTorchAdam(1e-3).NewState(sizes...)
		grads := perturbed(t, cc.cfg, uint64(k+50)).Values
		for range 3 {
			if err := st.Update(p.Values, grads); err != nil {
				t.Fatal(err)
			}
		}
		path := filepath.Join(dir, strings.ReplaceAll(cc.name, "/", "_")+".npz")
		if err := SaveState(path, p, st, map[string]int{"k": k}); err != nil {
			t.Fatal(err)
		}
		q, qs, err := LoadState(path, nil)
		if err != nil {
			t.Fatalf("%s: %v", cc.name, err)
		}
		if q.Config != p.Config {
			t.Errorf("%s: config %+v, want %+v", cc.name, q.Config, p.Config)
		}
		requireSameParams(t, q, p)
		if qs == nil || qs.Step != 3 {
			t.Fatalf("%s: optimizer state %+v, want step 3", cc.name, qs)
		}
		for i := range st.M {
			if !slices.Equal(qs.M[i], st.M[i]) || !slices.Equal(qs.V[i], st.V[i]) {
				t.Errorf("%s: moments of %s differ", cc.name, p.ParamNames()[i])
			}
		}
		// A checkpoint without state loads with a nil state.
		if err := Save(path, p, nil); err != nil {
			t.Fatal(err)
		}
		if _, qs, err := LoadState(path, nil); err != nil || qs != nil {
			t.Errorf("%s: plain checkpoint gave state %v, err %v", cc.name, qs, err)
		}
	}
}

// TestCheckpointNumpyReadsCells checks with numpy that an LSTM checkpoint
// with Adam's state is a plain .npz: the weights and moments by name, with
// their shapes, and the cell in config.json.
func TestCheckpointNumpyReadsCells(t *testing.T) {
	py := "/usr/bin/python3"
	if err := exec.Command(py, "-c", "import numpy").Run(); err != nil {
		const how = "numpy is not installed: run scripts/setup.sh (or apt-get install python3-numpy)"
		if os.Getenv("CI") == "true" {
			t.Fatal(how + "; CI must run this test")
		}
		t.Skip(how)
	}
	cfg := Config{Cell: CellLSTM, NumInput: 3, NumHidden: 8, NumOutput: 3, Dt: 100, Tau: 100}
	p := testParams(t, cfg, 1)
	st := optim.PyTorchAdam(1e-3).NewState(cfg.sizes()...)
	st.Step = 7
	path := filepath.Join(t.TempDir(), "lstm.npz")
	if err := SaveState(path, p, st, nil); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(py, "-c", `
import numpy as np, json, sys
f = np.load(sys.argv[1])
assert f["w_ih"].shape == (3, 32) and f["w_hh"].shape == (8, 32) and f["b_hh"].shape == (32,), f.files
assert f["adam_m.w_ih"].shape == (3, 32) and f["adam_v.w_ro"].shape == (8, 3), f.files
c = json.loads(f["config.json"])
assert c["model"]["cell"] == "lstm" and c["optimizer"]["step"] == 7, c
print("ok")`, path).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "ok") {
		t.Fatalf("numpy could not read the checkpoint: %v\n%s", err, out)
	}
}

// TestCheckpointV1CellMismatch checks that an old-format file claiming a
// cell other than ctrnn is refused in one line naming the file.
func TestCheckpointV1CellMismatch(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "ctrnn_v1.npz"))
	if err != nil {
		t.Skip("no v1 checkpoint in testdata")
	}
	if _, _, err := decodeCheckpoint("old.npz", data, nil); err != nil {
		t.Fatalf("the v1 checkpoint no longer loads: %v", err)
	}
	p := testParams(t, Config{Cell: CellGRU, NumInput: 3, NumHidden: 4, NumOutput: 3, Dt: 100, Tau: 100}, 1)
	w := npz.NewWriter()
	for i, name := range p.ParamNames() {
		if err := w.Add(name, p.Shapes()[i], p.Values[i]); err != nil {
			t.Fatal(err)
		}
	}
	js, _ := json.Marshal(checkpointJSON{Format: checkpointFormatV1, Model: p.Config})
	if err := w.AddRaw(ConfigMember, js); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := w.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	_, _, err = decodeCheckpoint("gru.npz", buf.Bytes(), nil)
	if err == nil || !strings.Contains(err.Error(), "gru.npz") || !strings.Contains(err.Error(), "holds ctrnn networks only") || strings.Contains(err.Error(), "\n") {
		t.Errorf("error %v", err)
	}
}
