// SPDX-License-Identifier: MIT
/*
 * The printf formatter against what bpftrace 0.17 printed for the same
 * format and argument (`bpftrace -e 'BEGIN { printf("FMT\n", ARG); }'`),
 * and C's meaning for the flags bpftrace 0.17 refuses (+, space, #, %i).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "output/printf.h"

#define MAX_ARGS 8

/* One argument: an integer (str NULL) or a string of `size` bytes. */
struct arg {
	long long n;
	const char *str;
	uint32_t size;
	bool is_signed;
	enum value_kind kind;
	enum sym_kind sym;
};

static struct plan plan;
static struct plan_probe probes[2];

static void setup(void)
{
	probes[0].name = "uprobe:./touch:main.touch";
	probes[0].func = "main.touch";
	probes[0].access.site = "main.touch+0x1e touch.go:20";
	probes[1].name = "BEGIN";
	probes[1].func = "BEGIN";
	plan.probes = probes;
	plan.nprobes = 2;
}

/* Lays the arguments out one after another, as the compiler does. */
static char *render(const char *fmt, const struct arg *args, size_t n)
{
	struct plan_value pv[MAX_ARGS];
	unsigned char data[512] = { 0 };
	struct plan_printf pf = { .fmt = (char *)fmt, .nargs = n, .args = pv };
	struct mapfmt_style st = { .plan = &plan, .fmt = OUT_TEXT, .stack_fd = -1 };
	uint32_t off = 0;

	for (size_t i = 0; i < n; i++) {
		pv[i] = (struct plan_value){ .kind = args[i].kind, .is_signed = args[i].is_signed,
					     .sym = args[i].sym, .offset = off };
		if (args[i].str) {
			pv[i].kind = VAL_STRING;
			pv[i].size = args[i].size ? args[i].size : 16;
			memcpy(data + off, args[i].str, strnlen(args[i].str, pv[i].size));
		} else {
			pv[i].size = args[i].size ? args[i].size : 8;
			memcpy(data + off, &args[i].n, pv[i].size);
		}
		off += (pv[i].size + 7) / 8 * 8;
	}
	pf.size = off;
	return printf_render(&st, &pf, data, off);
}

static void check(const char *fmt, const struct arg *args, size_t n, const char *want)
{
	char *got = render(fmt, args, n);

	cr_assert_not_null(got, "%s: %s", fmt, strerror(errno));
	cr_expect_str_eq(got, want, "printf(\"%s\"): got \"%s\", want \"%s\"", fmt, got, want);
	free(got);
}

#define INT(v) { .n = (v), .is_signed = true }
#define UINT(v) { .n = (v) }
#define STR(s) { .str = (s) }

struct one {
	const char *fmt;
	struct arg arg;
	const char *want;
};

/* Each row printed by bpftrace 0.17 on this machine. */
static const struct one as_bpftrace[] = {
	{ "%d", INT(5000000000LL), "705032704" },
	{ "%ld", INT(5000000000LL), "5000000000" },
	{ "%x", INT(-1), "ffffffff" },
	{ "%u", INT(-1), "4294967295" },
	{ "%lu", INT(-1), "18446744073709551615" },
	{ "%lld", INT(-2), "-2" },
	{ "%llu", INT(-1), "18446744073709551615" },
	{ "%d", INT(-5), "-5" },
	{ "%u", INT(-5), "4294967291" },
	{ "%X", INT(255), "FF" },
	{ "%o", INT(8), "10" },
	{ "%lo", INT(-1), "1777777777777777777777" },
	{ "%c", INT(65), "A" },
	{ "%c", INT(321), "A" },
	{ "%10c", INT(65), "         A" },
	{ "%s", STR("str"), "str" },
	{ "%5d", INT(42), "   42" },
	{ "%-5d", INT(42), "42   " },
	{ "%05d", INT(42), "00042" },
	{ "%.3d", INT(7), "007" },
	{ "%3.1d", INT(5), "  5" },
	{ "%.0d", INT(0), "" },
	{ "%08.3d", INT(5), "     005" },
	{ "%8.3s", STR("abcdef"), "     abc" },
	{ "%5.1s|", STR("hello"), "    h|" },
	{ "%-8s", STR("ab"), "ab      " },
	{ "%hd", INT(70000), "4464" },
	{ "%hhd", INT(300), "44" },
	{ "%hu", INT(-1), "65535" },
	{ "%hx", INT(-1), "ffff" },
	{ "%hhx", INT(-1), "ff" },
	{ "%hhu", INT(-1), "255" },
	{ "%lx", INT(-1), "ffffffffffffffff" },
	{ "%llx", INT(-1), "ffffffffffffffff" },
	{ "%p", UINT(4096), "0x1000" },
	{ "%p", UINT(0), "(nil)" },
	{ "%10p", UINT(255), "      0xff" },
	{ "%-10x|", INT(255), "ff        |" },
	{ "%zd", INT(1), "1" },
	{ "%jd", INT(1), "1" },
	{ "a%d", INT(-1), "a-1" },
	{ "[%c]", INT(0), "[]" },
	{ "[%-3c|", INT(0), "[|" },
	{ "|%5c|", INT(0), "|    |" },
};

