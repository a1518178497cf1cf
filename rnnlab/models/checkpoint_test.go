package models

import (
	"encoding/json"
	"errors"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rnnlab/rnnlab/rnnlab/npz"
)

type testMeta struct {
	Task  string             `json:"task"`
	Seed  uint64             `json:"seed"`
	Steps int                `json:"steps"`
	Acc   map[string]float64 `json:"acc"`
}

func TestCheckpointRoundTrip(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "model.npz")
	cfg := DefaultConfig()
	cfg.Tau = 200
	p := testParams(t, cfg, 42)
	p.Values[4][1] = math.Float32frombits(0x80000001) // exotic values survive too (a negative subnormal)
	meta := testMeta{Task: "PerceptualDecisionMaking-v0", Seed: 42, Steps: 1500, Acc: map[string]float64{"final": 0.89}}
	if err := Save(path, p, meta); err != nil {
		t.Fatal(err)
	}
	var got testMeta
	q, err := Load(path, &got)
	if err != nil {
		t.Fatal(err)
	}
	requireSameParams(t, q, p)
	if got.Task != meta.Task || got.Seed != meta.Seed || got.Steps != meta.Steps || got.Acc["final"] != 0.89 {
		t.Errorf("metadata %+v, want %+v", got, meta)
	}
	// The archive holds exactly the documented members, with numpy shapes.
	f, err := npz.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for i, name := range DefaultConfig().ParamNames() {
		a := f.Arrays[name]
		if _, ok := a.Data.([]float32); !ok || len(a.Shape) != len(p.Shapes()[i]) {
			t.Errorf("%s: %T shape %v", name, a.Data, a.Shape)
		}
	}
	var doc map[string]any
	if err := json.Unmarshal(f.Raw[ConfigMember], &doc); err != nil {
		t.Fatal(err)
	}
	if doc["model"].(map[string]any)["num_hidden"].(float64) != 64 {
		t.Errorf("config.json: %v", doc)
	}
	// nil metadata, raw metadata.
	if err := Save(path, p, nil); err != nil {
		t.Fatal(err)
	}
	var raw json.RawMessage
	if _, err := Load(path, &raw); err != nil || len(raw) != 0 {
		t.Errorf("nil meta: raw %q, err %v", raw, err)
	}
	// No temporary files are left behind.
	ents, _ := os.ReadDir(dir)
	if len(ents) != 1 {
		t.Errorf("folder holds %d entries, want only model.npz", len(ents))
	}
}

// writeNpz writes an archive built by fn.
func writeNpz(t *testing.T, path string, fn func(w *npz.Writer)) {
	t.Helper()
	w := npz.NewWriter()
	fn(w)
	if err := w.WriteFile(path); err != nil {
		t.Fatal(err)
	}
}

func TestCheckpointErrors(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.npz")
	p := testParams(t, DefaultConfig(), 1)
	if err := Save(good, p, map[string]int{"steps": 3}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	cfgJSON := func(c Config) []byte {
		b, _ := json.Marshal(checkpointJSON{Format: checkpointFormat, Model: c})
		return b
	}
	addAll := func(w *npz.Writer, skip string) {
		for i, name := range DefaultConfig().ParamNames() {
			if name != skip {
				w.Add(name, p.Shapes()[i], p.Tensors()[i])
			}
		}
	}
	cases := []struct {
		name, want string
		make       func(path string)
	}{
		{"truncated", "zip", func(path string) { os.WriteFile(path, data[:len(data)/2], 0o644) }},
		{"corrupt", "corrupt", func(path string) {
			bad := append([]byte(nil), data...)
			// Flip bytes inside the first member's compressed data.
			for i := 60; i < 90; i++ {
				bad[i] ^= 0x5a
			}
			os.WriteFile(path, bad, 0o644)
		}},
		{"not a zip", "zip", func(path string) { os.WriteFile(path, []byte("hello"), 0o644) }},
		{"missing array", "array b_ro is missing", func(path string) {
			writeNpz(t, path, func(w *npz.Writer) { addAll(w, "b_ro"); w.AddRaw(ConfigMember, cfgJSON(p.Config)) })
		}},
		{"wrong dtype", "want float32", func(path string) {
			writeNpz(t, path, func(w *npz.Writer) {
				addAll(w, "w_ir")
				w.Add("w_ir", []int{3, 64}, make([]float64, 3*64))
				w.AddRaw(ConfigMember, cfgJSON(p.Config))
			})
		}},
		{"shape mismatch", "array w_rr has shape [64 32]", func(path string) {
			writeNpz(t, path, func(w *npz.Writer) {
				addAll(w, "w_rr")
				w.Add("w_rr", []int{64, 32}, make([]float32, 64*32))
				w.AddRaw(ConfigMember, cfgJSON(p.Config))
			})
		}},
		{"config of another size", "has shape", func(path string) {
			c := p.Config
			c.NumHidden = 32
			writeNpz(t, path, func(w *npz.Writer) { addAll(w, ""); w.AddRaw(ConfigMember, cfgJSON(c)) })
		}},
		{"missing config", "config.json is missing", func(path string) {
			writeNpz(t, path, func(w *npz.Writer) { addAll(w, "") })
		}},
		{"bad json", "not valid JSON", func(path string) {
			writeNpz(t, path, func(w *npz.Writer) { addAll(w, ""); w.AddRaw(ConfigMember, []byte("{")) })
		}},
		{"invalid config", "num_hidden", func(path string) {
			writeNpz(t, path, func(w *npz.Writer) {
				addAll(w, "")
				w.AddRaw(ConfigMember, cfgJSON(Config{NumInput: 3, Dt: 1, Tau: 1, NumOutput: 3}))
			})
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "_")+".npz")
			c.make(path)
			_, err := Load(path, nil)
			if err == nil {
				t.Fatal("want an error")
			}
			if !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q should name %s and contain %q", err, path, c.want)
			}
		})
	}
	// Metadata of the wrong type.
	var wrong string
	if _, err := Load(good, &wrong); err == nil || !strings.Contains(err.Error(), "metadata") {
		t.Errorf("metadata into a string: err %v", err)
	}
	// A missing file.
	if _, err := Load(filepath.Join(dir, "nope.npz"), nil); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: err %v, want fs.ErrNotExist", err)
	}
	// A failed Save leaves the previous checkpoint alone.
	bad := p.Clone()
	bad.Values[1] = bad.Values[1][:10]
	if err := Save(good, bad, nil); err == nil {
		t.Error("saving inconsistent params: want an error")
	}
	if err := Save(good, p, func() {}); err == nil {
		t.Error("unmarshalable metadata: want an error")
	}
	if _, err := Load(good, nil); err != nil {
		t.Errorf("previous checkpoint damaged: %v", err)
	}
	if err := Save(filepath.Join(dir, "no", "such", "dir.npz"), p, nil); err == nil {
		t.Error("saving into a missing folder: want an error")
	}
}

