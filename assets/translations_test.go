package assets

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"fyne.io/fyne/v2/lang"
)

// usedKeys returns every string literal passed to lang.L in the UI, the till's wiring and the command
// line, and to the tr of the PDF report and of app.Labels (app cannot import Fyne: their callers hand
// them lang.L).
func usedKeys(t *testing.T) map[string]string {
	t.Helper()
	files, _ := filepath.Glob("../ui/*.go")
	files = append(files, "../app/labels.go")
	for _, dir := range []string{"../till", "../cli", "../app/reportpdf"} {
		found, _ := filepath.Glob(dir + "/*.go")
		for _, f := range found {
			if !strings.HasSuffix(f, "_test.go") {
				files = append(files, f)
			}
		}
	}
	keys := map[string]string{}
	fset := token.NewFileSet()
	for _, f := range files {
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			pkg, isIdent := sel.X.(*ast.Ident)
			if !(sel.Sel.Name == "L" && isIdent && pkg.Name == "lang") && sel.Sel.Name != "tr" {
				return true
			}
			if lit, ok := call.Args[0].(*ast.BasicLit); ok {
				key, _ := strconv.Unquote(lit.Value)
				keys[key] = fset.Position(lit.Pos()).String()
			} else {
				t.Errorf("%s: lang.L with a non-literal key cannot be checked", fset.Position(call.Pos()))
			}
			return true
		})
	}
	if len(keys) < 20 {
		t.Fatalf("found only %d keys: is the source path right?", len(keys))
	}
	return keys
}

func TestTranslationsAreComplete(t *testing.T) {
	keys := usedKeys(t)
	for _, name := range []string{"en.json", "zh-Hans.json"} {
		data, err := Translations.ReadFile("translations/" + name)
		if err != nil {
			t.Fatal(err)
		}
		var table map[string]string
		if err := json.Unmarshal(data, &table); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for key, where := range keys {
			if table[key] == "" {
				t.Errorf("%s has no translation for %q (used at %s)", name, key, where)
			}
		}
		for key := range table {
			if _, used := keys[key]; !used {
				t.Errorf("%s translates %q, which no code uses", name, key)
			}
		}
	}
}

func TestChineseLoads(t *testing.T) {
	t.Setenv("LANGUAGE", "zh-Hans")
	t.Setenv("LC_ALL", "zh_Hans")
	if err := lang.AddTranslationsFS(Translations, "translations"); err != nil {
		t.Fatal(err)
	}
	if got := lang.L("Pay"); got != "付款" {
		t.Errorf(`lang.L("Pay") = %q in zh-Hans`, got)
	}
	if got := lang.L("Change: {{.Amount}}", map[string]any{"Amount": "¥1.00"}); got != "找零：¥1.00" {
		t.Errorf("template = %q", got)
	}
}
