// covers: a Go function's several results at its return: retval is the
//   first (RAX), reg("bx") the second, reg("cx") the third (a bool, in CL),
//   summed and counted as the program summed and counted them
// runs: build/go/corpus
// twin: none: a kernel uretprobe corrupts Go stacks, so bpftrace's cannot be
//   compared safely
// check: results
uretprobe:build/go/corpus:main.pair
{
	@first = sum(retval);
	@second = sum(reg("bx"));
}

uretprobe:build/go/corpus:main.split
/reg("cx") % 256 != 0/
{
	@negative = count();
}
