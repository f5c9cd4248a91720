package server

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"golang.org/x/crypto/argon2"

	"checkout/app"
)

// The dashboard's accounts: an owner sees every shop, an area manager the shops granted. Each signs in
// with a password (argon2id) and a code from an authenticator app (RFC 6238, app.CheckTOTP: a code is
// good once). Wrong passwords and codes count against the account, in the database, so every server
// behind a load balancer counts the same tries.

// Dashboard roles.
const (
	RoleOwner   = "owner"
	RoleManager = "manager"
)

const (
	// dashMaxFailures wrong passwords or codes in a row lock an account for dashLockout.
	dashMaxFailures = 5
	dashLockout     = 15 * time.Minute
	// dashMinPassword is the shortest password taken (NIST SP 800-63B: at least 8; the dashboard shows
	// every shop's money, so more).
	dashMinPassword = 10
	// DashTOTPIssuer names the head office in authenticator apps.
	DashTOTPIssuer = "Checkout HQ"
)

var dashUserName = regexp.MustCompile(`^[A-Za-z0-9._@-]{1,64}$`)

// passwordRecipe is the till's PIN recipe (app/pin.go's pinRecipeNow: 128 MiB, 2 passes, 2 lanes, about
// 150 ms on two cores) without the pepper, which the head office has no key file for; the hash is a PHC
// string as the till writes it: $argon2id$v=19$m=131072,t=2,p=2$SALT$KEY.
const (
	passwordMemory = 128 * 1024
	passwordPasses = 2
	passwordLanes  = 2
	passwordKeyLen = 32
)

func hashPassword(password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, passwordPasses, passwordMemory, passwordLanes, passwordKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, passwordMemory, passwordPasses, passwordLanes,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// checkPassword reports, in constant time, whether password is the one hash was made from. Costs beyond
// the recipe's are refused: a stored hash is not a way to make the server allocate without end.
func checkPassword(hash, password string) bool {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" || parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return false
	}
	var m, t, p uint32
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m > passwordMemory || t < 1 || t > 16 ||
		p < 1 || p > 8 || m < 8*p {
		return false
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(salt) < 8 || len(want) < 16 {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, uint8(p), uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// DashEnrolment is what a new dashboard account needs in its authenticator app.
type DashEnrolment struct {
	Secret string // base32, to type in
	URL    string // otpauth://, to show as a QR code
}

// AddDashUser adds a dashboard account: role RoleOwner (every shop) or RoleManager (the shops named, and
// those granted later). It returns the account's new two-factor secret.
func (s *Server) AddDashUser(ctx context.Context, name, role, password string, shops []string) (DashEnrolment, error) {
	switch {
	case !dashUserName.MatchString(name):
		return DashEnrolment{}, fmt.Errorf("add user: %q: a name is 1 to 64 letters, digits and . _ @ -", name)
	case role != RoleOwner && role != RoleManager:
		return DashEnrolment{}, fmt.Errorf("add user: role %q: owner or manager", role)
	case role == RoleOwner && len(shops) > 0:
		return DashEnrolment{}, errors.New("add user: an owner sees every shop: name no shops")
	case len([]rune(password)) < dashMinPassword:
		return DashEnrolment{}, fmt.Errorf("add user: a password is at least %d characters", dashMinPassword)
	case len(password) > 1024:
		return DashEnrolment{}, errors.New("add user: a password is at most 1024 bytes")
	}
	hash, err := hashPassword(password)
	if err != nil {
		return DashEnrolment{}, err
	}
	secret, err := app.NewTOTPSecret()
	if err != nil {
		return DashEnrolment{}, err
	}
	err = pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		var id int64
		err := tx.QueryRow(ctx, `INSERT INTO dash_users (name, role, password_hash, totp_secret) VALUES ($1, $2, $3, $4)
			ON CONFLICT (name) DO NOTHING RETURNING id`, name, role, hash, secret).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("user %s exists already", name)
		}
		if err != nil {
			return err
		}
		for _, shop := range shops {
			if err := grant(ctx, tx, id, shop); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return DashEnrolment{}, fmt.Errorf("add user: %w", err)
	}
	return DashEnrolment{Secret: secret, URL: app.TOTPURI(DashTOTPIssuer, name, secret)}, nil
}

// GrantDashShop lets the area manager name see shop. Granting a shop twice is no error.
func (s *Server) GrantDashShop(ctx context.Context, name, shop string) error {
	err := pgx.BeginFunc(ctx, s.db, func(tx pgx.Tx) error {
		var id int64
		var role string
		err := tx.QueryRow(ctx, `SELECT id, role FROM dash_users WHERE name = $1`, name).Scan(&id, &role)
		switch {
		case errors.Is(err, pgx.ErrNoRows):
			return fmt.Errorf("no user %q", name)
		case err != nil:
			return err
		case role == RoleOwner:
			return fmt.Errorf("%s is an owner and sees every shop", name)
		}
		return grant(ctx, tx, id, shop)
	})
	if err != nil {
		return fmt.Errorf("grant: %w", err)
	}
	return nil
}

func grant(ctx context.Context, tx pgx.Tx, userID int64, shop string) error {
	tag, err := tx.Exec(ctx, `INSERT INTO dash_grants (user_id, shop_id) SELECT $1, id FROM shops WHERE code = $2
		ON CONFLICT DO NOTHING`, userID, shop)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		var known bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM shops WHERE code = $1)`, shop).Scan(&known); err != nil || !known {
			return fmt.Errorf("no shop %q", shop)
		}
	}
	return nil
}

// Sessions: the cookie holds a random ID, the database its SHA-256. A session ends at sign-out (its row
// deleted), after sessionIdle without a request, or sessionMax after sign-in, whichever is first.
const (
	sessionCookie = "dash_session"
	sessionIdle   = 30 * time.Minute
	sessionMax    = 12 * time.Hour
)

// errSignIn is every wrong sign-in alike: unknown name, wrong password, wrong or used code.
var errSignIn = errors.New("wrong name, password or code")

// lockedError is an account locked by wrong tries.
type lockedError struct{ until time.Time }

func (e *lockedError) Error() string {
	return "too many wrong tries: the account is locked until " + e.until.Format(time.RFC3339)
}

// dashUser is a signed-in account.
type dashUser struct {
	id         int64
	name, role string
	session    string // the session's ID, which the CSRF token is derived from
}

func randomToken() string {
	b := make([]byte, 32)
	rand.Read(b) // never fails (crypto/rand)
	return base64.RawURLEncoding.EncodeToString(b)
}

// csrfToken is the session's token for its forms: derived from the session's ID, which only the
// session's browser holds, so no server needs to store it, and it ends with the session.
func csrfToken(session string) string {
	sum := sha256.Sum256([]byte("checkout dashboard csrf\x00" + session))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// signIn checks name's password and code at now and opens a session, returning its ID.
func (d *dashboard) signIn(ctx context.Context, name, password, code string, now time.Time) (string, error) {
	var (
		id, lastStep int64
		hash, secret string
		locked       *time.Time
	)
	err := d.s.db.QueryRow(ctx, `SELECT id, password_hash, totp_secret, totp_last_step, CASE WHEN locked_until > now() THEN locked_until END
		FROM dash_users WHERE name = $1`, name).Scan(&id, &hash, &secret, &lastStep, &locked)
	if errors.Is(err, pgx.ErrNoRows) {
		d.hashSlot(func() { checkPassword(d.dummyHash(), password) }) // the same time as a known name's wrong password
		return "", errSignIn
	}
	if err != nil {
		return "", err
	}
	if locked != nil {
		return "", &lockedError{until: *locked}
	}
	var passwordOK bool
	d.hashSlot(func() { passwordOK = checkPassword(hash, password) })
	step, codeOK := app.CheckTOTP(secret, code, now, lastStep)
	if !passwordOK || !codeOK {
		// The try counts, and the limit's worth locks the account (its count starting afresh after).
		var until *time.Time
		err := d.s.db.QueryRow(ctx, `UPDATE dash_users SET
				locked_until = CASE WHEN failed + 1 >= $2 THEN now() + $3::interval ELSE locked_until END,
				failed = CASE WHEN failed + 1 >= $2 THEN 0 ELSE failed + 1 END
			WHERE id = $1 RETURNING CASE WHEN locked_until > now() THEN locked_until END`,
			id, dashMaxFailures, dashLockout.String()).Scan(&until)
		if err != nil {
			return "", err
		}
		d.s.log.Warn("dashboard sign-in refused", "user", name, "password", passwordOK, "code", codeOK, "locked", until != nil)
		if until != nil {
			return "", &lockedError{until: *until}
		}
		return "", errSignIn
	}
	session := randomToken()
	err = pgx.BeginFunc(ctx, d.s.db, func(tx pgx.Tx) error {
		// The code's step is taken only if no other sign-in took it (or a later one) meanwhile.
		tag, err := tx.Exec(ctx, `UPDATE dash_users SET totp_last_step = $2, failed = 0, locked_until = NULL
			WHERE id = $1 AND totp_last_step < $2 AND (locked_until IS NULL OR locked_until <= now())`, id, step)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return errSignIn
		}
		if _, err := tx.Exec(ctx, `DELETE FROM dash_sessions WHERE user_id = $1
			AND (last_seen_at <= now() - $2::interval OR created_at <= now() - $3::interval)`,
			id, sessionIdle.String(), sessionMax.String()); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO dash_sessions (id_sha256, user_id) VALUES ($1, $2)`, tokenHash(session), id)
		return err
	})
	if err != nil {
		return "", err
	}
	d.s.log.Info("dashboard sign-in", "user", name)
	return session, nil
}

