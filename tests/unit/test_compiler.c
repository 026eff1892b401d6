// SPDX-License-Identifier: MIT
/*
 * The compiler: scripts against the example Go program compile to objects
 * that libbpf opens (no root needed: opening does not load), whose maps have
 * the kinds, sizes and BTF the script asks for, and whose programs sit where
 * the Go binary says the function is. Semantic errors have exact messages.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>

#include "compiler/compile.h"
#include "tests/lib/script.h"
#include "gobin/gobin.h"

#define TOUCH "build/go/touch"

static struct bpf_object *open_plan(const struct plan *plan)
{
	LIBBPF_OPTS(bpf_object_open_opts, oo, .object_name = "t");
	struct bpf_object *obj = bpf_object__open_mem(plan->obj, plan->obj_size, &oo);

	cr_assert_not_null(obj, "libbpf cannot open the object");
	return obj;
}

Test(compiler, count_maps_have_expected_types_and_sizes)
{
	char *diags;
	struct plan *plan = test_compile(
		"uprobe:" TOUCH ":main.touch { @c[arg0 / 50] = count(); @n = count();"
		" @k[arg0, pid, -1] = count(); }", &diags);
	struct bpf_object *obj;
	struct bpf_map *m;

	cr_assert_not_null(plan, "%s", diags);
	cr_assert_eq(plan->nmaps, 3);
	obj = open_plan(plan);

	m = bpf_object__find_map_by_name(obj, plan__find_map(plan, "@c")->var);
	cr_assert_not_null(m);
	cr_expect_eq(bpf_map__type(m), BPF_MAP_TYPE_PERCPU_HASH);
	cr_expect_eq(bpf_map__key_size(m), 8);
	cr_expect_eq(bpf_map__value_size(m), 8);
	cr_expect_eq(bpf_map__max_entries(m), 4096);

	m = bpf_object__find_map_by_name(obj, plan__find_map(plan, "@n")->var);
	cr_assert_not_null(m);
	cr_expect_eq(bpf_map__type(m), BPF_MAP_TYPE_PERCPU_ARRAY);
	cr_expect_eq(bpf_map__key_size(m), 4);
	cr_expect_eq(bpf_map__max_entries(m), 1);

	m = bpf_object__find_map_by_name(obj, plan__find_map(plan, "@k")->var);
	cr_assert_not_null(m);
	cr_expect_eq(bpf_map__key_size(m), 24);
	cr_expect(!plan__find_map(plan, "@k")->keys[0].is_signed);
	cr_expect(!plan__find_map(plan, "@k")->keys[1].is_signed);
	cr_expect(plan__find_map(plan, "@k")->keys[2].is_signed);

	m = bpf_object__find_map_by_name(obj, plan->events_map);
	cr_assert_not_null(m);
	cr_expect_eq(bpf_map__type(m), BPF_MAP_TYPE_RINGBUF);
	bpf_object__close(obj);
	plan__free(plan);
	free(diags);
}

Test(compiler, object_carries_btf_for_maps_and_programs)
{
	char *diags;
	struct plan *plan = test_compile("uprobe:" TOUCH ":main.touch { @c[arg0] = count(); }",
					 &diags);
	struct bpf_object *obj;
	struct btf *btf;

	cr_assert_not_null(plan, "%s", diags);
	obj = open_plan(plan);
	btf = bpf_object__btf(obj);
	cr_assert_not_null(btf, "no .BTF in the object");
	cr_expect_gt(btf__find_by_name_kind(btf, plan->maps[0].var, BTF_KIND_VAR), 0);
	cr_expect_gt(btf__find_by_name_kind(btf, ".maps", BTF_KIND_DATASEC), 0);
	cr_expect_gt(btf__find_by_name_kind(btf, plan->probes[0].prog, BTF_KIND_FUNC), 0);
	bpf_object__close(obj);
	plan__free(plan);
	free(diags);
}

Test(compiler, probe_sits_in_the_named_function)
{
	char *diags;
	struct plan *plan = test_compile("uprobe:" TOUCH ":main.touch { @c = count(); }",
					 &diags);
	struct gobin *gb = gobin__open(TOUCH);
	struct gobin_func fn;

	cr_assert_not_null(plan, "%s", diags);
	cr_assert_not_null(gb);
	cr_assert_eq(gobin__find_func(gb, "main.touch", &fn), 0);
	cr_assert_eq(plan->nprobes, 1);
	cr_expect_geq(plan->probes[0].file_offset, fn.file_offset);
	cr_expect_lt(plan->probes[0].file_offset, fn.file_offset + fn.size);
	cr_expect_str_eq(plan->probes[0].func, "main.touch");
	gobin__close(gb);
	plan__free(plan);
	free(diags);
}

Test(compiler, wildcards_expand_to_every_match)
{
	char *diags;
	struct plan *plan = test_compile("uprobe:" TOUCH ":main.* { @c = count(); }", &diags);
	bool touch = false, main_main = false;

	cr_assert_not_null(plan, "%s", diags);
	for (size_t i = 0; i < plan->nprobes; i++) {
		touch |= !strcmp(plan->probes[i].func, "main.touch");
		main_main |= !strcmp(plan->probes[i].func, "main.main");
		cr_expect(!strncmp(plan->probes[i].func, "main.", 5), "%s", plan->probes[i].func);
	}
	cr_expect(touch && main_main);
	plan__free(plan);
	free(diags);
}

struct bad {
	const char *script;
	const char *diag;
};

static const struct bad bad[] = {
	{ "uprobe:" TOUCH ":main.toch { @c = count(); }",
	  "t.hot:1:1: error: function main.toch not found in " TOUCH "\n"
	  "uprobe:" TOUCH ":main.toch { @c = count(); }\n"
	  "^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n"
	  "hint: did you mean 'main.touch'?\n" },
	{ "uprobe:./no/such/bin:main.f { @c = count(); }",
	  "t.hot:1:1: error: cannot open ./no/such/bin: No such file or directory\n"
	  "uprobe:./no/such/bin:main.f { @c = count(); }\n"
	  "^~~~~~~~~~~~~~~~~~~~~~~~~~~\n" },
	{ "kprobe:do_sys_open { @c = count(); }",
	  "t.hot:1:1: error: unknown probe type 'kprobe'\n"
	  "kprobe:do_sys_open { @c = count(); }\n"
	  "^~~~~~~~~~~~~~~~~~\n"
	  "hint: did you mean 'uprobe'?\n" },
	{ "BEGIN { @c[sarg0] = count(); }",
	  "t.hot:1:12: error: sarg0 is meaningless for Go programs\n"
	  "BEGIN { @c[sarg0] = count(); }\n"
	  "           ^~~~~\n"
	  "hint: Go passes arguments in registers: use arg0..arg8\n" },
	{ "BEGIN { @c[ardg0] = count(); }",
	  "t.hot:1:12: error: unknown builtin 'ardg0'\n"
	  "BEGIN { @c[ardg0] = count(); }\n"
	  "           ^~~~~\n"
	  "hint: did you mean 'arg0'?\n" },
	{ "BEGIN { @c = cout(); }",
	  "t.hot:1:14: error: unknown function 'cout'\n"
	  "BEGIN { @c = cout(); }\n"
	  "             ^~~~\n"
	  "hint: did you mean 'count()'?\n" },
	{ "BEGIN { @c = count(1); }",
	  "t.hot:1:14: error: count() takes no arguments\n"
	  "BEGIN { @c = count(1); }\n"
	  "             ^~~~~\n" },
	{ "BEGIN { @c[reg(\"rx\")] = count(); }",
	  "t.hot:1:16: error: unknown register 'rx'\n"
	  "BEGIN { @c[reg(\"rx\")] = count(); }\n"
	  "               ^~~~\n"
	  "hint: did you mean 'ax'?\n" },
	{ "BEGIN { @c = count(); @c = 1 + 2; }",
	  "t.hot:1:30: error: map @c is given a value here but count() before\n"
	  "BEGIN { @c = count(); @c = 1 + 2; }\n"
	  "                             ^\n"
	  "t.hot:1:9: note: first use of @c\n"
	  "BEGIN { @c = count(); @c = 1 + 2; }\n"
	  "        ^~\n" },
	{ "BEGIN { @c[1] = count(); @c[1, 2] = count(); }",
	  "t.hot:1:26: error: map @c is used with 2 keys here but 1 before\n"
	  "BEGIN { @c[1] = count(); @c[1, 2] = count(); }\n"
	  "                         ^~~~~~~~\n"
	  "t.hot:1:9: note: first use of @c\n"
	  "BEGIN { @c[1] = count(); @c[1, 2] = count(); }\n"
	  "        ^~~~~\n" },
	{ "BEGIN { count(); }",
	  "t.hot:1:9: error: count() must be assigned to a map\n"
	  "BEGIN { count(); }\n"
	  "        ^~~~~\n"
	  "hint: for example @m[...] = count()\n" },
	{ "BEGIN { @c[5 / 0] = count(); }",
	  "t.hot:1:16: error: division by zero\n"
	  "BEGIN { @c[5 / 0] = count(); }\n"
	  "               ^\n" },
	{ "BEGIN /count()/ { exit(); }",
	  "t.hot:1:8: error: count() can only be assigned to a map\n"
	  "BEGIN /count()/ { exit(); }\n"
	  "       ^~~~~\n" },
};

Test(compiler, semantic_errors_have_exact_messages)
{
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *diags;
		struct plan *plan = test_compile(bad[i].script, &diags);

		cr_expect_null(plan, "script %zu compiled but should not have", i);
		cr_expect_str_eq(diags, bad[i].diag, "script %zu: %s\n--- got\n%s--- want\n%s", i,
				 bad[i].script, diags, bad[i].diag);
		plan__free(plan);
		free(diags);
	}
}
