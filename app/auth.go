package app

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Role is what a member of staff may do. Roles are enforced here, in the use cases, so a screen that
// forgets to hide a button still cannot do what the role may not.
type Role string

// Roles, least trusted first.
const (
	RoleCashier    Role = "cashier"
	RoleSupervisor Role = "supervisor"
	RoleOwner      Role = "owner"
)

// Roles lists the roles, least trusted first: a new slice each time, so no caller can change another's.
func Roles() []Role { return []Role{RoleCashier, RoleSupervisor, RoleOwner} }

// Permission is a sensitive action. A cashier has none of them and needs a supervisor's approval for
// each one; a supervisor has all but user management; the owner has all.
type Permission string

// Permissions.
const (
	PermRefund        Permission = "refund"
	PermVoidPaid      Permission = "void_after_payment" // abandon a sale after cash or account value was taken
	PermDiscount      Permission = "discount_over_limit"
	PermPriceOverride Permission = "price_override"
	PermNoSale        Permission = "no_sale" // open the cash drawer without a sale
	PermCatalogEdit   Permission = "catalog_edit"
	PermReports       Permission = "reports"
	PermUsers         Permission = "user_admin"
	PermUnlockPIN     Permission = "unlock_member_pin" // lift the lock wrong PINs put on a member's account
)

// Can reports whether the role may do p without anyone's approval.
func (r Role) Can(p Permission) bool {
	switch r {
	case RoleOwner:
		return true
	case RoleSupervisor:
		return p != PermUsers
	}
	return false
}

// ParseRole reads a role's name.
func ParseRole(s string) (Role, error) {
	for _, r := range Roles() {
		if string(r) == strings.ToLower(strings.TrimSpace(s)) {
			return r, nil
		}
	}
	return "", fmt.Errorf("%w: %q is not cashier, supervisor or owner", ErrInvalidUser, s)
}

// User is a member of staff who signs in with a PIN.
type User struct {
	ID      int64
	Name    string
	Role    Role
	PINHash string // PINs.Hash; the PIN itself is never kept
	Active  bool   // an inactive user cannot sign in; users are never deleted, their sales name them
	PINLock
	// TOTPSecret is the user's two-factor secret, sealed (see sealer); "" when two-factor sign-in is off.
	// TOTPStep is the last code's time step, so no code is used twice.
	TOTPSecret string
	TOTPStep   int64
}

// TwoFactor reports whether the user's back office needs a code from their authenticator app.
func (u User) TwoFactor() bool { return u.TOTPSecret != "" }

// Staff keeps the users; the store implements it. Changes to users are journaled with who made them
// (never with a PIN hash).
type Staff interface {
	// Users returns every user, active or not, by name.
	Users(ctx context.Context) ([]User, error)
	// UserByName finds a user by name, ignoring case; ErrUnknownUser when there is none.
	UserByName(ctx context.Context, name string) (User, error)
	// AddUser stores a new user and returns it with its ID; a name already taken is ErrUserExists.
	AddUser(ctx context.Context, u User, by string, at time.Time) (User, error)
	// UpdateUser stores u's role, PIN hash and active flag, and clears its wrong PINs.
	UpdateUser(ctx context.Context, u User, by string, at time.Time) error
	// RecordPINs stores a user's count of wrong PINs, lock and last two-factor step, and their PIN hash
	// if the stored one is still checked (a PIN changed meanwhile stays); a lock is journaled.
	RecordPINs(ctx context.Context, u User, checked string, at time.Time) error
	// RecordOverride journals a supervisor's approval of one action in another user's session.
	RecordOverride(ctx context.Context, o Override) error
}

// Override is a supervisor's approval of one action that the signed-in user's role may not do.
type Override struct {
	Till       string
	At         time.Time
	Permission Permission
	Action     string // what was approved, for the journal: "refund T01-000042", "discount 30% on line 2"
	User       string // who asked
	Approver   string // who approved
}

// Security is how the till guards its PINs and sensitive actions.
type Security struct {
	PINTries int           // wrong PINs in a row that lock a user (5)
	PINLock  time.Duration // how long they are locked (15 minutes)
	IdleLock time.Duration // the till locks after this long without a key (5 minutes; 0 never)
	// DiscountLimitBP is the largest discount a cashier may give on a line without approval, in basis
	// points of the line's price (1000 = 10%).
	DiscountLimitBP int64
}

