package reportpdf

import "encoding/binary"

// glyphs tells which characters a TrueType font draws, from its Unicode cmap (format 4 or 12). The PDF
// needs it because the usual embeddable Chinese font, Droid Sans Fallback, has no Latin letters or
// digits: those runs are set in a Latin font instead, or every figure prints as an empty box.
type glyphs struct {
	font []byte
	sub  int // offset of the chosen cmap subtable; -1 when there is none
}

func newGlyphs(font []byte) glyphs {
	g := glyphs{font: font, sub: -1}
	cmap, ok := g.table("cmap")
	if !ok {
		return g
	}
	n := g.u16(cmap + 2)
	best := -1
	for i := range n {
		rec := cmap + 4 + 8*i
		platform, encoding, off := g.u16(rec), g.u16(rec+2), int(g.u32(rec+4))
		sub := cmap + off
		format := g.u16(sub)
		// Prefer full Unicode (format 12) over the Basic Multilingual Plane (format 4).
		switch {
		case format == 12 && (platform == 3 && encoding == 10 || platform == 0):
			best = sub
		case format == 4 && (platform == 3 && encoding == 1 || platform == 0) && best < 0:
			best = sub
		}
	}
	g.sub = best
	return g
}

// table returns the offset of the table tagged tag.
func (g glyphs) table(tag string) (int, bool) {
	n := g.u16(4)
	for i := range n {
		rec := 12 + 16*i
		if rec+16 > len(g.font) {
			return 0, false
		}
		if string(g.font[rec:rec+4]) == tag {
			return int(g.u32(rec + 8)), true
		}
	}
	return 0, false
}

func (g glyphs) u16(off int) int {
	if off < 0 || off+2 > len(g.font) {
		return 0
	}
	return int(binary.BigEndian.Uint16(g.font[off:]))
}

func (g glyphs) u32(off int) uint32 {
	if off < 0 || off+4 > len(g.font) {
		return 0
	}
	return binary.BigEndian.Uint32(g.font[off:])
}

// has reports whether the font maps r to a glyph.
func (g glyphs) has(r rune) bool {
	if g.sub < 0 {
		return false
	}
	switch g.u16(g.sub) {
	case 12:
		// A damaged count cannot make the loop outrun the file.
		groups := min(int(g.u32(g.sub+12)), (len(g.font)-g.sub-16)/12)
		for i := range groups {
			grp := g.sub + 16 + 12*i
			if uint32(r) >= g.u32(grp) && uint32(r) <= g.u32(grp+4) {
				return true
			}
		}
		return false
	case 4:
		if r > 0xFFFF {
			return false
		}
		c := int(r)
		segs := g.u16(g.sub+6) / 2
		ends := g.sub + 14
		starts := ends + 2*segs + 2
		deltas := starts + 2*segs
		ranges := deltas + 2*segs
		for i := range segs {
			if g.u16(ends+2*i) < c {
				continue
			}
			start := g.u16(starts + 2*i)
			if start > c {
				return false
			}
			ro := g.u16(ranges + 2*i)
			if ro == 0 {
				return (c+g.u16(deltas+2*i))&0xFFFF != 0
			}
			glyph := g.u16(ranges + 2*i + ro + 2*(c-start))
			return glyph != 0
		}
	}
	return false
}
