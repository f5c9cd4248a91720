package cardreader

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// CCID messages (USB CCID class specification rev 1.1, section 6). Every bulk message starts with a
// 10-byte little-endian header: bMessageType, dwLength (bytes after the header), bSlot, bSeq and three
// bytes whose meaning depends on the type. A reply echoes the slot and sequence number of its command.

// HeaderLen is the length of a CCID bulk message header.
const HeaderLen = 10

// MessageType is a CCID bMessageType.
type MessageType byte

// Message types used here.
const (
	TypeIccPowerOn       MessageType = 0x62 // PC_to_RDR_IccPowerOn
	TypeIccPowerOff      MessageType = 0x63 // PC_to_RDR_IccPowerOff
	TypeGetSlotStatus    MessageType = 0x65 // PC_to_RDR_GetSlotStatus
	TypeXfrBlock         MessageType = 0x6F // PC_to_RDR_XfrBlock
	TypeDataBlock        MessageType = 0x80 // RDR_to_PC_DataBlock: reply to IccPowerOn and XfrBlock
	TypeSlotStatus       MessageType = 0x81 // RDR_to_PC_SlotStatus: reply to IccPowerOff and GetSlotStatus
	TypeNotifySlotChange MessageType = 0x50 // RDR_to_PC_NotifySlotChange, on the interrupt-IN endpoint
)

// replyType is the reply each command expects.
var replyType = map[MessageType]MessageType{
	TypeIccPowerOn:    TypeDataBlock,
	TypeXfrBlock:      TypeDataBlock,
	TypeIccPowerOff:   TypeSlotStatus,
	TypeGetSlotStatus: TypeSlotStatus,
}

// Voltage is IccPowerOn's bPowerSelect.
type Voltage byte

// Voltages; contactless readers ignore the choice, and Automatic lets a contact reader pick.
const (
	VoltageAuto Voltage = 0
	Voltage5V   Voltage = 1
	Voltage3V   Voltage = 2
	Voltage1V8  Voltage = 3
)

func header(t MessageType, dataLen int, slot, seq byte, specific [3]byte) []byte {
	b := make([]byte, HeaderLen, HeaderLen+dataLen)
	b[0] = byte(t)
	binary.LittleEndian.PutUint32(b[1:5], uint32(dataLen))
	b[5], b[6] = slot, seq
	copy(b[7:10], specific[:])
	return b
}

// IccPowerOn builds PC_to_RDR_IccPowerOn: power the card in slot and return its ATR.
func IccPowerOn(slot, seq byte, v Voltage) []byte {
	return header(TypeIccPowerOn, 0, slot, seq, [3]byte{byte(v)})
}

// IccPowerOff builds PC_to_RDR_IccPowerOff.
func IccPowerOff(slot, seq byte) []byte {
	return header(TypeIccPowerOff, 0, slot, seq, [3]byte{})
}

// GetSlotStatus builds PC_to_RDR_GetSlotStatus: is a card present, and is it powered.
func GetSlotStatus(slot, seq byte) []byte {
	return header(TypeGetSlotStatus, 0, slot, seq, [3]byte{})
}

// XfrBlock builds PC_to_RDR_XfrBlock carrying apdu to the card. bwi extends the block waiting time
// (T=1); levelParameter is wLevelParameter, 0 for a short APDU exchanged whole.
func XfrBlock(slot, seq, bwi byte, levelParameter uint16, apdu []byte) []byte {
	b := header(TypeXfrBlock, len(apdu), slot, seq, [3]byte{bwi, byte(levelParameter), byte(levelParameter >> 8)})
	return append(b, apdu...)
}

// ICCStatus is bmICCStatus, bits 0–1 of a reply's bStatus.
type ICCStatus byte

// Card states in a slot.
const (
	ICCActive   ICCStatus = 0 // a card is present and powered
	ICCInactive ICCStatus = 1 // a card is present and not powered
	ICCAbsent   ICCStatus = 2 // no card
)

func (s ICCStatus) String() string {
	switch s {
	case ICCActive:
		return "present, active"
	case ICCInactive:
		return "present, inactive"
	case ICCAbsent:
		return "no card"
	}
	return fmt.Sprintf("ICC status %d", byte(s))
}

// CommandStatus is bmCommandStatus, bits 6–7 of a reply's bStatus.
type CommandStatus byte

// Command outcomes.
const (
	CommandOK            CommandStatus = 0
	CommandFailed        CommandStatus = 1 // bError says why
	CommandTimeExtension CommandStatus = 2 // the reader needs more time; the real reply follows
)

// SlotError is a reply's bError when the command failed (CCID table 6.2-2).
type SlotError byte

