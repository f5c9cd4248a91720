package barcode

// Symbology is the kind of symbol a scanner read, known when it sends an AIM symbology identifier
// (ISO/IEC 15424: ']', a code character, a modifier) before the data.
type Symbology string

// Symbologies the till tells apart. Unknown is a code that came without an identifier.
const (
	Unknown     Symbology = ""
	EAN13       Symbology = "EAN-13" // also UPC-A and UPC-E sent as 13 digits
	EAN8        Symbology = "EAN-8"  // ]E4
	EANAddOn    Symbology = "EAN/UPC with add-on"
	Code128     Symbology = "Code 128"
	GS1128      Symbology = "GS1-128"
	ITF         Symbology = "ITF"
	Code39      Symbology = "Code 39"
	DataBar     Symbology = "GS1 DataBar"
	DataMatrix  Symbology = "Data Matrix"
	GS1Matrix   Symbology = "GS1 DataMatrix"
	QR          Symbology = "QR Code"
	GS1QR       Symbology = "GS1 QR Code"
	PDF417      Symbology = "PDF417"
	OtherSymbol Symbology = "other"
)

// aimSymbologies maps an identifier's code character and modifier to a symbology. Modifiers not listed
// fall back to the code character's entry under '*'.
var aimSymbologies = map[[2]byte]Symbology{
	{'E', '0'}: EAN13, {'E', '4'}: EAN8, {'E', '1'}: EANAddOn, {'E', '2'}: EANAddOn, {'E', '3'}: EANAddOn,
	{'C', '*'}: Code128, {'C', '1'}: GS1128,
	{'I', '*'}: ITF,
	{'A', '*'}: Code39,
	{'e', '*'}: DataBar,
	{'d', '*'}: DataMatrix, {'d', '2'}: GS1Matrix,
	{'Q', '*'}: QR, {'Q', '3'}: GS1QR,
	{'L', '*'}: PDF417,
}

// IsGS1 reports whether the symbology carries GS1 element strings by definition.
func (s Symbology) IsGS1() bool {
	return s == GS1128 || s == DataBar || s == GS1Matrix || s == GS1QR
}

// StripAIM splits an AIM symbology identifier off the front of raw. A code without one comes back whole
// with Unknown; an identifier with an unlisted code character is stripped and reported as OtherSymbol.
func StripAIM(raw string) (Symbology, string) {
	if len(raw) < 3 || raw[0] != ']' || !isAIMChar(raw[1]) || !isAIMChar(raw[2]) {
		return Unknown, raw
	}
	if s, ok := aimSymbologies[[2]byte{raw[1], raw[2]}]; ok {
		return s, raw[3:]
	}
	if s, ok := aimSymbologies[[2]byte{raw[1], '*'}]; ok {
		return s, raw[3:]
	}
	return OtherSymbol, raw[3:]
}

func isAIMChar(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'
}
