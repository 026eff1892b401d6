// covers: scratch variables: $x = ..., reassignment, += and ++ on a variable,
//   variables of integer and string type as map keys and aggregation values
// runs: build/go/corpus
// twin: derived
// formats: text json
//
// record(k, v) is called with v = k*100 + 7*j + 1 for j < 2*(k+1), 3 rounds.
uprobe:build/go/corpus:main.record
{
	$k = arg0;
	$v = arg1 - $k * 100;		// 7*j + 1
	$v += 1;
	$v++;				// 7*j + 3
	$j = ($v - 3) / 7;
	$k = $k * 10;
	$tag = "j";
	@by_k[$k] = sum($v);
	@half_j[$tag, $j / 2] = count();
	@last_j[$k] = max($j);
}
