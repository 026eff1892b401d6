// covers: count() without keys, with one, two and three keys, keys that are
//   expressions, the anonymous map @, and count() on two probes into one map
// runs: build/go/corpus
// twin: derived
// formats: text json
uprobe:build/go/corpus:main.record
{
	@ = count();
	@calls = count();
	@by_key[arg0] = count();
	@by_two[arg0 % 3, arg0 / 3] = count();
	@by_three[arg0 / 2, arg0 % 2, arg1 > 300] = count();
}

uprobe:build/go/corpus:main.signed
{
	@calls = count();
	@signed[arg0 == 0] = count();
}
