// covers: ?: with integers, nested ?:, ?: choosing between strings (of one
//   length: bpftrace 0.17 keeps the bytes after a shorter string's end, and
//   garbles a max() beside a string ?: key), ?: in keys, values and variables
// runs: build/go/corpus
// twin: derived
// formats: text json
uprobe:build/go/corpus:main.record
{
	@size[arg0 < 2 ? 1 : (arg0 < 4 ? 2 : 3)] = count();
	@parity[arg0, arg1 % 2 == 0 ? 0 : 1] = sum(arg1);
	@max[arg0 % 2] = max(arg1 > 250 ? arg1 : 0 - arg1);
	$over = arg1 > 500 ? arg1 - 500 : 0;
	@over = sum($over);
	$name = arg0 < 3 ? "low" : "top";
	@names[$name] = count();
}
