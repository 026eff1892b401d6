// covers: unary - and ~ on signed literals and unsigned arguments, doubled,
//   in keys (printed signed), in values and in sums (unsigned, as bpftrace)
// runs: build/go/corpus
// twin: derived
// formats: text json
BEGIN
{
	printf("%d %d %d %d %d\n", -7, ~7, -(-7), ~-1, -(3 > 2));
}

uprobe:build/go/corpus:main.signed
{
	@negkey[-arg0] = sum(arg1);
	@bnotkey[~arg0] = max(arg1);
	@neg[arg0] = sum(-arg1);
	@bnot[arg0] = min(~arg1);
	@twice[~~arg0, - -arg0] = avg(arg1);
}