Test(printf, conversions_print_as_bpftrace_prints_them, .init = setup)
{
	for (size_t i = 0; i < sizeof(as_bpftrace) / sizeof(as_bpftrace[0]); i++)
		check(as_bpftrace[i].fmt, &as_bpftrace[i].arg, 1, as_bpftrace[i].want);
}

/* bpftrace 0.17 refuses these; C gives them their meaning. */
static const struct one as_c[] = {
	{ "%i", INT(42), "42" },
	{ "%+d", INT(42), "+42" },
	{ "% d", INT(42), " 42" },
	{ "%#x", INT(255), "0xff" },
	{ "%#o", INT(8), "010" },
	{ "%+ld", INT(-3), "-3" },
	{ "%-+5d|", INT(7), "+7   |" },
};

Test(printf, flags_bpftrace_refuses_follow_c, .init = setup)
{
	for (size_t i = 0; i < sizeof(as_c) / sizeof(as_c[0]); i++)
		check(as_c[i].fmt, &as_c[i].arg, 1, as_c[i].want);
}

Test(printf, several_arguments_and_text_between, .init = setup)
{
	struct arg a[] = { INT(66), STR("abcd"), STR("xyz"), INT(3), INT(4) };
	struct arg b[] = { INT(-7), STR("x") };
	struct arg c[] = { INT(104), INT(105) };

	check("%-3c|%3s|%.1s|%5.2d|%-05d|\n", a, 5, "B  |abcd|x|   03|4    |\n");
	check("%d %s\n", b, 2, "-7 x\n");
	check("%c%c", c, 2, "hi");
}

Test(printf, percent_percent_is_one_percent_sign, .init = setup)
{
	struct arg a[] = { INT(1), INT(2) };

	check("100%%\n", NULL, 0, "100%\n");
	check("%%a%d%%b%d%%", a, 2, "%a1%b2%");
	check("no conversion at all", NULL, 0, "no conversion at all");
	check("", NULL, 0, "");
}

Test(printf, strings_end_at_their_nul_or_their_size, .init = setup)
{
	struct arg a[] = { { .str = "ab\0cd", .size = 8 } };
	struct arg b[] = { { .str = "abcdefgh", .size = 4 } };
	struct arg c[] = { STR("") };

	check("[%s]", a, 1, "[ab]");
	check("[%s]", b, 1, "[abcd]");
	check("x%sy", c, 1, "xy");
}

Test(printf, narrow_integers_widen_by_their_sign, .init = setup)
{
	struct arg a[] = { { .n = 0xffffffff, .size = 4, .is_signed = true } };
	struct arg b[] = { { .n = 0xffffffff, .size = 4 } };
	struct arg c[] = { { .n = 0xff, .size = 1, .is_signed = true } };

	check("%ld", a, 1, "-1");
	check("%ld", b, 1, "4294967295");
	check("%lld", c, 1, "-1");
}

Test(printf, symbols_print_the_names_of_probes, .init = setup)
{
	struct arg a[] = {
		{ .kind = VAL_SYM, .sym = SYM_PROBE, .n = 0 },
		{ .kind = VAL_SYM, .sym = SYM_FUNC, .n = 0 },
		{ .kind = VAL_SYM, .sym = SYM_SITE, .n = 0 },
		{ .kind = VAL_SYM, .sym = SYM_PROBE, .n = 1 },
	};

	check("%s|%s|%s|%s", a, 4,
	      "uprobe:./touch:main.touch|main.touch|main.touch+0x1e touch.go:20|BEGIN");
	check("[%-12s]", &a[1], 1, "[main.touch  ]");
}

Test(printf, a_short_record_is_refused, .init = setup)
{
	struct plan_value pv = { .kind = VAL_INT, .size = 8 };
	struct plan_printf pf = { .fmt = "%d", .nargs = 1, .args = &pv, .size = 8 };
	struct mapfmt_style st = { .plan = &plan, .stack_fd = -1 };
	unsigned char data[8] = { 0 };

	errno = 0;
	cr_assert_null(printf_render(&st, &pf, data, 4));
	cr_assert_eq(errno, EINVAL);
}

Test(printf, text_that_is_no_conversion_prints_as_written, .init = setup)
{
	struct arg a[] = { INT(5) };

	check("50%", NULL, 0, "50%");
	check("%q %d", a, 1, "%q 5");
	check("%d %d", a, 1, "5 %d");
}
