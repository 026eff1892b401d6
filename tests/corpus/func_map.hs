// covers: func as a map key over a wildcard: each Go function's name, its
//   count as the program counted its calls
// runs: build/go/corpus
// twin: none: bpftrace 0.17 names func from the process, which has exited by
//   the time maps print
// check: func_counts
uprobe:build/go/corpus:main.step*
{
	@[func] = count();
}
