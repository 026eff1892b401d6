// SPDX-License-Identifier: MIT
//
// gcpress keeps the garbage collector busy while goroutines build and
// rewrite linked structures, so that pointer stores run through the write
// barrier (runtime.gcWriteBarrier and its per-register variants such as
// gcWriteBarrierR8) while the collector marks. It prints a checksum that
// depends only on its flags: a tracer that changes what the program does
// changes the checksum, or crashes it.
package main

import (
	"flag"
	"fmt"
	"runtime/debug"
	"sync"
)

type node struct {
	next *node
	kids [4]*node
	val  uint64
	buf  []byte
}

// relink stores pointers held in many registers at once, so that the
// compiler calls the write barrier variants of several registers.
//
//go:noinline
func relink(a, b, c, d, e *node, r uint64) *node {
	a.kids[r%4] = b
	b.kids[(r+1)%4] = c
	c.kids[(r+2)%4] = d
	d.kids[(r+3)%4] = e
	e.next = a.next
	a.next = e
	b.next, c.next = c.next, b.next
	d.kids[0], e.kids[1] = e.kids[1], d.kids[0]
	return b
}

func work(w, rounds int) uint64 {
	var head *node
	var keep [8]*node
	var sum uint64
	for r := 0; r < rounds; r++ {
		n := &node{val: uint64(r*31 + w), buf: make([]byte, 256+r%512)}
		n.buf[r%len(n.buf)] = byte(r)
		n.next = head
		head = n
		keep[r%8] = n
		if r >= 8 {
			relink(keep[r%8], keep[(r+1)%8], keep[(r+2)%8], keep[(r+3)%8],
				keep[(r+4)%8], uint64(r))
		}
		if r%64 == 63 { // drop most of the list: garbage
			head = keep[r%8]
			head.next = nil
			for i := range keep {
				keep[i] = head
			}
		}
	}
	for n, i := head, 0; n != nil && i < 1000; n, i = n.next, i+1 {
		sum = sum*1099511628211 + n.val + uint64(len(n.buf))
		for _, k := range n.kids {
			if k != nil {
				sum += k.val
			}
		}
	}
	return sum
}

func main() {
	workers := flag.Int("workers", 8, "goroutines")
	rounds := flag.Int("rounds", 20000, "allocations of each")
	flag.Parse()
	debug.SetGCPercent(1)
	sums := make([]uint64, *workers)
	var wg sync.WaitGroup
	for w := 0; w < *workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			sums[w] = work(w, *rounds)
		}(w)
	}
	wg.Wait()
	var total uint64
	for _, s := range sums {
		total = total*31 + s
	}
	fmt.Printf("checksum %x\n", total)
}