// DefaultSecurity is 5 tries, a 15-minute lock, a 5-minute idle lock and a 10% discount limit.
func DefaultSecurity() Security {
	return Security{PINTries: 5, PINLock: 15 * time.Minute, IdleLock: 5 * time.Minute, DiscountLimitBP: 1000}
}

// checkPINLock refuses a PIN lock that would all but switch itself off: more than 10 tries, a lock of less
// than a minute; or one that locks out for a slip (fewer than 3 tries) or for more than a day.
func (s Security) checkPINLock() error {
	switch {
	case s.PINTries < 3 || s.PINTries > 10:
		return fmt.Errorf("%w: pin_tries %d: 3 to 10", ErrInvalidSetting, s.PINTries)
	case s.PINLock < time.Minute || s.PINLock > 24*time.Hour:
		return fmt.Errorf("%w: pin_lock_minutes %d: 1 to 1440", ErrInvalidSetting, s.PINLock/time.Minute)
	}
	return nil
}

// Errors of signing in and permissions.
var (
	ErrUserLocked    = &Error{"user_locked", "too many wrong PINs: the user is locked for a while"}
	ErrUserInactive  = &Error{"user_inactive", "this user can no longer sign in"}
	ErrUnknownUser   = &Error{"unknown_user", "no such user"}
	ErrUserExists    = &Error{"user_exists", "a user with that name exists"}
	ErrInvalidUser   = &Error{"invalid_user", "invalid user"}
	ErrOwnerExists   = &Error{"owner_exists", "the shop already has its owner"}
	ErrNotSignedIn   = &Error{"not_signed_in", "nobody is signed in"}
	ErrNotPermitted  = &Error{"not_permitted", "this needs a supervisor"}
	ErrCannotApprove = &Error{"cannot_approve", "that user may not approve this"}
	ErrLastOwner     = &Error{"last_owner", "the shop must keep one active owner"}
	ErrSecondFactor  = &Error{"second_factor", "the code from the authenticator app is needed first"}
	ErrWrongCode     = &Error{"wrong_code", "wrong code"}
	ErrNoSealKey     = &Error{"no_seal_key", "two-factor sign-in is not set up on this till"}
)

// PermissionError says which permission an action needs; it wraps ErrNotPermitted. The UI asks a
// supervisor for their PIN (Session.Approve) and tries the action again.
type PermissionError struct {
	Permission Permission
	// Alarm is why the guard stopped the action, for PermAlarm.
	Alarm *Alarm
}

func (e *PermissionError) Error() string {
	return fmt.Sprintf("%s: %s", ErrNotPermitted.Message, e.Permission)
}

// Unwrap makes errors.Is(err, ErrNotPermitted) true.
func (e *PermissionError) Unwrap() error { return ErrNotPermitted }

// LockedError says until when wrong PINs lock a user out (Of is ErrUserLocked) or a member's account
// (ErrPINLocked).
type LockedError struct {
	Until time.Time
	Of    *Error
}

func (e *LockedError) Error() string {
	return fmt.Sprintf("%s (until %s)", e.Of.Message, e.Until.Format("15:04"))
}

// Unwrap makes errors.Is(err, e.Of) true.
func (e *LockedError) Unwrap() error { return e.Of }

// Auth signs staff in and out.
type Auth struct {
	staff  Staff
	till   string
	pins   *PINs
	now    func() time.Time
	sealer *sealer // seals two-factor secrets; nil: two-factor sign-in cannot be turned on
}

// SetSealKey gives the key two-factor secrets are sealed under in the database (the till's card.key).
func (a *Auth) SetSealKey(key []byte) error {
	s, err := newSealer(key)
	if err != nil {
		return err
	}
	a.sealer = s
	return nil
}

// NewAuth returns the sign-in service of till over staff, whose PINs pins hashes and locks. now is the clock.
func NewAuth(staff Staff, till string, pins *PINs, now func() time.Time) *Auth {
	return &Auth{staff: staff, till: till, pins: pins, now: now}
}

// Users returns the staff who can sign in, by name, for the sign-in screen.
func (a *Auth) Users(ctx context.Context) ([]User, error) {
	all, err := a.staff.Users(ctx)
	var active []User
	for _, u := range all {
		if u.Active {
			active = append(active, u)
		}
	}
	return active, err
}

