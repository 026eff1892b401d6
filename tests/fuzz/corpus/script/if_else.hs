// covers: if, if/else, else if chains, nested if, an if whose body never runs,
//   string literals as keys
// runs: build/go/corpus
// twin: derived
// formats: text json
uprobe:build/go/corpus:main.record
{
	if (arg0 == 0) {
		@class["zero"] = count();
	} else if (arg0 < 3) {
		@class["small"] = count();
	} else if (arg0 == 5) {
		@class["five"] = count();
	} else {
		@class["large"] = count();
	}
	if (arg1 % 2 == 1) {
		if (arg1 > 300) {
			@odd_high[arg0] = count();
		}
	} else {
		@even[arg0] = sum(arg1);
	}
	if (arg0 > 10) {
		@never = count();
	}
}
