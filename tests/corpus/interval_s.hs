// covers: interval:s:N, a hist and a keyless count printed at a tick, then
//   exit()
// runs: build/go/corpus -rounds 300 -pace 10ms
// twin: derived
// compare: lines (how many calls fall in the second is a matter of timing)
uprobe:build/go/corpus:main.record
{
	@calls = count();
	@h = hist(arg1);
}

interval:s:1
{
	printf("one second\n");
	print(@calls);
	print(@h);
	exit();
}
