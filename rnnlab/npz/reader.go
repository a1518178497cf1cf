package npz

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"os"
	"strings"
)

// File is the content of an .npz archive.
type File struct {
	// Arrays maps a member name without ".npy" to its array.
	Arrays map[string]Array
	// Raw maps the other members' file names to their bytes.
	Raw map[string][]byte
}

// ReadFile reads the .npz archive at path. Errors are one line naming the
// file, the member at fault and the problem.
func ReadFile(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	f, err := Decode(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return f, nil
}

// maxInflation bounds how many bytes one archive byte may decompress to:
// deflate's own limit is 1032, so only overlapping or lying members exceed
// it.
const maxInflation = 1100

// Decode reads an .npz archive from memory: members stored or deflated (as
// np.savez and np.savez_compressed write them), arrays in C or Fortran order
// and in either byte order. Fortran-order arrays are returned in C order.
//
// What Decode allocates is bounded by the data present, not by what headers
// claim: an array must have exactly the bytes its header describes, and all
// members together may decompress to at most 1100 bytes per archive byte
// (deflate gives at most 1032), so a header or zip directory that lies
// gives an error. A member is inflated only as far as its .npy header and
// the zip directory declare (plus one byte, to see that it goes on), so a
// small member that inflates to gigabytes is refused after what its header
// says, not after inflating it all.
func Decode(data []byte) (*File, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("not a valid .npz (zip) archive: %v", err)
	}
	out := &File{Arrays: map[string]Array{}, Raw: map[string][]byte{}}
	budget := int64(maxInflation)*int64(len(data)) + 1<<16
	seen := map[string]bool{}
	for _, zf := range zr.File {
		if seen[zf.Name] {
			return nil, fmt.Errorf("member %q appears twice", zf.Name)
		}
		seen[zf.Name] = true
		name, isNpy := strings.CutSuffix(zf.Name, ".npy")
		b, err := readMember(zf, isNpy, budget)
		if err != nil {
			return nil, err
		}
		budget -= int64(len(b))
		if !isNpy {
			out.Raw[zf.Name] = b
			continue
		}
		a, err := decodeNpy(b)
		if err != nil {
			return nil, fmt.Errorf("member %q: %v", zf.Name, err)
		}
		out.Arrays[name] = a
	}
	return out, nil
}

// dtype is a parsed .npy descr such as "<f4".
type dtype struct {
	descr string
	kind  byte // f, i, u, b or c
	size  int  // bytes per element
	order binary.ByteOrder
}

const supportedDtypes = "float32, float64, int32, int64, uint8, bool, complex64, complex128"

// parseDescr reads a descr string: a byte order ('<' little-endian, '>'
// big-endian, '|' not applicable, for one-byte types), a kind and a size.
func parseDescr(descr string) (dtype, error) {
	dt := dtype{descr: descr}
	if descr == "" {
		return dt, fmt.Errorf("empty dtype")
	}
	bo, rest := descr[0], descr[1:]
	switch bo {
	case '<', '>', '|', '=':
	default:
		bo, rest = 0, descr
	}
	switch rest {
	case "f4":
		dt.kind, dt.size = 'f', 4
	case "f8":
		dt.kind, dt.size = 'f', 8
	case "i4":
		dt.kind, dt.size = 'i', 4
	case "i8":
		dt.kind, dt.size = 'i', 8
	case "u1":
		dt.kind, dt.size = 'u', 1
	case "b1":
		dt.kind, dt.size = 'b', 1
	case "c8":
		dt.kind, dt.size = 'c', 8
	case "c16":
		dt.kind, dt.size = 'c', 16
	default:
		return dt, fmt.Errorf("unsupported dtype %q (supported: %s)", descr, supportedDtypes)
	}
	switch {
	case bo == '<':
		dt.order = binary.LittleEndian
	case bo == '>':
		dt.order = binary.BigEndian
	case dt.size == 1:
		dt.order = binary.LittleEndian // no byte order to speak of
	case bo == '|':
		return dt, fmt.Errorf("dtype %q: byte order '|' is only for one-byte types", descr)
	default:
		return dt, fmt.Errorf("dtype %q: unsupported byte order (native or missing: want '<' or '>')", descr)
	}
	return dt, nil
}

// npyHeader is the parsed dict of a .npy header.
type npyHeader struct {
	dtype   dtype
	fortran bool
	shape   []int
}

func parseNpyHeader(hdr string) (npyHeader, error) {
	var h npyHeader
	d, err := parseHeader(hdr)
	if err != nil {
		return h, err
	}
	descr, ok := d["descr"]
	if !ok {
		return h, fmt.Errorf("header has no 'descr' (dtype)")
	}
	switch v := descr.(type) {
	case string:
		if h.dtype, err = parseDescr(v); err != nil {
			return h, err
		}
	case pyList:
		return h, fmt.Errorf("structured dtypes (a list descr) are not supported (supported: %s)", supportedDtypes)
	default:
		return h, fmt.Errorf("header 'descr' is not a string")
	}
	fo, ok := d["fortran_order"]
	if !ok {
		return h, fmt.Errorf("header has no 'fortran_order'")
	}
	if h.fortran, ok = fo.(bool); !ok {
		return h, fmt.Errorf("header 'fortran_order' is not True or False")
	}
	sh, ok := d["shape"]
	if !ok {
		return h, fmt.Errorf("header has no 'shape'")
	}
	t, ok := sh.(pyTuple)
	if !ok {
		return h, fmt.Errorf("header 'shape' is not a tuple")
	}
	h.shape = make([]int, len(t))
	for i, v := range t {
		n, ok := v.(int64)
		if !ok || n < 0 || n > int64(math.MaxInt) {
			return h, fmt.Errorf("header 'shape' %v is not a tuple of non-negative integers", []any(t))
		}
		h.shape[i] = int(n)
	}
	return h, nil
}

