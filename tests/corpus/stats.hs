// covers: stats() (count, average, total) with and without keys, of positive
//   and negative values, sorted by average
// runs: build/go/corpus
// twin: derived
// formats: text json
uprobe:build/go/corpus:main.record
{
	@all = stats(arg1);
	@by_key[arg0] = stats(arg1 - 250);
}

uprobe:build/go/corpus:main.signed
{
	@signed[arg0] = stats(arg1);
}
