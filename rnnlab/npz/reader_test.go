package npz

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

// npyBytes builds a .npy file by hand, following the NPY format
// specification: the magic "\x93NUMPY", the major and minor version, the
// header length (2 bytes little-endian in version 1.0, 4 bytes in 2.0 and
// 3.0), the header (a Python dict literal padded with spaces and ended by
// '\n' so that the data starts on a multiple of 64), then the raw data.
func npyBytes(major byte, descr string, fortran bool, shape []int, data []byte) []byte {
	dims := make([]string, len(shape))
	for i, d := range shape {
		dims[i] = fmt.Sprint(d)
	}
	sh := "(" + strings.Join(dims, ", ")
	if len(shape) == 1 {
		sh += ","
	}
	sh += ")"
	fo := "False"
	if fortran {
		fo = "True"
	}
	hdr := fmt.Sprintf("{'descr': '%s', 'fortran_order': %s, 'shape': %s, }", descr, fo, sh)
	lenBytes := 2
	if major > 1 {
		lenBytes = 4
	}
	pre := 8 + lenBytes
	hdr += strings.Repeat(" ", (64-(pre+len(hdr)+1)%64)%64) + "\n"
	var b bytes.Buffer
	b.WriteString("\x93NUMPY")
	b.WriteByte(major)
	b.WriteByte(0)
	if major > 1 {
		binary.Write(&b, binary.LittleEndian, uint32(len(hdr)))
	} else {
		binary.Write(&b, binary.LittleEndian, uint16(len(hdr)))
	}
	b.WriteString(hdr)
	b.Write(data)
	return b.Bytes()
}

