package cardreader

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
)

// hx reads spaced hex, as messages are written in the CCID specification and USB traces.
func hx(s string) []byte {
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		panic(err)
	}
	return b
}

func TestCommandBytes(t *testing.T) {
	long := bytes.Repeat([]byte{0xAB}, 300)
	for _, tt := range []struct {
		name string
		got  []byte
		want []byte
	}{
		{"power on, automatic voltage", IccPowerOn(0, 1, VoltageAuto), hx("62 00000000 00 01 00 00 00")},
		{"power on slot 1, 3 V, seq 255", IccPowerOn(1, 0xFF, Voltage3V), hx("62 00000000 01 FF 02 00 00")},
		{"power on, 1.8 V", IccPowerOn(0, 0, Voltage1V8), hx("62 00000000 00 00 03 00 00")},
		{"power off", IccPowerOff(0, 2), hx("63 00000000 00 02 00 00 00")},
		{"get slot status", GetSlotStatus(0, 3), hx("65 00000000 00 03 00 00 00")},
		{"get UID", XfrBlock(0, 4, 0, 0, GetUID()), hx("6F 05000000 00 04 00 00 00 FF CA 00 00 00")},
		{"BWI and level parameter", XfrBlock(2, 5, 0x0A, 0x1234, []byte{1, 2}), hx("6F 02000000 02 05 0A 34 12 01 02")},
		{"300-byte block", XfrBlock(0, 6, 0, 0, long), append(hx("6F 2C010000 00 06 00 00 00"), long...)},
	} {
		if !bytes.Equal(tt.got, tt.want) {
			t.Errorf("%s: % X, want % X", tt.name, tt.got, tt.want)
		}
	}
}

// acrATR is the ATR an ACR122U synthesises for an ISO 14443-3 (MIFARE) card, per PC/SC part 3.
const acrATR = "3B 8F 80 01 80 4F 0C A0 00 00 03 06 03 00 01 00 00 00 00 6A"

