// covers: && || ! in a predicate and as values, parenthesised, on two probes
// runs: build/go/corpus
// twin: derived
// formats: text json
//
// record's v % 7 is (2k + 1) % 7: 1 only for k = 0.
uprobe:build/go/corpus:main.record
/arg0 != 1 && (arg1 % 7 == 1 || arg0 == 5)/
{
	@pass[arg0] = count();
	@and[arg0 > 0 && arg1 > 550] = count();
	@or[arg0 == 0 || arg1 < 510] = count();
	@not[!arg0, !(arg1 > 520)] = count();
}

uprobe:build/go/corpus:main.signed
/!(arg1 == 0) && !(arg0 == 2 || arg0 == 3)/
{
	@nonzero[arg0] = sum(arg1);
}
