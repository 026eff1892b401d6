// covers: sum() of unsigned arguments, of signed expressions, of negative
//   totals (unsigned arguments wrap, as in bpftrace), with and without keys
// runs: build/go/corpus
// twin: derived
// formats: text json
uprobe:build/go/corpus:main.record
{
	@total = sum(arg1);
	@by_key[arg0] = sum(arg1);
	$signed = 250 - 2 * 100;
	@literal = sum($signed);
}

uprobe:build/go/corpus:main.signed
{
	@signed[arg0] = sum(arg1);
	@small = sum(arg1 % 1000);
}