// zipOf puts members (name, bytes) in a zip archive, deflated if deflate.
func zipOf(t testing.TB, deflate bool, members ...any) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	method := zip.Store
	if deflate {
		method = zip.Deflate
	}
	for i := 0; i < len(members); i += 2 {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: members[i].(string), Method: method})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(members[i+1].([]byte))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestHandBuiltFortranAndBigEndian(t *testing.T) {
	// The 2x3 matrix [[1 2 3] [4 5 6]], stored column by column (Fortran
	// order: 1 4 2 5 3 6), each element big-endian.
	f4 := func(order binary.AppendByteOrder, vals ...float32) []byte {
		var b []byte
		for _, v := range vals {
			b = order.AppendUint32(b, math.Float32bits(v))
		}
		return b
	}
	be, le := binary.BigEndian, binary.LittleEndian
	want := Array{Shape: []int{2, 3}, Data: []float32{1, 2, 3, 4, 5, 6}}
	for _, major := range []byte{1, 2, 3} {
		for _, c := range []struct {
			name    string
			descr   string
			fortran bool
			data    []byte
		}{
			{"C big-endian", ">f4", false, f4(be, 1, 2, 3, 4, 5, 6)},
			{"Fortran big-endian", ">f4", true, f4(be, 1, 4, 2, 5, 3, 6)},
			{"Fortran little-endian", "<f4", true, f4(le, 1, 4, 2, 5, 3, 6)},
		} {
			got, err := decodeNpy(npyBytes(major, c.descr, c.fortran, []int{2, 3}, c.data))
			if err != nil {
				t.Fatalf("v%d %s: %v", major, c.name, err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("v%d %s: got %v, want %v", major, c.name, got, want)
			}
		}
	}

	// Every supported type, big-endian and in Fortran order, 3-D.
	shape := []int{2, 2, 2}
	// C index (i,j,k) holds 4i+2j+k; the Fortran offset of (i,j,k) is i+2j+4k.
	fortranOrder := []int{0, 4, 2, 6, 1, 5, 3, 7} // C value at each Fortran offset
	for _, c := range []struct {
		descr string
		put   func(b []byte, v int) []byte
		want  any
	}{
		{">f8", func(b []byte, v int) []byte { return be.AppendUint64(b, math.Float64bits(float64(v))) },
			[]float64{0, 1, 2, 3, 4, 5, 6, 7}},
		{">i4", func(b []byte, v int) []byte { return be.AppendUint32(b, uint32(int32(-v))) },
			[]int32{0, -1, -2, -3, -4, -5, -6, -7}},
		{">i8", func(b []byte, v int) []byte { return be.AppendUint64(b, uint64(int64(v)<<40)) },
			[]int64{0, 1 << 40, 2 << 40, 3 << 40, 4 << 40, 5 << 40, 6 << 40, 7 << 40}},
		{">c8", func(b []byte, v int) []byte {
			b = be.AppendUint32(b, math.Float32bits(float32(v)))
			return be.AppendUint32(b, math.Float32bits(float32(-v)))
		}, []complex64{0, 1 - 1i, 2 - 2i, 3 - 3i, 4 - 4i, 5 - 5i, 6 - 6i, 7 - 7i}},
		{">c16", func(b []byte, v int) []byte {
			b = be.AppendUint64(b, math.Float64bits(float64(v)))
			return be.AppendUint64(b, math.Float64bits(0.5))
		}, []complex128{0.5i, 1 + 0.5i, 2 + 0.5i, 3 + 0.5i, 4 + 0.5i, 5 + 0.5i, 6 + 0.5i, 7 + 0.5i}},
		{"|u1", func(b []byte, v int) []byte { return append(b, byte(10*v)) },
			[]uint8{0, 10, 20, 30, 40, 50, 60, 70}},
		{"|b1", func(b []byte, v int) []byte { return append(b, byte(v%2)) },
			[]bool{false, true, false, true, false, true, false, true}},
	} {
		var data []byte
		for _, v := range fortranOrder {
			data = c.put(data, v)
		}
		got, err := decodeNpy(npyBytes(1, c.descr, true, shape, data))
		if err != nil {
			t.Fatalf("%s: %v", c.descr, err)
		}
		if !reflect.DeepEqual(got, Array{Shape: shape, Data: c.want}) {
			t.Errorf("%s Fortran order: got %v, want %v", c.descr, got.Data, c.want)
		}
	}
}

// TestFortranOrderRandomShapes checks the Fortran reordering against the
// definition: element (i0, ..., ik) of a Fortran-order array is at offset
// i0 + d0*(i1 + d1*(i2 + ...)).
func TestFortranOrderRandomShapes(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := 0; trial < 200; trial++ {
		shape := make([]int, rng.IntN(5))
		n := 1
		for i := range shape {
			shape[i] = rng.IntN(4) + 1
			n *= shape[i]
		}
		stored := make([]int32, n) // stored[f] = a distinct value per element
		var data []byte
		for f := range stored {
			stored[f] = int32(rng.Uint32())
			data = binary.BigEndian.AppendUint32(data, uint32(stored[f]))
		}
		got, err := decodeNpy(npyBytes(1, ">i4", true, shape, data))
		if err != nil {
			t.Fatal(err)
		}
		vals := got.Data.([]int32)
		idx := make([]int, len(shape))
		for c := 0; c < n; c++ {
			// Multi-index of C offset c, then its Fortran offset.
			r := c
			for i := len(shape) - 1; i >= 0; i-- {
				idx[i] = r % shape[i]
				r /= shape[i]
			}
			f, mul := 0, 1
			for i, d := range shape {
				f += idx[i] * mul
				mul *= d
			}
			if vals[c] != stored[f] {
				t.Fatalf("shape %v: C element %d (index %v) = %d, want stored[%d] = %d", shape, c, idx, vals[c], f, stored[f])
			}
		}
	}
}

// numpyValue is the value make_numpy_files.py stores at C offset i.
func numpyValue(kind reflect.Kind, i int) any {
	switch kind {
	case reflect.Float32:
		return float32(float64(i)*1.5 - 2)
	case reflect.Float64:
		return float64(i)*1.5 - 2
	case reflect.Complex64:
		return complex64(complex(float64(i), -2*float64(i)))
	case reflect.Complex128:
		return complex(float64(i), -2*float64(i))
	case reflect.Bool:
		return i%3 == 1
	case reflect.Uint8:
		return uint8(i)
	case reflect.Int32:
		return int32(i)
	case reflect.Int64:
		return int64(i)
	}
	panic(kind)
}

// TestNumpyWrittenFiles loads archives written by numpy's np.savez and
// np.savez_compressed (testdata/make_numpy_files.py): C and Fortran order,
// both byte orders, every supported type.
func TestNumpyWrittenFiles(t *testing.T) {
	wantTypes := map[string]string{
		"c_f4": "[]float32", "f_f8": "[]float64", "f_be_f4": "[]float32", "c_be_i4": "[]int32",
		"c_be_i8": "[]int64", "f_i8": "[]int64", "c_be_c16": "[]complex128", "f_c8": "[]complex64",
		"f_be_c8": "[]complex64", "c_u1": "[]uint8", "f_u1": "[]uint8", "f_b1": "[]bool",
		"scalar_f8": "[]float64", "empty_f4": "[]float32", "f_be_f8_4d": "[]float64",
	}
	wantShapes := map[string][]int{
		"c_f4": {2, 3}, "f_f8": {2, 3, 4}, "f_be_f4": {3, 4}, "c_be_i4": {3, 2}, "c_be_i8": {5},
		"f_i8": {4, 3}, "c_be_c16": {2}, "f_c8": {2, 2}, "f_be_c8": {3, 2}, "c_u1": {2, 2},
		"f_u1": {2, 3}, "f_b1": {3, 3}, "scalar_f8": {}, "empty_f4": {0, 3}, "f_be_f8_4d": {2, 1, 3, 2},
	}
	for _, file := range []string{"numpy_savez.npz", "numpy_savez_compressed.npz"} {
		f, err := ReadFile(filepath.Join("testdata", file))
		if err != nil {
			t.Fatal(err)
		}
		if len(f.Arrays) != len(wantTypes) || len(f.Raw) != 0 {
			t.Errorf("%s: %d arrays, %d raw members, want %d and 0", file, len(f.Arrays), len(f.Raw), len(wantTypes))
		}
		for name, a := range f.Arrays {
			if got := fmt.Sprintf("%T", a.Data); got != wantTypes[name] {
				t.Errorf("%s %s: type %s, want %s", file, name, got, wantTypes[name])
				continue
			}
			if !reflect.DeepEqual(a.Shape, wantShapes[name]) {
				t.Errorf("%s %s: shape %v, want %v", file, name, a.Shape, wantShapes[name])
			}
			v := reflect.ValueOf(a.Data)
			for i := 0; i < v.Len(); i++ {
				if got, want := v.Index(i).Interface(), numpyValue(v.Type().Elem().Kind(), i); got != want {
					t.Errorf("%s %s: element %d = %v, want %v", file, name, i, got, want)
					break
				}
			}
		}
	}
}

func TestNumpyFormatVersions(t *testing.T) {
	f, err := ReadFile(filepath.Join("testdata", "numpy_versions.npz"))
	if err != nil {
		t.Fatal(err)
	}
	want := Array{Shape: []int{2, 3}, Data: []float32{-2, -0.5, 1, 2.5, 4, 5.5}}
	for _, name := range []string{"v1", "v2", "v3"} {
		if !reflect.DeepEqual(f.Arrays[name], want) {
			t.Errorf("%s: %v, want %v", name, f.Arrays[name], want)
		}
	}
}

func TestUnsupportedFilesNameTheProblem(t *testing.T) {
	for file, want := range map[string]string{
		"numpy_float16.npz":    `member "x.npy": unsupported dtype "<f2"`,
		"numpy_structured.npz": `member "x.npy": structured dtypes`,
		"numpy_object.npz":     `member "x.npy": unsupported dtype "|O"`,
	} {
		path := filepath.Join("testdata", file)
		_, err := ReadFile(path)
		if err == nil || !strings.HasPrefix(err.Error(), path+": "+want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error %v, want one line starting %q", file, err, path+": "+want)
		}
	}
	for _, c := range []struct{ descr, want string }{
		{"=f4", `dtype "=f4": unsupported byte order`},
		{"f8", `dtype "f8": unsupported byte order`},
		{"|i4", `dtype "|i4": byte order '|' is only for one-byte types`},
		{"<U3", `unsupported dtype "<U3"`},
	} {
		_, err := decodeNpy(npyBytes(1, c.descr, false, []int{1}, make([]byte, 12)))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("descr %s: error %v, want %q", c.descr, err, c.want)
		}
	}
}

