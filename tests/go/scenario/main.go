// SPDX-License-Identifier: MIT
//
// scenario makes one known access pattern on a global array and prints
// what it does before doing it: the truth hotspan's output is scored
// against (tests/lib/score.c). Patterns are counted in accesses, never in
// time, and drawn from a generator seeded by -seed, so a run is the same
// whatever the machine's speed and however slowly a tracer makes it go.
//
// Truth lines, all printed before the first access:
//
//	truth array NAME ROWS COLS            the array watched (1-D: ROWS 1)
//	truth phase FROM TO                   accesses [FROM, TO) follow the parts below
//	truth part LO HI P HOT MOVE           1-D: share P of accesses uniform over
//	                                      [LO, HI), moving MOVE indices an access;
//	                                      HOT 0 for the background
//	truth box R0 R1 C0 C1 P HOT           2-D: share P over [R0, R1) x [C0, C1)
//	truth point I P                       share P on index I (a hot bucket)
//	truth event KIND ACCESS               an event the pattern implies
//	truth end N                           N accesses in all
//
// Every access is one call of a //go:noinline function that writes one
// element, so each is one event of the access probe on that array.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"math"
	"math/rand"
	"os"
	"sort"
)

var arr [65536]int64
var small [256]int64
var grid [256][256]int32
var table [65536]int64
var slots [4096]int64

//go:noinline
func touch(i int) { arr[i]++ }

//go:noinline
func touchSmall(i int) { small[i]++ }

//go:noinline
func cell(r, c int) { grid[r][c]++ }

//go:noinline
func bucket(i int) { table[i]++ }

//go:noinline
func slot(i int) { slots[i]++ }

// spin is work between accesses that changes their rate, not their places.
//
//go:noinline
func spin(n int) int {
	s := 0
	for i := 0; i < n; i++ {
		s += i * i
	}
	return s
}

var out = bufio.NewWriter(os.Stdout)

// A part of a 1-D phase: share p uniform over [lo, hi), moving by move
// indices an access from the phase's start.
type part struct {
	lo, hi int
	p      float64
	hot    bool
	move   float64
}

type phase struct {
	n     int
	parts []part
	work  int // spin per access: the rate only
	scan  bool
}

type gen struct {
	r      *rand.Rand
	access int
	sink   int
}

// pick chooses a part by share.
func (g *gen) pick(parts []part) int {
	u := g.r.Float64()
	for i, pt := range parts {
		if u < pt.p {
			return i
		}
		u -= pt.p
	}
	return len(parts) - 1
}

func run1d(name string, length int, f func(int), phases []phase, events [][2]interface{},
	seed int64) {
	g := &gen{r: rand.New(rand.NewSource(seed))}
	fmt.Fprintf(out, "truth array %s 1 %d\n", name, length)
	at := 0
	for _, ph := range phases {
		fmt.Fprintf(out, "truth phase %d %d\n", at, at+ph.n)
		for _, pt := range ph.parts {
			hot := 0
			if pt.hot {
				hot = 1
			}
			fmt.Fprintf(out, "truth part %d %d %.6f %d %.6f\n", pt.lo, pt.hi, pt.p, hot,
				pt.move)
		}
		at += ph.n
	}
	for _, ev := range events {
		fmt.Fprintf(out, "truth event %s %d\n", ev[0], ev[1])
	}
	fmt.Fprintf(out, "truth end %d\n", at)
	out.Flush()
	for _, ph := range phases {
		next := 0
		for k := 0; k < ph.n; k++ {
			pt := ph.parts[g.pick(ph.parts)]
			var i int
			if ph.scan && pt.hot {
				i = pt.lo + next%(pt.hi-pt.lo)
				next++
			} else {
				shift := int(math.Floor(pt.move * float64(k)))
				i = pt.lo + shift + g.r.Intn(pt.hi-pt.lo)
			}
			if i < 0 {
				i = 0
			}
			if i >= length {
				i = length - 1
			}
			f(i)
			if ph.work > 0 {
				g.sink += spin(ph.work)
			}
		}
	}
}

func noise(p float64, length int) part {
	return part{lo: 0, hi: length, p: p}
}

func hot(lo, hi int, p float64) part {
	return part{lo: lo, hi: hi, p: p, hot: true}
}

func ev(kind string, access int) [2]interface{} {
	return [2]interface{}{kind, access}
}

