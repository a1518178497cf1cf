package npz

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// checkArray reports an array that a successful decode must never give:
// an unsupported element type, a negative dimension, or a shape whose
// product (computed without overflow) is not the data's length.
func checkArray(t *testing.T, name string, a Array) {
	t.Helper()
	_, n, err := descrOf(a.Data)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	prod := 1
	if slices.Contains(a.Shape, 0) {
		prod = 0
	}
	for _, d := range a.Shape {
		if d < 0 {
			t.Fatalf("%s: negative dimension in %v", name, a.Shape)
		}
		if prod == 0 {
			continue
		}
		if prod > n/d {
			t.Fatalf("%s: shape %v holds more than the %d values", name, a.Shape, n)
		}
		prod *= d
	}
	if prod != n {
		t.Fatalf("%s: shape %v needs %d values, data has %d", name, a.Shape, prod, n)
	}
}

// checkError reports an error that is not one line.
func checkError(t *testing.T, err error) {
	t.Helper()
	if msg := err.Error(); msg == "" || strings.ContainsAny(msg, "\n\r") {
		t.Fatalf("error is not one line: %q", msg)
	}
}

// npyEncoding is a's .npy bytes as the Writer writes them.
func npyEncoding(t *testing.T, a Array) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := encodeNpy(&b, a); err != nil {
		t.Fatalf("a decoded array does not encode: %v", err)
	}
	return b.Bytes()
}

// checkRoundTrip writes a with the Writer's encoder, reads it back and
// requires the same shape and the same bits (NaN payloads included).
func checkRoundTrip(t *testing.T, a Array) {
	t.Helper()
	enc := npyEncoding(t, a)
	b, err := decodeNpy(enc)
	if err != nil {
		t.Fatalf("the Writer's encoding of a decoded array does not decode: %v", err)
	}
	if !slices.Equal(a.Shape, b.Shape) || !bytes.Equal(enc, npyEncoding(t, b)) {
		t.Fatalf("round trip changed the array: shape %v -> %v", a.Shape, b.Shape)
	}
}

// seedArchives returns the testdata archives (written by numpy) and a few
// written by the Writer.
func seedArchives(t testing.TB) [][]byte {
	var seeds [][]byte
	files, _ := filepath.Glob(filepath.Join("testdata", "numpy_*.npz"))
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		seeds = append(seeds, b)
	}
	w := NewWriter()
	w.Add("x", []int{2, 3}, []float32{1, 2, 3, 4, 5, 6})
	w.Add("s", []int{}, []int64{-7})
	w.Add("c", []int{1, 1}, []complex128{1 + 1i})
	w.AddRaw("config.json", []byte(`{"a": 1}`))
	var buf bytes.Buffer
	if _, err := w.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	seeds = append(seeds, buf.Bytes(), zipOf(t, false, "x.npy", npyBytes(1, ">f4", true, []int{2, 2}, make([]byte, 16))))
	// Stored members with a zero CRC, which archive/zip does not check: the
	// fuzzer's changes to the member bytes get past the zip layer.
	seeds = append(seeds, storedNoCRC(t,
		"a.npy", npyBytes(1, "<f4", true, []int{2, 2}, make([]byte, 16)),
		"b.npy", npyBytes(2, ">c8", false, []int{1}, make([]byte, 8)),
		"config.json", []byte(`{"format": "x"}`)))
	return seeds
}

// storedNoCRC is a zip archive of stored members (name, bytes) whose
// CRC-32 fields are zero.
func storedNoCRC(t testing.TB, members ...any) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i < len(members); i += 2 {
		b := members[i+1].([]byte)
		w, err := zw.CreateRaw(&zip.FileHeader{Name: members[i].(string), Method: zip.Store,
			CompressedSize64: uint64(len(b)), UncompressedSize64: uint64(len(b))})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// FuzzDecode feeds arbitrary bytes to the .npz reader. Decode must never
// panic; an error is one line; a file that decodes has only consistent
// arrays (a supported type, shape product = data length), each of which the
// Writer writes and the reader reads back bit for bit, and the whole
// archive, written again by the Writer, decodes to the same arrays and raw
// members.
func FuzzDecode(f *testing.F) {
	for _, s := range seedArchives(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := Decode(data)
		if err != nil {
			checkError(t, err)
			return
		}
		w := NewWriter()
		valid := true
		for name, a := range file.Arrays {
			checkArray(t, name, a)
			checkRoundTrip(t, a)
			valid = valid && w.Add(name, a.Shape, a.Data) == nil
		}
		for name, b := range file.Raw {
			valid = valid && w.AddRaw(name, b) == nil
		}
		if !valid { // a member name the Writer refuses (empty, with a slash, a clash)
			return
		}
		var buf bytes.Buffer
		if _, err := w.WriteTo(&buf); err != nil {
			t.Fatalf("rewriting a decoded archive: %v", err)
		}
		again, err := Decode(buf.Bytes())
		if err != nil {
			t.Fatalf("a rewritten archive does not decode: %v", err)
		}
		if len(again.Arrays) != len(file.Arrays) || len(again.Raw) != len(file.Raw) {
			t.Fatalf("rewritten archive has %d arrays and %d raw members, want %d and %d",
				len(again.Arrays), len(again.Raw), len(file.Arrays), len(file.Raw))
		}
		for name, a := range file.Arrays {
			if !bytes.Equal(npyEncoding(t, a), npyEncoding(t, again.Arrays[name])) {
				t.Fatalf("array %q changed on rewriting", name)
			}
		}
		for name, b := range file.Raw {
			if !bytes.Equal(b, again.Raw[name]) {
				t.Fatalf("raw member %q changed on rewriting", name)
			}
		}
	})
}