// sessionUser returns the account of a live session and notes the request (the idle clock starts again);
// nil for no such session, a signed-out or an expired one.
func (d *dashboard) sessionUser(ctx context.Context, session string) (*dashUser, error) {
	if session == "" {
		return nil, nil
	}
	u := &dashUser{session: session}
	err := d.s.db.QueryRow(ctx, `UPDATE dash_sessions s SET last_seen_at = now() FROM dash_users u
		WHERE s.id_sha256 = $1 AND u.id = s.user_id
			AND s.last_seen_at > now() - $2::interval AND s.created_at > now() - $3::interval
		RETURNING u.id, u.name, u.role`, tokenHash(session), sessionIdle.String(), sessionMax.String()).Scan(&u.id, &u.name, &u.role)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return u, nil
}

// signOut ends the session: its cookie is worth nothing after, on every server.
func (d *dashboard) signOut(ctx context.Context, session string) error {
	_, err := d.s.db.Exec(ctx, `DELETE FROM dash_sessions WHERE id_sha256 = $1`, tokenHash(session))
	return err
}

// shopRef is a shop a user may see.
type shopRef struct {
	id   int64
	code string
}

// visibleShops lists the shops u sees, by code: every shop for an owner, the granted ones for a manager.
func (d *dashboard) visibleShops(ctx context.Context, u *dashUser) ([]shopRef, error) {
	rows, err := d.s.db.Query(ctx, `SELECT s.id, s.code FROM shops s
		WHERE $2 = 'owner' OR EXISTS (SELECT 1 FROM dash_grants g WHERE g.user_id = $1 AND g.shop_id = s.id)
		ORDER BY s.code`, u.id, u.role)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (shopRef, error) {
		var r shopRef
		return r, row.Scan(&r.id, &r.code)
	})
}