// Slot errors a reader reports. 0x01–0x7F name the offset of a bad field in the command.
const (
	ErrCodeCommandNotSupported  SlotError = 0x00
	ErrCodeCmdAborted           SlotError = 0xFF
	ErrCodeICCMute              SlotError = 0xFE // the card did not answer: it left the field, or none is there
	ErrCodeXfrParityError       SlotError = 0xFD
	ErrCodeXfrOverrun           SlotError = 0xFC
	ErrCodeHWError              SlotError = 0xFB
	ErrCodeBadATRTS             SlotError = 0xF8
	ErrCodeBadATRTCK            SlotError = 0xF7
	ErrCodeProtocolNotSupported SlotError = 0xF6
	ErrCodeClassNotSupported    SlotError = 0xF5
	ErrCodeProcedureByte        SlotError = 0xF4
	ErrCodeDeactivatedProtocol  SlotError = 0xF3
	ErrCodeBusyAutoSequence     SlotError = 0xF2
	ErrCodePINTimeout           SlotError = 0xF0
	ErrCodePINCancelled         SlotError = 0xEF
	ErrCodeCmdSlotBusy          SlotError = 0xE0 // another command is still running in the slot
)

var slotErrorNames = map[SlotError]string{
	ErrCodeCommandNotSupported:  "command not supported",
	ErrCodeCmdAborted:           "CMD_ABORTED",
	ErrCodeICCMute:              "ICC_MUTE",
	ErrCodeXfrParityError:       "XFR_PARITY_ERROR",
	ErrCodeXfrOverrun:           "XFR_OVERRUN",
	ErrCodeHWError:              "HW_ERROR",
	ErrCodeBadATRTS:             "BAD_ATR_TS",
	ErrCodeBadATRTCK:            "BAD_ATR_TCK",
	ErrCodeProtocolNotSupported: "ICC_PROTOCOL_NOT_SUPPORTED",
	ErrCodeClassNotSupported:    "ICC_CLASS_NOT_SUPPORTED",
	ErrCodeProcedureByte:        "PROCEDURE_BYTE_CONFLICT",
	ErrCodeDeactivatedProtocol:  "DEACTIVATED_PROTOCOL",
	ErrCodeBusyAutoSequence:     "BUSY_WITH_AUTO_SEQUENCE",
	ErrCodePINTimeout:           "PIN_TIMEOUT",
	ErrCodePINCancelled:         "PIN_CANCELLED",
	ErrCodeCmdSlotBusy:          "CMD_SLOT_BUSY",
}

func (e SlotError) String() string {
	if name, ok := slotErrorNames[e]; ok {
		return name
	}
	if e >= 0x01 && e <= 0x7F {
		return fmt.Sprintf("bad parameter at offset %d", byte(e))
	}
	return fmt.Sprintf("slot error 0x%02X", byte(e))
}

// CommandError is a well-formed reply that says the command failed.
type CommandError struct {
	Code SlotError
	ICC  ICCStatus // the slot's state when it failed
}

func (e *CommandError) Error() string {
	return fmt.Sprintf("ccid: command failed: %v (%v)", e.Code, e.ICC)
}

// Reply errors: a reply that is not the answer to the command sent.
var (
	ErrShortMessage   = errors.New("ccid: message shorter than its header or its dwLength")
	ErrLengthMismatch = errors.New("ccid: message longer than its dwLength")
	ErrUnexpectedType = errors.New("ccid: unexpected message type")
	ErrWrongSlot      = errors.New("ccid: reply for another slot")
	ErrWrongSequence  = errors.New("ccid: reply sequence number does not match the command")
	// ErrTimeExtension is not a failure: the reader asks for more time and will send the real reply.
	ErrTimeExtension = errors.New("ccid: reader requested a time extension")
)

// Reply is a parsed RDR_to_PC_DataBlock or RDR_to_PC_SlotStatus.
type Reply struct {
	Type    MessageType
	Slot    byte
	Seq     byte
	ICC     ICCStatus
	Command CommandStatus
	Error   SlotError // meaningful when Command is CommandFailed
	// Specific is bChainParameter of a DataBlock or bClockStatus of a SlotStatus; with a time extension,
	// a DataBlock's bError holds the BWT multiplier instead.
	Specific byte
	Data     []byte // the ATR after IccPowerOn, the card's response after XfrBlock
}

