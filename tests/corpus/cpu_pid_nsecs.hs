// covers: cpu (the program is pinned to CPU 0), pid and tid (positive, and
//   one pid for every call), nsecs (it grows), reg() of other registers, a
//   sum() without keys whose total is 0 (printed, as bpftrace prints it)
// runs: build/go/corpus
// twin: derived
// formats: text json
uprobe:build/go/corpus:main.record
{
	@cpu[cpu] = count();
	@ids[pid > 1, tid > 1] = count();
	@same_pid = min(@pid == 0 || @pid == pid);
	@pid_changes = sum(@pid != 0 && @pid != pid);
	@pid = pid;
	@grows = min(nsecs > @ns);
	@ns = nsecs;
	@ax_is_arg0 = min(reg("ax") == arg0);
}

END
{
	clear(@pid);
	clear(@ns);
}
