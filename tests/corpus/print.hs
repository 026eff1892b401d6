// covers: print(@m) of every aggregation kind during the run, print(@m, top)
//   and print(@m, top, div), with and without keys
// runs: build/go/corpus -pace 100ms
// twin: derived
// formats: text json
//
// phase(r) ends round r; the program then sleeps 100 ms, so the maps stand
// still while the tracer prints them.
uprobe:build/go/corpus:main.record
{
	@c[arg0] = count();
	@s[arg0] = sum(arg1);
	@a[arg0 % 3] = avg(arg1);
	@mx = max(arg1);
	@st = stats(arg1);
	@h = hist(arg1);
	@l[arg0 / 3] = lhist(arg1, 0, 600, 100);
	@v = arg1;
}

uprobe:build/go/corpus:main.phase
{
	printf("round %d\n", arg0);
	print(@c);
	print(@s, 2);
	print(@s, 3, 10);
	print(@a);
	print(@mx);
	print(@st, 0, 7);
	print(@h);
	print(@l, 1);
	print(@v);
}
