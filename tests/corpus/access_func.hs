// covers: access:PATH:FUNC: every indexed access inside main.scan, which
//   reads a slice: index and len as keys, as the program counted its reads
// runs: build/go/corpus
// twin: none: bpftrace has no access probes
// check: scan
access:build/go/corpus:main.scan
{
	@[index] = count();
	@len[len] = count();
}
