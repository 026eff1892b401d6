// covers: printf with %d %u %x %X %lu %llu %ld %lld %c %% and widths, left
//   alignment and zero padding, on small, negative and 64-bit values
//   (%d, %u and %x print 32 bits, as bpftrace 0.17 does; bpftrace prints a
//   %% after the last conversion as %%, so none is there)
// runs: build/go/corpus -hold 200ms
// twin: derived
// formats: text json
uprobe:build/go/corpus:main.record
/arg0 >= 4 && arg1 < 420/
{
	printf("%d|%5d|%-5d|%05d|%x|%8x|%-8x|%X|%u|%lu|%llu|%ld|%lld|%%|%c\n", arg1, arg0, arg0,
	       arg1, arg1, arg1, arg1, arg1, arg0, arg1, arg1, -arg1, arg1, 65 + arg0);
}

uprobe:build/go/corpus:main.signed
{
	printf("%d %u %lu %llu %x %lx %ld %5u %-12x|\n", arg1, arg1, arg1, arg1, arg1, arg1, arg1,
	       arg1, arg1);
}
