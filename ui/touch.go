package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
)

// Touch targets: anything a finger presses is at least touchHeight high (Material's 48 dp, Apple's 44
// pt), and the button that takes the money, payHeight.
const (
	touchHeight = 48
	payHeight   = 72
)

// atLeast is a layout that gives its one object at least height, and all the room it is given.
type atLeast struct{ height float32 }

func (l atLeast) MinSize(objects []fyne.CanvasObject) fyne.Size {
	if len(objects) == 0 {
		return fyne.NewSize(0, l.height)
	}
	m := objects[0].MinSize()
	return fyne.NewSize(m.Width, max(m.Height, l.height))
}

func (l atLeast) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objects {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

// touchSized gives o a touch target's height.
func touchSized(o fyne.CanvasObject) fyne.CanvasObject { return container.New(atLeast{touchHeight}, o) }
