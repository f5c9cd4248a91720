package scale

import (
	"fmt"
	"strings"
	"time"

	"go.bug.st/serial"
)

// Protocol is how a scale frames its weight and whether it must be asked for it.
type Protocol int

const (
	// Stream is the continuous "ST,GS,+001.234kg" line output (ParseStream); nothing is sent to the scale.
	Stream Protocol = iota
	// SICS is METTLER TOLEDO MT-SICS: the till asks "SI" (ParseSICS); tare T, zero Z.
	SICS
	// Toledo8217 is the METTLER TOLEDO 8217 protocol: the till asks "W" (ParseToledo); tare T, zero Z.
	Toledo8217
	// CASPD2 is a CAS PD-II in ECR type 2: the till asks "W" (ParseCASPD2).
	CASPD2
	// CAS is the CAS ECR exchange ENQ, ACK, DC1 and its SOH…EOT frame (ParseCAS); tare and zero as CAS-M.
	CAS
	// Aclas is a 顶尖 Aclas / Pinnacle OS2X counter scale sending the CAS-type frame unasked (ParseCAS),
	// in what Aclas calls its Stream output mode (500635.com's Aclas note lists Stream, Auto, Kpc, Cmd).
	Aclas
)

// 大华 Dahua counter scales: no description of their serial frame was found. A POS vendor's setup note
// reads a Dahua scale's output as a line of other characters, then '+', the weight, a space and the unit.
// A Dahua line that carries the ST/US,GS/NT header reads as Stream; one without it cannot say when the
// weight is stable, and the till never sells an unsettled weight, so it is not supported.

var protocolNames = []string{"stream", "sics", "toledo8217", "caspd2", "cas", "aclas"}

func (p Protocol) String() string {
	if p < 0 || int(p) >= len(protocolNames) {
		return fmt.Sprintf("Protocol(%d)", int(p))
	}
	return protocolNames[p]
}

// ParseProtocol reads a protocol name as the settings hold it.
func ParseProtocol(s string) (Protocol, error) {
	for i, name := range protocolNames {
		if strings.EqualFold(strings.TrimSpace(s), name) {
			return Protocol(i), nil
		}
	}
	return 0, fmt.Errorf("scale protocol %q: want one of %s", s, strings.Join(protocolNames, ", "))
}

// ProtocolNames lists the protocols by their settings names, for the devices screen.
func ProtocolNames() []string { return append([]string(nil), protocolNames...) }

// DefaultPoll is how often a scale that must be asked is asked: five times a second shows a live weight
// without lag, and at 9600 baud a request and its reply take under 20 ms. (Odoo's 8217 driver waits
// 0.2–0.5 s between requests.)
const DefaultPoll = 200 * time.Millisecond

// mode is the line settings each protocol's scales ship with: 9600 baud; 7 data bits and even parity for
// the Toledo-type scales (Odoo's 8217 driver, kortoaus/cas-scale for the PD-II), 8N1 for the others
// (MT-SICS factory setting; the CAS/Aclas manuals found give no parity, so 8N1 is assumed).
func (p Protocol) mode(baud int) *serial.Mode {
	m := &serial.Mode{BaudRate: baud, DataBits: 8, Parity: serial.NoParity, StopBits: serial.OneStopBit}
	if p == Toledo8217 || p == CASPD2 {
		m.DataBits, m.Parity = 7, serial.EvenParity
	}
	return m
}

// request is what the till sends to ask for a weight; nil for the scales that send it unasked. A CAS
// scale is sent ENQ; its ACK is answered with DC1 (Scale.read).
func (p Protocol) request() []byte {
	switch p {
	case SICS:
		return []byte("SI\r\n") // SI: the weight now, stable or not, so the screen can show it live
	case Toledo8217, CASPD2:
		return []byte("W")
	case CAS:
		return []byte{enq}
	}
	return nil
}

// checksummed says whether p's frames carry a checksum: only the CAS-type frame (CAS, Aclas) has one,
// its BCC. Stream and MT-SICS lines and Toledo 8217 / CAS PD-II replies have none (the 7E1 parity bit
// of the last two catches one flipped bit in a byte, not a lost or swapped byte), so the Decoder
// confirms their stable weights with a second frame.
func (p Protocol) checksummed() bool { return p == CAS || p == Aclas }

// Command is what a scale may be told to do.
type Command int

const (
	Tare Command = iota // take what is on the scale as the tare
	Zero                // set the scale to zero
)

// command is what the till sends for c, or nil when the protocol has no such command (or none known:
// Stream's "MT"/"MZ" commands are documented for one indicator only and PD-II's not at all).
func (p Protocol) command(c Command) []byte {
	switch {
	case p == SICS && c == Tare:
		return []byte("T\r\n") // T and Z wait for a stable weight; TI and ZI would not
	case p == SICS && c == Zero:
		return []byte("Z\r\n")
	case p == Toledo8217 && c == Tare:
		return []byte("T") // single characters, as Odoo's 8217 driver sends them
	case p == Toledo8217 && c == Zero:
		return []byte("Z")
	case p == CAS && c == Tare:
		return []byte("<TK>\t") // 3C 54 4B 3E 09, Mertech's CAS-M page
	case p == CAS && c == Zero:
		return []byte("<ZK>\t") // 3C 5A 4B 3E 09
	}
	return nil
}
