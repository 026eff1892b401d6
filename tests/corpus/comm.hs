// covers: comm (the traced thread's name, the program's file name) as a key,
//   in a predicate, compared with a string and printed with printf
// runs: build/go/corpus -hold 200ms
// twin: derived
// formats: text json
uprobe:build/go/corpus:main.stepA
/comm == "corpus"/
{
	printf("%s called stepA(%d)\n", comm, arg0);
	@by_comm[comm] = count();
}

uprobe:build/go/corpus:main.record
{
	@by_comm_key[comm, arg0] = count();
}
