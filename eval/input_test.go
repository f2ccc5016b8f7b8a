package eval

import "errors"

func isInputErr(err error) bool {
	var ie *InputError
	return errors.As(err, &ie)
}
