// SPDX-License-Identifier: MIT
//
// gond indexes arrays of three and four dimensions and counts what it does:
// a global [8][16][32]int32, a [4][8][16]int16 field of a global struct, a
// global [3][4][5][6]int64, a slice of 2-D arrays passed as an argument,
// accesses with one subscript constant, and a loop over a whole cube. It
// is built with every Go toolchain in every mode (GO_VERSIONS, GO_MODES);
// tests/integration/test_gond.c traces each build and compares hotspan's
// figures with the lines printed here. An array [A][B]...[Y][Z]T is seen as
// its rows of the last dimension: for cube[a][b][c], row = a*16 + b,
// col = c and index = row*32 + col, the element's place in the whole array.
//
//	access NAME index K: N    accesses of flat index K through NAME
//	access NAME cell R C: N   of row R, column C (R flat, as above)
//
// -wait reads a line from stdin before starting.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"sort"
)

const A, B, C = 8, 16, 32

var cube [A][B][C]int32

type Vol struct {
	n    int
	cube [4][8][16]int16
}

var vol Vol

var hyper [3][4][5][6]int64

// loop is only ever read whole, by sumLoop.
var loop [2][3][4]int32

var counts = map[string]map[string]int{}

func count(what, key string) {
	if counts[what] == nil {
		counts[what] = map[string]int{}
	}
	counts[what][key]++
}

// cell counts one access of NAME at row r, column c of a row length of cols.
func cell(name string, r, c, cols int) {
	count("access "+name+" cell", fmt.Sprint(r, " ", c))
	count("access "+name+" index", fmt.Sprint(r*cols+c))
}

//go:noinline
func cubeInc(a, b, c int) { cube[a][b][c]++ }

//go:noinline
func cubeGet(a, b, c int) int32 { return cube[a][b][c] }

//go:noinline
func cubePlane(b, c int) int32 { return cube[5][b][c] }

//go:noinline
func cubeLine(a, c int) int32 { return cube[a][9][c] }

//go:noinline
func cubeCol(a, b int) int32 { return cube[a][b][7] }

//go:noinline
func volGet(a, b, c int) int16 { return vol.cube[a][b][c] }

//go:noinline
func (v *Vol) Put(a, b, c int, x int16) { v.cube[a][b][c] = x }

//go:noinline
func hyperInc(a, b, c, d int) { hyper[a][b][c][d]++ }

//go:noinline
func slab(s [][4][8]int32, a, b, c int) { s[a][b][c] += 3 }

//go:noinline
func sumLoop() int32 {
	var s int32
	for a := range loop {
		for b := range loop[a] {
			for c := range loop[a][b] {
				s += loop[a][b][c]
			}
		}
	}
	return s
}

func main() {
	wait := flag.Bool("wait", false, "read a line from stdin before starting")
	flag.Parse()
	if *wait {
		bufio.NewReader(os.Stdin).ReadString('\n')
	}
	var s int64
	// The cube: each triple n+1 times, a, b and c all variable; no two
	// triples share a subscript in the same place, so a dimension mixed up
	// with another gives other keys.
	triples := [][3]int{{1, 3, 0}, {6, 14, 17}, {0, 15, 31}, {7, 0, 5}, {3, 8, 22}}
	for n, t := range triples {
		for k := 0; k <= n; k++ {
			cubeInc(t[0], t[1], t[2])
			cell("main.cube", t[0]*B+t[1], t[2], C)
			cell("main.cubeInc", t[0]*B+t[1], t[2], C)
		}
		for k := 0; k < 2*n+1; k++ {
			s += int64(cubeGet(t[2]%A, t[0]+2, t[1]))
			cell("main.cube", (t[2]%A)*B+t[0]+2, t[1], C)
			cell("main.cubeGet", (t[2]%A)*B+t[0]+2, t[1], C)
		}
	}
	// One subscript constant.
	for k := 0; k < 4; k++ {
		s += int64(cubePlane(k+2, 3*k))
		cell("main.cube", 5*B+k+2, 3*k, C)
		cell("main.cubePlane", 5*B+k+2, 3*k, C)
		s += int64(cubeLine(k, 30-k))
		cell("main.cube", k*B+9, 30-k, C)
		cell("main.cubeLine", k*B+9, 30-k, C)
		s += int64(cubeCol(7-k, 11+k))
		cell("main.cube", (7-k)*B+11+k, 7, C)
		cell("main.cubeCol", (7-k)*B+11+k, 7, C)
	}
	// The struct's cube, directly and through a method.
	for n := 0; n < 6; n++ {
		a, b, c := n%4, 7-n, 2*n+1
		for k := 0; k <= n; k++ {
			s += int64(volGet(a, b, c))
			cell("main.vol.cube", a*8+b, c, 16)
			cell("main.volGet", a*8+b, c, 16)
		}
		// Through the receiver: only a probe on the method sees it.
		vol.Put(3-a, n, 15-c, int16(n))
		cell("main.(*Vol).Put", (3-a)*8+n, 15-c, 16)
	}
	// Four dimensions: row = (a*4+b)*5+c, col = d.
	quads := [][4]int{{0, 1, 2, 3}, {2, 3, 4, 5}, {1, 0, 3, 0}, {2, 2, 0, 4}}
	for n, q := range quads {
		for k := 0; k < n+2; k++ {
			hyperInc(q[0], q[1], q[2], q[3])
			cell("main.hyper", (q[0]*4+q[1])*5+q[2], q[3], 6)
			cell("main.hyperInc", (q[0]*4+q[1])*5+q[2], q[3], 6)
		}
	}
	// A slice of 2-D arrays: [len][4][8], row = a*4+b.
	sl := make([][4][8]int32, 5)
	for n := 0; n < 5; n++ {
		a, b, c := 4-n, n%4, (3*n+1)%8
		for k := 0; k <= n; k++ {
			slab(sl, a, b, c)
			cell("main.slab", a*4+b, c, 8)
		}
	}
	// A loop over the whole of main.loop, twice.
	for n := 0; n < 2; n++ {
		s += int64(sumLoop())
		for r := 0; r < 2*3; r++ {
			for c := 0; c < 4; c++ {
				cell("main.loop", r, c, 4)
			}
		}
	}

	whats := make([]string, 0, len(counts))
	for w := range counts {
		whats = append(whats, w)
	}
	sort.Strings(whats)
	for _, w := range whats {
		keys := make([]string, 0, len(counts[w]))
		for k := range counts[w] {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Printf("%s %s: %d\n", w, k, counts[w][k])
		}
	}
	fmt.Printf("sum %d\n", s)
}
