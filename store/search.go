package store

import (
	"cmp"
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/mozillazg/go-pinyin"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
	"modernc.org/sqlite"

	"checkout/app"
	"checkout/app/barcode"
)

// searchWords are the words a product is found by: its Latin name, and for its Chinese name the pinyin
// syllables, the syllables run together, the initials, and every one- and two-character piece. Every
// search is by word prefix, so a word that starts another is left out (the first syllable starts the
// syllables run together, a character the piece it begins), and so is a word said twice: every word
// costs the word index seven entries (itself and its prefixes). The SKU is not among them: search finds
// SKUs by prefix in the products table.
func searchWords(name, nameZH string) string {
	// Words go straight into out as they come, each checked against those before by a linear search: a
	// product has some twenty, and joining, splitting and a map per product were most of an import's Go
	// work on its words.
	out := make([]byte, 0, 2*(len(name)+len(nameZH))+32)
	seen := make([]string, 0, 32)
	add := func(s string) {
		for w := range strings.FieldsSeq(s) {
			if !slices.Contains(seen, w) {
				seen = append(seen, w)
				if len(out) > 0 {
					out = append(out, ' ')
				}
				out = append(out, w...)
			}
		}
	}
	add(strings.ToLower(name))
	var han []rune
	for _, r := range nameZH {
		if unicode.Is(unicode.Han, r) {
			han = append(han, r)
		} else if len(han) > 0 && han[len(han)-1] != ' ' {
			han = append(han, ' ')
		}
	}
	for run := range strings.FieldsSeq(string(han)) {
		syllables := runPinyin(run)
		if len(syllables) > 0 {
			for _, s := range syllables[1:] {
				add(s)
			}
			add(strings.Join(syllables, ""))
			if len(syllables) > 1 {
				initials := make([]byte, 0, len(syllables))
				for _, s := range syllables {
					initials = append(initials, s[0])
				}
				add(string(initials))
			}
		}
		// Every one- and two-character piece, sliced from run rather than made from its runes.
		for i := range run {
			_, size := utf8.DecodeRuneInString(run[i:])
			if next := i + size; next < len(run) {
				_, size2 := utf8.DecodeRuneInString(run[next:])
				add(run[i : next+size2])
			} else {
				add(run[i:])
			}
		}
	}
	// Latin words inside the Chinese name ("330ml") are found too.
	add(strings.ToLower(strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Han, r) {
			return ' '
		}
		return r
	}, nameZH)))
	return string(out)
}

// pinyinOf caches each character's pinyin ("" for none): go-pinyin reads a character at a time, and
// styling its answer (a regexp) cost more than the rest of a product's search words.
var pinyinOf sync.Map // rune → string

// runPinyin is pinyin.LazyPinyin(run, pinyin.NewArgs()), a character at a time from pinyinOf.
func runPinyin(run string) []string {
	var out []string
	for _, r := range run {
		v, ok := pinyinOf.Load(r)
		if !ok {
			py := ""
			if s := pinyin.LazyPinyin(string(r), pinyin.NewArgs()); len(s) > 0 {
				py = s[0]
			}
			v, _ = pinyinOf.LoadOrStore(r, py)
		}
		if py := v.(string); py != "" {
			out = append(out, py)
		}
	}
	return out
}

// searchCandidates is how many matches each way of matching offers for ranking: enough to rank a first
// page well, few enough that a broad query over a million products stays fast.
const searchCandidates = 60

// SearchProducts returns the first page (up to limit) of active products matching query: exact SKU or
// barcode first, then barcode and SKU prefixes, then names — word and pinyin prefixes, Chinese pieces and
// any substring of three or more characters — ranked by how well the name matches.
func (s *Store) SearchProducts(ctx context.Context, query string, limit int) ([]app.Product, error) {
	return s.search(ctx, query, limit, true)
}