func TestBadHeaders(t *testing.T) {
	withHeader := func(major byte, hdr string, data []byte) []byte {
		b := []byte("\x93NUMPY")
		b = append(b, major, 0)
		if major == 1 {
			b = binary.LittleEndian.AppendUint16(b, uint16(len(hdr)))
		} else {
			b = binary.LittleEndian.AppendUint32(b, uint32(len(hdr)))
		}
		return append(append(b, hdr...), data...)
	}
	huge := binary.LittleEndian.AppendUint32([]byte("\x93NUMPY\x02\x00"), 0xffffffff)
	for _, c := range []struct {
		name string
		b    []byte
		want string
	}{
		{"no magic", []byte("hello, world"), "not an .npy array"},
		{"version", []byte("\x93NUMPY\x04\x00\x00\x00"), "unsupported .npy format version 4.0"},
		{"header length beyond the data", huge, "truncated .npy header (4294967295 bytes announced, 0 present)"},
		{"not a dict", withHeader(1, "[1, 2]", nil), "header is not a Python dict"},
		{"unterminated", withHeader(1, "{'descr': '<f4", nil), "unterminated string"},
		{"missing shape", withHeader(1, "{'descr': '<f4', 'fortran_order': False}", nil), "no 'shape'"},
		{"shape a list", withHeader(1, "{'descr': '<f4', 'fortran_order': False, 'shape': [1]}", nil), "'shape' is not a tuple"},
		{"negative dim", withHeader(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (-1,)}", nil), "not a tuple of non-negative integers"},
		{"order not bool", withHeader(1, "{'descr': '<f4', 'fortran_order': 0, 'shape': ()}", nil), "'fortran_order' is not True or False"},
		{"duplicate key", withHeader(1, "{'descr': '<f4', 'descr': '<f8', 'fortran_order': False, 'shape': ()}", nil), `key "descr" appears twice`},
		{"deep", withHeader(1, "{'shape': "+strings.Repeat("(", 100000)+"}", nil), "nested too deep"},
		{"big number", withHeader(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999,)}", nil), "out of range"},
		{"escape", withHeader(1, `{'descr': '\b1', 'fortran_order': False, 'shape': ()}`, nil), "escape sequences"},
		{"extra text", withHeader(1, "{'descr': '<f4', 'fortran_order': False, 'shape': ()} x", nil), "extra text"},
		{"lying shape", npyBytes(1, "<f8", false, []int{1 << 40, 1 << 20}, make([]byte, 8)), "data has 8 bytes, shape [1099511627776 1048576] of <f8 needs 9.22e+18"},
		{"overflowing shape", npyBytes(1, "<f4", false, []int{1 << 62, 4}, nil), "data has 0 bytes"},
		{"short data", npyBytes(1, "<f4", false, []int{3}, make([]byte, 11)), "data has 11 bytes, shape [3] of <f4 needs 12"},
		{"long data", npyBytes(1, "<f4", false, []int{3}, make([]byte, 13)), "data has 13 bytes"},
	} {
		var ms0, ms1 runtime.MemStats
		runtime.ReadMemStats(&ms0)
		_, err := decodeNpy(c.b)
		runtime.ReadMemStats(&ms1)
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error %v, want one line with %q", c.name, err, c.want)
		}
		if grew := ms1.TotalAlloc - ms0.TotalAlloc; grew > 1<<20 {
			t.Errorf("%s: allocated %d bytes", c.name, grew)
		}
	}
	// Python 2's long integers and double quotes, as old numpy wrote them.
	a, err := decodeNpy(withHeader(1, `{"descr": "<i4", "fortran_order": False, "shape": (1L, 2L)}`+"\n", make([]byte, 8)))
	if err != nil || !reflect.DeepEqual(a, Array{Shape: []int{1, 2}, Data: []int32{0, 0}}) {
		t.Errorf("Python 2 header: %v, %v", a, err)
	}
}

