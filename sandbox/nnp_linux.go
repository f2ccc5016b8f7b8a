package sandbox

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// noNewPrivileges sets PR_SET_NO_NEW_PRIVS: nothing the worker could
// execute gains privileges (setuid bits, file capabilities).
func noNewPrivileges() error {
	if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
		return fmt.Errorf("prctl(PR_SET_NO_NEW_PRIVS): %w", err)
	}
	return nil
}
