// covers: probe (the attach point's full name) as a key and printed, for
//   BEGIN, END, listed uprobes and an interval
// runs: build/go/corpus -hold 200ms
// twin: derived
// formats: text json
BEGIN
{
	printf("%s\n", probe);
}

uprobe:build/go/corpus:main.stepB, uprobe:build/go/corpus:main.phase
{
	@[probe] = count();
	@sum[probe] = sum(arg0);
}

uprobe:build/go/corpus:main.done
{
	printf("%s\n", probe);
}

END
{
	printf("%s\n", probe);
}
