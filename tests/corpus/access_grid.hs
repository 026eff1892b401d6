// covers: access:PATH:ARRAY on a two-dimensional Go array ([16][16]int32):
//   row and col as keys, elem_size, as the program counted its touches
// runs: build/go/corpus
// twin: none: bpftrace has no access probes
// check: grid
access:build/go/corpus:main.grid
{
	@[row, col] = count();
	@size[elem_size] = count();
}
