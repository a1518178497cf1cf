package models

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"slices"

	"github.com/rnnlab/rnnlab/rnnlab/atomicfile"
	"github.com/rnnlab/rnnlab/rnnlab/npz"
)

// ConfigMember is the name of the JSON member of a checkpoint.
const ConfigMember = "config.json"

// checkpointJSON is the content of a checkpoint's config.json member.
type checkpointJSON struct {
	// Format identifies the file layout.
	Format string `json:"format"`
	// Model is the network configuration.
	Model Config `json:"model"`
	// Meta is the caller's metadata (task options, seed, steps, metrics...).
	Meta json.RawMessage `json:"meta,omitempty"`
}

// checkpointFormat is the value of config.json's "format" field.
const checkpointFormat = "rnnlab-ctrnn-v1"

// Save writes p and the caller's metadata meta to path as one NumPy .npz
// archive:
//
//   - w_ir (I,H), w_rr (H,H), b_rr (H,), w_ro (H,O), b_ro (O,) as float32
//     .npy arrays (rows = inputs, as in BrainPy's x @ W);
//   - config.json, a JSON document {"format": "rnnlab-ctrnn-v1",
//     "model": Config, "meta": meta} (np.load returns it as raw bytes).
//
// meta may be nil or anything encoding/json can marshal. The file is written
// atomically (a synced temporary file in the same folder, then a rename), so
// a crash during Save never destroys an existing checkpoint at path.
func Save(path string, p *Params, meta any) error {
	data, err := encodeCheckpoint(p, meta)
	if err != nil {
		return fmt.Errorf("models: save %s: %w", path, err)
	}
	if err := atomicfile.Write(path, data); err != nil {
		return fmt.Errorf("models: save: %w", err)
	}
	return nil
}

// encodeCheckpoint returns the .npz bytes that Save writes.
func encodeCheckpoint(p *Params, meta any) ([]byte, error) {
	if p == nil {
		return nil, fmt.Errorf("nil params")
	}
	if err := p.Config.Validate(); err != nil {
		return nil, err
	}
	if err := p.CheckShapes(); err != nil {
		return nil, err
	}
	doc := checkpointJSON{Format: checkpointFormat, Model: p.Config}
	if meta != nil {
		raw, err := json.Marshal(meta)
		if err != nil {
			return nil, fmt.Errorf("metadata: %w", err)
		}
		doc.Meta = raw
	}
	js, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, err
	}
	w := npz.NewWriter()
	shapes := p.Shapes()
	for i, t := range p.Tensors() {
		if err := w.Add(ParamNames[i], shapes[i], t); err != nil {
			return nil, err
		}
	}
	if err := w.AddRaw(ConfigMember, append(js, '\n')); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := w.WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Load reads a checkpoint written by Save. If meta is not nil, the stored
// metadata is decoded into it with encoding/json (pass a pointer, or a
// *json.RawMessage to keep it raw).
//
// Every problem gives a one-line error naming the file and what is wrong:
// not a readable zip archive (truncated, corrupt), a malformed or
// unsupported array, a missing or malformed config.json, an invalid model
// configuration, a missing array, an array that is not float32, or a shape
// that does not match the configuration. Arrays may be in either byte
// order and in C or Fortran order, as numpy writes them, so a checkpoint
// edited and saved again with numpy loads too.
func Load(path string, meta any) (*Params, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("models: load checkpoint: %w", err)
	}
	return decodeCheckpoint(path, data, meta)
}

// decodeCheckpoint reads the checkpoint bytes data; path is only for errors.
func decodeCheckpoint(path string, data []byte, meta any) (*Params, error) {
	fail := func(format string, args ...any) (*Params, error) {
		return nil, fmt.Errorf("models: load checkpoint %s: %s", path, fmt.Sprintf(format, args...))
	}
	f, err := npz.Decode(data)
	if err != nil {
		return fail("%v", err)
	}
	raw, ok := f.Raw[ConfigMember]
	if !ok {
		return fail("member %s is missing", ConfigMember)
	}
	var doc checkpointJSON
	if err := json.Unmarshal(raw, &doc); err != nil {
		return fail("%s is not valid JSON: %v", ConfigMember, err)
	}
	if doc.Format != checkpointFormat {
		return fail("%s: format %q, want %q", ConfigMember, doc.Format, checkpointFormat)
	}
	if err := doc.Model.Validate(); err != nil {
		return fail("%s: %v", ConfigMember, err)
	}
	p := &Params{Config: doc.Model}
	dst := []*[]float32{&p.WIr, &p.WRr, &p.BRr, &p.WRo, &p.BRo}
	for i, want := range p.Shapes() {
		name := ParamNames[i]
		a, ok := f.Arrays[name]
		if !ok {
			return fail("array %s is missing", name)
		}
		data, ok := a.Data.([]float32)
		if !ok {
			return fail("array %s has element type %T, want float32", name, a.Data)
		}
		if !slices.Equal(a.Shape, want) {
			return fail("array %s has shape %v, want %v for the stored config %+v", name, a.Shape, want, doc.Model)
		}
		*dst[i] = data
	}
	if meta != nil && len(doc.Meta) > 0 {
		if err := json.Unmarshal(doc.Meta, meta); err != nil {
			return fail("metadata does not decode into %T: %v", meta, err)
		}
	}
	return p, nil
}
