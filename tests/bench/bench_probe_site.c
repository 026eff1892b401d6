// SPDX-License-Identifier: MIT
/*
 * Where an access probe should sit, measured. The same Go workload
 * (tests/go/gobin_array: 16,250 array accesses a round) runs plain, with a
 * probe on each bounds check's conditional jump (what `access:` does), and
 * with a probe on each indexed load or store itself. The target waits on
 * stdin until hotspan -p has attached, so only the work is timed; the cost
 * a hit is (traced time - plain time) / hits. Prints figures, asserts
 * nothing: a benchmark, not a test.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gobin/gobin.h"
#include "tests/lib/proc.h"

#define BIN "build/go/gobin_array"
#define ROUNDS "4"
#define HITS (16250.0 * 4)

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Seconds the target takes from "go" to exit, traced by script (or not). */
static double run(const char *script)
{
	const char *target[] = { BIN, "-wait", "-rounds", ROUNDS, NULL };
	struct proc t, h;
	struct proc_result tr, hr;
	char pid[32];
	double t0, t1;

	if (proc_start(&t, target))
		return -1;
	if (script) {
		const char *argv[] = { "build/hotspan", "--notify", "-p", pid, "-e", script, NULL };

		snprintf(pid, sizeof(pid), "%d", (int)t.pid);
		proc_start(&h, argv);
		if (!proc_wait_for(&h, "hotspan: attached", true, 60000)) {
			fprintf(stderr, "hotspan did not attach: %s\n", h.err_buf ? h.err_buf : "");
			return -1;
		}
	}
	t0 = now();
	proc_write(&t, "go\n");
	proc_finish(&t, &tr, 600000);
	t1 = now();
	if (script) {
		proc_finish(&h, &hr, 60000);
		proc_result_free(&hr);
	}
	proc_result_free(&tr);
	return t1 - t0;
}

/* uprobe attach points on the access instructions of every site of main.table. */
static char *load_store_script(void)
{
	struct gobin *gb = gobin__open(BIN);
	struct gobin_site *sites;
	struct gobin_var var;
	struct gobin_func fn;
	size_t n, len = 0;
	char *s = NULL;
	FILE *f = open_memstream(&s, &len);

	if (!gb || gobin__find_var(gb, "main.table", &var) ||
	    gobin__var_access_sites(gb, &var, &sites, &n))
		return NULL;
	for (size_t i = 0; i < n; i++) {
		gobin__find_func(gb, sites[i].func, &fn);
		fprintf(f, "%suprobe:%s:%s+%llu", i ? ", " : "", BIN, sites[i].func,
			(unsigned long long)(sites[i].access_vaddr - fn.addr));
	}
	fprintf(f, " { @c = count(); }");
	fclose(f);
	free(sites);
	gobin__close(gb);
	return s;
}

int main(void)
{
	char *at_insn = load_store_script();
	double plain = 1e9, jump = 1e9, insn = 1e9;

	if (proc_bpf_missing() || !at_insn) {
		printf("bench_probe_site: skipped (%s)\n",
		       at_insn ? proc_bpf_missing() : "cannot read " BIN);
		return 0;
	}
	/* Best of three, so a busy moment of the machine does not count. */
	for (int i = 0; i < 3; i++) {
		double t;

		t = run(NULL);
		plain = t < plain ? t : plain;
		t = run("access:" BIN ":main.table { @c = count(); }");
		jump = t < jump ? t : jump;
		t = run(at_insn);
		insn = t < insn ? t : insn;
	}
	printf("probe placement, %.0f hits of main.table (best of 3)\n", HITS);
	printf("  plain run                     %8.3f s\n", plain);
	printf("  probe on the bounds check JAE %8.3f s  %6.2f us a hit\n", jump,
	       (jump - plain) / HITS * 1e6);
	printf("  probe on the load/store       %8.3f s  %6.2f us a hit\n", insn,
	       (insn - plain) / HITS * 1e6);
	printf("  ratio load-store / jump       %8.2f\n", (insn - plain) / (jump - plain));
	free(at_insn);
	return 0;
}