// Staff returns every user, active or not, by name, for the users page; PIN hashes are left out.
func (a *Auth) Staff(ctx context.Context) ([]User, error) {
	all, err := a.staff.Users(ctx)
	for i := range all {
		all[i].PINHash = ""
	}
	return all, err
}

// NeedsOwner reports whether the shop has no users yet: the first run creates its owner.
func (a *Auth) NeedsOwner(ctx context.Context) (bool, error) {
	all, err := a.staff.Users(ctx)
	return len(all) == 0 && err == nil, err
}

// CreateOwner makes the shop's first user, its owner, and signs them in. It is refused once any user exists.
func (a *Auth) CreateOwner(ctx context.Context, name, pin string) (*Session, error) {
	first, err := a.NeedsOwner(ctx)
	if err != nil {
		return nil, err
	}
	if !first {
		return nil, ErrOwnerExists
	}
	u, err := a.newUser(name, RoleOwner, pin)
	if err != nil {
		return nil, err
	}
	if u, err = a.staff.AddUser(ctx, u, u.Name, a.now()); err != nil {
		return nil, err
	}
	return &Session{auth: a, user: u}, nil
}

// SignIn checks name and PIN and starts a session. A wrong PIN counts against the user: the
// policy's PINTries in a row lock them for PINLock. An unknown name is ErrWrongPIN too, so the screen does
// not tell which names exist.
func (a *Auth) SignIn(ctx context.Context, name, pin string) (*Session, error) {
	u, err := a.check(ctx, name, pin)
	if err != nil {
		return nil, err
	}
	return &Session{auth: a, user: u}, nil
}

// check verifies a user's PIN, keeping count of wrong ones.
func (a *Auth) check(ctx context.Context, name, pin string) (User, error) {
	u, err := a.staff.UserByName(ctx, strings.TrimSpace(name))
	if errors.Is(err, ErrUnknownUser) {
		return User{}, ErrWrongPIN
	}
	if err != nil {
		return User{}, err
	}
	if !u.Active {
		return User{}, ErrUserInactive
	}
	now := a.now()
	err = a.pins.check(&u.PINHash, &u.PINLock, pin, now, ErrUserLocked, func(checked string) error {
		return a.staff.RecordPINs(ctx, u, checked, now)
	})
	if err != nil {
		return User{}, err
	}
	return u, nil
}

// SystemSession is the session of a command run on the till's computer by its operating-system user
// (the CLI): whoever can run it can open the database file anyway, so it acts with the owner's rights
// under that name.
func SystemSession(name string) *Session {
	return &Session{user: User{Name: name, Role: RoleOwner, Active: true}}
}

// Session is one person signed in at the till, and the one-action approvals a supervisor has given them.
// It is not safe for concurrent use.
type Session struct {
	auth     *Auth
	user     User
	approved map[Permission]string // permission → approver, each for one action
	verified bool                  // the user gave their two-factor code in this session
}

// backOffice are the permissions two-factor sign-in guards: the back office's reports, catalog and users.
func backOffice(p Permission) bool { return p == PermReports || p == PermCatalogEdit || p == PermUsers }

// NeedsSecondFactor reports whether the back office waits for the user's authenticator code.
func (s *Session) NeedsSecondFactor() bool { return s != nil && s.user.TwoFactor() && !s.verified }

// User returns who is signed in.
func (s *Session) User() User { return s.user }

// Name returns who is signed in, or "" for no session.
func (s *Session) Name() string {
	if s == nil {
		return ""
	}
	return s.user.Name
}

// signedIn is the check of the use cases anyone signed in may do, which then act in the session's name:
// with nobody signed in (a nil session) they change nothing.
func (s *Session) signedIn() error {
	if s == nil {
		return ErrNotSignedIn
	}
	return nil
}

// Allow is the check every protected use case makes before it acts. It returns "" when the role may do
// p, the approver's name when a supervisor's approval for p is used up by this action (an approval of
// PermReports lasts the session), or a *PermissionError.
func (s *Session) Allow(p Permission) (approver string, err error) {
	if s == nil {
		return "", ErrNotSignedIn
	}
	if s.user.Role.Can(p) {
		if backOffice(p) && s.NeedsSecondFactor() {
			return "", ErrSecondFactor
		}
		return "", nil
	}
	if by, ok := s.approved[p]; ok {
		if p != PermReports { // reading figures changes nothing: its approval lasts the session
			delete(s.approved, p)
		}
		return by, nil
	}
	return "", &PermissionError{Permission: p}
}

