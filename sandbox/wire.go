package sandbox

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"math"
	"unicode/utf8"
)

// The bodies of the worker protocol's frames (protocol.go) are
// length-prefixed fields rather than JSON: encoding and decoding JSON on
// both sides was about a tenth of a warm call's CPU. Decoding keeps what a
// JSON round trip did to a result (so callers see the same values): a
// successful result without a value is null, a failed one has none, and text
// that is not UTF-8 has each bad byte replaced by U+FFFD.
//
//	call    flags byte (1: check only), source, func, args (compact JSON)
//	result  flags byte (1: ok, 2: recycle, 4: error), duration (float64
//	        bits, little endian), result JSON, stdout, stderr, and with
//	        flag 4 the error's kind and message
//	hello   protocol version (uvarint), number of layers (uvarint), then per
//	        layer its name, active (byte 0 or 1) and detail
//
// A field is a uvarint length followed by that many bytes.

// wireCall is a Call as sent to a worker.
type wireCall struct {
	Source string
	Func   string
	Args   json.RawMessage
	// Check asks only to compile Source.
	Check bool
}

// wireResult is a worker's answer.
type wireResult struct {
	Result Result
	// Recycle asks the host to retire the worker: the call left goroutines
	// behind, hit the output or memory limit, or used much of the CPU limit.
	Recycle bool
}

// hello is the worker's greeting: the protocol it speaks and the layers that
// confine it.
type hello struct {
	Version uint64
	Report  Confinement
}

// errWire is returned for a message that is cut short or malformed.
var errWire = errors.New("malformed message")

const (
	flagCheck = 1 << iota // wireCall.Check
)

const (
	flagOK      = 1 << iota // Result.OK
	flagRecycle             // wireResult.Recycle
	flagError               // Result.Error != nil
)

func appendField(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// encodeCall encodes a call; its arguments must be valid JSON (or empty),
// and are sent compacted.
func encodeCall(c wireCall) ([]byte, error) {
	var flags byte
	if c.Check {
		flags |= flagCheck
	}
	b := make([]byte, 0, 1+len(c.Source)+len(c.Func)+len(c.Args)+3*binary.MaxVarintLen64)
	b = append(b, flags)
	b = appendField(b, c.Source)
	b = appendField(b, c.Func)
	if len(c.Args) == 0 {
		return appendField(b, ""), nil
	}
	// Compact into the tail of b, after room for the length.
	start := len(b)
	b = append(b, make([]byte, binary.MaxVarintLen64)...)
	buf := bytes.NewBuffer(b)
	if err := json.Compact(buf, c.Args); err != nil {
		// The same error as json.Marshal reports for bad arguments.
		_, err = json.Marshal(c.Args)
		return nil, err
	}
	b = buf.Bytes()
	n := len(b) - start - binary.MaxVarintLen64
	k := len(binary.AppendUvarint(b[start:start], uint64(n)))
	copy(b[start+k:], b[start+binary.MaxVarintLen64:])
	return b[:start+k+n], nil
}

func decodeCall(b []byte) (wireCall, error) {
	d := wireReader{b: b}
	flags := d.byte()
	c := wireCall{Check: flags&flagCheck != 0}
	c.Source = d.string()
	c.Func = d.string()
	if args := d.bytes(); len(args) > 0 {
		c.Args = json.RawMessage(args)
	}
	return c, d.end()
}

func encodeResult(r wireResult) []byte {
	res := r.Result
	var flags byte
	if res.OK {
		flags |= flagOK
	}
	if r.Recycle {
		flags |= flagRecycle
	}
	if res.Error != nil {
		flags |= flagError
	}
	n := 1 + 8 + len(res.Result) + len(res.Stdout) + len(res.Stderr) + 5*binary.MaxVarintLen64
	if res.Error != nil {
		n += len(res.Error.Kind) + len(res.Error.Message)
	}
	b := make([]byte, 0, n)
	b = append(b, flags)
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(res.DurationMS))
	b = appendField(b, string(res.Result))
	b = appendField(b, res.Stdout)
	b = appendField(b, res.Stderr)
	if res.Error != nil {
		b = appendField(b, string(res.Error.Kind))
		b = appendField(b, res.Error.Message)
	}
	return b
}

