package npz

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
)

// File is the content of an .npz archive.
type File struct {
	// Arrays maps a member name without ".npy" to its array.
	Arrays map[string]Array
	// Raw maps the other members' file names to their bytes.
	Raw map[string][]byte
}

// ReadFile reads the .npz archive at path. Errors name the file and the
// member at fault.
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

// Decode reads an .npz archive from memory.
func Decode(data []byte) (*File, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("not a valid .npz (zip) archive: %v", err)
	}
	out := &File{Arrays: map[string]Array{}, Raw: map[string][]byte{}}
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			return nil, fmt.Errorf("member %s: %v", zf.Name, err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("member %s is truncated or corrupt: %v", zf.Name, err)
		}
		name, isNpy := strings.CutSuffix(zf.Name, ".npy")
		if !isNpy {
			out.Raw[zf.Name] = b
			continue
		}
		a, err := decodeNpy(b)
		if err != nil {
			return nil, fmt.Errorf("member %s: %v", zf.Name, err)
		}
		out.Arrays[name] = a
	}
	return out, nil
}

var (
	reDescr   = regexp.MustCompile(`'descr':\s*'([^']*)'`)
	reFortran = regexp.MustCompile(`'fortran_order':\s*(True|False)`)
	reShape   = regexp.MustCompile(`'shape':\s*\(([^)]*)\)`)
)

func decodeNpy(b []byte) (Array, error) {
	if len(b) < 10 || string(b[:6]) != "\x93NUMPY" {
		return Array{}, fmt.Errorf("not an .npy array")
	}
	var hlen, off int
	switch b[6] {
	case 1:
		hlen, off = int(binary.LittleEndian.Uint16(b[8:10])), 10
	case 2, 3:
		if len(b) < 12 {
			return Array{}, fmt.Errorf("truncated .npy header")
		}
		hlen, off = int(binary.LittleEndian.Uint32(b[8:12])), 12
	default:
		return Array{}, fmt.Errorf("unsupported .npy version %d", b[6])
	}
	if len(b) < off+hlen {
		return Array{}, fmt.Errorf("truncated .npy header")
	}
	hdr := string(b[off : off+hlen])
	body := b[off+hlen:]
	m := reDescr.FindStringSubmatch(hdr)
	if m == nil {
		return Array{}, fmt.Errorf("no dtype in .npy header")
	}
	descr := m[1]
	if f := reFortran.FindStringSubmatch(hdr); f == nil || f[1] != "False" {
		return Array{}, fmt.Errorf("only C-order arrays are supported")
	}
	s := reShape.FindStringSubmatch(hdr)
	if s == nil {
		return Array{}, fmt.Errorf("no shape in .npy header")
	}
	shape := []int{}
	for _, part := range strings.Split(s[1], ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		d, err := strconv.Atoi(part)
		if err != nil || d < 0 {
			return Array{}, fmt.Errorf("bad shape %q", s[1])
		}
		shape = append(shape, d)
	}
	n := numel(shape)
	var data any
	size := 0
	switch descr {
	case "<f4":
		data, size = make([]float32, n), 4
	case "<f8":
		data, size = make([]float64, n), 8
	case "<i4":
		data, size = make([]int32, n), 4
	case "<i8":
		data, size = make([]int64, n), 8
	case "|u1":
		data, size = make([]uint8, n), 1
	case "|b1":
		data, size = make([]bool, n), 1
	case "<c8":
		data, size = make([]complex64, n), 8
	case "<c16":
		data, size = make([]complex128, n), 16
	default:
		return Array{}, fmt.Errorf("unsupported dtype %q", descr)
	}
	if len(body) != n*size {
		return Array{}, fmt.Errorf("data has %d bytes, shape %v of %s needs %d (truncated or corrupt)", len(body), shape, descr, n*size)
	}
	if err := binary.Read(bytes.NewReader(body), binary.LittleEndian, data); err != nil {
		return Array{}, err
	}
	return Array{Shape: shape, Data: data}, nil
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