func (s *Store) search(ctx context.Context, query string, limit int, activeOnly bool) ([]app.Product, error) {
	q := strings.TrimSpace(query)
	if q == "" || limit <= 0 {
		return nil, nil
	}
	var ids []int64
	seen := map[int64]bool{}
	add := func(sqlText string, args ...any) error {
		rows, err := s.readQuery(ctx, sqlText, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return err
			}
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
		return rows.Err()
	}
	upper := strings.ToUpper(q)
	// Exact codes first, then code and SKU prefixes: what a cashier types from a label.
	steps := []struct {
		query string
		args  []any
	}{
		{`SELECT id FROM products WHERE sku = ?`, []any{upper}},
		{`SELECT product_id FROM barcodes WHERE code = ?`, []any{barcode.NormalizeGTIN(q)}},
	}
	if isDigits(q) && len(q) >= 4 {
		for _, prefix := range []string{q, "0" + q} { // as typed, and as the GTIN-14 an EAN-13 is kept as
			steps = append(steps, struct {
				query string
				args  []any
			}{`SELECT product_id FROM barcodes WHERE code >= ? AND code < ? ORDER BY code LIMIT ?`, []any{prefix, prefix + "\xff", searchCandidates}})
		}
	}
	steps = append(steps, struct {
		query string
		args  []any
	}{`SELECT id FROM products WHERE sku >= ? AND sku < ? ORDER BY sku LIMIT ?`, []any{upper, upper + "\xff", searchCandidates}})
	for _, st := range steps {
		if err := add(st.query, st.args...); err != nil {
			return nil, err
		}
	}
	exact := len(ids)
	if terms := wordTerms(q); len(terms) > 0 {
		words, err := s.wordMatches(ctx, terms, searchCandidates)
		if err != nil {
			return nil, err
		}
		for _, id := range words {
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	// Substrings inside words, only when word prefixes did not fill the page: a broad trigram phrase over
	// a million names costs milliseconds, and a page of prefix matches is what the cashier wants first.
	if utf8.RuneCountInString(q) >= 3 && len(ids)-exact < limit {
		// product_trigrams keeps no positions (detail=none): it finds the names holding every trigram of
		// the query, and has_text keeps those holding the query itself.
		if err := add(`SELECT rowid FROM product_trigrams WHERE product_trigrams MATCH ? AND has_text(name, name_zh, ?) LIMIT ?`,
			trigramsQuery(q), q, searchCandidates); err != nil {
			return nil, err
		}
	}
	products, err := s.productsByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	// Codes keep their order; names are ranked: starts with the query, then a word does, then the rest,
	// shorter names first within each.
	names := products[min(exact, len(products)):]
	lq := strings.ToLower(q)
	score := func(p app.Product) int {
		n, z := strings.ToLower(p.Name), p.NameZH
		switch {
		case strings.HasPrefix(n, lq) || strings.HasPrefix(z, q):
			return 0
		case strings.Contains(n, " "+lq) || strings.Contains(z, q):
			return 1
		}
		return 2
	}
	// Scored once each: lower-casing names in the comparison was an eighth of a search's time.
	scores := make(map[int64]int, len(names))
	for _, p := range names {
		scores[p.ID] = score(p)
	}
	slices.SortStableFunc(names, func(a, b app.Product) int {
		return cmp.Or(cmp.Compare(scores[a.ID], scores[b.ID]), cmp.Compare(len(a.Name), len(b.Name)))
	})
	var out []app.Product
	for _, p := range products {
		if (p.Active || !activeOnly) && len(out) < limit {
			out = append(out, p)
		}
	}
	return out, nil
}

// readQuery runs query on the readers as a statement prepared once: a search runs five or six, and
// parsing them was an eighth of its time.
func (s *Store) readQuery(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	s.readMu.Lock()
	st, ok := s.reads[query]
	if !ok {
		var err error
		if st, err = s.r.PrepareContext(ctx, query); err != nil {
			s.readMu.Unlock()
			return nil, err
		}
		if s.reads == nil {
			s.reads = map[string]*sql.Stmt{}
		}
		s.reads[query] = st
	}
	s.readMu.Unlock()
	return st.QueryContext(ctx, args...)
}

// closeReads closes the statements readQuery prepared.
func (s *Store) closeReads() error {
	s.readMu.Lock()
	defer s.readMu.Unlock()
	var errs []error
	for _, st := range s.reads {
		errs = append(errs, st.Close())
	}
	s.reads = nil
	return errors.Join(errs...)
}

// productsByID reads products keeping the order of ids.
func (s *Store) productsByID(ctx context.Context, ids []int64) ([]app.Product, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	list := make([]byte, 0, 8*len(ids))
	for i, id := range ids {
		if i > 0 {
			list = append(list, ',')
		}
		list = strconv.AppendInt(list, id, 10)
	}
	// The ids as one JSON array, so that the statement is the same for any number of them.
	rows, err := s.readQuery(ctx, `SELECT `+productColumns+` FROM products p WHERE p.id IN (SELECT value FROM json_each(?))`, "["+string(list)+"]")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byID := map[int64]app.Product{}
	for rows.Next() {
		p, err := scanProduct(rows, s.currency())
		if err != nil {
			return nil, err
		}
		byID[p.ID] = p
	}
	out := make([]app.Product, 0, len(ids))
	for _, id := range ids {
		if p, ok := byID[id]; ok {
			out = append(out, p)
		}
	}
	return out, rows.Err()
}

// wordPrefixMax is product_words' longest prefix index (prefix = '1 2 3 4 5 6'). FTS5 answers a longer
// prefix without one: it merges the rows of every term the prefix starts before it returns the first,
// 5–15 ms for "jasmine" or "kangshifu" at a million products against 60 µs for "jasmin".
const wordPrefixMax = 6

// wordMatches returns the first n products (by id, as FTS5 returns them) with a word starting each of
// terms. A term longer than wordPrefixMax is searched by its first wordPrefixMax characters, which the
// prefix index answers row by row, and checked against the products' words here: the first 2n products
// at most (some 8 µs each). Fewer than n of them matching, the word is rare among those its first six
// letters start, and FTS5's own answer costs in proportion to the products the word starts (a typo
// such as "chocolatx" 0.1 ms, where checking a thousand candidates took 12 ms).
func (s *Store) wordMatches(ctx context.Context, terms []string, n int) ([]int64, error) {
	checks := 2 * n
	var long []string
	cut := make([]string, len(terms))
	for i, t := range terms {
		cut[i] = t
		if f := foldWord(t); utf8.RuneCountInString(f) > wordPrefixMax {
			long = append(long, f)
			cut[i] = string([]rune(f)[:wordPrefixMax])
		}
	}
	if len(long) > 0 {
		rows, err := s.readQuery(ctx, `SELECT p.id, p.name, p.name_zh FROM product_words w JOIN products p ON p.id = w.rowid
			WHERE product_words MATCH ? ORDER BY w.rowid LIMIT ?`, wordsQuery(cut), checks)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var ids []int64
		read := 0
		for rows.Next() && len(ids) < n {
			read++
			var id int64
			var name, nameZH string
			if err := rows.Scan(&id, &name, &nameZH); err != nil {
				return nil, err
			}
			if startsWords(long, searchWords(name, nameZH)) {
				ids = append(ids, id)
			}
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
		if len(ids) == n || read < checks {
			return ids, nil
		}
		rows.Close()
	}
	var ids []int64
	rows, err := s.readQuery(ctx, `SELECT rowid FROM product_words WHERE product_words MATCH ? LIMIT ?`, wordsQuery(terms), n)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// wordTerms splits what the cashier typed into words as product_words' tokenizer splits text, in lower case.
func wordTerms(q string) []string {
	return strings.FieldsFunc(strings.ToLower(q), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// wordsQuery is an FTS5 query on product_words: every term must start a word of the product. Terms are
// quoted, so FTS5's operators and punctuation in them are only text.
func wordsQuery(terms []string) string {
	quoted := make([]string, len(terms))
	for i, t := range terms {
		quoted[i] = `"` + t + `"*`
	}
	return strings.Join(quoted, " AND ")
}

// startsWords reports whether each of terms (folded) starts a word of words, as product_words matches.
func startsWords(terms []string, words string) bool {
	ws := wordTerms(words)
	for i, w := range ws {
		ws[i] = foldWord(w)
	}
	for _, t := range terms {
		if !slices.ContainsFunc(ws, func(w string) bool { return strings.HasPrefix(w, t) }) {
			return false
		}
	}
	return true
}

// foldWord is a lower-case word without its diacritics, as product_words' tokenizer keeps it
// (remove_diacritics 2).
func foldWord(w string) string {
	for _, r := range w {
		// Diacritics are on letters below U+2000 (Latin, Greek, Cyrillic, the combining marks); Chinese
		// words, most of those checked, skip the costly transform.
		if r >= utf8.RuneSelf && r < 0x2000 {
			f, _, err := transform.String(transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC), w)
			if err != nil {
				return strings.ToLower(w)
			}
			return strings.ToLower(f)
		}
	}
	return strings.ToLower(w)
}

// trigramsQuery is an FTS5 query on product_trigrams for names holding three-character pieces of q, each
// quoted so that FTS5's operators in q are only text; has_text keeps the names that hold q itself. Each
// piece walks the list of every name holding it, so a query of several words asks for fewer: each word's
// first piece, the one centred on each space (the words side by side), and around a word shorter than
// three characters every piece holding the space. "tea milk", which no name holds, takes 3.4 ms against
// 7.4 ms for all six pieces (fastest of 15 runs); the pieces left out of a word say little its first does not.
func trigramsQuery(q string) string {
	rs := []rune(q)
	var pieces []string
	piece := func(i int) {
		if i >= 0 && i+3 <= len(rs) {
			p := `"` + strings.ReplaceAll(string(rs[i:i+3]), `"`, `""`) + `"`
			if !slices.Contains(pieces, p) {
				pieces = append(pieces, p)
			}
		}
	}
	if !slices.Contains(rs, ' ') {
		for i := range rs {
			piece(i)
		}
		return strings.Join(pieces, " AND ")
	}
	start := 0 // of the word before rs[i]
	for i := 0; i <= len(rs); i++ {
		if i < len(rs) && rs[i] != ' ' {
			continue
		}
		piece(start)
		if i < len(rs) {
			piece(i - 1)
			next := i + 1
			for next < len(rs) && rs[next] != ' ' {
				next++
			}
			if i-start < 3 || next-i-1 < 3 {
				piece(i - 2)
				piece(i)
			}
		}
		start = i + 1
	}
	return strings.Join(pieces, " AND ")
}

// hasText is the readers' SQL function has_text(name, name_zh, query): whether either name holds query,
// letter case aside, as the trigram tokenizer compares.
func hasText(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
	q, _ := args[2].(string)
	q = strings.ToLower(q)
	for _, a := range args[:2] {
		if name, ok := a.(string); ok && strings.Contains(strings.ToLower(name), q) {
			return int64(1), nil
		}
	}
	return int64(0), nil
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
