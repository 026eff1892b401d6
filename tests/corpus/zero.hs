// covers: zero(@m): entries keep their keys with zero values, of count, sum,
//   avg, hist and lhist maps, with and without keys
// runs: build/go/corpus -pace 100ms
// twin: derived
// formats: text json
uprobe:build/go/corpus:main.record
{
	@c[arg0] = count();
	@s = sum(arg1);
	@a[arg0] = avg(arg1);
	@h = hist(arg1);
	@l[arg0 % 2] = lhist(arg1, 0, 600, 200);
}

uprobe:build/go/corpus:main.phase
/arg0 == 2/
{
	zero(@c);
	zero(@s);
	zero(@a);
	zero(@h);
	zero(@l);
	printf("zeroed after round %d\n", arg0);
	print(@s);
}
