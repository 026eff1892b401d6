// covers: printf with %s of literals, comm and string variables, widths,
//   left alignment and precision, escapes in the format (\t \" \\), %c, a
//   format without conversions, and printf in BEGIN and END
// runs: build/go/corpus -hold 200ms
// twin: derived
// formats: text json
BEGIN
{
	printf("start\n");
	printf("[%s] [%10s] [%-10s] [%.3s] [%-6.2s]\n", "abc", "right", "left", "abcdef", "xyz");
}

uprobe:build/go/corpus:main.stepB
{
	$s = "var";
	printf("%s\t\"%s\"\\%c%c %s\n", comm, $s, 72, 105, "x");
}

END
{
	printf("end %s\n", "now");
}
