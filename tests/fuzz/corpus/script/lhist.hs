// covers: lhist(v, min, max, step) with values below min and at or above max,
//   a minimum above zero, steps that do and do not divide the range, with and
//   without keys
// runs: build/go/corpus
// twin: derived
// formats: text json
uprobe:build/go/corpus:main.record
{
	@all = lhist(arg1, 0, 600, 100);
	@mid = lhist(arg1, 150, 450, 50);
	@uneven[arg0 / 3] = lhist(arg1, 100, 500, 75);
}

uprobe:build/go/corpus:main.signed
{
	@signed = lhist(arg1, 0, 1100, 250);
}
