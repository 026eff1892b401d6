// SPDX-License-Identifier: MIT
//
// touch calls main.touch a known number of times with known arguments and
// prints what it did, so a tracer's counts can be checked against it.
// Bucket b (indices b*50 .. b*50+49) is touched (b+1)*per times, so every
// bucket of arg0/50 has a distinct count.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
)

var sink int

//go:noinline
func touch(i int) int {
	sink += i
	return sink
}

func main() {
	buckets := flag.Int("buckets", 8, "number of buckets of 50 indices")
	per := flag.Int("per", 100, "calls per bucket step")
	wait := flag.Bool("wait", false, "print 'ready' and wait for a line on stdin before starting")
	flag.Parse()
	if *wait {
		fmt.Println("ready")
		bufio.NewReader(os.Stdin).ReadString('\n')
	}
	for b := 0; b < *buckets; b++ {
		n := (b + 1) * *per
		for j := 0; j < n; j++ {
			touch(b*50 + j%50)
		}
		fmt.Printf("bucket %d: %d\n", b, n)
	}
}