// ParseReply parses reply as the answer to cmd: it checks the lengths, that the reply is the type cmd
// expects, and that it echoes cmd's slot and sequence number. A failed command gives the reply and a
// *CommandError; a time extension gives the reply and ErrTimeExtension, and the caller reads again.
// Data aliases reply.
func ParseReply(cmd, reply []byte) (Reply, error) {
	if len(cmd) < HeaderLen {
		return Reply{}, fmt.Errorf("ccid: command of %d bytes: %w", len(cmd), ErrShortMessage)
	}
	if len(reply) < HeaderLen {
		return Reply{}, fmt.Errorf("ccid: reply of %d bytes: %w", len(reply), ErrShortMessage)
	}
	n := binary.LittleEndian.Uint32(reply[1:5])
	switch have := uint64(len(reply) - HeaderLen); {
	case have < uint64(n):
		return Reply{}, fmt.Errorf("ccid: reply has %d of %d data bytes: %w", have, n, ErrShortMessage)
	case have > uint64(n):
		return Reply{}, fmt.Errorf("ccid: reply has %d data bytes, dwLength %d: %w", have, n, ErrLengthMismatch)
	}
	r := Reply{
		Type:     MessageType(reply[0]),
		Slot:     reply[5],
		Seq:      reply[6],
		ICC:      ICCStatus(reply[7] & 0x03),
		Command:  CommandStatus(reply[7] >> 6),
		Error:    SlotError(reply[8]),
		Specific: reply[9],
		Data:     reply[HeaderLen:],
	}
	// The sequence number first: a stale reply to an earlier command is recognised whatever its type.
	if r.Seq != cmd[6] {
		return r, fmt.Errorf("ccid: reply seq %d, command seq %d: %w", r.Seq, cmd[6], ErrWrongSequence)
	}
	if r.Slot != cmd[5] {
		return r, fmt.Errorf("ccid: reply for slot %d, command to slot %d: %w", r.Slot, cmd[5], ErrWrongSlot)
	}
	if want, ok := replyType[MessageType(cmd[0])]; !ok || r.Type != want {
		return r, fmt.Errorf("ccid: reply type 0x%02X to command 0x%02X: %w", reply[0], cmd[0], ErrUnexpectedType)
	}
	switch r.Command {
	case CommandOK:
		return r, nil
	case CommandFailed:
		return r, &CommandError{Code: r.Error, ICC: r.ICC}
	case CommandTimeExtension:
		return r, ErrTimeExtension
	}
	return r, fmt.Errorf("ccid: reserved command status 3: %w", ErrUnexpectedType)
}

// SlotChange is one slot's state in RDR_to_PC_NotifySlotChange.
type SlotChange struct {
	Slot    int
	Present bool // a card is in the slot now
	Changed bool // the card was inserted or removed since the last notification
}

// ParseNotifySlotChange parses the interrupt-IN RDR_to_PC_NotifySlotChange: after the type byte, two bits
// per slot (present, changed), slot 0 in the lowest bits. It returns every slot the bytes cover (four
// per byte); the reader's descriptor says how many are real.
func ParseNotifySlotChange(msg []byte) ([]SlotChange, error) {
	if len(msg) < 2 {
		return nil, fmt.Errorf("ccid: slot change notification of %d bytes: %w", len(msg), ErrShortMessage)
	}
	if MessageType(msg[0]) != TypeNotifySlotChange {
		return nil, fmt.Errorf("ccid: interrupt message type 0x%02X: %w", msg[0], ErrUnexpectedType)
	}
	var slots []SlotChange
	for i, b := range msg[1:] {
		for j := range 4 {
			bits := b >> (2 * j)
			slots = append(slots, SlotChange{Slot: 4*i + j, Present: bits&1 != 0, Changed: bits&2 != 0})
		}
	}
	return slots, nil
}

// GetUID returns the PC/SC pseudo-APDU GET DATA (PC/SC part 3, 3.2.2.1.3) that asks a contactless reader
// for the UID of the card in its field; a new slice each time, so no caller can change another's.
func GetUID() []byte { return []byte{0xFF, 0xCA, 0x00, 0x00, 0x00} }

// Errors from the card's answer to GetUID.
var (
	ErrUIDFailed      = errors.New("pcsc: get UID failed (63 00)")
	ErrUIDUnsupported = errors.New("pcsc: get UID not supported by this card (6A 81)")
)

// StatusWordError is any other status word in answer to an APDU.
type StatusWordError struct{ SW1, SW2 byte }

func (e *StatusWordError) Error() string {
	return fmt.Sprintf("pcsc: status word %02X %02X", e.SW1, e.SW2)
}

// ParseUID reads the card's answer to GetUID: the UID followed by 90 00. ISO 14443 UIDs have 4, 7 or
// 10 bytes and FeliCa IDm 8, so anything outside 4–10 is refused as garbled.
func ParseUID(resp []byte) ([]byte, error) {
	if len(resp) < 2 {
		return nil, fmt.Errorf("pcsc: response of %d bytes has no status word: %w", len(resp), ErrShortMessage)
	}
	data, sw1, sw2 := resp[:len(resp)-2], resp[len(resp)-2], resp[len(resp)-1]
	switch {
	case sw1 == 0x90 && sw2 == 0x00:
	case sw1 == 0x63 && sw2 == 0x00:
		return nil, ErrUIDFailed
	case sw1 == 0x6A && sw2 == 0x81:
		return nil, ErrUIDUnsupported
	default:
		return nil, &StatusWordError{SW1: sw1, SW2: sw2}
	}
	if len(data) < 4 || len(data) > 10 {
		return nil, fmt.Errorf("pcsc: UID of %d bytes: %w", len(data), ErrLengthMismatch)
	}
	return data, nil
}
