// covers: exit() from a uprobe: printf before it is printed, what probes
//   send after it is not, END runs, and the maps are printed once (@seen
//   counts on until the probes are detached: END clears it)
// runs: build/go/corpus
// twin: derived
// formats: text json
uprobe:build/go/corpus:main.record
{
	@seen = @seen + 1;
	if (@seen <= 10) {
		@first[arg0] = sum(arg1);
	}
	if (@seen == 10) {
		printf("ten calls, last %d\n", arg1);
		exit();
	}
}

END
{
	printf("end after %d\n", @seen >= 10);
	clear(@seen);
}
