// covers: hist() of zero, one, negative values, powers of two and values up
//   to 1M (K and M bucket labels), with and without keys, sorted by total
//   (bpftrace 0.17 folds values of 2^32 and above into [2G, 4G): none here)
// runs: build/go/corpus
// twin: derived
// formats: text json
uprobe:build/go/corpus:main.record
{
	@all = hist(arg1);
	@by_parity[arg0 % 2] = hist(arg1 * arg0);
}

uprobe:build/go/corpus:main.signed
/arg0 == 0 || (arg0 == 1 && arg1 != 1)/
{
	@signed = hist(arg1);
	@by_key[arg0] = hist(arg1);
}
