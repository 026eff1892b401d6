// SPDX-License-Identifier: MIT
//
// goset indexes memory in every shape the Go compiler gives an indexed
// access, and counts what it does: a global array, a slice argument, a
// two-dimensional array, an array field of a struct, a generic function,
// a method, a closure, a function inlined everywhere, a masked hash table,
// a derived index (p[i+1]), constant indices, and 2-D accesses that share a
// subscript checked once (grid[r][c-1] + grid[r][c+1]: the row is computed
// once; grid[r1][c] * grid[r2][c]: the column is checked once), neighbours
// a[i-1] + a[i] (the second check's panic passes the bound as the index),
// rows y+3 ... y-1 of a 2-D field through a pointer, as image codecs read
// them, then a store to row y (which of the checked rows it uses is told by
// the base the reads share; where no register holds that base any more,
// the store is listed and not watched), range loops with no bounds check
// over slices of 8-byte, 16-byte and 24-byte elements and of bytes, and an
// array of structs whose field array is indexed (shards[i].arr[j] is
// element i of main.shards). It is built with every Go
// toolchain in every mode (tests/go/README); the integration test traces
// each build and compares hotspan's figures with the lines printed here:
//
//	access NAME index K: N    accesses of index K through NAME
//	access NAME cell R C: N   of cell (R, C) of a 2-D array
//	access NAME elem V: N     accesses that found the value V there
//	call NAME arg K: N        calls of NAME with K as first argument
//	ret NAME V: N             returns of NAME with V as first result
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

var table [1024]int64

var grid [32][32]int32

// vals holds known values (a literal: no code writes it).
var vals = [8]int64{10, 11, 12, 13, 14, 15, 16, 17}

type S struct {
	n   int
	arr [64]int16
}

var st S

var buckets [256]uint32

type Ring struct {
	slots []int32
}

var counts = map[string]map[string]int{}

func count(what, key string) {
	if counts[what] == nil {
		counts[what] = map[string]int{}
	}
	counts[what][key]++
}

func idx(name string, i int) { count("access "+name+" index", fmt.Sprint(i)) }

//go:noinline
func get(i int) int64 { return table[i] }

//go:noinline
func put(i int, v int64) { table[i] = v }

//go:noinline
func getVal(i int) int64 { return vals[i] }

//go:noinline
func constIdx() int64 { return table[5] }

//go:noinline
func gridInc(r, c int) { grid[r][c]++ }

//go:noinline
func stencil(r, c int) int32 { return grid[r][c-1] + grid[r][c+1] }

//go:noinline
func pair(r, c1, c2 int) int32 { return grid[r][c1] + grid[r][c2] }

//go:noinline
func colPair(r1, r2, c int) int32 { return grid[r1][c] * grid[r2][c] }

//go:noinline
func adj(i int) int64 { return table[i-1] + table[i] }

type Pic struct {
	n   int
	pix [26][32]uint8
}

//go:noinline
func column(p *Pic, y, x int) int32 {
	t := int32(p.pix[y+3][x-1]) + int32(p.pix[y+2][x-1]) + int32(p.pix[y+1][x-1]) +
		int32(p.pix[y][x-1]) + int32(p.pix[y-1][x-1])
	p.pix[y][x] = uint8(t) // the array's address is gone by now: listed, no site
	return t
}

//go:noinline
func smooth(p *Pic, y, x int) int32 {
	s := int32(p.pix[y+3][x-1])
	r := int32(p.pix[y+2][x-1])
	q := int32(p.pix[y+1][x-1])
	o := int32(p.pix[y][x-1])
	n := int32(p.pix[y-1][x-1])
	p.pix[y][x] = uint8(s + 2*r + q + o*3 + n)
	return s
}

// shards is an array of structs with an array field: shards[i].arr[j] is
// an access of element i of main.shards (index i), at row i, column j.
type Shard struct {
	n   int
	arr [8]int64
}

var shards [16]Shard

//go:noinline
func shardGet(i, j int) int64 { return shards[i].arr[j] }

//go:noinline
func shardCount(i int) { shards[i].n++ }

type pt struct{ x, y int64 }

type tri struct{ a, b, c int64 }

//go:noinline
func sumRange(s []int64) (t int64) {
	for i := range s {
		t += s[i]
	}
	return
}

//go:noinline
func sumPts(p []pt) (t int64) {
	for i := range p {
		t += p[i].y
	}
	return
}

//go:noinline
func sumTris(p []tri) (t int64) {
	for i := range p {
		t += p[i].b
	}
	return
}

//go:noinline
func sumBytes(b []byte) (t int) {
	for i := range b {
		t += int(b[i])
	}
	return
}

//go:noinline
func field(i int) int16 { return st.arr[i] }

//go:noinline
func sliceAdd(s []int64, i int, v int64) { s[i] += v }

//go:noinline
func derived(p []int64, i int) int64 { return p[i+1] }

//go:noinline
func constSlice(p []int64) int64 { return p[3] }

//go:noinline
func bump(h uint32) { buckets[h&(uint32(len(buckets))-1)]++ }

//go:noinline
func gpick[T any](s []T, i int) T { return s[i] }

//go:noinline
func (r *Ring) Put(i int, v int32) { r.slots[i] = v }

func inl(i int) int64 { return table[i] * 2 }

//go:noinline
func useInl(i int) int64 { return inl(i) + 1 }

//go:noinline
func apply(f func(int), i int) { f(i) }

//go:noinline
func run(hist []int64) {
	add := func(i int) { hist[i]++ }
	for k := 0; k < 30; k++ {
		apply(add, k%6)
		idx("main.run.func1", k%6)
	}
}

