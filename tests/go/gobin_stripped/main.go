// SPDX-License-Identifier: MIT
//
// gobin_stripped is built without symbols or DWARF (-ldflags=-s -w), the
// way distributions ship Go programs. hot() is small enough to be inlined
// into its only caller and has no out-of-line body left; lookup() is not
// inlined. It prints how often it touched each index of main.table
// ("index 12: 30"). -info prints its own addresses and exits; -wait reads
// one line from stdin before starting.
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

var table [1024]int32
var other [64]int64

var counts = map[int]int{}

func hot(i int) int32 {
	return table[i] * 2
}

//go:noinline
func lookup(i, j int) int64 {
	return int64(hot(i)) + other[j]
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
		fmt.Printf("var main.other %#x %d %d %d\n", uintptr(unsafe.Pointer(&other)),
			len(other), unsafe.Sizeof(other[0]), unsafe.Sizeof(other))
		fmt.Printf("func main.lookup %#x\n", entry(lookup))
		fmt.Printf("func main.main %#x\n", entry(main))
		return
	}
	if *wait {
		bufio.NewReader(os.Stdin).ReadString('\n')
	}
	var s int64
	for n := 0; n < *rounds; n++ {
		// Index 10+k of table read 30+k times, for k in 0..4.
		for k := 0; k < 5; k++ {
			for j := 0; j < 30+k; j++ {
				s += lookup(10+k, k)
				counts[10+k]++
			}
		}
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
