package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"checkout/app/signature"
)

// askSignature asks the shopper to sign on the screen, over host in place of its open dialog: prompt
// says what for. Done (or Enter), once something is signed, closes it and runs signed with the
// signature; Cancel (or Esc) closes it and runs cancelled. Clear (or Delete) wipes the pad. Either
// callback runs after the pad's dialog is closed, when the host's dialog can be shown again.
func askSignature(host dialogHost, prompt string, signed func(signature.Signature), cancelled func()) {
	pad := NewSignaturePad()
	var d dialog.Dialog
	var got signature.Signature
	done := widget.NewButtonWithIcon(lang.L("Done")+" (Enter)", theme.ConfirmIcon(), nil)
	done.Importance = widget.HighImportance
	done.Disable()
	finish := func() {
		if pad.Empty() {
			return // an empty signature is no signature
		}
		got = pad.Signature()
		d.Hide()
	}
	done.OnTapped = finish
	var keys *hotkeys
	pad.OnChanged = func(empty bool) {
		// A press on the pad takes the focus off the keys on a desktop driver: give it back, so that the
		// cashier's Enter or Esc still answers.
		host.canvas().Focus(keys)
		if empty {
			done.Disable()
		} else {
			done.Enable()
		}
	}
	keys = newHotkeys(func(k *fyne.KeyEvent) {
		switch k.Name {
		case fyne.KeyReturn, fyne.KeyEnter:
			finish()
		case fyne.KeyEscape:
			d.Hide()
		case fyne.KeyDelete, fyne.KeyBackspace:
			pad.Clear()
		}
	})
	clearButton := widget.NewButtonWithIcon(lang.L("Clear")+" (Del)", theme.ContentClearIcon(), pad.Clear)
	cancel := widget.NewButtonWithIcon(lang.L("Cancel")+" (Esc)", theme.CancelIcon(), func() { d.Hide() })
	question := widget.NewLabel(prompt)
	question.Wrapping = fyne.TextWrapWord
	content := container.NewBorder(question,
		container.NewGridWithColumns(3, touchSized(cancel), touchSized(clearButton), touchSized(done)), nil, nil,
		container.NewVBox(pad, keys))
	d = host.show(lang.L("Signature"), content, keys)
	d.SetOnClosed(func() { // runs after the host's own, which hands the keys back
		if got.Empty() {
			cancelled()
			return
		}
		signed(got)
	})
}
