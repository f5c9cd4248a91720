package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
)

// numPad is an on-screen numeric keypad for a touch screen (Options.Keypad). Its keys type into target
// as the keyboard would (digits, the point, Backspace, Enter), so the field's own handling applies: the
// payment's amount, a quantity, a PIN.
func numPad(target *KeyEntry) fyne.CanvasObject {
	key := func(label string, press func()) fyne.CanvasObject { return touchSized(widget.NewButton(label, press)) }
	digit := func(r rune) fyne.CanvasObject { return key(string(r), func() { target.TypedRune(r) }) }
	keys := []fyne.CanvasObject{digit('7'), digit('8'), digit('9'), digit('4'), digit('5'), digit('6'),
		digit('1'), digit('2'), digit('3'), digit('0'), digit('.'),
		key("⌫", func() { target.TypedKey(&fyne.KeyEvent{Name: fyne.KeyBackspace}) })}
	enter := key(lang.L("OK")+" (Enter)", func() { target.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) })
	return container.NewVBox(container.NewGridWithColumns(3, keys...), enter)
}
