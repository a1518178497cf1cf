package npz

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math"
)

// readMember inflates the archive member zf, stopping as soon as it holds
// more than it may: at most budget bytes (what the archive may still
// decompress to), at most the size the zip directory declares and, for an
// .npy member, at most what its own header declares: the preamble and the
// header, then shape × element size bytes of data. So a member that
// inflates far beyond its header costs one byte more than the header says,
// never the whole inflation. A member whose header cannot be read is read
// within the other two bounds, and decodeNpy reports the problem.
func readMember(zf *zip.File, isNpy bool, budget int64) ([]byte, error) {
	rc, err := zf.Open()
	if err != nil {
		return nil, fmt.Errorf("member %q: %v", zf.Name, err)
	}
	defer rc.Close()
	limit, bound := budget, "budget"
	if zf.UncompressedSize64 < uint64(limit) {
		limit, bound = int64(zf.UncompressedSize64), "zip"
	}
	var head []byte
	var h npyHeader
	if isNpy {
		var total int64
		head, h, total, err = readNpyHead(rc, limit)
		if err != nil {
			return nil, fmt.Errorf("member %q is truncated or corrupt: %v", zf.Name, err)
		}
		if total >= 0 && total <= limit {
			limit, bound = total, "npy"
		}
	}
	buf := bytes.NewBuffer(head)
	if _, err := buf.ReadFrom(io.LimitReader(rc, limit-int64(len(head))+1)); err != nil {
		return nil, fmt.Errorf("member %q is truncated or corrupt: %v", zf.Name, err)
	}
	b := buf.Bytes()
	if int64(len(b)) <= limit {
		return b, nil
	}
	switch bound {
	case "npy":
		return nil, fmt.Errorf("member %q: data has more than %d bytes, shape %v of %s needs %d (the member holds more than its header declares)",
			zf.Name, limit-int64(len(head)), h.shape, h.dtype.descr, limit-int64(len(head)))
	case "zip":
		return nil, fmt.Errorf("member %q inflates to more than the %d bytes the zip directory declares", zf.Name, limit)
	}
	return nil, fmt.Errorf("member %q: the members decompress to more than %d bytes per archive byte (a zip bomb or overlapping members)", zf.Name, maxInflation)
}

// readNpyHead reads the preamble and the header of an .npy member from r
// (reading at most limit bytes) and returns the bytes read, the parsed
// header and the member's declared size: preamble + header + the data's
// shape × element size. The size is −1 when the header cannot be read
// (then decodeNpy reports why, from the bytes) or its data size overflows.
func readNpyHead(r io.Reader, limit int64) ([]byte, npyHeader, int64, error) {
	var h npyHeader
	head := make([]byte, 0, 12)
	read := func(n int64) (bool, error) {
		if int64(len(head))+n > limit {
			return false, nil
		}
		var err error
		head, err = appendRead(head, r, n)
		if err == io.ErrUnexpectedEOF || err == io.EOF {
			return false, nil
		}
		return err == nil, err
	}
	if ok, err := read(10); !ok || string(head[:6]) != "\x93NUMPY" {
		return head, h, -1, err
	}
	var hlen int64
	switch {
	case head[6] == 1 && head[7] == 0:
		hlen = int64(binary.LittleEndian.Uint16(head[8:10]))
	case (head[6] == 2 || head[6] == 3) && head[7] == 0:
		if ok, err := read(2); !ok {
			return head, h, -1, err
		}
		hlen = int64(binary.LittleEndian.Uint32(head[8:12]))
	default:
		return head, h, -1, nil
	}
	off := len(head)
	if ok, err := read(hlen); !ok {
		return head, h, -1, err
	}
	h, err := parseNpyHeader(string(head[off:]))
	if err != nil {
		return head, h, -1, nil
	}
	size := int64(h.dtype.size)
	for _, d := range h.shape {
		if d != 0 && size > math.MaxInt64/int64(d) {
			return head, h, -1, nil
		}
		size *= int64(d)
	}
	if size > math.MaxInt64-int64(len(head)) {
		return head, h, -1, nil
	}
	return head, h, int64(len(head)) + size, nil
}

// appendRead appends n bytes read from r to b, growing b only as the
// bytes arrive (a header length that lies costs what is present).
func appendRead(b []byte, r io.Reader, n int64) ([]byte, error) {
	buf := bytes.NewBuffer(b)
	got, err := buf.ReadFrom(io.LimitReader(r, n))
	if err == nil && got < n {
		err = io.ErrUnexpectedEOF
	}
	return buf.Bytes(), err
}
