package models

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"slices"

	"github.com/rnnlab/rnnlab/rnnlab/atomicfile"
	"github.com/rnnlab/rnnlab/rnnlab/finite"
	"github.com/rnnlab/rnnlab/rnnlab/npz"
	"github.com/rnnlab/rnnlab/rnnlab/optim"
)

// ConfigMember is the name of the JSON member of a checkpoint.
const ConfigMember = "config.json"

// checkpointJSON is the content of a checkpoint's config.json member.
type checkpointJSON struct {
	// Format identifies the file layout.
	Format string `json:"format"`
	// Model is the network configuration.
	Model Config `json:"model"`
	// Optimizer is Adam's step count when the checkpoint holds Adam's
	// moments (arrays adam_m.NAME and adam_v.NAME).
	Optimizer *optimizerJSON `json:"optimizer,omitempty"`
	// Meta is the caller's metadata (task options, seed, steps, metrics...).
	Meta json.RawMessage `json:"meta,omitempty"`
}

// optimizerJSON is the scalar part of Adam's saved state.
type optimizerJSON struct {
	Step int `json:"step"`
}

// checkpointFormat is the value of config.json's "format" field.
// checkpointFormatV1 is the format of the CTRNN-only checkpoints written
// before cells had options; they still load (as ctrnn networks).
const (
	checkpointFormat   = "rnnlab-v2"
	checkpointFormatV1 = "rnnlab-ctrnn-v1"
)

// MaskMember is the name of the (H,H) array holding a fixed connectivity
// mask (Params.Mask, CellOptions.Mask: the CTRNN) in a checkpoint; absent
// without a mask.
const MaskMember = "mask_rr"

// Names of the arrays of Adam's moments of parameter name.
func adamM(name string) string { return "adam_m." + name }
func adamV(name string) string { return "adam_v." + name }

// Save writes p and the caller's metadata meta to path as one NumPy .npz
// archive:
//
//   - the parameters as float32 .npy arrays named by Config.ParamNames
//     (for the CTRNN: w_ir (I,H), w_rr (H,H), b_rr (H,), w_ro (H,O),
//     b_ro (O,); rows = inputs, as in BrainPy's x @ W);
//   - a CTRNN's connectivity mask (Params.Mask), when present, as the
//     float32 (H,H) array mask_rr (MaskMember);
//   - config.json, a JSON document {"format": "rnnlab-v2", "model": Config,
//     "meta": meta}: the model names the cell and every option (np.load
//     returns it as raw bytes).
//
// Every value must be finite: a NaN or Inf in a parameter, the mask or
// Adam's moments is an error naming the array and the element (see package
// finite), and nothing is written. meta may be nil or anything
// encoding/json can marshal. The file is written
// atomically (a synced temporary file in the same folder, then a rename), so
// a crash during Save never destroys an existing checkpoint at path.
func Save(path string, p *Params, meta any) error {
	return SaveState(path, p, nil, meta)
}

// SaveState is Save with Adam's state: when st is not nil its moments are
// stored as arrays adam_m.NAME and adam_v.NAME (same shapes as the
// parameters) and its step in config.json's "optimizer", so that training
// can resume exactly (LoadState).
func SaveState(path string, p *Params, st *optim.State, meta any) error {
	data, err := encodeCheckpoint(p, st, meta)
	if err != nil {
		return fmt.Errorf("models: save %s: %w", path, err)
	}
	if err := atomicfile.Write(path, data); err != nil {
		return fmt.Errorf("models: save: %w", err)
	}
	return nil
}

