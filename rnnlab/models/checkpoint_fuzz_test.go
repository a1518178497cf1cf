package models

import (
	"bytes"
	"encoding/json"
	"flag"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rnnlab/rnnlab/rnnlab/npz"
)

var updateTestdata = flag.Bool("update", false, "rewrite testdata/ctrnn_v1.npz with Save")

// The committed checkpoint: written by Save from testdataParams with
// testdataMeta (go test -run TestCheckpointTestdata -update rewrites it).
// testdata/ctrnn_numpy_resaved.npz is the same checkpoint loaded and saved
// again with numpy (testdata/resave_with_numpy.py): arrays in Fortran order
// and big-endian, config.json copied as is.
var (
	testdataConfig = Config{NumInput: 3, NumHidden: 8, NumOutput: 3, Dt: 20, Tau: 100}
	testdataMeta   = map[string]any{"task": "PerceptualDecisionMaking-v0", "seed": 7.0, "steps": 12.0}
)

func testdataParams(t testing.TB) *Params { return testParams(t, testdataConfig, 7) }

// TestCheckpointTestdata loads the committed checkpoints: files from
// earlier builds keep loading, with the same bits.
func TestCheckpointTestdata(t *testing.T) {
	want := testdataParams(t)
	path := filepath.Join("testdata", "ctrnn_v1.npz")
	if *updateTestdata {
		if err := Save(path, want, testdataMeta); err != nil {
			t.Fatal(err)
		}
	}
	for _, file := range []string{"ctrnn_v1.npz", "ctrnn_numpy_resaved.npz"} {
		var meta map[string]any
		got, err := Load(filepath.Join("testdata", file), &meta)
		if err != nil {
			t.Fatal(err)
		}
		requireSameParams(t, got, want)
		if meta["task"] != testdataMeta["task"] || meta["seed"] != 7.0 || meta["steps"] != 12.0 {
			t.Errorf("%s: metadata %v, want %v", file, meta, testdataMeta)
		}
	}
}

// requireSameParams fails unless p and q have the same config and the same
// bits in every tensor.
func requireSameParams(t *testing.T, p, q *Params) {
	t.Helper()
	if p.Config != q.Config {
		t.Fatalf("config %+v, want %+v", p.Config, q.Config)
	}
	for i, a := range p.Tensors() {
		b := q.Tensors()[i]
		if len(a) != len(b) {
			t.Fatalf("%s: %d values, want %d", DefaultConfig().ParamNames()[i], len(a), len(b))
		}
		for j := range a {
			if math.Float32bits(a[j]) != math.Float32bits(b[j]) {
				t.Fatalf("%s[%d] = %v, want %v", DefaultConfig().ParamNames()[i], j, a[j], b[j])
			}
		}
	}
}

// checkLoaded is the property of every checkpoint that loads: a valid
// configuration, every tensor of the shape the model needs, and the same
// network and metadata after Save and Load again.
func checkLoaded(t *testing.T, p *Params, meta json.RawMessage) {
	t.Helper()
	if err := p.Config.Validate(); err != nil {
		t.Fatalf("loaded an invalid config: %v", err)
	}
	if err := p.CheckShapes(); err != nil {
		t.Fatalf("loaded tensors of the wrong shape: %v", err)
	}
	if p.NumInput*p.NumHidden != len(p.Values[0]) || p.NumHidden*p.NumHidden != len(p.Values[1]) || p.NumHidden*p.NumOutput != len(p.Values[3]) {
		t.Fatalf("shape products overflow: config %+v", p.Config)
	}
	var m any
	if len(meta) > 0 {
		m = meta
	}
	data, err := encodeCheckpoint(p, nil, m)
	if err != nil {
		t.Fatalf("a loaded checkpoint does not save: %v", err)
	}
	var meta2 json.RawMessage
	q, _, err := decodeCheckpoint("again.npz", data, &meta2)
	if err != nil {
		t.Fatalf("a saved checkpoint does not load: %v", err)
	}
	requireSameParams(t, q, p)
	var a, b bytes.Buffer
	json.Compact(&a, meta)
	json.Compact(&b, meta2)
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Fatalf("metadata %s came back as %s", a.Bytes(), b.Bytes())
	}
}

// checkLoadError requires a one-line error that names the file.
func checkLoadError(t *testing.T, err error, path string) {
	t.Helper()
	msg := err.Error()
	if strings.ContainsAny(msg, "\n\r") || !strings.Contains(msg, path) {
		t.Fatalf("error is not one line naming %s: %q", path, msg)
	}
}

