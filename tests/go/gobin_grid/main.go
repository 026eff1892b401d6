// SPDX-License-Identifier: MIT
//
// gobin_grid reads and writes the two-dimensional global array main.grid
// ([64][64]float64) in known cells a known number of times and prints how
// often it touched each cell ("cell 10 20: 150", and "index R*64+C: N" for
// tools that flatten). -info prints its own addresses and sizes and exits;
// -wait reads one line from stdin before starting.
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

const rows, cols = 64, 64

var grid [rows][cols]float64

var counts = map[[2]int]int{}

//go:noinline
func at(r, c int) float64 {
	return grid[r][c]
}

//go:noinline
func inc(r, c int) {
	grid[r][c] += 1.5
}

//go:noinline
func row(r int) *[cols]float64 {
	return &grid[r]
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
		fmt.Printf("var main.grid %#x %d %d %d\n", uintptr(unsafe.Pointer(&grid)),
			len(grid), unsafe.Sizeof(grid[0]), unsafe.Sizeof(grid))
		fmt.Printf("row main.grid %d %d\n", len(grid[0]), unsafe.Sizeof(grid[0][0]))
		fmt.Printf("func main.at %#x\n", entry(at))
		fmt.Printf("func main.inc %#x\n", entry(inc))
		return
	}
	if *wait {
		bufio.NewReader(os.Stdin).ReadString('\n')
	}
	var s float64
	for n := 0; n < *rounds; n++ {
		// A hot 4x4 block at rows 10..13, columns 20..23: cell (10+i, 20+j)
		// read 100+10*i+j times.
		for i := 0; i < 4; i++ {
			for j := 0; j < 4; j++ {
				for k := 0; k < 100+10*i+j; k++ {
					s += at(10+i, 20+j)
					counts[[2]int{10 + i, 20 + j}]++
				}
			}
		}
		// The corner (63, 63) written 77 times.
		for k := 0; k < 77; k++ {
			inc(63, 63)
			counts[[2]int{63, 63}]++
		}
	}
	s += row(5)[0]
	keys := make([][2]int, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(a, b int) bool {
		return keys[a][0]*cols+keys[a][1] < keys[b][0]*cols+keys[b][1]
	})
	for _, k := range keys {
		fmt.Printf("cell %d %d: %d\n", k[0], k[1], counts[k])
		fmt.Printf("index %d: %d\n", k[0]*cols+k[1], counts[k])
	}
	fmt.Printf("sum %g\n", s)
}
