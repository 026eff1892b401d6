// covers: interval:ms:N printing and clearing a map each tick, a tick
//   counter in a plain map, exit() from an interval probe
// runs: build/go/corpus -rounds 200 -pace 10ms
// twin: derived
// compare: lines (how many calls fall in each tick is a matter of timing)
//
// The program calls record 42 times every 10 ms for about two seconds, well
// past the fourth tick (400 ms), where the script stops it: a slow start on
// a busy machine must not let the program end first.
uprobe:build/go/corpus:main.record
{
	@c[arg0] = count();
}

interval:ms:100
{
	@ticks = @ticks + 1;
	printf("tick %d\n", @ticks);
	print(@c);
	clear(@c);
	if (@ticks == 4) {
		exit();
	}
}

END
{
	clear(@c);
}
