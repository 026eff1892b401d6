// covers: access:PATH:ARRAY on a global Go array: every bounds-checked
//   access to main.table, index as a key, as the program counted its touches
// runs: build/go/corpus
// twin: none: bpftrace has no access probes
// check: table
access:build/go/corpus:main.table
{
	@[index] = count();
	@all = count();
}
