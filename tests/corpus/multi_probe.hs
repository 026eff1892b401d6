// covers: several attach points on one block, uprobes listed by name, and
//   BEGIN and END sharing one block
// runs: build/go/corpus
// twin: derived
// formats: text json
//
// stepA, stepB and stepC are called 3, 5 and 7 times with 100 + i, 200 + i
// and 300 + i; phase once a round and done once at the end.
uprobe:build/go/corpus:main.stepA, uprobe:build/go/corpus:main.stepB,
uprobe:build/go/corpus:main.stepC
{
	@calls[arg0 / 100] = count();
	@sum[arg0 / 100] = sum(arg0 % 100);
}

uprobe:build/go/corpus:main.phase, uprobe:build/go/corpus:main.done
{
	@marks = count();
	@last = arg0;
}

BEGIN, END
{
	printf("begin or end\n");
}