// hashed: 64 keys hashed into a 65536-bucket table take 90% of accesses.
func hashed(seed int64) {
	g := rand.New(rand.NewSource(seed))
	const n = 36000
	var hotb []int
	seen := map[int]bool{}
	for k := uint32(1000); len(hotb) < 64; k++ {
		b := int((k * 2654435761) >> 16)
		if !seen[b] {
			seen[b] = true
			hotb = append(hotb, b)
		}
	}
	fmt.Fprintf(out, "truth array main.table 1 %d\n", len(table))
	fmt.Fprintf(out, "truth phase 0 %d\n", n)
	fmt.Fprintf(out, "truth part 0 %d %.6f 0 0\n", len(table), 0.1)
	for _, b := range hotb {
		fmt.Fprintf(out, "truth point %d %.8f\n", b, 0.9/64)
	}
	fmt.Fprintf(out, "truth end %d\n", n)
	out.Flush()
	for k := 0; k < n; k++ {
		if g.Float64() < 0.1 {
			bucket(g.Intn(len(table)))
		} else {
			bucket(hotb[g.Intn(len(hotb))])
		}
	}
}

// zipf: keys drawn by Zipf's law (s = 1.2) into a direct-mapped table of
// 4096 slots; a slot's share is the sum of its keys'.
func zipfTable(seed int64) {
	g := rand.New(rand.NewSource(seed))
	const n, keys = 36000, 100000
	z := rand.NewZipf(g, 1.2, 1, keys-1)
	p := make([]float64, len(slots))
	norm := 0.0
	for k := 0; k < keys; k++ {
		norm += math.Pow(float64(k+1), -1.2)
	}
	slotOf := func(k uint64) int { return int((uint32(k)*2246822519 + 374761393) >> 20) }
	for k := 0; k < keys; k++ {
		p[slotOf(uint64(k))] += math.Pow(float64(k+1), -1.2) / norm
	}
	fmt.Fprintf(out, "truth array main.slots 1 %d\n", len(slots))
	fmt.Fprintf(out, "truth phase 0 %d\n", n)
	idx := make([]int, len(slots))
	for i := range idx {
		idx[i] = i
	}
	sort.Slice(idx, func(a, b int) bool { return p[idx[a]] > p[idx[b]] })
	for _, i := range idx {
		fmt.Fprintf(out, "truth point %d %.8f\n", i, p[i])
	}
	fmt.Fprintf(out, "truth end %d\n", n)
	out.Flush()
	for k := 0; k < n; k++ {
		slot(slotOf(z.Uint64()))
	}
}

// block2d: a 64 x 64 block of grid takes 90% of accesses, then jumps.
func block2d(seed int64) {
	g := rand.New(rand.NewSource(seed))
	const n = 20000
	at := [2][2]int{{40, 30}, {150, 120}}
	fmt.Fprintf(out, "truth array main.grid %d %d\n", len(grid), len(grid[0]))
	for ph, a := range at {
		fmt.Fprintf(out, "truth phase %d %d\n", ph*n, (ph+1)*n)
		fmt.Fprintf(out, "truth box 0 %d 0 %d %.6f 0\n", len(grid), len(grid[0]), 0.1)
		fmt.Fprintf(out, "truth box %d %d %d %d %.6f 1\n", a[0], a[0]+64, a[1], a[1]+64, 0.9)
	}
	fmt.Fprintf(out, "truth event appear 0\ntruth event move %d\n", n)
	fmt.Fprintf(out, "truth end %d\n", 2*n)
	out.Flush()
	for ph, a := range at {
		_ = ph
		for k := 0; k < n; k++ {
			if g.Float64() < 0.1 {
				cell(g.Intn(len(grid)), g.Intn(len(grid[0])))
			} else {
				cell(a[0]+g.Intn(64), a[1]+g.Intn(64))
			}
		}
	}
}

