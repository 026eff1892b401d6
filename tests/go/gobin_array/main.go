// SPDX-License-Identifier: MIT
//
// gobin_array reads and writes the global array main.table at known indices
// a known number of times and prints how often it touched each index
// ("index 1017: 300"), so a tracer's counts can be checked against it.
// -info prints what the program knows about itself (addresses, sizes) and
// exits (with -wait, after reading a line from stdin); -wait reads one line
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

var table [4096]int64

var counts = map[int]int{}

//go:noinline
func get(i int) int64 {
	return table[i]
}

//go:noinline
func put(i int, v int64) {
	table[i] = v
}

//go:noinline
func bump(i int) {
	table[i]++
}

// sum reads every element without a bounds check (the compiler proves the
// index in range): an access of main.table all the same, with no check to
// probe, so the probe sits on the load and the index comes from its address.
//
//go:noinline
func sum() int64 {
	var s int64
	for i := range table {
		s += table[i]
	}
	return s
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
		fmt.Printf("var main.table %#x %d %d %d\n", uintptr(unsafe.Pointer(&table)),
			len(table), unsafe.Sizeof(table[0]), unsafe.Sizeof(table))
		fmt.Printf("func main.get %#x\n", entry(get))
		fmt.Printf("func main.put %#x\n", entry(put))
		fmt.Printf("func main.bump %#x\n", entry(bump))
		fmt.Printf("func main.sum %#x\n", entry(sum))
		if !*wait {
			return
		}
	}
	if *wait {
		bufio.NewReader(os.Stdin).ReadString('\n')
		if *info {
			return
		}
	}
	var s int64
	for r := 0; r < *rounds; r++ {
		// A hot span [1000, 1100): index 1000+k read 100+k times.
		for k := 0; k < 100; k++ {
			for n := 0; n < 100+k; n++ {
				s += get(1000 + k)
				counts[1000+k]++
			}
		}
		// A second hot span [3000, 3020) written 50 times each.
		for n := 0; n < 50; n++ {
			for k := 0; k < 20; k++ {
				put(3000+k, int64(n))
				counts[3000+k]++
			}
		}
		// Index 17 incremented 300 times.
		for n := 0; n < 300; n++ {
			bump(17)
			counts[17]++
		}
	}
	s += sum()
	for i := range table {
		counts[i]++
	}
	keys := make([]int, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	for _, k := range keys {
		fmt.Printf("index %d: %d\n", k, counts[k])
	}
	fmt.Printf("sum %d\n", s)
}
