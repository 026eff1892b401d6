// covers: clear(@m) of maps with and without keys, printed after each round,
//   so only the last round's entries are left at the end
// runs: build/go/corpus -pace 100ms
// twin: derived
// formats: text json
uprobe:build/go/corpus:main.record
{
	@c[arg0] = count();
	@h[arg0 / 2] = hist(arg1);
	@total = sum(arg1);
	@mn = min(arg1);
}

uprobe:build/go/corpus:main.phase
{
	printf("round %d\n", arg0);
	print(@c);
	print(@total);
	clear(@c);
	clear(@h);
	clear(@total);
	if (arg0 == 2) {
		clear(@mn);
	}
}