// encodeCheckpoint returns the .npz bytes that Save writes.
func encodeCheckpoint(p *Params, st *optim.State, meta any) ([]byte, error) {
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
	if st != nil {
		if len(st.M) != len(p.Values) || len(st.V) != len(p.Values) {
			return nil, fmt.Errorf("optimizer state has %d and %d moment slots for %d parameters", len(st.M), len(st.V), len(p.Values))
		}
		for i, v := range p.Values {
			if len(st.M[i]) != len(v) || len(st.V[i]) != len(v) {
				return nil, fmt.Errorf("optimizer moments of %s have %d and %d values, want %d", p.ParamNames()[i], len(st.M[i]), len(st.V[i]), len(v))
			}
		}
		doc.Optimizer = &optimizerJSON{Step: st.Step}
	}
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
	if err := CheckFinite(p, st); err != nil {
		return nil, err
	}
	w := npz.NewWriter()
	shapes, names := p.Shapes(), p.ParamNames()
	for i, t := range p.Values {
		if err := w.Add(names[i], shapes[i], t); err != nil {
			return nil, err
		}
		if st == nil {
			continue
		}
		if err := w.Add(adamM(names[i]), shapes[i], st.M[i]); err != nil {
			return nil, err
		}
		if err := w.Add(adamV(names[i]), shapes[i], st.V[i]); err != nil {
			return nil, err
		}
	}
	if p.Mask != nil {
		if err := w.Add(MaskMember, []int{p.NumHidden, p.NumHidden}, p.Mask); err != nil {
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
// configuration, a missing array, an array that is not float32, a shape
// that does not match the configuration, or a value that is not finite in
// a parameter, the mask or Adam's moments ("w_rr[3,17] is NaN", the first
// one in C order; see package finite). Arrays may be in either byte
// order and in C or Fortran order, as numpy writes them, so a checkpoint
// edited and saved again with numpy loads too.
func Load(path string, meta any) (*Params, error) {
	p, _, err := LoadState(path, meta)
	return p, err
}

// LoadState is Load that also returns Adam's state when the checkpoint
// holds one (SaveState), else nil. The state's Adam settings are left zero:
// the caller sets them (they belong to the run, not the file).
func LoadState(path string, meta any) (*Params, *optim.State, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("models: load checkpoint: %w", err)
	}
	return decodeCheckpoint(path, data, meta)
}

// decodeCheckpoint reads the checkpoint bytes data; path is only for errors.
func decodeCheckpoint(path string, data []byte, meta any) (*Params, *optim.State, error) {
	fail := func(format string, args ...any) (*Params, *optim.State, error) {
		return nil, nil, fmt.Errorf("models: load checkpoint %s: %s", path, fmt.Sprintf(format, args...))
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
	switch {
	case doc.Format == checkpointFormatV1 && doc.Model.Cell != "":
		return fail("%s: format %q holds ctrnn networks only, not %q", ConfigMember, doc.Format, doc.Model.Cell)
	case doc.Format != checkpointFormat && doc.Format != checkpointFormatV1:
		return fail("%s: format %q, want %q (or the older %q)", ConfigMember, doc.Format, checkpointFormat, checkpointFormatV1)
	}
	if err := doc.Model.Validate(); err != nil {
		return fail("%s: %v", ConfigMember, err)
	}
	p := &Params{Config: doc.Model}
	array := func(name string, want []int) ([]float32, error) {
		a, ok := f.Arrays[name]
		if !ok {
			return nil, fmt.Errorf("array %s is missing", name)
		}
		data, ok := a.Data.([]float32)
		if !ok {
			return nil, fmt.Errorf("array %s has element type %T, want float32", name, a.Data)
		}
		if !slices.Equal(a.Shape, want) {
			return nil, fmt.Errorf("array %s has shape %v, want %v for the stored config %+v", name, a.Shape, want, doc.Model)
		}
		if err := finite.Check(name, want, data); err != nil {
			return nil, err
		}
		return data, nil
	}
	var st *optim.State
	if doc.Optimizer != nil {
		if doc.Optimizer.Step < 0 {
			return fail("%s: optimizer step %d is negative", ConfigMember, doc.Optimizer.Step)
		}
		st = &optim.State{Step: doc.Optimizer.Step}
	}
	names := p.ParamNames()
	for i, want := range p.Shapes() {
		v, err := array(names[i], want)
		if err != nil {
			return fail("%v", err)
		}
		p.Values = append(p.Values, v)
		if st == nil {
			continue
		}
		m, err := array(adamM(names[i]), want)
		if err != nil {
			return fail("%v", err)
		}
		vv, err := array(adamV(names[i]), want)
		if err != nil {
			return fail("%v", err)
		}
		st.M, st.V = append(st.M, m), append(st.V, vv)
	}
	if _, ok := f.Arrays[MaskMember]; ok {
		if err := p.Config.maskAllowed(); err != nil {
			return fail("array %s: %v", MaskMember, err)
		}
		m, err := array(MaskMember, []int{p.NumHidden, p.NumHidden})
		if err != nil {
			return fail("%v", err)
		}
		p.Mask = m
	}
	if meta != nil && len(doc.Meta) > 0 {
		if err := json.Unmarshal(doc.Meta, meta); err != nil {
			return fail("metadata does not decode into %T: %v", meta, err)
		}
	}
	return p, st, nil
}

// CheckFinite returns nil when every value of p's parameters, of its mask
// and of st's moments (when st is not nil) is finite, else finite.Check's
// one-line error for the first that is not, in the order of
// Config.ParamNames (each parameter, then adam_m.NAME and adam_v.NAME),
// then the mask: "w_rr[3,17] is NaN". The moments must have the
// parameters' lengths.
func CheckFinite(p *Params, st *optim.State) error {
	shapes, names := p.Shapes(), p.ParamNames()
	for i, v := range p.Values {
		if err := finite.Check(names[i], shapes[i], v); err != nil {
			return err
		}
		if st == nil {
			continue
		}
		if err := finite.Check(adamM(names[i]), shapes[i], st.M[i]); err != nil {
			return err
		}
		if err := finite.Check(adamV(names[i]), shapes[i], st.V[i]); err != nil {
			return err
		}
	}
	if p.Mask != nil {
		return finite.Check(MaskMember, []int{p.NumHidden, p.NumHidden}, p.Mask)
	}
	return nil
}
