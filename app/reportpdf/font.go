package reportpdf

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// FontEnv names a TrueType font to use instead of searching the system's.
const FontEnv = "CHECKOUT_PDF_FONT"

// FindFont returns the path of a TrueType font with Chinese glyphs: $CHECKOUT_PDF_FONT when set, else the
// first of the usual system fonts that is there and embeddable. fpdf embeds only .ttf files with
// TrueType outlines, so the common .ttc collections (Noto CJK, WenQuanYi, Microsoft YaHei) do not qualify.
func FindFont() (string, error) {
	if path := os.Getenv(FontEnv); path != "" {
		if err := checkFontFile(path); err != nil {
			return "", fmt.Errorf("$%s: %w", FontEnv, err)
		}
		return path, nil
	}
	for _, path := range fontCandidates() {
		if checkFontFile(path) == nil {
			return path, nil
		}
	}
	return "", fmt.Errorf("no TrueType Chinese font found for the PDF: install fonts-droid-fallback " +
		"(Debian/Ubuntu: sudo apt install fonts-droid-fallback), or set " + FontEnv + " to a .ttf file such as simhei.ttf")
}

// fontCandidates lists where the usual embeddable CJK fonts live on Linux, Windows and macOS. Paths of
// other systems are simply absent, so one list serves all.
func fontCandidates() []string {
	paths := []string{
		// Debian/Ubuntu fonts-droid-fallback; Fedora google-droid-sans-fonts; Arch.
		"/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
		"/usr/share/fonts/google-droid-sans-fonts/DroidSansFallbackFull.ttf",
		"/usr/share/fonts/droid/DroidSansFallbackFull.ttf",
		"/usr/share/fonts/TTF/DroidSansFallbackFull.ttf",
		"/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf",
		"/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf",
		// macOS.
		"/System/Library/Fonts/Supplemental/Arial Unicode.ttf",
		"/Library/Fonts/Arial Unicode.ttf",
		"/Library/Fonts/Microsoft/SimHei.ttf",
	}
	windir := os.Getenv("WINDIR")
	if windir == "" {
		windir = `C:\Windows`
	}
	for _, name := range []string{"simhei.ttf", "simkai.ttf", "simfang.ttf", "Deng.ttf"} {
		paths = append(paths, filepath.Join(windir, "Fonts", name))
	}
	return paths
}

// FindLatinFont returns the path of a TrueType font with Latin letters, digits and ¥, for the text a
// Chinese font such as Droid Sans Fallback lacks.
func FindLatinFont() (string, error) {
	windir := os.Getenv("WINDIR")
	if windir == "" {
		windir = `C:\Windows`
	}
	for _, path := range []string{
		"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", // Debian/Ubuntu fonts-dejavu-core
		"/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf",
		"/usr/share/fonts/TTF/DejaVuSans.ttf",
		"/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
		"/System/Library/Fonts/Supplemental/Arial.ttf",
		"/Library/Fonts/Arial.ttf",
		filepath.Join(windir, "Fonts", "arial.ttf"),
	} {
		if checkFontFile(path) == nil {
			return path, nil
		}
	}
	return "", errors.New("no TrueType Latin font found for the PDF: install fonts-dejavu-core " +
		"(Debian/Ubuntu: sudo apt install fonts-dejavu-core)")
}

// LoadFonts reads the fonts a report is set in (Report.Font and LatinFont): FindFont's Chinese font and,
// when that one has no digits of its own, FindLatinFont's.
func LoadFonts() (cjk, latin []byte, err error) {
	path, err := FindFont()
	if err != nil {
		return nil, nil, err
	}
	if cjk, err = os.ReadFile(path); err != nil {
		return nil, nil, err
	}
	if err := checkTrueType(cjk); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	if newGlyphs(cjk).has('0') {
		return cjk, nil, nil
	}
	if path, err = FindLatinFont(); err != nil {
		return nil, nil, err
	}
	if latin, err = os.ReadFile(path); err != nil {
		return nil, nil, err
	}
	return cjk, latin, nil
}

// checkFontFile reports why path cannot be embedded, reading only its first bytes.
func checkFontFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	head := make([]byte, 12)
	if _, err := f.ReadAt(head, 0); err != nil {
		return fmt.Errorf("%s: %w", path, ErrNotTrueType)
	}
	if err := checkTrueType(head); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// DocumentsDir is where a saved report goes: $XDG_DOCUMENTS_DIR, else Documents in the home folder when
// it exists, else the home folder.
func DocumentsDir() (string, error) {
	if dir := os.Getenv("XDG_DOCUMENTS_DIR"); dir != "" {
		if fi, err := os.Stat(dir); err == nil && fi.IsDir() {
			return dir, nil
		}
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", err
	}
	docs := filepath.Join(home, "Documents")
	if fi, err := os.Stat(docs); err == nil && fi.IsDir() {
		return docs, nil
	}
	return home, nil
}

// LoadBoldFont reads the bold face of FindLatinFont's font, for Report.BoldFont; without one, bold text
// is drawn by stroking the regular glyphs.
func LoadBoldFont() ([]byte, error) {
	windir := os.Getenv("WINDIR")
	if windir == "" {
		windir = `C:\Windows`
	}
	for _, path := range []string{
		"/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
		"/usr/share/fonts/dejavu-sans-fonts/DejaVuSans-Bold.ttf",
		"/usr/share/fonts/TTF/DejaVuSans-Bold.ttf",
		"/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
		"/System/Library/Fonts/Supplemental/Arial Bold.ttf",
		"/Library/Fonts/Arial Bold.ttf",
		filepath.Join(windir, "Fonts", "arialbd.ttf"),
	} {
		if checkFontFile(path) == nil {
			return os.ReadFile(path)
		}
	}
	return nil, errors.New("no bold TrueType Latin font found for the PDF")
}

// WriteFile writes r to file in the system's fonts (LoadFonts, and LoadBoldFont's when there is one).
// A file half written is removed.
func WriteFile(file string, r Report) error {
	var err error
	if r.Font, r.LatinFont, err = LoadFonts(); err != nil {
		return err
	}
	r.BoldFont, _ = LoadBoldFont() // optional: bold is stroked without it
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	if err := errors.Join(Write(f, r), f.Close()); err != nil {
		os.Remove(file)
		return fmt.Errorf("PDF %s: %w", file, err)
	}
	return nil
}
