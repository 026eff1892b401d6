// covers: string literals with escapes, strings in variables (set in if and
//   else), == and != on strings (literals, variables and comm), strings as keys
//   (a variable alone: bpftrace 0.17 garbles string variables inside tuples,
//   and compares a variable wrongly after a comparison of comm)
// runs: build/go/corpus
// twin: derived
// formats: text json
BEGIN
{
	printf("%s|%s|\n", "hello", "q\"uo\\te\ttab");
}

uprobe:build/go/corpus:main.record
{
	if (arg0 < 3) {
		$name = "low";
	} else {
		$name = "top";
	}
	@by_name[$name] = count();
	if ($name == "top") {
		@high[arg0] = count();
	}
	if ($name != "low") {
		@not_low = count();
	}
	if (comm == "corpus") {
		@comm_is_corpus = count();
	}
	if (comm != "other") {
		@comm_not_other = count();
	}
	@three["k", comm, arg0 % 2] = sum(arg1);
}