func main() {
	pattern := flag.String("pattern", "stationary", "the access pattern")
	seed := flag.Int64("seed", 1, "seed of the generator")
	list := flag.Bool("list", false, "print the patterns and exit")
	flag.Parse()
	defer out.Flush()

	L := len(arr)
	N := 0.1
	patterns := map[string]func(){
		"stationary": func() {
			run1d("main.arr", L, touch, []phase{
				{n: 40000, parts: []part{noise(N, L), hot(12000, 12600, 0.9)}},
			}, [][2]interface{}{ev("appear", 0)}, *seed)
		},
		"ranges": func() {
			run1d("main.arr", L, touch, []phase{
				{n: 40000, parts: []part{noise(N, L), hot(5000, 5100, 0.45),
					hot(20000, 20400, 0.30), hot(40000, 41600, 0.15)}},
			}, [][2]interface{}{ev("appear", 0), ev("appear", 0), ev("appear", 0)}, *seed)
		},
		"jump": func() {
			run1d("main.arr", L, touch, []phase{
				{n: 20000, parts: []part{noise(N, L), hot(1000, 1500, 0.9)}},
				{n: 20000, parts: []part{noise(N, L), hot(40000, 40800, 0.9)}},
			}, [][2]interface{}{ev("appear", 0), ev("move", 20000)}, *seed)
		},
		"drift": func() {
			run1d("main.arr", L, touch, []phase{
				{n: 12000, parts: []part{noise(N, L), hot(10000, 10600, 0.9)}},
				{n: 30000, parts: []part{noise(N, L),
					{lo: 10000, hi: 10600, p: 0.9, hot: true, move: 1.0 / 40}}},
				{n: 12000, parts: []part{noise(N, L), hot(10750, 11350, 0.9)}},
			}, [][2]interface{}{ev("appear", 0), ev("drift", 12000), ev("settle", 42000)},
				*seed)
		},
		"split": func() {
			run1d("main.arr", L, touch, []phase{
				{n: 16000, parts: []part{noise(N, L), hot(20000, 21000, 0.9)}},
				{n: 20000, parts: []part{noise(N, L), hot(20000, 20300, 0.45),
					hot(20700, 21000, 0.45)}},
			}, [][2]interface{}{ev("appear", 0), ev("split", 16000)}, *seed)
		},
		"merge": func() {
			run1d("main.arr", L, touch, []phase{
				{n: 16000, parts: []part{noise(N, L), hot(20000, 20300, 0.45),
					hot(20700, 21000, 0.45)}},
				{n: 20000, parts: []part{noise(N, L), hot(20000, 21000, 0.9)}},
			}, [][2]interface{}{ev("appear", 0), ev("appear", 0), ev("merge", 16000)}, *seed)
		},
		"appear_vanish": func() {
			run1d("main.arr", L, touch, []phase{
				{n: 12000, parts: []part{noise(N, L), hot(5000, 5400, 0.9)}},
				{n: 12000, parts: []part{noise(N, L), hot(5000, 5400, 0.45),
					hot(30000, 30400, 0.45)}},
				{n: 12000, parts: []part{noise(N, L), hot(30000, 30400, 0.9)}},
			}, [][2]interface{}{ev("appear", 0), ev("appear", 12000), ev("vanish", 24000)},
				*seed)
		},
		"rate": func() {
			r := []part{noise(N, L), hot(12000, 12600, 0.9)}
			run1d("main.arr", L, touch, []phase{
				{n: 12000, parts: r}, {n: 12000, parts: r, work: 20000}, {n: 12000, parts: r},
			}, [][2]interface{}{ev("appear", 0)}, *seed)
		},
		"intensity": func() {
			run1d("main.arr", L, touch, []phase{
				{n: 12000, parts: []part{noise(N, L), hot(12000, 12600, 0.9)}},
				{n: 12000, parts: []part{noise(0.5, L), hot(12000, 12600, 0.5)}},
				{n: 12000, parts: []part{noise(N, L), hot(12000, 12600, 0.9)}},
			}, [][2]interface{}{ev("appear", 0)}, *seed)
		},
		"small": func() {
			S := len(small)
			run1d("main.small", S, touchSmall, []phase{
				{n: 30000, parts: []part{noise(N, S), hot(100, 140, 0.9)}},
			}, [][2]interface{}{ev("appear", 0)}, *seed)
		},
		"scan": func() {
			run1d("main.arr", L, touch, []phase{
				{n: 36000, parts: []part{noise(N, L), hot(20000, 22000, 0.9)}, scan: true},
			}, [][2]interface{}{ev("appear", 0)}, *seed)
		},
		"block2d": func() { block2d(*seed) },
		"hashed":  func() { hashed(*seed) },
		"zipf":    func() { zipfTable(*seed) },
	}
	if *list {
		var names []string
		for k := range patterns {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			fmt.Fprintln(out, k)
		}
		return
	}
	f, ok := patterns[*pattern]
	if !ok {
		fmt.Fprintf(os.Stderr, "scenario: no pattern %q (-list)\n", *pattern)
		os.Exit(2)
	}
	f()
	fmt.Fprintf(out, "scenario done\n")
}
