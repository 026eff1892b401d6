// covers: heat(index) on a global array with a hotspot block: windows of a
//   fixed number of events, a fixed hotness threshold; the one cluster must
//   span the range the program kept hot, every touch an event
// runs: build/go/corpus -heat 20000
// twin: none: bpftrace has no heat maps
// check: heat
access:build/go/corpus:main.table
{
	@h = heat(index);
}

hotspot @h {
	window = 2000;
	hot = > 20;
	eps = 2;
	minpts = 3;
}