// TestCheckpointMaskRoundTrip saves a CTRNN with a connectivity mask and
// loads it back: the mask comes back bit for bit as array mask_rr, the
// network computes the same; a checkpoint without a mask has no mask_rr.
func TestCheckpointMaskRoundTrip(t *testing.T) {
	dir := t.TempDir()
	cfg := DefaultConfig()
	p := testParams(t, cfg, 7)
	p.Mask = randomMask(cfg.NumHidden, 3)
	path := filepath.Join(dir, "masked.npz")
	if err := Save(path, p, nil); err != nil {
		t.Fatal(err)
	}
	f, err := npz.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if a, ok := f.Arrays[MaskMember]; !ok || len(a.Shape) != 2 || a.Shape[0] != cfg.NumHidden || a.Shape[1] != cfg.NumHidden {
		t.Fatalf("array %s missing or of the wrong shape: %+v", MaskMember, a.Shape)
	}
	q, err := Load(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	requireSameParams(t, q, p)
	if len(q.Mask) != len(p.Mask) {
		t.Fatalf("loaded mask has %d values, want %d", len(q.Mask), len(p.Mask))
	}
	for i := range p.Mask {
		if math.Float32bits(q.Mask[i]) != math.Float32bits(p.Mask[i]) {
			t.Fatalf("mask[%d] = %v, want %v", i, q.Mask[i], p.Mask[i])
		}
	}
	x := make([]float32, cfg.NumInput)
	x[0] = 1
	s, a, b := make([]float32, cfg.NumHidden), make([]float32, cfg.NumHidden), make([]float32, cfg.NumHidden)
	for i := range s {
		s[i] = float32(i%5) * 0.1
	}
	p.Step(x, s, a)
	q.Step(x, s, b)
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("Step differs at %d after the round trip: %v, %v", i, b[i], a[i])
		}
	}
	unmasked := p.Clone()
	unmasked.Mask = nil
	unmasked.Step(x, s, b)
	same := true
	for i := range a {
		same = same && a[i] == b[i]
	}
	if same {
		t.Error("the mask changes nothing in Step")
	}
	plain := filepath.Join(dir, "plain.npz")
	if err := Save(plain, unmasked, nil); err != nil {
		t.Fatal(err)
	}
	if f, err := npz.ReadFile(plain); err != nil || f.Arrays[MaskMember].Data != nil {
		t.Fatalf("an unmasked checkpoint has %s (err %v)", MaskMember, err)
	}
	if r, err := Load(plain, nil); err != nil || r.Mask != nil {
		t.Fatalf("an unmasked checkpoint loads with mask %v (err %v)", r.Mask, err)
	}
	bad := testParams(t, Config{Cell: CellGRU, NumInput: 2, NumHidden: 3, NumOutput: 2, Dt: 20, Tau: 100}, 1)
	bad.Mask = make([]float32, 9)
	if err := Save(filepath.Join(dir, "bad.npz"), bad, nil); err == nil || !strings.Contains(err.Error(), "connectivity mask needs cell ctrnn") {
		t.Errorf("saving a masked gru: error %v", err)
	}
}
