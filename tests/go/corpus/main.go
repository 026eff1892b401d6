// SPDX-License-Identifier: MIT
//
// corpus is the workload of the language corpus (tests/corpus/*.hs): small
// functions that take ints and return one or several values, called a
// known number of times with known arguments, so that every script of the
// corpus has something exact to count. It prints nothing on stdout, so a
// tracer's output is all there is there to compare: hotspan's against
// bpftrace's. What it did, the truth for scripts bpftrace cannot express,
// goes to stderr as "corpus: NAME: VALUE" lines, once the work is done.
//
// In order, with the default flags:
//   - record(k, v): -rounds rounds (3); in each, key k (0..5) is recorded
//     2*(k+1) times with v = k*100 + 7*j + 1 (j counts that key's calls in
//     the round), then phase(r) marks the round's end. No two keys tie in
//     count, sum, average, minimum or maximum. -pace sleeps between rounds.
//   - signed(k, v): once per value of `values` (signed, zero, large), with
//     k = i % 4 for the i-th value.
//   - pair(a, b) returns (a+b, a-b); split(x) returns (x/10, x%10, x < 0).
//   - stepA, stepB, stepC: 3, 5 and 7 calls, with 100+i, 200+i, 300+i;
//     classify(x): four returns, 50 calls.
//   - fromA and fromB call work, which calls inner: the first call from
//     each caller reports the stack as the Go runtime sees it.
//   - touch(i) increments table[i]; cell(r, c) increments grid[r][c];
//     scan(xs, i) reads xs[i] of a slice.
//   - -heat N: N more touches of table, 49 in 50 inside [hotlo,
//     hotlo+hotwidth), the others spread over the whole table; and N/4 more
//     of grid, 49 in 50 in the 4x4 block at (hotrow, hotcol).
//   - done(1) marks the end; -hold then keeps the process alive.
package main

import (
	"flag"
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"
	"unsafe"
)

var sink int

var table [256]int64

var grid [16][16]int32

var values = []int{0, 1, -1, 2, 3, -4, 7, 8, -9, 100, -100, 255, 256, 1023, 1024, -4096,
	65536, -1 << 20, 1 << 33, 1<<40 + 5}

// report collects the stderr lines, printed once at the end in this order.
var report []string

func say(format string, args ...any) {
	report = append(report, "corpus: "+fmt.Sprintf(format, args...))
}

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

//go:noinline
func signed(k, v int) int {
	sink += k + v
	return sink
}

//go:noinline
func pair(a, b int) (int, int) {
	return a + b, a - b
}

//go:noinline
func split(x int) (int, int, bool) {
	return x / 10, x % 10, x < 0
}

//go:noinline
func stepA(x int) int { sink += x; return sink }

//go:noinline
func stepB(x int) int { sink -= x; return sink }

//go:noinline
func stepC(x int) int { sink ^= x; return sink }

// classify has four return statements, each its own RET.
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

var seen = map[string]bool{}

