// covers: heat(row, col) on a two-dimensional array: one cluster spanning
//   the 4x4 block of grid the program kept hot, every touch an event
// runs: build/go/corpus -heat 8000
// twin: none: bpftrace has no heat maps
// check: heat2d
access:build/go/corpus:main.grid
{
	@h = heat(row, col);
}

hotspot @h {
	window = 500;
	hot = > 5;
	eps = 2;
	minpts = 3;
}
