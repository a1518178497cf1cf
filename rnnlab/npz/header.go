package npz

import (
	"fmt"
	"strconv"
)

// The .npy header is the repr of a Python dict, for example
//
//	{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
//
// parsed here as Python literals: strings, True, False, None, integers
// (with Python 2's trailing L), tuples, lists and dicts. Nothing is
// evaluated, the nesting depth is bounded, and every value is a slice of
// the header: parsing allocates in proportion to the header's length.

// pyTuple is a parsed tuple; a list is a pyList, so that a shape given as a
// list is told from a tuple.
type (
	pyTuple []any
	pyList  []any
)

// maxHeaderDepth bounds the nesting of the header's literals.
const maxHeaderDepth = 16

type headerParser struct {
	s   string
	pos int
}

// parseHeader parses a .npy header into its dict.
func parseHeader(s string) (map[string]any, error) {
	p := &headerParser{s: s}
	p.space()
	if p.pos == len(p.s) || p.s[p.pos] != '{' {
		return nil, fmt.Errorf("header is not a Python dict")
	}
	v, err := p.value(0)
	if err != nil {
		return nil, err
	}
	p.space()
	if p.pos != len(p.s) {
		return nil, fmt.Errorf("header has extra text after its dict at byte %d", p.pos)
	}
	return v.(map[string]any), nil
}

func (p *headerParser) space() {
	for p.pos < len(p.s) {
		switch p.s[p.pos] {
		case ' ', '\t', '\n', '\r', '\x00':
			p.pos++
		default:
			return
		}
	}
}

func (p *headerParser) errorf(format string, args ...any) error {
	return fmt.Errorf("header: "+format+" at byte %d", append(args, p.pos)...)
}

func (p *headerParser) value(depth int) (any, error) {
	if depth > maxHeaderDepth {
		return nil, p.errorf("literals nested too deep")
	}
	p.space()
	if p.pos == len(p.s) {
		return nil, p.errorf("unexpected end")
	}
	switch c := p.s[p.pos]; {
	case c == '\'' || c == '"':
		return p.str()
	case c == '{':
		return p.dict(depth)
	case c == '(':
		items, err := p.seq(')', depth)
		return pyTuple(items), err
	case c == '[':
		items, err := p.seq(']', depth)
		return pyList(items), err
	case c == '-' || c == '+' || ('0' <= c && c <= '9'):
		return p.integer()
	default:
		for _, w := range []struct {
			word string
			v    any
		}{{"True", true}, {"False", false}, {"None", nil}} {
			if len(p.s)-p.pos >= len(w.word) && p.s[p.pos:p.pos+len(w.word)] == w.word {
				p.pos += len(w.word)
				return w.v, nil
			}
		}
		return nil, p.errorf("unexpected character %q", c)
	}
}

// str parses a quoted string. Backslash escapes are refused rather than
// half-understood: numpy's keys and dtype strings never hold one.
func (p *headerParser) str() (string, error) {
	q := p.s[p.pos]
	p.pos++
	start := p.pos
	for p.pos < len(p.s) {
		switch p.s[p.pos] {
		case q:
			p.pos++
			return p.s[start : p.pos-1], nil
		case '\\':
			return "", p.errorf("escape sequences in strings are not supported")
		case '\n':
			return "", p.errorf("unterminated string")
		}
		p.pos++
	}
	return "", p.errorf("unterminated string")
}

func (p *headerParser) integer() (int64, error) {
	start := p.pos
	if c := p.s[p.pos]; c == '-' || c == '+' {
		p.pos++
	}
	digits := p.pos
	for p.pos < len(p.s) && '0' <= p.s[p.pos] && p.s[p.pos] <= '9' {
		p.pos++
	}
	if p.pos == digits {
		return 0, p.errorf("bad number")
	}
	text := p.s[start:p.pos]
	if p.pos < len(p.s) && (p.s[p.pos] == 'L' || p.s[p.pos] == 'l') {
		p.pos++ // Python 2's long integers, as old numpy wrote shapes.
	}
	n, err := strconv.ParseInt(text, 10, 64)
	if err != nil {
		return 0, p.errorf("number %.40s out of range", text)
	}
	return n, nil
}

// seq parses the items of a tuple or list up to the closing character.
func (p *headerParser) seq(end byte, depth int) ([]any, error) {
	p.pos++ // ( or [
	items := []any{}
	for {
		p.space()
		if p.pos < len(p.s) && p.s[p.pos] == end {
			p.pos++
			return items, nil
		}
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		items = append(items, v)
		p.space()
		if p.pos == len(p.s) {
			return nil, p.errorf("unexpected end")
		}
		switch p.s[p.pos] {
		case ',':
			p.pos++
		case end:
		default:
			return nil, p.errorf("want ',' or %q, got %q", end, p.s[p.pos])
		}
	}
}

func (p *headerParser) dict(depth int) (map[string]any, error) {
	p.pos++ // {
	d := map[string]any{}
	for {
		p.space()
		if p.pos == len(p.s) {
			return nil, p.errorf("unexpected end")
		}
		if p.s[p.pos] == '}' {
			p.pos++
			return d, nil
		}
		if c := p.s[p.pos]; c != '\'' && c != '"' {
			return nil, p.errorf("dict key is not a string")
		}
		k, err := p.str()
		if err != nil {
			return nil, err
		}
		p.space()
		if p.pos == len(p.s) || p.s[p.pos] != ':' {
			return nil, p.errorf("want ':' after key %q", k)
		}
		p.pos++
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, err
		}
		if _, dup := d[k]; dup {
			return nil, p.errorf("key %q appears twice", k)
		}
		d[k] = v
		p.space()
		if p.pos == len(p.s) {
			return nil, p.errorf("unexpected end")
		}
		switch p.s[p.pos] {
		case ',':
			p.pos++
		case '}':
		default:
			return nil, p.errorf("want ',' or '}', got %q", p.s[p.pos])
		}
	}
}
