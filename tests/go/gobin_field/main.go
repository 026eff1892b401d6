// SPDX-License-Identifier: MIT
//
// gobin_field indexes arrays that are fields of global structs: the named
// struct main.cache (type Cache) and the anonymous struct main.stats. It
// prints how often it touched each index ("main.cache.slots index 9: 12").
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

type Cache struct {
	hits  int
	name  string
	slots [256]uint32
	tail  [16]int16
}

var cache Cache

var stats struct {
	n    int32
	hist [32]int64
}

var counts = map[string]map[int]int{}

func count(array string, i int) {
	if counts[array] == nil {
		counts[array] = map[int]int{}
	}
	counts[array][i]++
}

//go:noinline
func (c *Cache) Get(i int) uint32 {
	c.hits++
	return c.slots[i]
}

//go:noinline
func slot(i int) uint32 {
	return cache.slots[i]
}

//go:noinline
func record(i int) {
	stats.hist[i]++
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
		fmt.Printf("var main.cache %#x 0 0 %d\n", uintptr(unsafe.Pointer(&cache)),
			unsafe.Sizeof(cache))
		fmt.Printf("var main.cache.slots %#x %d %d %d\n",
			uintptr(unsafe.Pointer(&cache.slots)), len(cache.slots),
			unsafe.Sizeof(cache.slots[0]), unsafe.Sizeof(cache.slots))
		fmt.Printf("var main.cache.tail %#x %d %d %d\n",
			uintptr(unsafe.Pointer(&cache.tail)), len(cache.tail),
			unsafe.Sizeof(cache.tail[0]), unsafe.Sizeof(cache.tail))
		fmt.Printf("var main.stats.hist %#x %d %d %d\n",
			uintptr(unsafe.Pointer(&stats.hist)), len(stats.hist),
			unsafe.Sizeof(stats.hist[0]), unsafe.Sizeof(stats.hist))
		fmt.Printf("field main.Cache.slots %d\n", unsafe.Offsetof(cache.slots))
		fmt.Printf("field main.Cache.tail %d\n", unsafe.Offsetof(cache.tail))
		fmt.Printf("func main.slot %#x\n", entry(slot))
		fmt.Printf("func main.record %#x\n", entry(record))
		fmt.Printf("func main.(*Cache).Get %#x\n", entry((*Cache).Get))
		return
	}
	if *wait {
		bufio.NewReader(os.Stdin).ReadString('\n')
	}
	var s uint32
	for n := 0; n < *rounds; n++ {
		// slots 8..11 through slot(): index 8+k read 10+k times.
		for k := 0; k < 4; k++ {
			for j := 0; j < 10+k; j++ {
				s += slot(8 + k)
				count("main.cache.slots", 8+k)
			}
		}
		// slots 200..201 through the method: 25 times each.
		for k := 0; k < 25; k++ {
			s += cache.Get(200)
			s += cache.Get(201)
			count("main.cache.slots", 200)
			count("main.cache.slots", 201)
		}
		// hist 3 recorded 33 times.
		for k := 0; k < 33; k++ {
			record(3)
			count("main.stats.hist", 3)
		}
	}
	// A constant index into the array field: no check, one read.
	h3 := stats.hist[3]
	count("main.stats.hist", 3)
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
	fmt.Printf("sum %d %d\n", s, h3)
}
