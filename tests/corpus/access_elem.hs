// covers: elem (the element's value, read where the access is about to
//   happen) and addr: table[i]++ reads 0, 1, 2 ... at its touches of i, so
//   the values seen sum to C*(C-1)/2 for C touches; addr less index times
//   elem_size is the array's address, as the program prints it
// runs: build/go/corpus
// twin: none: bpftrace has no access probes
// check: elems
access:build/go/corpus:main.table
{
	@seen[index] = sum(elem);
	@base[addr - index * elem_size] = count();
}
