// Command peek reaches for a file, a process and the environment: run
// with --unsafe-no-allowlist, it meets only the operating system's confinement.
package main

import (
	"fmt"
	"os"
	"os/exec"
)

func main() {
	_, err := os.ReadFile("/etc/passwd")
	fmt.Println(err)
	fmt.Println(exec.Command("/bin/true").Run())
	fmt.Println(os.Environ())
}
