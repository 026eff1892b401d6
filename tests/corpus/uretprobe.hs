// covers: uretprobe on a Go function with four return statements (a uprobe
//   on each RET), retval as a key, as the program counted its results
// runs: build/go/corpus
// twin: none: a kernel uretprobe corrupts Go stacks, so bpftrace's cannot be
//   compared safely
// check: returns
uretprobe:build/go/corpus:main.classify
{
	@r[retval] = count();
}
