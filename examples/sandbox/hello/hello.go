// Command hello is a program run in the sandbox.
package main

import "fmt"

func main() { fmt.Println("hello from the sandbox") }
