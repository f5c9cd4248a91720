package client

import (
	"context"
	"time"

	"checkout/app"
	"checkout/hq/api"
)

// UseMember tells the head office the till uses member's account now, and returns the other tills of
// the shop that used it lately.
func (c *Client) UseMember(ctx context.Context, member string) ([]api.MemberUse, error) {
	var reply api.MemberUses
	if err := c.post(ctx, api.MemberUsePath(c.cfg.Shop), api.MemberUseRequest{Member: member}, &reply); err != nil {
		return nil, err
	}
	return reply.Uses, nil
}

// AccountUses is the head office's record of the shop's member accounts in use, as the guard asks it
// (app.AccountUses). Each call is bounded by Timeout (2 s when zero): the member and the cashier wait no
// longer before the till goes on without the rule.
type AccountUses struct {
	Client  *Client
	Timeout time.Duration
}

var _ app.AccountUses = (*AccountUses)(nil)

// Use records the till's use of member's account and returns the other tills' recent ones.
func (a *AccountUses) Use(ctx context.Context, member string) ([]app.AccountUse, error) {
	d := a.Timeout
	if d == 0 {
		d = 2 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	uses, err := a.Client.UseMember(ctx, member)
	if err != nil {
		return nil, err
	}
	out := make([]app.AccountUse, 0, len(uses))
	for _, u := range uses {
		if u.SecondsAgo >= 0 {
			out = append(out, app.AccountUse{Till: u.Till, Ago: time.Duration(u.SecondsAgo) * time.Second})
		}
	}
	return out, nil
}
