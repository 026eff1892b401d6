// SPDX-License-Identifier: MIT
/*
 * The printf formatter. The format is walked once: plain text is copied,
 * `%%` becomes one percent sign, and each conversion is cut out, rewritten
 * in a canonical form and handed to the C library with its argument cast the
 * way bpftrace 0.17 casts it. bpftrace passes every integer as a 64-bit
 * value through C varargs, so a conversion without a length reads the low 32
 * bits, `h` and `hh` narrow those, and `l`, `ll` (and z, j, t) read all 64;
 * we pass exactly that width. Each conversion's text ends at its first NUL,
 * as bpftrace builds a string from each piece it formats: `%c` of 0 prints
 * nothing but the padding before it.
 *
 * One difference on purpose: bpftrace 0.17 copies the text after its last
 * conversion (all of it, when there is none) without reading `%%`, so
 * printf("%d%%\n", 5) prints "5%%" there; we print "5%", as C does.
 */
#include "output/printf.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A conversion, parsed. */
struct conv {
	char flags[8];		/* of "-+ #0", each at most once */
	char width[16];		/* digits, or empty */
	char prec[16];		/* ".digits", or empty */
	int len;		/* 0 none, 1 h, 2 hh, 3 l and wider */
	char c;			/* d i u x X o c s p */
};

/* Parses the conversion after a '%' at *pp; advances *pp past it. False when
 * the text is not a conversion we know: then it is copied as it stands. */
static bool parse_conv(const char **pp, struct conv *cv)
{
	const char *p = *pp;
	size_t n = 0;

	memset(cv, 0, sizeof(*cv));
	while (*p && strchr("-+ #0", *p)) {
		if (!strchr(cv->flags, *p) && n < sizeof(cv->flags) - 1)
			cv->flags[n++] = *p;
		p++;
	}
	for (n = 0; *p >= '0' && *p <= '9'; p++)
		if (n < sizeof(cv->width) - 1)
			cv->width[n++] = *p;
		else
			return false;
	if (*p == '.') {
		cv->prec[0] = '.';
		for (n = 1, p++; *p >= '0' && *p <= '9'; p++)
			if (n < sizeof(cv->prec) - 1)
				cv->prec[n++] = *p;
			else
				return false;
	}
	if (p[0] == 'h' && p[1] == 'h') {
		cv->len = 2;
		p += 2;
	} else if (p[0] == 'h') {
		cv->len = 1;
		p++;
	} else if (p[0] == 'l' && p[1] == 'l') {
		cv->len = 3;
		p += 2;
	} else if (*p == 'l' || *p == 'z' || *p == 'j' || *p == 't') {
		cv->len = 3;
		p++;
	}
	if (!*p || !strchr("diuxXocsp", *p))
		return false;
	cv->c = *p++;
	*pp = p;
	return true;
}

/* An integer argument, sign-extended or zero-extended from its size. */
static uint64_t read_int(const struct plan_value *v, const unsigned char *data)
{
	switch (v->size) {
	case 1:
		return v->is_signed ? (uint64_t)(int64_t) * (const int8_t *)data : *data;
	case 2: {
		uint16_t x;

		memcpy(&x, data, 2);
		return v->is_signed ? (uint64_t)(int64_t)(int16_t)x : x;
	}
	case 4: {
		uint32_t x;

		memcpy(&x, data, 4);
		return v->is_signed ? (uint64_t)(int64_t)(int32_t)x : x;
	}
	default: {
		uint64_t x;

		memcpy(&x, data, 8);
		return x;
	}
	}
}

/* Appends one conversion's text to out, up to its first NUL. */
static int put_conv(FILE *out, const struct conv *cv, uint64_t n, const char *s)
{
	static const char *const lens[] = { "", "h", "hh", "ll" };
	char spec[64], *buf = NULL;
	size_t size = 0;
	FILE *tmp;
	int r;

	snprintf(spec, sizeof(spec), "%%%s%s%s%s%c", cv->flags, cv->width, cv->prec,
		 strchr("diuxXo", cv->c) ? lens[cv->len] : "", cv->c);
	tmp = open_memstream(&buf, &size);
	if (!tmp)
		return -errno;
	if (cv->c == 's')
		r = fprintf(tmp, spec, s);
	else if (cv->c == 'p')
		r = fprintf(tmp, spec, (void *)(uintptr_t)n);
	else if (cv->c == 'c')
		r = fprintf(tmp, spec, (int)n);
	else if (cv->len == 3)
		r = fprintf(tmp, spec, (long long)n);
	else
		r = fprintf(tmp, spec, (int)n);
	if (fclose(tmp) || r < 0) {
		free(buf);
		return -EIO;
	}
	fwrite(buf, 1, strlen(buf), out);
	free(buf);
	return 0;
}

/* The text of a non-integer argument (a string, a probe name, a stack). */
static char *arg_text(const struct mapfmt_style *st, const struct plan_value *v,
		      const unsigned char *data)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);

	if (!f)
		return NULL;
	mapfmt_value_text(st, v, data, f);
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

static int put_arg(FILE *out, const struct mapfmt_style *st, const struct conv *cv,
		   const struct plan_value *v, const unsigned char *data)
{
	char *s;
	int err;

	if (v->kind == VAL_INT && cv->c != 's')
		return put_conv(out, cv, read_int(v, data), NULL);
	if (cv->c != 's')	/* the compiler allows no text for an integer conversion */
		return put_conv(out, cv, 0, NULL);
	s = arg_text(st, v, data);
	if (!s)
		return -ENOMEM;
	err = put_conv(out, cv, 0, s);
	free(s);
	return err;
}

char *printf_render(const struct mapfmt_style *st, const struct plan_printf *pf,
		    const void *args, size_t size)
{
	const unsigned char *data = args;
	const char *p = pf->fmt;
	char *buf = NULL;
	size_t len = 0, next = 0;
	FILE *out;
	int err = 0;

	if (size < pf->size) {
		errno = EINVAL;
		return NULL;
	}
	for (size_t i = 0; i < pf->nargs; i++) {
		if ((size_t)pf->args[i].offset + pf->args[i].size > size) {
			errno = EINVAL;
			return NULL;
		}
	}
	out = open_memstream(&buf, &len);
	if (!out)
		return NULL;
	while (*p && !err) {
		const char *pct = strchr(p, '%'), *q;
		struct conv cv;

		if (!pct) {
			fputs(p, out);
			break;
		}
		fwrite(p, 1, pct - p, out);
		p = pct + 1;
		if (*p == '%') {
			fputc('%', out);
			p++;
			continue;
		}
		q = p;
		if (next >= pf->nargs || !parse_conv(&q, &cv)) {
			fputc('%', out);	/* not a conversion: printed as written */
			continue;
		}
		p = q;
		err = put_arg(out, st, &cv, &pf->args[next], data + pf->args[next].offset);
		next++;
	}
	if (fclose(out) || err) {
		free(buf);
		errno = err ? -err : EIO;
		return NULL;
	}
	return buf;
}