func TestParseReply(t *testing.T) {
	powerOn, status, getUID := IccPowerOn(0, 1, VoltageAuto), GetSlotStatus(0, 3), XfrBlock(0, 4, 0, 0, GetUID())
	for _, tt := range []struct {
		name    string
		cmd     []byte
		reply   string
		want    Reply
		wantErr error
	}{
		{"ATR after power on", powerOn, "80 14000000 00 01 00 00 00 " + acrATR,
			Reply{Type: TypeDataBlock, Seq: 1, ICC: ICCActive, Data: hx(acrATR)}, nil},
		{"UID after XfrBlock", getUID, "80 09000000 00 04 00 00 00 04 A2 24 B2 5C 58 80 90 00",
			Reply{Type: TypeDataBlock, Seq: 4, Data: hx("04 A2 24 B2 5C 58 80 90 00")}, nil},
		{"no card", status, "81 00000000 00 03 02 00 01",
			Reply{Type: TypeSlotStatus, Seq: 3, ICC: ICCAbsent, Specific: 1, Data: []byte{}}, nil},
		{"card present, not powered", status, "81 00000000 00 03 01 00 00",
			Reply{Type: TypeSlotStatus, Seq: 3, ICC: ICCInactive, Data: []byte{}}, nil},
		{"power on, card mute", powerOn, "80 00000000 00 01 42 FE 00",
			Reply{Type: TypeDataBlock, Seq: 1, ICC: ICCAbsent, Command: CommandFailed, Error: ErrCodeICCMute, Data: []byte{}},
			&CommandError{Code: ErrCodeICCMute, ICC: ICCAbsent}},
		{"hardware error", status, "81 00000000 00 03 41 FB 00",
			Reply{Type: TypeSlotStatus, Seq: 3, ICC: ICCInactive, Command: CommandFailed, Error: ErrCodeHWError, Data: []byte{}},
			&CommandError{Code: ErrCodeHWError, ICC: ICCInactive}},
		{"slot busy", getUID, "80 00000000 00 04 40 E0 00",
			Reply{Type: TypeDataBlock, Seq: 4, Command: CommandFailed, Error: ErrCodeCmdSlotBusy, Data: []byte{}},
			&CommandError{Code: ErrCodeCmdSlotBusy}},
		{"time extension", getUID, "80 00000000 00 04 80 01 00",
			Reply{Type: TypeDataBlock, Seq: 4, Command: CommandTimeExtension, Error: 1, Data: []byte{}}, ErrTimeExtension},
		{"reserved command status", status, "81 00000000 00 03 C0 00 00",
			Reply{Type: TypeSlotStatus, Seq: 3, Command: 3, Data: []byte{}}, ErrUnexpectedType},
		{"stale reply", status, "81 00000000 00 02 02 00 00",
			Reply{Type: TypeSlotStatus, Seq: 2, ICC: ICCAbsent, Data: []byte{}}, ErrWrongSequence},
		{"other slot", status, "81 00000000 01 03 02 00 00",
			Reply{Type: TypeSlotStatus, Slot: 1, Seq: 3, ICC: ICCAbsent, Data: []byte{}}, ErrWrongSlot},
		{"slot status to power on", powerOn, "81 00000000 00 01 00 00 00",
			Reply{Type: TypeSlotStatus, Seq: 1, Data: []byte{}}, ErrUnexpectedType},
		{"interrupt message type on bulk", status, "50 00000000 00 03 00 00 00", Reply{}, ErrUnexpectedType},
		{"short header", status, "81 00000000 00 03 02", Reply{}, ErrShortMessage},
		{"empty", status, "", Reply{}, ErrShortMessage},
		{"short data", getUID, "80 09000000 00 04 00 00 00 04 A2 24", Reply{}, ErrShortMessage},
		{"huge dwLength", getUID, "80 FFFFFFFF 00 04 00 00 00 90 00", Reply{}, ErrShortMessage},
		{"data beyond dwLength", status, "81 00000000 00 03 02 00 00 90 00", Reply{}, ErrLengthMismatch},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseReply(tt.cmd, hx(tt.reply))
			var cmdErr *CommandError
			switch want := tt.wantErr.(type) {
			case nil:
				if err != nil {
					t.Fatalf("error %v", err)
				}
			case *CommandError:
				if !errors.As(err, &cmdErr) || *cmdErr != *want {
					t.Fatalf("error %v, want %v", err, want)
				}
			default:
				if !errors.Is(err, want) {
					t.Fatalf("error %v, want %v", err, want)
				}
			}
			if tt.want.Type == 0 {
				return // refused before the fields are read
			}
			if got.Type != tt.want.Type || got.Slot != tt.want.Slot || got.Seq != tt.want.Seq || got.ICC != tt.want.ICC ||
				got.Command != tt.want.Command || got.Error != tt.want.Error || got.Specific != tt.want.Specific || !bytes.Equal(got.Data, tt.want.Data) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestSlotErrorNames(t *testing.T) {
	for code, want := range map[SlotError]string{
		ErrCodeICCMute: "ICC_MUTE", ErrCodeHWError: "HW_ERROR", ErrCodeCmdSlotBusy: "CMD_SLOT_BUSY",
		ErrCodePINTimeout: "PIN_TIMEOUT", 0x05: "bad parameter at offset 5", 0x90: "slot error 0x90",
	} {
		if got := code.String(); got != want {
			t.Errorf("SlotError(0x%02X) = %q, want %q", byte(code), got, want)
		}
	}
	err := &CommandError{Code: ErrCodeICCMute, ICC: ICCAbsent}
	if got := err.Error(); got != "ccid: command failed: ICC_MUTE (no card)" {
		t.Errorf("CommandError = %q", got)
	}
}

func TestParseNotifySlotChange(t *testing.T) {
	for _, tt := range []struct {
		msg  string
		want []SlotChange
	}{
		{"50 03", []SlotChange{{0, true, true}, {1, false, false}, {2, false, false}, {3, false, false}}},
		{"50 02", []SlotChange{{0, false, true}, {1, false, false}, {2, false, false}, {3, false, false}}},
		{"50 01", []SlotChange{{0, true, false}, {1, false, false}, {2, false, false}, {3, false, false}}},
		{"50 CC 01", []SlotChange{{0, false, false}, {1, true, true}, {2, false, false}, {3, true, true},
			{4, true, false}, {5, false, false}, {6, false, false}, {7, false, false}}},
	} {
		got, err := ParseNotifySlotChange(hx(tt.msg))
		if err != nil {
			t.Fatalf("% X: %v", hx(tt.msg), err)
		}
		if len(got) != len(tt.want) {
			t.Fatalf("% X: %v", hx(tt.msg), got)
		}
		for i := range got {
			if got[i] != tt.want[i] {
				t.Errorf("% X slot %d: %+v, want %+v", hx(tt.msg), i, got[i], tt.want[i])
			}
		}
	}
	if _, err := ParseNotifySlotChange(hx("50")); !errors.Is(err, ErrShortMessage) {
		t.Errorf("bare type byte: %v", err)
	}
	if _, err := ParseNotifySlotChange(hx("51 00 01 01")); !errors.Is(err, ErrUnexpectedType) {
		t.Errorf("hardware error message: %v", err)
	}
}

func TestParseUID(t *testing.T) {
	for _, tt := range []struct {
		resp    string
		want    string
		wantErr error
	}{
		{"04 A2 24 B2 5C 58 80 90 00", "04 A2 24 B2 5C 58 80", nil}, // 7-byte NTAG/MIFARE UID
		{"DE AD BE EF 90 00", "DE AD BE EF", nil},                   // 4-byte MIFARE Classic UID
		{"01 02 03 04 05 06 07 08 09 0A 90 00", "01 02 03 04 05 06 07 08 09 0A", nil},
		{"63 00", "", ErrUIDFailed},
		{"6A 81", "", ErrUIDUnsupported},
		{"90 00", "", ErrLengthMismatch},
		{"01 02 03 90 00", "", ErrLengthMismatch},
		{"01 02 03 04 05 06 07 08 09 0A 0B 90 00", "", ErrLengthMismatch},
		{"90", "", ErrShortMessage},
		{"", "", ErrShortMessage},
	} {
		uid, err := ParseUID(hx(tt.resp))
		if !errors.Is(err, tt.wantErr) || !bytes.Equal(uid, hx(tt.want)) {
			t.Errorf("ParseUID(% X) = % X, %v; want % X, %v", hx(tt.resp), uid, err, hx(tt.want), tt.wantErr)
		}
	}
	var swErr *StatusWordError
	if _, err := ParseUID(hx("6D 00")); !errors.As(err, &swErr) || swErr.SW1 != 0x6D || err.Error() != "pcsc: status word 6D 00" {
		t.Errorf("unknown status word: %v", err)
	}
}

// FuzzParseReply feeds arbitrary bytes to every parser: none may panic, and an accepted reply must be
// exactly as long as its header says and echo the command.
func FuzzParseReply(f *testing.F) {
	for _, seed := range []string{
		"80 14000000 00 07 00 00 00 " + acrATR,
		"81 00000000 00 07 02 00 01",
		"80 00000000 00 07 42 FE 00",
		"80 00000000 00 07 80 01 00",
		"80 09000000 00 07 00 00 00 04 A2 24 B2 5C 58 80 90 00",
		"50 03",
		"63 00",
	} {
		f.Add(hx(seed))
	}
	commands := [][]byte{IccPowerOn(0, 7, VoltageAuto), GetSlotStatus(0, 7), XfrBlock(0, 7, 0, 0, GetUID()), IccPowerOff(0, 7)}
	f.Fuzz(func(t *testing.T, msg []byte) {
		for _, cmd := range commands {
			r, err := ParseReply(cmd, msg)
			if err == nil || errors.Is(err, ErrTimeExtension) {
				if len(msg) != HeaderLen+len(r.Data) || r.Seq != 7 || r.Slot != 0 || r.Type != replyType[MessageType(cmd[0])] {
					t.Fatalf("ParseReply(% X) accepted %+v", msg, r)
				}
			}
		}
		if slots, err := ParseNotifySlotChange(msg); err == nil && len(slots) != 4*(len(msg)-1) {
			t.Fatalf("ParseNotifySlotChange(% X) gave %d slots", msg, len(slots))
		}
		if uid, err := ParseUID(msg); err == nil && (len(uid) < 4 || len(uid) > 10) {
			t.Fatalf("ParseUID(% X) gave % X", msg, uid)
		}
	})
}
