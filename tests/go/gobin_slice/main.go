// SPDX-License-Identifier: MIT
//
// gobin_slice passes slices as arguments: add() increments an element of
// the slice it is given (bounds check against the slice's length in a
// register) and push() appends to it, so the slice grows and moves while it
// is watched. It prints how often it touched each index ("index 5: 60").
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
)

var counts = map[int]int{}

//go:noinline
func add(s []int64, i int, v int64) {
	s[i] += v
}

//go:noinline
func load(s []uint16, i int) uint16 {
	return s[i]
}

//go:noinline
func push(s []int64, v int64) []int64 {
	return append(s, v)
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
		fmt.Printf("func main.add %#x\n", entry(add))
		fmt.Printf("func main.load %#x\n", entry(load))
		fmt.Printf("func main.push %#x\n", entry(push))
		return
	}
	if *wait {
		bufio.NewReader(os.Stdin).ReadString('\n')
	}
	var sum int64
	small := make([]uint16, 64)
	for n := 0; n < *rounds; n++ {
		var s []int64
		// The slice grows to 100 elements; after each push, index
		// len/2 is incremented, so index i is touched twice (len 2i+1
		// and 2i+2), index 50 once.
		for k := 0; k < 100; k++ {
			s = push(s, int64(k))
			add(s, len(s)/2, 1)
			counts[len(s)/2]++
		}
		// Index 5 incremented 60 more times.
		for k := 0; k < 60; k++ {
			add(s, 5, 2)
			counts[5]++
		}
		for k := 0; k < 64; k++ {
			sum += int64(load(small, k))
		}
		sum += s[5]
	}
	keys := make([]int, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Ints(keys)
	for _, k := range keys {
		fmt.Printf("index %d: %d\n", k, counts[k])
	}
	fmt.Printf("sum %d\n", sum)
}
