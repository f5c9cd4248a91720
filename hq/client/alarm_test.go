package client_test

import (
	"context"
	"testing"
	"time"

	"checkout/app"
	"checkout/hq/hqtest"
)

// What a till's guard stopped reaches the head office as it syncs, checked like every document, and
// checkout-hq alarms lists it with the shop and the till.
func TestAlarmsReachTheHeadOffice(t *testing.T) {
	h := hqtest.StartHQ(t)
	tl := newTill(t, "T01")
	ctx := context.Background()
	at := time.Now().Add(-time.Minute)
	if err := tl.store.RecordAlarm(ctx, app.Alarm{Kind: app.AlarmBelowCost, Till: "T01", Cashier: "王芳", At: at, SKU: "SNK-001",
		Price: cny(325), Other: cny(433)}); err != nil {
		t.Fatal(err)
	}
	u := syncedTill(t, h, tl, "north", "T01", 0)
	if sent, _, err := u.Sync(ctx); err != nil || sent != 1 {
		t.Fatalf("sync: %d, %v", sent, err)
	}
	if st := u.Status(); st.Rejected != 0 {
		t.Fatalf("status %+v", st)
	}
	alarms, err := h.Server.Alarms(ctx, at.Add(-time.Hour))
	if err != nil || len(alarms) != 1 {
		t.Fatalf("alarms %+v, %v", alarms, err)
	}
	a := alarms[0]
	if a.Shop != "north" || a.Till != "T01" || a.Alarm.Rule != "below_cost" || a.Alarm.Cashier != "王芳" || a.Alarm.Price != "3.25" {
		t.Errorf("the head office's alarm %+v", a)
	}
	if later, _ := h.Server.Alarms(ctx, time.Now().Add(time.Hour)); len(later) != 0 {
		t.Errorf("alarms since a later time: %+v", later)
	}
}
