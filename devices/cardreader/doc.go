// Package cardreader reads member and prepaid contactless cards on USB CCID readers (ACR122U class and
// generic CCID): it speaks CCID over a small Transport, reports a card's UID once per tap, and keeps
// the reader connected across unplugging. The CCID and PC/SC byte formats are pure functions in ccid.go;
// the only cgo (gousb) is in usb.go. On Windows, whose own driver owns CCID readers, PCSCReader reports
// the same events through the system's PC/SC service (pcsc.go, a loop over a small PCSC interface; the
// winscard.dll binding, without cgo, is in pcsc_windows.go).
package cardreader
