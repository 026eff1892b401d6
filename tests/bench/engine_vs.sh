#!/bin/sh
# SPDX-License-Identifier: MIT
#
# engine_vs.sh [BASE [ROUNDS]]: the engine's throughput here against the
# engine of commit BASE (default 959fca8, the last one before the engine's
# speed work of issue 5), measured in the same run. BASE's tree is exported
# to build/bench-base, this tree's tests/bench/bench_engine.c is copied in
# (so both sides run the same measuring code over the same streams; only the
# engine and the trace reader differ), both are built, and `bench_engine -t`
# runs ROUNDS times (default 3) for each, alternating, so a busy machine
# slows both alike. Prints the best of each scenario and the ratio.
set -e
base=${1:-959fca8}
rounds=${2:-3}
top=$(git rev-parse --show-toplevel)
dir=$top/build/bench-base
out=$top/build/bench-vs
cd "$top"
rm -rf "$dir" "$out"
mkdir -p "$dir" "$out"
git archive "$base" | tar -x -C "$dir"
cp tests/bench/bench_engine.c "$dir/tests/bench/"
echo "building $base in $dir ..."
make -s -C "$dir" build/tests/bench/bench_engine >/dev/null
make -s build/tests/bench/bench_engine >/dev/null
i=0
while [ $i -lt "$rounds" ]; do
	build/tests/bench/bench_engine -t >"$out/new.$i"
	"$dir/build/tests/bench/bench_engine" -t >"$out/base.$i"
	i=$((i + 1))
done
# rows: "  NAME ... events windows active push replay"; keep the best of each
best() {
	cat "$out"/"$1".* | awk -v FS='  +' '/^  [a-z]/ && $2 != "scenario" {
		n = split($0, f, " +"); k = $2
		if (!(k in p) || f[n - 1] > p[k]) p[k] = f[n - 1]
		if (!(k in r) || f[n] > r[k]) r[k] = f[n]
		if (!(k in o)) o[k] = ++m
	} END { for (k in o) printf "%d\t%s\t%s\t%s\n", o[k], k, p[k], r[k] }' | sort -n
}
best new >"$out/new"
best base >"$out/base"
printf '%-44s %21s %21s\n' "M events/s, best of $rounds" "push: $base / now" "replay: $base / now"
join -t "$(printf '\t')" -j 1 "$out/base" "$out/new" | sort -n |
	awk -F '\t' '{ printf "%-44s %6.1f %6.1f %6.2fx %6.1f %6.1f %6.2fx\n",
		       $2, $3, $6, $6 / $3, $4, $7, $7 / $4 }'
