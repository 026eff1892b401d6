// SPDX-License-Identifier: MIT
//
// threads calls main.work from several goroutines, each locked to an OS
// thread of its own while it runs, and prints how many calls they made and
// on how many threads: a tracer limited to this process must count the
// calls of every thread, not only those of the thread whose id is the pid.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"runtime"
	"sync"
	"syscall"
)

var sink [64]int64

//go:noinline
func work(i int) int {
	sink[i%64]++
	return i
}

func main() {
	threads := flag.Int("threads", 4, "goroutines, each on its own OS thread")
	per := flag.Int("per", 1000, "calls of main.work by each")
	wait := flag.Bool("wait", false, "print 'ready' and wait for a line on stdin before starting")
	flag.Parse()
	if *wait {
		fmt.Println("ready")
		bufio.NewReader(os.Stdin).ReadString('\n')
	}
	var wg sync.WaitGroup
	var start sync.WaitGroup
	tids := make([]int, *threads)
	start.Add(*threads)
	for t := 0; t < *threads; t++ {
		wg.Add(1)
		go func(t int) {
			defer wg.Done()
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			tids[t] = syscall.Gettid()
			// Every goroutine holds its thread until all have one.
			start.Done()
			start.Wait()
			for j := 0; j < *per; j++ {
				work(t)
			}
		}(t)
	}
	wg.Wait()
	distinct := map[int]bool{}
	for _, id := range tids {
		distinct[id] = true
	}
	fmt.Printf("calls: %d\nthreads: %d\n", *threads**per, len(distinct))
}
