// covers: positional parameters $1 $2 (integers) and $3 (a string), $# (how
//   many), in a predicate, a comparison, keys and printf
// runs: build/go/corpus
// params: 3 500 label
// twin: positional.bt (bpftrace wants str($3) for a string parameter)
// formats: text json
BEGIN
{
	printf("%d parameters: %d %d %s\n", $#, $1, $2, $3);
}

uprobe:build/go/corpus:main.record
/arg0 >= $1/
{
	@over[arg1 > $2] = count();
	@label[$3, arg0] = sum(arg1 - $2);
}
