// SPDX-License-Identifier: MIT
//
// rets calls functions with several return statements a known number of
// times and prints how often each return was taken, so return probes (a
// uprobe on every RET) can be checked against it. grow recurses deep enough
// that the Go runtime moves the goroutine's stack while its frames are live:
// a kernel uretprobe would corrupt it, a uprobe on RET must not. The last
// line is a checksum of every result, which tracing must not change.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
)

var sink int

// classified counts every result of classify, whoever called it.
var classified = map[int]int{}

// classify has four returns: a leaf without a frame, each return its own RET.
//
//go:noinline
func classify(x int) int {
	if x < 0 {
		return -1
	}
	if x == 0 {
		return 0
	}
	if x%3 == 0 {
		return 3
	}
	return 1
}

// pick has a frame (it calls) and a return inside a branch without a loop.
//
//go:noinline
func pick(x int) int {
	r := classify(x)
	classified[r]++
	if x&1 != 0 {
		sink += r
		return r + 100
	}
	sink -= r
	return r + 200
}

// find returns from inside its loop, or after it.
//
//go:noinline
func find(xs []int, want int) int {
	for i, x := range xs {
		if x == want {
			return i
		}
	}
	return -1
}

// boom never returns: it has no RET.
//
//go:noinline
func boom(x int) int {
	panic(fmt.Sprint("boom ", x))
}

// grow recurses with a large frame so the stack is copied on the way down.
//
//go:noinline
func grow(n int) int {
	var pad [64]int
	pad[n%64] = n
	if n == 0 {
		return pad[0]
	}
	return grow(n-1) + pad[n%64]
}

// work and inner give ustack a known depth from two callers.
//
//go:noinline
func inner(x int) int {
	sink += x
	return sink
}

//go:noinline
func work(x int) int {
	return inner(x) + 1
}

//go:noinline
func fromA(x int) int {
	return work(x)
}

//go:noinline
func fromB(x int) int {
	return work(x + 1)
}

func main() {
	n := flag.Int("n", 1000, "calls of each function")
	wait := flag.Bool("wait", false, "print 'ready' and wait for a line on stdin before starting")
	hold := flag.Bool("hold", false, "at the end, print 'done' and wait for a line on stdin")
	flag.Parse()
	in := bufio.NewReader(os.Stdin)
	if *wait {
		fmt.Println("ready")
		in.ReadString('\n')
	}
	if *n < 0 {
		boom(*n)
	}
	sum := 0
	for i := 0; i < *n; i++ {
		x := i%7 - 2 // -2..4
		c := classify(x)
		classified[c]++
		sum = sum*31 + c
	}
	odd, even := 0, 0
	for i := 0; i < *n; i++ {
		r := pick(i)
		if r >= 200 {
			even++
		} else {
			odd++
		}
		sum = sum*31 + r
	}
	fmt.Printf("pick odd: %d\npick even: %d\n", odd, even)
	for _, c := range []int{-1, 0, 1, 3} {
		fmt.Printf("classify %d: %d\n", c, classified[c])
	}
	xs := []int{5, 8, 13, 21}
	hit, miss := 0, 0
	for i := 0; i < *n; i++ {
		r := find(xs, i%8+5)
		if r < 0 {
			miss++
		} else {
			hit++
		}
		sum = sum*31 + r
	}
	fmt.Printf("find hit: %d\nfind miss: %d\n", hit, miss)
	for i := 0; i < 10; i++ {
		sum = sum*31 + grow(2000+i)
	}
	fmt.Printf("grow calls: %d\n", 10*2001+45)
	a, b := 0, 0
	for i := 0; i < *n; i++ {
		if i%3 == 0 {
			sum = sum*31 + fromA(i)
			a++
		} else {
			sum = sum*31 + fromB(i)
			b++
		}
	}
	fmt.Printf("fromA: %d\nfromB: %d\n", a, b)
	fmt.Printf("checksum: %d\n", sum)
	if *hold {
		fmt.Println("done")
		in.ReadString('\n')
	}
}
