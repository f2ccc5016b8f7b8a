package eval

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// InputError reports input an evaluation cannot use: a missing data
// directory or file, a malformed file, an unknown option value. Callers tell
// it from a failure of the evaluation itself with errors.As.
type InputError struct {
	Err error
}

func (e *InputError) Error() string { return e.Err.Error() }

func (e *InputError) Unwrap() error { return e.Err }

// inputErr returns an *InputError with a formatted message (%w allowed).
func inputErr(format string, args ...any) error {
	return &InputError{Err: fmt.Errorf(format, args...)}
}

// checkDataDir returns an *InputError saying clearly what is missing when dir
// is not a directory. name prefixes the message, title names the data and
// shared is the folder of the shared data set that holds it.
func checkDataDir(name, title, shared, dir string) error {
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		hint := ""
		if abs, aerr := filepath.Abs(dir); aerr == nil && abs != dir {
			hint = " (" + abs + ")"
		}
		return inputErr("%s: data directory %s does not exist%s; give the directory of the %s data: %s/ in the shared data set (../shared/data/%s beside a checkout)",
			name, dir, hint, title, shared, shared)
	case err != nil:
		return inputErr("%s: %w", name, err)
	case !fi.IsDir():
		return inputErr("%s: %s is not a directory; give the directory of the %s data", name, dir, title)
	}
	return nil
}
