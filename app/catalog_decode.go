package app

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// textEncoding is how a catalog file's bytes are text. A file is UTF-8 when all of it is (a BOM is
// fine), else GB18030 (which includes GBK and GB2312, as spreadsheets in China save CSV) when all of it
// is; else it is refused, naming the line and byte offset of the first byte that is neither. No part of
// a file is ever read in the wrong one: that is how mojibake gets stored.
type textEncoding uint8

const (
	encodingUTF8 textEncoding = iota + 1
	encodingGB18030
)

// utf8BOM starts a file that says it is UTF-8.
const utf8BOM = "\ufeff"

// sniffEncoding reads r to its end, or to its first byte that is not UTF-8: UTF-8 when there is none,
// else GB18030. A file starting with a UTF-8 BOM says it is UTF-8, so a byte that is not is an error.
// Only the decision is made here; decodeText checks every byte of a GB18030 file as it reads it.
func sniffEncoding(r io.Reader) (textEncoding, error) {
	buf := make([]byte, 64<<10)
	var off int64 // of buf[0] in the file
	lines, kept, bom := 1, 0, false
	for first := true; ; first = false {
		n, err := io.ReadFull(r, buf[kept:])
		n += kept
		end := errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
		if err != nil && !end {
			return 0, fmt.Errorf("catalog file: %w", err)
		}
		if first {
			bom = bytes.HasPrefix(buf[:n], []byte(utf8BOM))
		}
		// A character cut by the end of buf is judged with the bytes after it.
		whole := buf[:n]
		if !end {
			whole = trimPartialRune(whole)
		}
		if !utf8.Valid(whole) {
			if bom {
				at := invalidUTF8(whole)
				return 0, fmt.Errorf("catalog file: line %d, byte %d: not UTF-8 text, though the file starts with a UTF-8 BOM",
					lines+bytes.Count(whole[:at], []byte{'\n'}), off+int64(at))
			}
			return encodingGB18030, nil
		}
		if end {
			return encodingUTF8, nil
		}
		lines += bytes.Count(whole, []byte{'\n'})
		off += int64(len(whole))
		kept = copy(buf, buf[len(whole):n])
	}
}

// invalidUTF8 is the offset of b's first byte that is not UTF-8.
func invalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return len(b)
}

// trimPartialRune drops an incomplete UTF-8 sequence at the end of b.
func trimPartialRune(b []byte) []byte {
	for i := 1; i <= utf8.UTFMax && i <= len(b); i++ {
		if utf8.RuneStart(b[len(b)-i]) {
			if !utf8.FullRune(b[len(b)-i:]) {
				return b[:len(b)-i]
			}
			break
		}
	}
	return b
}

// decodeText returns r's text as UTF-8: as it is, or decoded from GB18030 with every byte checked.
func decodeText(r io.Reader, enc textEncoding) io.Reader {
	if enc == encodingGB18030 {
		return transform.NewReader(r, &strictGB18030{dec: simplifiedchinese.GB18030.NewDecoder()})
	}
	return r
}

// strictGB18030 decodes GB18030 as simplifiedchinese does, but where that writes U+FFFD for bytes that
// are not GB18030 it stops with an error naming their line and byte offset.
type strictGB18030 struct {
	dec   transform.Transformer
	off   int64 // bytes decoded so far
	lines int   // newlines in them
}

var replacementChar = []byte(string(utf8.RuneError))

// Transform implements transform.Transformer.
func (d *strictGB18030) Transform(dst, src []byte, atEOF bool) (nDst, nSrc int, err error) {
	nDst, nSrc, err = d.dec.Transform(dst, src, atEOF)
	if bytes.Contains(dst[:nDst], replacementChar) {
		at := firstNotGB18030(src[:nSrc])
		return 0, 0, fmt.Errorf("catalog file: line %d, byte %d: neither UTF-8 nor GB18030 text (save it as UTF-8)",
			d.lines+1+bytes.Count(src[:at], []byte{'\n'}), d.off+int64(at))
	}
	d.off += int64(nSrc)
	d.lines += bytes.Count(src[:nSrc], []byte{'\n'})
	return nDst, nSrc, err
}

// Reset implements transform.Transformer.
func (d *strictGB18030) Reset() {
	d.dec.Reset()
	d.off, d.lines = 0, 0
}

// firstNotGB18030 is the offset of the first character of b that GB18030 decodes to U+FFFD, found one
// character at a time: only an error's path is this slow.
func firstNotGB18030(b []byte) int {
	for i := 0; i < len(b); {
		n := 1 // ASCII, or a byte no character starts with
		switch {
		case b[i] < 0x81 || b[i] == 0xff || i+1 == len(b):
		case b[i+1] >= '0' && b[i+1] <= '9':
			n = min(4, len(b)-i) // four bytes: lead, digit, lead, digit
		default:
			n = 2
		}
		out, _, _ := transform.Bytes(simplifiedchinese.GB18030.NewDecoder(), b[i:i+n])
		if bytes.Contains(out, replacementChar) {
			return i
		}
		i += n
	}
	return len(b)
}