// decodeNpy reads one .npy file (format version 1.0, 2.0 or 3.0).
func decodeNpy(b []byte) (Array, error) {
	if len(b) < 10 || string(b[:6]) != "\x93NUMPY" {
		return Array{}, fmt.Errorf("not an .npy array (no \\x93NUMPY magic)")
	}
	var hlen uint64
	off := 10
	switch {
	case b[6] == 1 && b[7] == 0:
		hlen = uint64(binary.LittleEndian.Uint16(b[8:10]))
	case (b[6] == 2 || b[6] == 3) && b[7] == 0:
		if len(b) < 12 {
			return Array{}, fmt.Errorf("truncated .npy header")
		}
		hlen, off = uint64(binary.LittleEndian.Uint32(b[8:12])), 12
	default:
		return Array{}, fmt.Errorf("unsupported .npy format version %d.%d (want 1.0, 2.0 or 3.0)", b[6], b[7])
	}
	if uint64(len(b)-off) < hlen {
		return Array{}, fmt.Errorf("truncated .npy header (%d bytes announced, %d present)", hlen, len(b)-off)
	}
	h, err := parseNpyHeader(string(b[off : off+int(hlen)]))
	if err != nil {
		return Array{}, err
	}
	body := b[off+int(hlen):]
	// The element count, checked against the bytes present before anything
	// is allocated: a shape that lies gives an error, not a huge allocation.
	n := len(body) / h.dtype.size
	if err := checkShape(h.shape, n); err != nil || n*h.dtype.size != len(body) {
		return Array{}, fmt.Errorf("data has %d bytes, shape %v of %s needs %s (truncated or corrupt)",
			len(body), h.shape, h.dtype.descr, needBytes(h.shape, h.dtype.size))
	}
	if h.fortran {
		body = fortranToC(body, h.shape, h.dtype.size)
	}
	return Array{Shape: h.shape, Data: decodeData(body, h.dtype, n)}, nil
}

// needBytes is the byte count that shape needs, spelt out even when it does
// not fit in an int.
func needBytes(shape []int, size int) string {
	n := float64(size)
	for _, d := range shape {
		n *= float64(d)
	}
	if n > 1<<53 {
		return fmt.Sprintf("%.3g", n)
	}
	return fmt.Sprint(int64(n))
}

// fortranToC reorders the elements of a column-major (Fortran-order) array
// of the given shape into row-major (C) order.
func fortranToC(body []byte, shape []int, size int) []byte {
	k := len(shape)
	if k < 2 || len(body) == 0 {
		return body
	}
	// stride[i] is the Fortran offset, in elements, of a step along axis i.
	stride := make([]int, k)
	s := 1
	for i, d := range shape {
		stride[i] = s
		s *= d
	}
	out := make([]byte, len(body))
	idx := make([]int, k)
	src := 0
	for dst := 0; dst < len(out); dst += size {
		copy(out[dst:dst+size], body[src*size:src*size+size])
		// Next C-order index: the last axis moves fastest.
		for i := k - 1; i >= 0; i-- {
			idx[i]++
			src += stride[i]
			if idx[i] < shape[i] {
				break
			}
			src -= stride[i] * idx[i]
			idx[i] = 0
		}
	}
	return out
}

// decodeData converts n elements of type dt from body.
func decodeData(body []byte, dt dtype, n int) any {
	o := dt.order
	switch dt.kind {
	case 'f':
		if dt.size == 4 {
			v := make([]float32, n)
			for i := range v {
				v[i] = math.Float32frombits(o.Uint32(body[4*i:]))
			}
			return v
		}
		v := make([]float64, n)
		for i := range v {
			v[i] = math.Float64frombits(o.Uint64(body[8*i:]))
		}
		return v
	case 'i':
		if dt.size == 4 {
			v := make([]int32, n)
			for i := range v {
				v[i] = int32(o.Uint32(body[4*i:]))
			}
			return v
		}
		v := make([]int64, n)
		for i := range v {
			v[i] = int64(o.Uint64(body[8*i:]))
		}
		return v
	case 'u':
		return append([]uint8{}, body...)
	case 'b':
		v := make([]bool, n)
		for i, x := range body {
			v[i] = x != 0
		}
		return v
	default: // 'c'
		if dt.size == 8 {
			v := make([]complex64, n)
			for i := range v {
				v[i] = complex(math.Float32frombits(o.Uint32(body[8*i:])), math.Float32frombits(o.Uint32(body[8*i+4:])))
			}
			return v
		}
		v := make([]complex128, n)
		for i := range v {
			v[i] = complex(math.Float64frombits(o.Uint64(body[16*i:])), math.Float64frombits(o.Uint64(body[16*i+8:])))
		}
		return v
	}
}

// Float32 returns the named array as float32 data with its shape, or an
// error if it is missing or of another type.
func (f *File) Float32(name string) ([]float32, []int, error) {
	a, ok := f.Arrays[name]
	if !ok {
		return nil, nil, fmt.Errorf("array %q is missing", name)
	}
	d, ok := a.Data.([]float32)
	if !ok {
		return nil, nil, fmt.Errorf("array %q is %T, want float32", name, a.Data)
	}
	return d, a.Shape, nil
}
