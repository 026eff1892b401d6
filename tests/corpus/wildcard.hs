// covers: wildcards in function names (main.st* is stepA, stepB and stepC,
//   main.sp* is split), the probe builtin as a key, one probe per match
// runs: build/go/corpus
// twin: derived
// formats: text json
uprobe:build/go/corpus:main.st*, uprobe:build/go/corpus:main.sp*
{
	@[probe] = count();
	@args[probe] = sum(arg0);
}
