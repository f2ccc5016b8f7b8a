package main

import "fmt"

func main() {
	fmt.Println("a program prints; its result is null")
}
