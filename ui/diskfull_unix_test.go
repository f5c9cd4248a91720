//go:build unix

package ui_test

import (
	"context"
	"os"
	"os/exec"
	"os/signal"
	"syscall"
	"testing"

	"fyne.io/fyne/v2"
)

// With the disk refusing writes the cashier is told the sale is not saved; the cart and the cash taken
// stay, and Enter once there is room stores the same sale.
func TestDiskFullSaleIsKeptAndRetried(t *testing.T) {
	if os.Getenv("CHECKOUT_DISK_FULL_CHILD") == "" {
		// The file size limit below is the whole process's: in a process of its own it cannot cut off what
		// the test framework writes meanwhile (its log of what the tests read, for the test cache).
		cmd := exec.Command(os.Args[0], "-test.run=^TestDiskFullSaleIsKeptAndRetried$", "-test.count=1")
		cmd.Env = append(os.Environ(), "CHECKOUT_DISK_FULL_CHILD=1")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		return
	}
	till, st := newTill(t)
	w := till.Window()
	scan(w, "5449000000996")
	if err := st.Checkpoint(context.Background()); err != nil {
		t.Fatal(err)
	}
	var old syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_FSIZE, &old); err != nil {
		t.Fatal(err)
	}
	signal.Ignore(syscall.SIGXFSZ)
	defer signal.Reset(syscall.SIGXFSZ)
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: 4096, Max: old.Max}); err != nil {
		t.Fatal(err)
	}
	press(w, fyne.KeyF12)
	typeIn(w, "5")
	press(w, fyne.KeyReturn)
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &old); err != nil {
		t.Fatal(err)
	}
	mustShow(t, w, "The till could not write to its disk: is it full? Free some space.", "The sale is NOT saved. Press Enter to try again.")
	mustShow(t, w, "Coca-Cola 330ml can")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "Paid. Change ¥2.00 · receipt T01-000001")
	if sale, err := st.SaleByReceipt(context.Background(), "T01-000001"); err != nil || len(sale.Tenders) != 1 {
		t.Errorf("the retried sale: %+v, %v", sale, err)
	}
}

// The database file deleted under the running till: the cashier is told, and the sale is not written
// into a file that is gone.
func TestDeletedDatabaseIsSaid(t *testing.T) {
	till, st := newTill(t)
	w := till.Window()
	scan(w, "5449000000996")
	if err := os.Remove(st.Path()); err != nil {
		t.Fatal(err)
	}
	press(w, fyne.KeyF12)
	typeIn(w, "5")
	press(w, fyne.KeyReturn)
	mustShow(t, w, "The till's database file was deleted or replaced.", "The sale is NOT saved. Press Enter to try again.")
}
