// SPDX-License-Identifier: MIT
//
// gobin_structs indexes global arrays of structs whose elements are padded
// (pair: 8 bytes for 5 of data), a power of two (rec: 16), or neither (tri:
// 24, odd: 12), so the compiler scales the index in different ways. It prints
// how often it touched each index of each array ("main.pairs index 7: 40").
// -info prints its own addresses and sizes and exits; -wait reads one line
// from stdin before starting.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"reflect"
	"runtime"
	"sort"
	"unsafe"
)

type pair struct {
	x int8
	y int32
}

type rec struct {
	a int64
	b int32
	c int8
}

type tri struct {
	a, b, c int64
}

type odd struct {
	a [3]int32
}

var pairs [512]pair
var recs [300]rec
var tris [200]tri
var odds [100]odd

var counts = map[string]map[int]int{}

func count(array string, i int) {
	if counts[array] == nil {
		counts[array] = map[int]int{}
	}
	counts[array][i]++
}

//go:noinline
func pairY(i int) int32 {
	return pairs[i].y
}

//go:noinline
func setRecC(i int, v int8) {
	recs[i].c = v
}

//go:noinline
func triB(i int) int64 {
	return tris[i].b
}

//go:noinline
func oddA1(i int) int32 {
	return odds[i].a[1]
}

func entry(f interface{}) uintptr {
	return runtime.FuncForPC(reflect.ValueOf(f).Pointer()).Entry()
}

func main() {
	info := flag.Bool("info", false, "print facts about this program and exit")
	wait := flag.Bool("wait", false, "read a line from stdin before starting")
	rounds := flag.Int("rounds", 1, "how many times to repeat the pattern")
	flag.Parse()
	if *info {
		fmt.Printf("var main.pairs %#x %d %d %d\n", uintptr(unsafe.Pointer(&pairs)),
			len(pairs), unsafe.Sizeof(pairs[0]), unsafe.Sizeof(pairs))
		fmt.Printf("var main.recs %#x %d %d %d\n", uintptr(unsafe.Pointer(&recs)),
			len(recs), unsafe.Sizeof(recs[0]), unsafe.Sizeof(recs))
		fmt.Printf("var main.tris %#x %d %d %d\n", uintptr(unsafe.Pointer(&tris)),
			len(tris), unsafe.Sizeof(tris[0]), unsafe.Sizeof(tris))
		fmt.Printf("var main.odds %#x %d %d %d\n", uintptr(unsafe.Pointer(&odds)),
			len(odds), unsafe.Sizeof(odds[0]), unsafe.Sizeof(odds))
		fmt.Printf("field main.pair.y %d\n", unsafe.Offsetof(pairs[0].y))
		fmt.Printf("field main.rec.c %d\n", unsafe.Offsetof(recs[0].c))
		fmt.Printf("field main.tri.b %d\n", unsafe.Offsetof(tris[0].b))
		fmt.Printf("field main.odd.a[1] %d\n",
			uintptr(unsafe.Pointer(&odds[0].a[1]))-uintptr(unsafe.Pointer(&odds[0])))
		fmt.Printf("func main.pairY %#x\n", entry(pairY))
		fmt.Printf("func main.setRecC %#x\n", entry(setRecC))
		fmt.Printf("func main.triB %#x\n", entry(triB))
		fmt.Printf("func main.oddA1 %#x\n", entry(oddA1))
		return
	}
	if *wait {
		bufio.NewReader(os.Stdin).ReadString('\n')
	}
	var s int64
	for n := 0; n < *rounds; n++ {
		// Index i of each array touched 10+i times, for i in a small span.
		for i := 100; i < 110; i++ {
			for k := 0; k < 10+i-100; k++ {
				s += int64(pairY(i))
				count("main.pairs", i)
			}
		}
		for i := 200; i < 205; i++ {
			for k := 0; k < 20+i-200; k++ {
				setRecC(i, int8(k))
				count("main.recs", i)
			}
		}
		for i := 50; i < 53; i++ {
			for k := 0; k < 30+i-50; k++ {
				s += triB(i)
				count("main.tris", i)
			}
		}
		for i := 7; i < 9; i++ {
			for k := 0; k < 40+i-7; k++ {
				s += int64(oddA1(i))
				count("main.odds", i)
			}
		}
	}
	names := make([]string, 0, len(counts))
	for a := range counts {
		names = append(names, a)
	}
	sort.Strings(names)
	for _, a := range names {
		keys := make([]int, 0, len(counts[a]))
		for k := range counts[a] {
			keys = append(keys, k)
		}
		sort.Ints(keys)
		for _, k := range keys {
			fmt.Printf("%s index %d: %d\n", a, k, counts[a][k])
		}
	}
	fmt.Printf("sum %d\n", s)
}