func main() {
	wait := flag.Bool("wait", false, "read a line from stdin before starting")
	flag.Parse()
	if *wait {
		bufio.NewReader(os.Stdin).ReadString('\n')
	}
	var s int64
	// The global array: index 100+k read 10+k times, 200+k written k+1 times.
	for k := 0; k < 8; k++ {
		for n := 0; n < 10+k; n++ {
			s += get(100 + k)
			idx("main.table", 100+k)
			idx("main.get", 100+k)
			count("call main.get arg", fmt.Sprint(100+k))
			count("ret main.get", "0")
		}
		for n := 0; n <= k; n++ {
			put(200+k, int64(n))
			idx("main.table", 200+k)
			idx("main.put", 200+k)
		}
	}
	// Known values: vals[i] read i+1 times.
	for i := 0; i < len(vals); i++ {
		for n := 0; n <= i; n++ {
			s += getVal(i)
			idx("main.vals", i)
			count("access main.vals elem", fmt.Sprint(10+i))
		}
	}
	// A constant index into the array: no bounds check.
	for n := 0; n < 7; n++ {
		s += constIdx()
		idx("main.table", 5)
	}
	// Inlined everywhere: its copy in useInl reads table[i].
	for n := 0; n < 9; n++ {
		s += useInl(300 + n%3)
		idx("main.table", 300+n%3)
		idx("main.inl", 300+n%3)
	}
	// The 2-D array: cell (r, c) incremented r+c+1 times.
	for r := 3; r < 6; r++ {
		for c := 20; c < 23; c++ {
			for n := 0; n < r+c-22; n++ {
				gridInc(r, c)
				count("access main.grid cell", fmt.Sprint(r, " ", c))
				idx("main.grid", r*32+c)
			}
		}
	}
	// Two accesses sharing a subscript checked once.
	cell := func(fn string, r, c int) {
		count("access "+fn+" cell", fmt.Sprint(r, " ", c))
		count("access main.grid cell", fmt.Sprint(r, " ", c))
		idx("main.grid", r*32+c)
	}
	for k := 0; k < 12; k++ {
		r, c := (k*7)%32, 1+(k*5)%30
		s += int64(stencil(r, c))
		cell("main.stencil", r, c-1)
		cell("main.stencil", r, c+1)
		c1, c2 := (k*3)%32, (k*11)%32
		s += int64(pair(r, c1, c2))
		cell("main.pair", r, c1)
		cell("main.pair", r, c2)
		r2 := (k * 13) % 32
		s += int64(colPair(r, r2, c))
		cell("main.colPair", r, c)
		cell("main.colPair", r2, c)
	}
	// Neighbours, and a column of rows through a pointer.
	for k := 1; k < 20; k++ {
		s += adj(k * 3)
		idx("main.table", k*3-1)
		idx("main.table", k*3)
		idx("main.adj", k*3-1)
		idx("main.adj", k*3)
	}
	pic := &Pic{}
	for k := 0; k < 15; k++ {
		y, x := 1+(k*3)%20, 1+(k*7)%30
		s += int64(column(pic, y, x))
		for _, d := range []int{3, 2, 1, 0, -1} {
			count("access main.column cell", fmt.Sprint(y+d, " ", x-1))
		}
		s += int64(smooth(pic, y, x))
		for _, d := range []int{3, 2, 1, 0, -1} {
			count("access main.smooth cell", fmt.Sprint(y+d, " ", x-1))
		}
		count("access main.smooth cell", fmt.Sprint(y, " ", x))
	}
	// An array of structs: a field array's element, and a field.
	for k := 0; k < 25; k++ {
		i, j := (k*5)%16, (k*3)%8
		s += shardGet(i, j)
		idx("main.shards", i)
		count("access main.shardGet cell", fmt.Sprint(i, " ", j))
		shardCount(i)
		idx("main.shards", i)
	}
	// Range loops: no bounds check, the index from its register.
	s64, pts, tris, bs := make([]int64, 30), make([]pt, 12), make([]tri, 9), make([]byte, 40)
	for r := 0; r < 3; r++ {
		s += sumRange(s64[r:])
		for i := 0; i < len(s64)-r; i++ {
			idx("main.sumRange", i)
		}
		s += sumPts(pts) + sumTris(tris) + int64(sumBytes(bs))
		for i := range pts {
			idx("main.sumPts", i)
		}
		for i := range tris {
			idx("main.sumTris", i)
		}
		for i := range bs {
			idx("main.sumBytes", i)
		}
	}
	// An array field of a struct.
	for i := 0; i < 64; i += 9 {
		for n := 0; n < 2; n++ {
			s += int64(field(i))
			idx("main.st.arr", i)
		}
	}
	// A slice argument, a derived index, a constant one.
	sl := make([]int64, 40)
	for i := 0; i < 40; i += 4 {
		sliceAdd(sl, i, 1)
		idx("main.sliceAdd", i)
		s += derived(sl, i)
		idx("main.derived", i+1)
	}
	for n := 0; n < 5; n++ {
		s += constSlice(sl)
		idx("main.constSlice", 3)
	}
	// A masked hash table: h & 255.
	for k := 0; k < 40; k++ {
		h := uint32(k * 2654435761)
		bump(h)
		idx("main.buckets", int(h&255))
	}
	// A generic function, two instances.
	ints := []int64{1, 2, 3, 4}
	strs := []string{"a", "b", "c"}
	for n := 0; n < 6; n++ {
		s += gpick(ints, n%4)
		idx("main.gpick", n%4)
		s += int64(len(gpick(strs, n%3)))
		idx("main.gpick", n%3)
	}
	// A method.
	r := &Ring{slots: make([]int32, 16)}
	for n := 0; n < 20; n++ {
		r.Put(n%16, int32(n))
		idx("main.(*Ring).Put", n%16)
	}
	// A closure.
	run(make([]int64, 6))

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