func decodeResult(b []byte) (wireResult, error) {
	d := wireReader{b: b}
	flags := d.byte()
	var r wireResult
	r.Recycle = flags&flagRecycle != 0
	res := &r.Result
	res.OK = flags&flagOK != 0
	res.DurationMS = math.Float64frombits(d.uint64())
	if math.IsNaN(res.DurationMS) || math.IsInf(res.DurationMS, 0) {
		return wireResult{}, errWire // JSON could not carry it either
	}
	result := d.bytes()
	switch {
	case !res.OK:
	case len(result) == 0:
		res.Result = json.RawMessage("null")
	default:
		if !json.Valid(result) {
			return wireResult{}, errWire
		}
		res.Result = json.RawMessage(result)
	}
	res.Stdout = validUTF8(d.string())
	res.Stderr = validUTF8(d.string())
	if flags&flagError != 0 {
		res.Error = &Error{Kind: Kind(validUTF8(d.string())), Message: validUTF8(d.string())}
	}
	return r, d.end()
}

// validUTF8 replaces each byte of s that is not part of a UTF-8 sequence
// with U+FFFD, as encoding/json does.
func validUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	b := make([]byte, 0, len(s)+8)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			b = utf8.AppendRune(b, utf8.RuneError)
		} else {
			b = append(b, s[i:i+n]...)
		}
		i += n
	}
	return string(b)
}

// wireReader reads fields; the first error sticks and later reads return
// zero values.
type wireReader struct {
	b   []byte
	err error
}

func (d *wireReader) byte() byte {
	if d.err != nil || len(d.b) < 1 {
		d.err = errWire
		return 0
	}
	c := d.b[0]
	d.b = d.b[1:]
	return c
}

func (d *wireReader) uint64() uint64 {
	if d.err != nil || len(d.b) < 8 {
		d.err = errWire
		return 0
	}
	v := binary.LittleEndian.Uint64(d.b)
	d.b = d.b[8:]
	return v
}

// bytes returns the next field; it shares the message's memory.
func (d *wireReader) bytes() []byte {
	if d.err != nil {
		return nil
	}
	n, k := binary.Uvarint(d.b)
	if k <= 0 || n > uint64(len(d.b)-k) {
		d.err = errWire
		return nil
	}
	v := d.b[k : k+int(n)]
	d.b = d.b[k+int(n):]
	return v
}

func (d *wireReader) string() string { return string(d.bytes()) }

// end reports an error or bytes left over.
func (d *wireReader) end() error {
	if d.err == nil && len(d.b) != 0 {
		d.err = errWire
	}
	return d.err
}

func encodeHello(h hello) []byte {
	b := binary.AppendUvarint(nil, h.Version)
	b = binary.AppendUvarint(b, uint64(len(h.Report.Layers)))
	for _, l := range h.Report.Layers {
		b = appendField(b, string(l.Layer))
		active := byte(0)
		if l.Active {
			active = 1
		}
		b = append(b, active)
		b = appendField(b, l.Detail)
	}
	return b
}

func decodeHello(b []byte) (hello, error) {
	d := wireReader{b: b}
	h := hello{Version: d.uvarint()}
	n := d.uvarint()
	if n > 64 {
		return hello{}, errWire
	}
	for range n {
		name := Layer(validUTF8(d.string()))
		active := d.byte()
		if active > 1 {
			return hello{}, errWire
		}
		h.Report.Layers = append(h.Report.Layers, LayerStatus{Layer: name, Active: active == 1, Detail: validUTF8(d.string())})
	}
	return h, d.end()
}

func (d *wireReader) uvarint() uint64 {
	if d.err != nil {
		return 0
	}
	v, k := binary.Uvarint(d.b)
	if k <= 0 {
		d.err = errWire
		return 0
	}
	d.b = d.b[k:]
	return v
}