// Approve lets a supervisor (or the owner) authorise one action needing p in this session with their
// name and PIN. The approval is journaled with both names; it is used up by the next action needing p.
// Wrong PINs count against the approver as at sign-in.
func (s *Session) Approve(ctx context.Context, name, pin string, p Permission, action string) error {
	if s == nil || s.auth == nil {
		return ErrNotSignedIn
	}
	approver, err := s.auth.check(ctx, name, pin)
	if err != nil {
		return err
	}
	if !approver.Role.Can(p) || approver.ID == s.user.ID {
		return ErrCannotApprove
	}
	o := Override{Till: s.auth.till, At: s.auth.now(), Permission: p, Action: action, User: s.user.Name, Approver: approver.Name}
	if err := s.auth.staff.RecordOverride(ctx, o); err != nil {
		return err
	}
	if s.approved == nil {
		s.approved = map[Permission]string{}
	}
	s.approved[p] = approver.Name
	return nil
}

// Approvers returns the users who could approve p: the names the approval screen offers.
func (s *Session) Approvers(ctx context.Context, p Permission) ([]User, error) {
	if s == nil || s.auth == nil {
		return nil, ErrNotSignedIn
	}
	all, err := s.auth.Users(ctx)
	var can []User
	for _, u := range all {
		if u.Role.Can(p) && u.ID != s.user.ID {
			can = append(can, u)
		}
	}
	return can, err
}

// Unlock lets the signed-in user back in after the idle lock with their PIN; anyone else signs in anew.
func (s *Session) Unlock(ctx context.Context, pin string) error {
	if s == nil || s.auth == nil {
		return ErrNotSignedIn
	}
	u, err := s.auth.check(ctx, s.user.Name, pin)
	if err != nil {
		return err
	}
	s.user = u
	return nil
}

// newUser checks a new user's name, role and PIN and hashes the PIN.
func (a *Auth) newUser(name string, role Role, pin string) (User, error) {
	name = strings.TrimSpace(name)
	if name == "" || len([]rune(name)) > 40 {
		return User{}, fmt.Errorf("%w: a name is 1 to 40 characters", ErrInvalidUser)
	}
	if _, err := ParseRole(string(role)); err != nil {
		return User{}, err
	}
	hash, err := a.pins.Hash(pin)
	if err != nil {
		return User{}, err
	}
	return User{Name: name, Role: role, PINHash: hash, Active: true}, nil
}

// AddUser adds a member of staff; it needs PermUsers.
func (a *Auth) AddUser(ctx context.Context, s *Session, name string, role Role, pin string) (User, error) {
	if _, err := s.Allow(PermUsers); err != nil {
		return User{}, err
	}
	u, err := a.newUser(name, role, pin)
	if err != nil {
		return User{}, err
	}
	return a.staff.AddUser(ctx, u, s.Name(), a.now())
}

// UserChange is what may change of a user: nil fields stay as they are.
type UserChange struct {
	Role   *Role
	PIN    *string
	Active *bool
	Unlock bool // clear a lock from wrong PINs
}

// ChangeUser changes a user's role, PIN or active flag, or unlocks them; it needs PermUsers. The shop
// always keeps an active owner.
func (a *Auth) ChangeUser(ctx context.Context, s *Session, name string, c UserChange) (User, error) {
	if _, err := s.Allow(PermUsers); err != nil {
		return User{}, err
	}
	u, err := a.staff.UserByName(ctx, name)
	if err != nil {
		return User{}, err
	}
	wasOwner := u.Role == RoleOwner && u.Active
	if c.Role != nil {
		if _, err := ParseRole(string(*c.Role)); err != nil {
			return User{}, err
		}
		u.Role = *c.Role
	}
	if c.PIN != nil {
		if u.PINHash, err = a.pins.Hash(*c.PIN); err != nil {
			return User{}, err
		}
	}
	if c.Active != nil {
		u.Active = *c.Active
	}
	if c.Unlock || c.PIN != nil {
		u.PINLock = PINLock{}
	}
	if wasOwner && (u.Role != RoleOwner || !u.Active) {
		if err := a.keepsOwner(ctx, u.ID); err != nil {
			return User{}, err
		}
	}
	return u, a.staff.UpdateUser(ctx, u, s.Name(), a.now())
}

