// covers: ustack as a map key: Go function names, offsets and source lines
//   of each frame, as the Go runtime itself reports them
// runs: build/go/corpus
// twin: none: bpftrace 0.17 prints no Go source lines, and cannot name the
//   frames of a process that has exited
// check: stacks
uprobe:build/go/corpus:main.inner
{
	@[ustack] = count();
}
