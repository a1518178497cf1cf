package npz

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"io"
	"runtime"
	"strings"
	"testing"
)

// inflating returns an archive of one deflated member x.npy: a valid .npy
// header of shape (4,) float32 (16 data bytes) followed by extra bytes of
// zeros, which deflate to about a thousandth of their size. The zip
// directory declares the member's true size.
func inflating(t *testing.T, extra int) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) { return flate.NewWriter(w, flate.BestCompression) })
	w, err := zw.CreateHeader(&zip.FileHeader{Name: "x.npy", Method: zip.Deflate})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(npyBytes(1, "<f4", false, []int{4}, make([]byte, 16)))
	zeros := make([]byte, 1<<20)
	for n := extra; n > 0; n -= len(zeros) {
		w.Write(zeros[:min(n, len(zeros))])
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestMemberInflatesPastItsHeader: a 64 MiB member in a ~64 KiB archive
// (within the archive's decompression budget of 1100 bytes per byte) whose
// .npy header declares 16 bytes of data is refused after 17 data bytes:
// Decode allocates a few hundred KiB (the inflater's window and tables),
// not the 64 MiB (and io.ReadAll's doubling) it used to.
func TestMemberInflatesPastItsHeader(t *testing.T) {
	const extra = 64 << 20
	data := inflating(t, extra)
	if int64(len(data))*maxInflation < extra {
		t.Fatalf("archive of %d bytes: the budget alone would stop it; the test needs a member within the budget", len(data))
	}
	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	_, err := Decode(data)
	runtime.ReadMemStats(&ms1)
	want := `member "x.npy": data has more than 16 bytes, shape [4] of <f4 needs 16`
	if err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "\n") {
		t.Errorf("error %v, want one line with %q", err, want)
	}
	grew := ms1.TotalAlloc - ms0.TotalAlloc
	t.Logf("archive %d bytes, member %d bytes inflated: Decode allocated %d KiB", len(data), extra+80+16, grew>>10)
	if grew > 2<<20 {
		t.Errorf("Decode allocated %d KiB for a member refused after 17 data bytes", grew>>10)
	}
	// Without the extra bytes the same member decodes.
	f, err := Decode(inflating(t, 0))
	if err != nil || len(f.Arrays["x"].Data.([]float32)) != 4 {
		t.Errorf("the member without extra bytes: %v", err)
	}
}