// keepsOwner refuses a change that would leave no active owner besides the user with ID except.
func (a *Auth) keepsOwner(ctx context.Context, except int64) error {
	all, err := a.staff.Users(ctx)
	if err != nil {
		return err
	}
	for _, u := range all {
		if u.ID != except && u.Role == RoleOwner && u.Active {
			return nil
		}
	}
	return ErrLastOwner
}

// StartTwoFactor makes a new two-factor secret for the signed-in user and the otpauth:// address their
// authenticator app reads from a QR code. Nothing is stored until EnableTwoFactor checks a code from it.
// Only users with back office rights (supervisors, the owner) have it.
func (a *Auth) StartTwoFactor(s *Session) (secret, uri string, err error) {
	if err := a.canTwoFactor(s); err != nil {
		return "", "", err
	}
	if secret, err = NewTOTPSecret(); err != nil {
		return "", "", err
	}
	return secret, TOTPURI("Checkout "+a.till, s.user.Name, secret), nil
}

// canTwoFactor reports why s may not turn on two-factor sign-in, or nil if it may.
func (a *Auth) canTwoFactor(s *Session) error {
	switch {
	case s == nil:
		return ErrNotSignedIn
	case a.sealer == nil:
		return ErrNoSealKey
	case !s.user.Role.Can(PermReports):
		return &PermissionError{Permission: PermReports}
	}
	return nil
}

// EnableTwoFactor turns two-factor sign-in on for the signed-in user once code shows their app has
// secret; it is journaled. The session counts as verified.
func (a *Auth) EnableTwoFactor(ctx context.Context, s *Session, secret, code string) error {
	if err := a.canTwoFactor(s); err != nil {
		return err
	}
	step, ok := checkTOTP(secret, code, a.now(), 0)
	if !ok {
		return ErrWrongCode
	}
	sealed, err := a.sealer.seal(secret)
	if err != nil {
		return err
	}
	u, err := a.staff.UserByName(ctx, s.user.Name)
	if err != nil {
		return err
	}
	u.TOTPSecret, u.TOTPStep = sealed, step
	if err := a.staff.UpdateUser(ctx, u, s.Name(), a.now()); err != nil {
		return err
	}
	s.user, s.verified = u, true
	return nil
}

// DisableTwoFactor turns two-factor sign-in off for name: the user themselves once verified in this
// session, or the owner for anyone (a lost phone). It is journaled.
func (a *Auth) DisableTwoFactor(ctx context.Context, s *Session, name string) error {
	if s == nil {
		return ErrNotSignedIn
	}
	if !strings.EqualFold(name, s.user.Name) || s.NeedsSecondFactor() {
		if _, err := s.Allow(PermUsers); err != nil {
			return err
		}
	}
	u, err := a.staff.UserByName(ctx, name)
	if err != nil {
		return err
	}
	u.TOTPSecret, u.TOTPStep = "", 0
	if err := a.staff.UpdateUser(ctx, u, s.Name(), a.now()); err != nil {
		return err
	}
	if u.ID == s.user.ID {
		s.user = u
	}
	return nil
}

// VerifySecondFactor checks the code from the signed-in user's authenticator app and opens the back
// office for the session. Wrong codes count with wrong PINs towards the lock; a code is never taken twice.
func (s *Session) VerifySecondFactor(ctx context.Context, code string) error {
	if s == nil || s.auth == nil {
		return ErrNotSignedIn
	}
	a := s.auth
	if a.sealer == nil {
		return ErrNoSealKey
	}
	u, err := a.staff.UserByName(ctx, s.user.Name)
	if err != nil {
		return err
	}
	now := a.now()
	if u.Locked(now) {
		return &LockedError{Until: u.LockedUntil, Of: ErrUserLocked}
	}
	if !u.TwoFactor() {
		s.user, s.verified = u, true
		return nil
	}
	secret, err := a.sealer.open(u.TOTPSecret)
	if err != nil {
		return err
	}
	step, ok := checkTOTP(secret, code, now, u.TOTPStep)
	if !ok {
		wrong := a.pins.wrong(&u.PINLock, now, ErrWrongCode, ErrUserLocked) // counts with wrong PINs
		if err := a.staff.RecordPINs(ctx, u, u.PINHash, now); err != nil {
			return err
		}
		return wrong
	}
	u.FailedPINs, u.TOTPStep = 0, step
	if err := a.staff.RecordPINs(ctx, u, u.PINHash, now); err != nil {
		return err
	}
	s.user, s.verified = u, true
	return nil
}