// inner reports, the first time each caller reaches it, the stack as the Go
// runtime knows it: function, offset of the return address (0 for inner
// itself, at its entry) and the source line of each frame.
//
//go:noinline
func inner(x int) int {
	pcs := make([]uintptr, 16)
	n := runtime.Callers(1, pcs)
	caller := runtime.FuncForPC(pcs[2] - 1).Name()
	if !seen[caller] {
		seen[caller] = true
		var frames []string
		for i, pc := range pcs[:n] {
			f := runtime.FuncForPC(pc - 1)
			off := pc - f.Entry()
			file, line := f.FileLine(pc - 1)
			if i == 0 {
				off = 0
				file, line = f.FileLine(f.Entry())
			}
			frames = append(frames, fmt.Sprintf("%s+%d (%s:%d)", f.Name(), off, file, line))
		}
		say("stack %s: %s", caller, strings.Join(frames, "; "))
	}
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

//go:noinline
func touch(i int) {
	table[i]++
}

//go:noinline
func cell(r, c int) {
	grid[r][c]++
}

//go:noinline
func scan(xs []int, i int) int {
	return xs[i]
}

//go:noinline
func done(n int) int {
	sink += n
	return sink
}

func main() {
	rounds := flag.Int("rounds", 3, "rounds of record calls")
	pace := flag.Duration("pace", 0, "sleep between rounds")
	heat := flag.Int("heat", 0, "extra touches of table, mostly in the hot range")
	hotlo := flag.Int("hotlo", 96, "start of the hot range")
	hotwidth := flag.Int("hotwidth", 32, "width of the hot range")
	hotrow := flag.Int("hotrow", 6, "first row of grid's hot 4x4 block")
	hotcol := flag.Int("hotcol", 9, "first column of grid's hot 4x4 block")
	hold := flag.Duration("hold", 0, "stay alive this long after done()")
	flag.Parse()

	for r := 1; r <= *rounds; r++ {
		for k := 0; k < 6; k++ {
			for j := 0; j < 2*(k+1); j++ {
				record(k, k*100+7*j+1)
			}
		}
		phase(r)
		if *pace > 0 {
			time.Sleep(*pace)
		}
	}
	say("record calls: %d", *rounds*42)

	for i, v := range values {
		signed(i%4, v)
	}
	say("signed calls: %d", len(values))

	sums, diffs := 0, 0
	for i := 0; i < 10; i++ {
		s, d := pair(i, 3*i-7)
		sums += s
		diffs += d
	}
	say("pair sum of first results: %d", sums)
	say("pair sum of second results: %d", diffs)
	neg := 0
	for _, x := range []int{-25, -3, 0, 9, 47, 123} {
		if _, _, n := split(x); n {
			neg++
		}
	}
	say("split negatives: %d", neg)

	steps := map[string]int{}
	for i := 0; i < 3; i++ {
		stepA(100 + i)
		steps["stepA"]++
	}
	for i := 0; i < 5; i++ {
		stepB(200 + i)
		steps["stepB"]++
	}
	for i := 0; i < 7; i++ {
		stepC(300 + i)
		steps["stepC"]++
	}
	for _, f := range []string{"stepA", "stepB", "stepC"} {
		say("%s calls: %d", f, steps[f])
	}

	classified := map[int]int{}
	for i := 0; i < 50; i++ {
		classified[classify(i%7-2)]++
	}
	for _, c := range []int{-1, 0, 1, 3} {
		say("classify %d: %d", c, classified[c])
	}

	a, b := 0, 0
	for i := 0; i < 30; i++ {
		if i%3 == 0 {
			fromA(i)
			a++
		} else {
			fromB(i)
			b++
		}
	}
	say("fromA: %d", a)
	say("fromB: %d", b)

	for i := 0; i < 40; i++ {
		touch(i * i % 50)
	}
	touches := 40
	for i := 0; i < *heat; i++ {
		if i%50 == 49 {
			touch(i * 7919 % len(table))
		} else {
			touch(*hotlo + i*31%*hotwidth)
		}
		touches++
	}
	say("touches: %d", touches)
	if *heat > 0 {
		say("hot range: [%d, %d)", *hotlo, *hotlo+*hotwidth)
	}
	say("table address: %d", uintptr(unsafe.Pointer(&table)))
	for i, c := range table {
		if c > 0 {
			say("table %d: %d", i, c)
		}
	}
	cells := 0
	for i := 0; i < 60; i++ {
		cell(i%5, i%7+i%3)
		cells++
	}
	for i := 0; i < *heat/4; i++ {
		if i%50 == 49 {
			cell(i*13%16, i*7%16)
		} else {
			cell(*hotrow+i%4, *hotcol+i/4%4)
		}
		cells++
	}
	say("cells: %d", cells)
	if *heat > 0 {
		say("hot block: [%d, %d)x[%d, %d)", *hotrow, *hotrow+4, *hotcol, *hotcol+4)
	}
	for r := range grid {
		for c, n := range grid[r] {
			if n > 0 {
				say("cell %d %d: %d", r, c, n)
			}
		}
	}
	xs := make([]int, 20)
	scanned := map[int]int{}
	for i := 0; i < 30; i++ {
		sink += scan(xs, i%4*5)
		scanned[i%4*5]++
	}
	for _, i := range []int{0, 5, 10, 15} {
		say("scan %d: %d", i, scanned[i])
	}

	done(1)
	fmt.Fprintln(os.Stderr, strings.Join(report, "\n"))
	if *hold > 0 {
		time.Sleep(*hold)
	}
}