// FuzzLoad feeds arbitrary bytes to the checkpoint loader. Seeds: the
// committed checkpoints (one written by Save, one re-saved by numpy) and
// fresh ones from Save. Load must never panic; an error is one line naming
// the file; a checkpoint that loads satisfies checkLoaded (valid config,
// tensors of the needed shapes, Save -> Load gives the same bits and
// metadata), and decoding into typed metadata never panics either.
func FuzzLoad(f *testing.F) {
	for _, file := range []string{"ctrnn_v1.npz", "ctrnn_numpy_resaved.npz"} {
		b, err := os.ReadFile(filepath.Join("testdata", file))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	small, err := NewParams(Config{NumInput: 1, NumHidden: 2, NumOutput: 1, Dt: 1, Tau: 1}, 1)
	if err != nil {
		f.Fatal(err)
	}
	for _, meta := range []any{nil, map[string]int{"steps": 3}} {
		b, err := encodeCheckpoint(small, nil, meta)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	const path = "fuzz.npz"
	f.Fuzz(func(t *testing.T, data []byte) {
		var meta json.RawMessage
		p, _, err := decodeCheckpoint(path, data, &meta)
		if err != nil {
			checkLoadError(t, err, path)
			return
		}
		checkLoaded(t, p, meta)
		var typed struct {
			Task  string
			Steps int
			Acc   map[string]float64
		}
		if _, _, err := decodeCheckpoint(path, data, &typed); err != nil {
			checkLoadError(t, err, path)
		}
	})
}

// FuzzCheckpointConfig fuzzes the config.json member of a checkpoint whose
// arrays are well formed, with shapes (i, h, o) chosen by the fuzzer too.
// Loading must never panic; errors are one line naming the file; a
// checkpoint that loads has a config that matches its arrays
// (checkLoaded), and that config is the one config.json spells.
func FuzzCheckpointConfig(f *testing.F) {
	tb, err := os.ReadFile(filepath.Join("testdata", "ctrnn_v1.npz"))
	if err != nil {
		f.Fatal(err)
	}
	tf, err := npz.Decode(tb)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(tf.Raw[ConfigMember], uint8(3), uint8(8), uint8(3))
	f.Add([]byte(`{"format":"rnnlab-ctrnn-v1","model":{"num_input":1,"num_hidden":2,"num_output":1,"dt":1,"tau":1}}`), uint8(1), uint8(2), uint8(1))
	f.Add([]byte(`{"format":"rnnlab-ctrnn-v1","model":{"num_input":2,"num_hidden":3,"num_output":4,"dt":1e-300,"tau":1e300},"meta":[1,"x",{"y":null}]}`), uint8(2), uint8(3), uint8(4))
	f.Add([]byte(`{"format":"rnnlab-ctrnn-v1","MODEL":{"Num_Input":1,"num_hidden":1,"num_output":1,"dt":1,"tau":1,"dt":2}}`), uint8(1), uint8(1), uint8(1))
	f.Add([]byte(`{"format":"rnnlab-ctrnn-v1","model":{"num_input":4294967296,"num_hidden":4294967296,"num_output":1,"dt":1,"tau":1}}`), uint8(0), uint8(0), uint8(1))
	const path = "config.npz"
	f.Fuzz(func(t *testing.T, js []byte, i, h, o uint8) {
		I, H, O := int(i%9), int(h%17), int(o%9)
		w := npz.NewWriter()
		for k, shape := range (Config{NumInput: I, NumHidden: H, NumOutput: O}).Shapes() {
			n := 1
			for _, d := range shape {
				n *= d
			}
			vals := make([]float32, n)
			for j := range vals {
				vals[j] = float32(k*1000 + j)
			}
			if err := w.Add(DefaultConfig().ParamNames()[k], shape, vals); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.AddRaw(ConfigMember, js); err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if _, err := w.WriteTo(&buf); err != nil {
			t.Fatal(err)
		}
		var meta json.RawMessage
		p, _, err := decodeCheckpoint(path, buf.Bytes(), &meta)
		if err != nil {
			checkLoadError(t, err, path)
			return
		}
		if p.NumInput != I || p.NumHidden != H || p.NumOutput != O {
			t.Fatalf("config %+v loaded with arrays for (%d, %d, %d)", p.Config, I, H, O)
		}
		var doc checkpointJSON
		if err := json.Unmarshal(js, &doc); err != nil || doc.Model != p.Config {
			t.Fatalf("loaded config %+v, config.json says %+v (%v)", p.Config, doc.Model, err)
		}
		checkLoaded(t, p, meta)
	})
}
