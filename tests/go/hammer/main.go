// SPDX-License-Identifier: MIT
//
// hammer accesses main.table as fast as it can for a given time and says
// how many accesses it made a second: the target whose slowdown under
// probes --budget bounds. Indices come from a fixed-seed xorshift, so runs
// are alike: most accesses fall in the hot range [40000, 40200), the rest
// (one in -noise) anywhere; with -ranges 3, in three hot ranges instead,
// [40000, 40200) a half of them, [10000, 10600) a third and [60000, 60050)
// a sixth. With -wait it prints "ready" and waits
// for a line on stdin, so a tracer can attach first; with -seconds 0 it
// runs until stdin closes.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"time"
)

var table [65536]int64

//go:noinline
func touch(i int) {
	table[i]++
}

// hammer makes n accesses from state x and returns the new state.
func hammer(x uint64, n int, noise uint64, ranges int) uint64 {
	for k := 0; k < n; k++ {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		switch {
		case x%noise == 0:
			touch(int(x>>20) & (len(table) - 1))
		case ranges < 3 || (x>>40)%6 < 3:
			touch(40000 + int((x>>8)%200))
		case (x>>40)%6 < 5:
			touch(10000 + int((x>>8)%600))
		default:
			touch(60000 + int((x>>8)%50))
		}
	}
	return x
}

func main() {
	seconds := flag.Float64("seconds", 5, "run this long; 0: until stdin closes")
	noise := flag.Uint64("noise", 10, "one access in this many lands anywhere")
	wait := flag.Bool("wait", false, "print 'ready' and wait for a line on stdin before starting")
	ranges := flag.Int("ranges", 1, "hot ranges: 1, or 3 of different widths and shares")
	flag.Parse()
	in := bufio.NewReader(os.Stdin)
	if *wait {
		fmt.Println("ready")
		in.ReadString('\n')
	}
	done := make(chan bool, 1)
	if *seconds > 0 {
		go func() {
			time.Sleep(time.Duration(*seconds * float64(time.Second)))
			done <- true
		}()
	} else {
		go func() {
			in.ReadString('\n')
			done <- true
		}()
	}
	x := uint64(88172645463325252)
	total := 0
	start := time.Now()
	for running := true; running; {
		x = hammer(x, 4096, *noise, *ranges)
		total += 4096
		select {
		case <-done:
			running = false
		default:
		}
	}
	elapsed := time.Since(start).Seconds()
	fmt.Printf("accesses: %d\nseconds: %.3f\nrate: %.0f\n", total, elapsed,
		float64(total)/elapsed)
}
