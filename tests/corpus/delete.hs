// covers: delete(@m[key]) with one and two keys, of a key that exists and of
//   one that does not, and entries coming back after their delete
// runs: build/go/corpus -pace 100ms
// twin: derived
// formats: text json
uprobe:build/go/corpus:main.record
{
	@c[arg0] = count();
	@two[arg0, arg0 % 2] = sum(arg1);
}

uprobe:build/go/corpus:main.phase
{
	delete(@c[5 - arg0]);
	delete(@c[99]);
	delete(@two[5, 1]);
	if (arg0 == 3) {
		delete(@two[4, 0]);
	}
	printf("after round %d\n", arg0);
	print(@c);
}
