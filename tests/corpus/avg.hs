// covers: avg() of positive and negative values (integer division towards
//   zero, as bpftrace), with and without keys, sorted by average
// runs: build/go/corpus
// twin: derived
// formats: text json
uprobe:build/go/corpus:main.record
{
	@all = avg(arg1);
	@by_key[arg0] = avg(arg1);
}

uprobe:build/go/corpus:main.signed
{
	@signed[arg0] = avg(arg1);
	@signed_all = avg(arg1);
}
