// SPDX-License-Identifier: MIT
//
// strs passes Go strings (a pointer and a length in two registers, no NUL)
// to main.greet a known number of times and prints its own counts, so
// str(arg0, arg1) can be checked against it.
package main

import "fmt"

var sink int

//go:noinline
func greet(name string, n int) {
	sink += len(name) + n
}

func main() {
	names := []string{"gopher", "a-much-longer-name-than-sixty-four-bytes-to-see-str-cut-it-at-63-bytes", "x"}
	for i, name := range names {
		for j := 0; j < (i+1)*10; j++ {
			greet(name, j)
		}
		fmt.Printf("%s: %d\n", name, (i+1)*10)
	}
}
