// SPDX-License-Identifier: MIT
/*
 * The rows of hist() and lhist() values, as bpftrace 0.17 prints them: bars
 * in text, bucket bounds and counts in JSON.
 */
#ifndef HOTSPAN_HISTOUT_H
#define HOTSPAN_HISTOUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* hist(): slots as hs_hist_slot() fills them. Counts are divided by div
 * (not 0), bars are drawn from the counts as they are. Nothing in text and
 * `[]` in JSON when every slot is 0. */
void histout_hist_text(const uint64_t *slots, size_t nslots, uint64_t div, FILE *out);
void histout_hist_json(const uint64_t *slots, size_t nslots, uint64_t div, FILE *out);

/* lhist(v, min, max, step): nslots = (max - min) / step + 2. */
void histout_lhist_text(const uint64_t *slots, size_t nslots, int64_t min, int64_t max,
			int64_t step, FILE *out);
void histout_lhist_json(const uint64_t *slots, size_t nslots, int64_t min, int64_t max,
			int64_t step, FILE *out);

#endif
