// covers: elapsed (nanoseconds since the tracer started) and nsecs: both
//   only compared, as their values change from run to run
// runs: build/go/corpus
// twin: derived
// formats: text json
BEGIN
{
	printf("begin: elapsed %d, under a second %d\n", elapsed >= 0, elapsed < 1000000000);
}

uprobe:build/go/corpus:main.phase
{
	@positive[elapsed > 0, elapsed < 60000000000] = count();
	@after_boot = min(nsecs > elapsed);
	@later = min(elapsed >= @last);
	@last = elapsed;
}

END
{
	clear(@last);
}
