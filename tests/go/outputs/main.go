// SPDX-License-Identifier: MIT
//
// outputs calls record(k, v) with known keys and values and says nothing,
// so that a tracer's output is all there is to compare: hotspan's against
// bpftrace's for the same script. Key k (0..5) is recorded 2*(k+1) times
// with v = k*100 + 7*j + 1 (j counts the calls of that key), so every key
// has its own count, sum, average, minimum, maximum and histogram total,
// and no two entries tie in bpftrace's sort. phase(n) marks the end of each
// of the three rounds; with -pause, the program then waits a moment so that
// a tracer acts on what its probe on phase asked (print, clear, zero)
// before the next round changes the maps.
package main

import (
	"os"
	"time"
)

var sink int

//go:noinline
func record(k, v int) int {
	sink += k ^ v
	return sink
}

//go:noinline
func phase(n int) int {
	sink += n
	return sink
}

func main() {
	rounds, pause := 3, false
	for _, a := range os.Args[1:] {
		switch a {
		case "-once":
			rounds = 1
		case "-pause":
			pause = true
		}
	}
	for r := 1; r <= rounds; r++ {
		for k := 0; k < 6; k++ {
			for j := 0; j < 2*(k+1); j++ {
				record(k, k*100+7*j+1)
			}
		}
		phase(r)
		if pause {
			time.Sleep(200 * time.Millisecond)
		}
	}
	if sink == 42 {
		os.Exit(3)
	}
}