func TestArchiveProblems(t *testing.T) {
	good := npyBytes(1, "<f4", false, []int{1}, make([]byte, 4))
	for _, c := range []struct {
		name string
		b    []byte
		want string
	}{
		{"duplicate member", zipOf(t, false, "x.npy", good, "x.npy", good), `member "x.npy" appears twice`},
		{"bad member", zipOf(t, true, "y.npy", good, "x\n.npy", []byte("junk")), `member "x\n.npy": not an .npy array`},
		{"not zip", []byte("PK\x03\x04 but no more"), "not a valid .npz (zip) archive"},
	} {
		_, err := Decode(c.b)
		if err == nil || !strings.Contains(err.Error(), c.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("%s: error %v, want one line with %q", c.name, err, c.want)
		}
	}
}

// TestOverlappingMembersBomb builds an archive whose central directory
// lists one highly compressed member many times under different names (a
// "zip bomb" by overlapping files): Decode must stop at its decompression
// budget instead of inflating every copy.
func TestOverlappingMembersBomb(t *testing.T) {
	one := zipOf(t, true, "a0000", make([]byte, 16<<20)) // 16 MiB of zeros, ~16 KiB deflated
	// Locate the central directory entry and the end record.
	eocd := bytes.LastIndex(one, []byte("PK\x05\x06"))
	cdOff := int(binary.LittleEndian.Uint32(one[eocd+16:]))
	entry := one[cdOff:eocd]
	const copies = 200
	out := append([]byte{}, one[:cdOff]...)
	for i := 0; i < copies; i++ {
		e := bytes.Replace(append([]byte{}, entry...), []byte("a0000"), fmt.Appendf(nil, "a%04d", i), 1)
		out = append(out, e...)
	}
	end := append([]byte{}, one[eocd:]...)
	binary.LittleEndian.PutUint16(end[8:], copies)
	binary.LittleEndian.PutUint16(end[10:], copies)
	binary.LittleEndian.PutUint32(end[12:], uint32(copies*len(entry)))
	out = append(out, end...)

	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	_, err := Decode(out)
	runtime.ReadMemStats(&ms1)
	if err == nil || !strings.Contains(err.Error(), "zip bomb") {
		t.Errorf("error %v, want the decompression budget's", err)
	}
	// The budget is 1100 bytes per archive byte, ~20 MiB of members here;
	// io.ReadAll's doubling may take several times that, not 200 x 16 MiB.
	if grew := ms1.TotalAlloc - ms0.TotalAlloc; grew > 200<<20 {
		t.Errorf("allocated %d MiB", grew>>20)
	}
}

func TestBytesFromEveryFile(t *testing.T) {
	// The numpy files and the Writer's load the same way from ReadFile and
	// Decode.
	files, _ := filepath.Glob(filepath.Join("testdata", "numpy_*.npz"))
	if len(files) < 5 {
		t.Fatalf("testdata has %d numpy files", len(files))
	}
	for _, p := range files {
		b, _ := os.ReadFile(p)
		f1, err1 := ReadFile(p)
		f2, err2 := Decode(b)
		if (err1 == nil) != (err2 == nil) || (err1 == nil && !reflect.DeepEqual(f1, f2)) {
			t.Errorf("%s: ReadFile and Decode differ: %v, %v", p, err1, err2)
		}
	}
}
