// covers: BEGIN and END probes: maps and printf in both, maps updated in END
//   after the uprobes are gone, exit() from BEGIN not used (the program runs)
// runs: build/go/corpus
// twin: derived
// formats: text json
BEGIN
{
	printf("begin\n");
	@phase["begin"] = count();
	@start = 1;
}

uprobe:build/go/corpus:main.phase
{
	@phase["round"] = count();
	@rounds = arg0;
}

END
{
	@phase["end"] = count();
	@phase["end"] = count();
	@phase["end"] = count();
	@phase["end"] = count();
	printf("end after %d rounds\n", @rounds);
}
