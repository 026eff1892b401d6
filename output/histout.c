// SPDX-License-Identifier: MIT
/*
 * Histogram rows. Only the slots from the first to the last one that holds
 * a count are printed, zeros between them included. A text row is the
 * bucket's label padded to 16 columns, the count right-aligned in 8, and a
 * bar of up to 52 '@' scaled to the largest count, computed in single
 * precision and truncated as bpftrace computes it, so bar lengths match to
 * the character. Power-of-two labels use K, M, G and T for 2^10, 2^20, 2^30
 * and 2^40; lhist labels use K and M for exact multiples of 1024 and 1048576.
 * JSON gives each bucket's bounds; bpftrace 0.17 computes them in 32-bit
 * ints and prints them wrong from 2^31 up, where we print the true bounds.
 */
#include "output/histout.h"

#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

#define BAR_WIDTH 52

/* Range of slots that hold a count, and the largest count; false if none. */
static bool used_range(const uint64_t *slots, size_t nslots, size_t *lo, size_t *hi,
		       uint64_t *max)
{
	bool any = false;

	*max = 0;
	for (size_t i = 0; i < nslots; i++) {
		if (slots[i]) {
			if (!any)
				*lo = i;
			*hi = i;
			any = true;
		}
		if (slots[i] > *max)
			*max = slots[i];
	}
	return any;
}

static void row(const char *label, uint64_t count, uint64_t raw, uint64_t max, FILE *out)
{
	char bar[BAR_WIDTH + 1];
	int w = (int)((float)raw / (float)max * BAR_WIDTH);

	if (w < 0 || w > BAR_WIDTH)
		w = w < 0 ? 0 : BAR_WIDTH;
	memset(bar, '@', w);
	bar[w] = '\0';
	fprintf(out, "%-16s%8" PRIu64 " |%-52s|\n", label, count, bar);
}

/* "1", "2K", "4M": 2^power. */
static void pow2_label(char *buf, size_t size, int power)
{
	static const char suffix[] = { 0, 'K', 'M', 'G', 'T' };
	int s = power >= 40 ? 4 : power / 10;

	snprintf(buf, size, "%llu%.*s", 1ull << (power - s * 10), s ? 1 : 0, &suffix[s]);
}

void histout_hist_text(const uint64_t *slots, size_t nslots, uint64_t div, FILE *out)
{
	size_t lo, hi;
	uint64_t max;

	if (!used_range(slots, nslots, &lo, &hi, &max))
		return;
	for (size_t i = lo; i <= hi; i++) {
		char label[64], a[24], b[24];

		if (i == 0) {
			strcpy(label, "(..., 0)");
		} else if (i == 1) {
			strcpy(label, "[0]");
		} else if (i == 2) {
			strcpy(label, "[1]");
		} else {
			pow2_label(a, sizeof(a), (int)i - 2);
			pow2_label(b, sizeof(b), (int)i - 1);
			snprintf(label, sizeof(label), "[%s, %s)", a, b);
		}
		row(label, slots[i] / div, slots[i], max, out);
	}
}

void histout_hist_json(const uint64_t *slots, size_t nslots, uint64_t div, FILE *out)
{
	size_t lo, hi;
	uint64_t max;

	fputc('[', out);
	if (used_range(slots, nslots, &lo, &hi, &max)) {
		for (size_t i = lo; i <= hi; i++) {
			fputs(i > lo ? ", {" : "{", out);
			if (i == 0)
				fputs("\"max\": -1, ", out);
			else if (i == 1)
				fputs("\"min\": 0, \"max\": 0, ", out);
			else if (i == 2)
				fputs("\"min\": 1, \"max\": 1, ", out);
			else
				fprintf(out, "\"min\": %" PRId64 ", \"max\": %" PRId64 ", ",
					(int64_t)(1ull << (i - 2)), (int64_t)((1ull << (i - 1)) - 1));
			fprintf(out, "\"count\": %" PRIu64 "}", slots[i] / div);
		}
	}
	fputc(']', out);
}

static void lhist_label(char *buf, size_t size, int64_t n)
{
	if (n != 0 && n % 1048576 == 0)
		snprintf(buf, size, "%" PRId64 "M", n / 1048576);
	else if (n != 0 && n % 1024 == 0)
		snprintf(buf, size, "%" PRId64 "K", n / 1024);
	else
		snprintf(buf, size, "%" PRId64, n);
}

void histout_lhist_text(const uint64_t *slots, size_t nslots, int64_t min, int64_t max,
			int64_t step, FILE *out)
{
	size_t lo, hi, last = nslots - 1;
	uint64_t top;

	if (nslots < 2 || !used_range(slots, nslots, &lo, &hi, &top))
		return;
	for (size_t i = lo; i <= hi; i++) {
		char label[80], a[32], b[32];

		if (i == 0) {
			lhist_label(a, sizeof(a), min);
			snprintf(label, sizeof(label), "(..., %s)", a);
		} else if (i == last) {
			lhist_label(a, sizeof(a), max);
			snprintf(label, sizeof(label), "[%s, ...)", a);
		} else {
			lhist_label(a, sizeof(a), (int64_t)(i - 1) * step + min);
			lhist_label(b, sizeof(b), (int64_t)i * step + min);
			snprintf(label, sizeof(label), "[%s, %s)", a, b);
		}
		row(label, slots[i], slots[i], top, out);
	}
}

void histout_lhist_json(const uint64_t *slots, size_t nslots, int64_t min, int64_t max,
			int64_t step, FILE *out)
{
	size_t lo, hi, last = nslots - 1;
	uint64_t top;

	fputc('[', out);
	if (nslots >= 2 && used_range(slots, nslots, &lo, &hi, &top)) {
		for (size_t i = lo; i <= hi; i++) {
			fputs(i > lo ? ", {" : "{", out);
			if (i == 0)
				fprintf(out, "\"max\": %" PRId64 ", ", min - 1);
			else if (i == last)
				fprintf(out, "\"min\": %" PRId64 ", ", max);
			else
				fprintf(out, "\"min\": %" PRId64 ", \"max\": %" PRId64 ", ",
					(int64_t)(i - 1) * step + min, (int64_t)i * step + min - 1);
			fprintf(out, "\"count\": %" PRIu64 "}", slots[i]);
		}
	}
	fputc(']', out);
}
