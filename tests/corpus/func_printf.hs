// covers: func (the probed Go function's name) printed by printf, on a
//   wildcard: one line per call, as the program counted its calls
// runs: build/go/corpus
// twin: none: bpftrace 0.17 names func from the live process and, for this
//   Go program, mostly prints addresses (0x48e9a0) instead
// check: func_lines
//
// stepA, stepB and stepC are called with 100 + i, 200 + i and 300 + i.
uprobe:build/go/corpus:main.st*
{
	printf("%s %d\n", func, arg0 / 100);
}