// FuzzDecodeNpy feeds arbitrary bytes to the .npy member reader (inside an
// archive, zip's CRC check would stop most mutations before the header
// parser). It must never panic; errors are one line; an array that decodes
// is consistent and round-trips bit for bit through the Writer's encoder;
// and the same array stored with the other byte order (header descr
// flipped, each element's bytes reversed) decodes to the same values.
func FuzzDecodeNpy(f *testing.F) {
	for _, s := range seedArchives(f) {
		zr, err := zip.NewReader(bytes.NewReader(s), int64(len(s)))
		if err != nil {
			f.Fatal(err)
		}
		for _, zf := range zr.File {
			rc, err := zf.Open()
			if err != nil {
				f.Fatal(err)
			}
			b, _ := io.ReadAll(rc)
			rc.Close()
			if strings.HasSuffix(zf.Name, ".npy") {
				f.Add(b)
			}
		}
	}
	f.Add(npyBytes(2, ">c16", true, []int{1, 2, 1}, make([]byte, 32)))
	f.Add(npyBytes(3, "|b1", true, []int{2, 2}, []byte{0, 1, 2, 255}))
	f.Add([]byte("\x93NUMPY\x01\x00\x10\x00{'shape': (1L,)}"))
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := decodeNpy(b)
		if err != nil {
			checkError(t, err)
			return
		}
		checkArray(t, "array", a)
		checkRoundTrip(t, a)
		h, hdrEnd := reparseHeader(t, b)
		size, o := h.dtype.size, h.dtype.order
		if h.dtype.kind == 'c' {
			size /= 2 // each of the two parts swaps on its own
		}
		if size == 1 {
			return
		}
		descr := ">" + h.dtype.descr[1:]
		if o == binary.BigEndian {
			descr = "<" + h.dtype.descr[1:]
		}
		body := slices.Clone(b[hdrEnd:])
		for i := 0; i+size <= len(body); i += size {
			slices.Reverse(body[i : i+size])
		}
		flipped, err := decodeNpy(npyBytes(1, descr, h.fortran, h.shape, body))
		if err != nil {
			t.Fatalf("the same array in the other byte order (%s) does not decode: %v", descr, err)
		}
		if !bytes.Equal(npyEncoding(t, a), npyEncoding(t, flipped)) {
			t.Fatalf("the same array in the other byte order (%s) decodes to other values", descr)
		}
	})
}

// reparseHeader returns the header of a .npy file that decoded, and where
// its data starts.
func reparseHeader(t *testing.T, b []byte) (npyHeader, int) {
	t.Helper()
	off, hlen := 10, int(binary.LittleEndian.Uint16(b[8:10]))
	if b[6] > 1 {
		off, hlen = 12, int(binary.LittleEndian.Uint32(b[8:12]))
	}
	h, err := parseNpyHeader(string(b[off : off+hlen]))
	if err != nil {
		t.Fatalf("a decoded header does not parse again: %v", err)
	}
	return h, off + hlen
}

func TestStoredNoCRCSeedDecodes(t *testing.T) {
	npy := npyBytes(1, "<f4", true, []int{2, 2}, make([]byte, 16))
	b := storedNoCRC(t, "a.npy", npy)
	b[bytes.Index(b, npy)+len(npy)-1] = 0x3f // changed data, unchanged (zero) CRC
	f, err := Decode(b)
	if err != nil || !slices.Equal(f.Arrays["a"].Data.([]float32), []float32{0, 0, 0, 0.5}) {
		t.Fatalf("%v %v", f, err)
	}
}
