// Package npz reads and writes NumPy .npz archives of n-dimensional arrays,
// so that numpy (np.load) and rnnlab share files.
//
// An .npz file is a zip archive whose members NAME.npy each hold one array in
// the .npy format: magic, header dict, raw data. Members that are not .npy
// files (a JSON document, say) are kept as raw bytes; np.load returns them as
// bytes.
//
// The Writer writes format version 1.0, little-endian, C order, deflated
// members. The reader takes what numpy writes: np.savez and
// np.savez_compressed archives (stored or deflated members), format versions
// 1.0, 2.0 and 3.0, C or Fortran order (returned in C order) and either byte
// order ('<', '>', or '|' for one-byte types). Anything else is an error
// naming the member and the unsupported thing, and a file whose headers lie
// about its sizes is an error too, never a huge allocation.
//
// Supported element types: float32 (f4), float64 (f8), int32 (i4),
// int64 (i8), uint8 (u1), bool (b1), complex64 (c8), complex128 (c16).
package npz

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"strings"

	"github.com/rnnlab/rnnlab/rnnlab/atomicfile"
)

// Array is one n-dimensional array: its shape and its flat data in C order.
// Data is a slice of one of the supported element types.
type Array struct {
	Shape []int
	Data  any
}

func descrOf(data any) (string, int, error) {
	switch v := data.(type) {
	case []float32:
		return "<f4", len(v), nil
	case []float64:
		return "<f8", len(v), nil
	case []int32:
		return "<i4", len(v), nil
	case []int64:
		return "<i8", len(v), nil
	case []uint8:
		return "|u1", len(v), nil
	case []bool:
		return "|b1", len(v), nil
	case []complex64:
		return "<c8", len(v), nil
	case []complex128:
		return "<c16", len(v), nil
	}
	return "", 0, fmt.Errorf("npz: unsupported element type %T", data)
}

// checkShape reports a shape with a negative dimension or whose element
// count, computed without overflow, is not n.
func checkShape(shape []int, n int) error {
	count, fits := 1, true
	for _, d := range shape {
		if d < 0 {
			return fmt.Errorf("negative dimension in shape %v", shape)
		}
		if d == 0 {
			count = 0
		} else if count > n/d {
			fits = false
		} else {
			count *= d
		}
	}
	if count == 0 {
		fits = true // a zero dimension: no element, however large the others
	}
	if !fits || count != n {
		return fmt.Errorf("shape %v needs %s values, data has %d", shape, needBytes(shape, 1), n)
	}
	return nil
}

// encodeNpy writes a in the .npy v1.0 format.
func encodeNpy(w io.Writer, a Array) error {
	descr, n, err := descrOf(a.Data)
	if err != nil {
		return err
	}
	if err := checkShape(a.Shape, n); err != nil {
		return fmt.Errorf("npz: %w", err)
	}
	dims := make([]string, len(a.Shape))
	for i, d := range a.Shape {
		dims[i] = fmt.Sprint(d)
	}
	shape := "(" + strings.Join(dims, ", ")
	if len(dims) == 1 {
		shape += ","
	}
	shape += ")"
	hdr := fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': %s, }", descr, shape)
	// Pad so that magic(6)+version(2)+len(2)+header+'\n' is a multiple of 64.
	total := 10 + len(hdr) + 1
	hdr += strings.Repeat(" ", (64-total%64)%64) + "\n"
	var buf bytes.Buffer
	buf.WriteString("\x93NUMPY\x01\x00")
	binary.Write(&buf, binary.LittleEndian, uint16(len(hdr)))
	buf.WriteString(hdr)
	if _, err := w.Write(buf.Bytes()); err != nil {
		return err
	}
	if v, ok := a.Data.([]bool); ok {
		b := make([]byte, len(v))
		for i, x := range v {
			if x {
				b[i] = 1
			}
		}
		_, err := w.Write(b)
		return err
	}
	return binary.Write(w, binary.LittleEndian, a.Data)
}

// Writer collects arrays and raw members, then writes one .npz file.
type Writer struct {
	names  []string
	arrays map[string]Array
	raw    map[string][]byte
}

// NewWriter returns an empty Writer.
func NewWriter() *Writer {
	return &Writer{arrays: map[string]Array{}, raw: map[string][]byte{}}
}

func (w *Writer) addName(name string) error {
	if name == "" || strings.ContainsAny(name, "/\\") {
		return fmt.Errorf("npz: invalid member name %q", name)
	}
	if _, ok := w.arrays[name]; ok {
		return fmt.Errorf("npz: duplicate member %q", name)
	}
	if _, ok := w.raw[name]; ok {
		return fmt.Errorf("npz: duplicate member %q", name)
	}
	w.names = append(w.names, name)
	return nil
}

// Add adds the array NAME (stored as NAME.npy) with the given shape.
func (w *Writer) Add(name string, shape []int, data any) error {
	_, n, err := descrOf(data)
	if err != nil {
		return fmt.Errorf("npz: %s: %w", name, err)
	}
	if err := checkShape(shape, n); err != nil {
		return fmt.Errorf("npz: %s: %w", name, err)
	}
	if err := w.addName(name); err != nil {
		return err
	}
	w.arrays[name] = Array{Shape: append([]int(nil), shape...), Data: data}
	return nil
}

// AddRaw adds a member stored as is under the file name NAME (for example
// "config.json").
func (w *Writer) AddRaw(name string, data []byte) error {
	if err := w.addName(name); err != nil {
		return err
	}
	w.raw[name] = data
	return nil
}

// WriteTo writes the archive to out.
func (w *Writer) WriteTo(out io.Writer) (int64, error) {
	cw := &countWriter{w: out}
	zw := zip.NewWriter(cw)
	for _, name := range w.names {
		if a, ok := w.arrays[name]; ok {
			f, err := zw.CreateHeader(&zip.FileHeader{Name: name + ".npy", Method: zip.Deflate})
			if err != nil {
				return cw.n, err
			}
			if err := encodeNpy(f, a); err != nil {
				return cw.n, fmt.Errorf("npz: %s: %w", name, err)
			}
			continue
		}
		f, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate})
		if err != nil {
			return cw.n, err
		}
		if _, err := f.Write(w.raw[name]); err != nil {
			return cw.n, err
		}
	}
	err := zw.Close()
	return cw.n, err
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// WriteFile writes the archive to path atomically: it writes a temporary file
// in the same folder, syncs it and renames it over path, so a crash never
// leaves a half-written file at path nor destroys the previous one.
func (w *Writer) WriteFile(path string) error {
	var buf bytes.Buffer
	if _, err := w.WriteTo(&buf); err != nil {
		return err
	}
	return atomicfile.Write(path, buf.Bytes())
}
