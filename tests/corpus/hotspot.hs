// covers: a hotspot block with smaller windows, the hottest indices by top(k)
//   and an adaptive eps: the cluster is still exactly the program's hot range
// runs: build/go/corpus -heat 20000 -hotlo 40 -hotwidth 24
// twin: none: bpftrace has no heat maps
// check: heat
access:build/go/corpus:main.table
{
	@h = heat(index);
}

hotspot @h {
	window = 500;
	halflife = 2s;
	hot = top(24);
	eps = auto;
	minpts = 4;
	drift = 0.8 for 3 windows;
}
