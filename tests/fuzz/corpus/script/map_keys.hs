// covers: maps with several keys of different kinds: integers, string
//   literals, comm and probe, up to four keys, one map written by two probes
// runs: build/go/corpus
// twin: derived
// formats: text json
uprobe:build/go/corpus:main.record
{
	@mixed[comm, arg0, "r"] = sum(arg1);
	@four[arg0 % 2, arg0 / 2, "x", comm] = max(arg1);
}

uprobe:build/go/corpus:main.stepC
{
	@mixed[comm, arg0, "s"] = sum(arg0 % 100 + 1);
	@where[probe, arg0 % 2] = count();
}
