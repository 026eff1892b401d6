// SPDX-License-Identifier: MIT
//
// shift keeps a hot range in a large array and moves it once, at an access
// it prints, so a tracer's spans and drift can be checked against it.
// Accesses are deterministic: a fixed-seed generator picks indices inside
// the hot range, and one access in `noise` goes anywhere in the array.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"math/rand"
	"os"
)

var table [65536]int64

//go:noinline
func touch(i int) {
	table[i]++
}

func phase(r *rand.Rand, lo, width, n, noise int) {
	for k := 0; k < n; k++ {
		if noise > 0 && k%noise == 0 {
			touch(r.Intn(len(table)))
		} else {
			touch(lo + r.Intn(width))
		}
	}
}

func main() {
	from := flag.Int("from", 10000, "first hot range starts here")
	to := flag.Int("to", 10100, "the hot range moves here")
	width := flag.Int("width", 200, "width of the hot range")
	n := flag.Int("n", 40000, "accesses before and after the move")
	noise := flag.Int("noise", 20, "one access in this many lands anywhere")
	wait := flag.Bool("wait", false, "print 'ready' and wait for a line on stdin before starting")
	flag.Parse()
	if *wait {
		fmt.Println("ready")
		bufio.NewReader(os.Stdin).ReadString('\n')
	}
	r := rand.New(rand.NewSource(1))
	fmt.Printf("hot [%d, %d) for accesses [0, %d)\n", *from, *from+*width, *n)
	phase(r, *from, *width, *n, *noise)
	fmt.Printf("hot [%d, %d) for accesses [%d, %d)\n", *to, *to+*width, *n, 2**n)
	phase(r, *to, *width, *n, *noise)
}
