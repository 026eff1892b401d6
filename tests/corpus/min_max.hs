// covers: min() and max() of unsigned arguments holding negative values
//   (compared and printed signed, as bpftrace), with and without keys
//   (bpftrace 0.17 prints no max() whose values were all negative)
// runs: build/go/corpus
// twin: derived
// formats: text json
uprobe:build/go/corpus:main.record
{
	@min = min(arg1);
	@max = max(arg1);
	@min_by[arg0] = min(arg1);
	@max_by[arg0] = max(arg1);
}

uprobe:build/go/corpus:main.signed
{
	@smin[arg0] = min(arg1);
	@smax[arg0] = max(arg1);
	@sall_min = min(arg1);
	@sall_max = max(arg1);
}
