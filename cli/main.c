// SPDX-License-Identifier: MIT
/*
 * hotspan: the command line over the library. It reads the options, runs
 * the compile driver and a session, renders diagnostics, and blocks Ctrl-C
 * and SIGTERM so that the session waits for them on a signal descriptor,
 * with its events and the traced process. It is the only code that prints
 * diagnostics, and the progress of long steps (decoding a large binary,
 * attaching and detaching hundreds of probes) that the library reports.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "compiler/compile.h"
#include "output/outfile.h"
#include "runtime/heat.h"
#include "runtime/session.h"

static const char usage[] =
	"usage: hotspan [options] SCRIPT_FILE [ARG ...]\n"
	"       hotspan [options] -e 'PROGRAM' [ARG ...]\n"
	"       hotspan record -o TRACE [options] SCRIPT_FILE | -e 'PROGRAM' [ARG ...]\n"
	"       hotspan replay TRACE [-f text|json] [SCRIPT_FILE | -e 'PROGRAM'] [ARG ...]\n"
	"\n"
	"Finds where Go programs spend their accesses, with bpftrace-style scripts.\n"
	"\n"
	"options:\n"
	"  -e PROGRAM       the script, given on the command line\n"
	"  -c 'CMD'         run CMD, trace it from its first instruction, stop when it exits\n"
	"  -p PID           trace only process PID; an empty uprobe path means its executable\n"
	"  -f text|json     output format (default text; json prints what bpftrace -f json does)\n"
	"  -o FILE          write results to FILE instead of standard output;\n"
	"                   with record, the trace of every heat map's accesses\n"
	"  -d ast|ir|bpf    print a stage of compilation (comma-separated) and exit\n"
	"  -l PROBE...      list the probe points each PROBE matches: 'uprobe:./bin:main.*',\n"
	"                   'access:./bin:*' (arrays and functions with their access sites)\n"
	"  --emit-obj FILE  write the BPF object to FILE and exit (see: bpftool btf dump file FILE)\n"
	"  --notify         print 'hotspan: attached N probes' on stderr once probes are attached\n"
	"  --budget PCT     keep the traced process's time spent in probes under PCT percent:\n"
	"                   probes are attached in slices, and what is printed is a sample\n"
	"  -h, --help       this help\n"
	"  --version        the version\n"
	"\n"
	"Words after the script are its positional parameters, $1, $2 ... in the\n"
	"script (0 when not given), and $# their count, as in bpftrace. Put them\n"
	"after `--` when one starts with '-'.\n"
	"\n"
	"record and replay: record saves the accesses of every heat map while it\n"
	"traces; replay runs them through the hotspot blocks of any script (none:\n"
	"the defaults), offline and deterministically.\n"
	"\n"
	"example:\n"
	"  hotspan -e 'uprobe:./server:main.touch { @c[arg0 / 50] = count(); }' -c ./server\n";

/*
 * diag_progress_fn: one line on stderr, when it is a terminal and the step
 * has taken a second, redrawn at most four times a second and cleared when
 * the step ends.
 */
struct progress_line {
	double start, last;
	const char *what;	/* the step being shown, or NULL */
	bool shown;
};

static double mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void show_progress(void *ctx, const char *what, size_t done, size_t total)
{
	struct progress_line *p = ctx;
	double t = mono_now();

	if (!p->what || strcmp(p->what, what)) {
		p->what = what;
		p->start = t;
	}
	if (done >= total) {
		if (p->shown)
			fputs("\r\033[K", stderr);
		p->what = NULL;
		p->shown = false;
		return;
	}
	if (t - p->start < 1 || t - p->last < 0.25 || !isatty(STDERR_FILENO))
		return;
	p->last = t;
	p->shown = true;
	fprintf(stderr, "\rhotspan: %zu of %zu %s", done, total, what);
}

static struct progress_line progress;

/* -l: the probe points one description matches, on stdout; 1 on an error. */
static int list_probes(struct compile_opts *co, const char *what)
{
	struct source *src = source__new("-l", what, strlen(what));
	struct diag_list *dl = diag_list__new();
	int rc;

	diag_list__set_progress(dl, show_progress, &progress);
	co->src = src;
	rc = compile_list(co, stdout, dl) ? 1 : 0;
	diag_list__render(dl, src, stderr);
	diag_list__free(dl);
	source__free(src);
	co->src = NULL;
	return rc;
}

static void on_waiting(void *ctx, const char *what)
{
	(void)ctx;
	fprintf(stderr, "hotspan: %s\n", what);
}

static int parse_dump(const char *arg, unsigned *dump)
{
	char *copy = strdup(arg), *save = NULL;
	int err = 0;

	for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		if (!strcmp(t, "ast"))
			*dump |= DUMP_AST;
		else if (!strcmp(t, "ir"))
			*dump |= DUMP_IR;
		else if (!strcmp(t, "bpf"))
			*dump |= DUMP_BPF;
		else
			err = -EINVAL;
	}
	free(copy);
	return err;
}

/* A process id: digits only, within pid_t (4294967297 is not pid 1). -1 if not. */
static pid_t parse_pid(const char *arg)
{
	long long v = 0;

	if (!*arg)
		return -1;
	for (const char *c = arg; *c; c++) {
		if (*c < '0' || *c > '9' || v > INT_MAX / 10)
			return -1;
		v = v * 10 + (*c - '0');
	}
	return v > INT_MAX ? -1 : (pid_t)v;
}

static int fail(const char *fmt, const char *arg)
{
	fprintf(stderr, "hotspan: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n");
	return 1;
}

/* hotspan replay: the script's heat maps, fed from the trace. */
static int replay(struct plan *plan, const char *trace, const struct session_opts *so,
		  struct outfile *of, struct diag_list *dl)
{
	/* Opened without waiting, so that a FIFO is refused rather than hung on. */
	int fd = open(trace, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	struct heat_set *hs;
	struct stat st;
	FILE *f, *out;
	int err;

	if (fd < 0) {
		err = -errno;
		diag_add(dl, DIAG_ERROR, NULL, "cannot read %s: %s", trace, strerror(-err));
		return err;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		diag_add(dl, DIAG_ERROR, NULL, "cannot replay %s: it is %s, not a trace file", trace,
			 S_ISDIR(st.st_mode) ? "a folder" : S_ISFIFO(st.st_mode) ? "a FIFO" :
			 "a device or a socket");
		close(fd);
		return -EINVAL;
	}
	f = fdopen(fd, "rb");
	if (!f) {
		err = -errno;
		close(fd);
		return err;
	}
	out = of ? outfile__open(of, dl) : stdout;
	hs = out ? heat_set__new(plan, so->fmt, out, true) : NULL;
	err = !out ? -EIO : hs ? heat_set__replay(hs, plan, f, dl) : -ENOMEM;
	heat_set__free(hs);
	fclose(f);
	if (!err && of)
		err = outfile__close(of, dl);
	return err;
}

/*
 * -o: opened once the script has compiled, never before, as a temporary
 * file that replaces the old one once probes are attached; and never one
 * of the binaries the probes are in.
 */
static int open_output(struct session *s, struct outfile *of, bool record,
		       const struct plan *plan, struct diag_list *dl)
{
	FILE *f;

	for (size_t i = 0; i < plan->nprobes; i++)
		if (outfile__check_input(of, plan->probes[i].path, "a binary it probes", dl))
			return -EINVAL;
	f = outfile__open(of, dl);
	if (!f)
		return -EIO;
	session__set_output(s, record ? NULL : f, record ? f : NULL);
	return 0;
}

/*
 * Compiles the script and traces with it. Attaching begins as soon as the
 * front of the compiler has placed every probe, so that the kernel's wait
 * on the first uprobe registration overlaps generating the code.
 */
static int run(struct compile_opts *co, struct session_opts *so, struct outfile *of,
	       bool record, struct diag_list *dl)
{
	struct session *s;
	struct compile *front;
	struct plan *plan;
	sigset_t stop;
	int err = -EINVAL;

	/* From here a Ctrl-C or SIGTERM waits for the session, which stops
	 * and prints what it has: probes may be attached from now on. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigprocmask(SIG_BLOCK, &stop, NULL);
	/* An ignored signal never reaches the descriptor (a shell ignores
	 * SIGINT for its background jobs); blocked, the default is harmless. */
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGPIPE, SIG_IGN);
	so->stop_signals = &stop;
	so->waiting = on_waiting;
	s = session__new(so);
	if (!s)
		return -ENOMEM;
	front = compile_front(co, dl);
	if (!front)
		goto out;
	err = session__begin(s, compile__plan(front), dl);
	if (err) {
		compile__free(front);
		goto out;
	}
	session_test_stop("compiling");	/* attaching has begun: see session.h */
	plan = compile_back(front, dl);
	err = !plan ? -EINVAL : of ? open_output(s, of, record, plan, dl) : 0;
	if (err) {
		plan__free(plan);
		goto out;
	}
	err = session__load(s, plan, dl);
	if (!err)
		err = session__attach(s, dl);
	if (!err && of)	/* under way: the old file goes */
		err = outfile__publish(of, dl);
	if (!err)
		err = session__run(s, dl);
	if (!err)
		err = session__finish(s, dl);
out:
	session__free(s);
	if (!err && of)
		err = outfile__close(of, dl);
	return err;
}

int main(int argc, char **argv)
{
	enum { OPT_EMIT_OBJ = 256, OPT_VERSION, OPT_NOTIFY, OPT_BUDGET };
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ "emit-obj", required_argument, NULL, OPT_EMIT_OBJ },
		{ "notify", no_argument, NULL, OPT_NOTIFY },
		{ "budget", required_argument, NULL, OPT_BUDGET },
		{ NULL, 0, NULL, 0 },
	};
	struct compile_opts co = { .dump_out = stdout };
	struct session_opts so = { .fmt = OUT_TEXT };
	const char *program = NULL, *emit_obj = NULL, *out_path = NULL, *list = NULL;
	const char *script_file = NULL;
	struct outfile *of = NULL;
	struct source *src = NULL;
	struct diag_list *dl;
	struct plan *plan;
	char *end;
	int c, rc = 1;
	enum { RUN, RECORD, REPLAY } mode = RUN;
	const char *trace = NULL;

	if (argc > 1 && !strcmp(argv[1], "record")) {
		mode = RECORD;
		argv++;
		argc--;
	} else if (argc > 1 && !strcmp(argv[1], "replay")) {
		mode = REPLAY;
		if (argc < 3 || argv[2][0] == '-')
			return fail("replay needs a trace file: hotspan replay TRACE [SCRIPT]%s", "");
		trace = argv[2];
		argv += 2;
		argc -= 2;
	}

	while ((c = getopt_long(argc, argv, "he:c:p:f:o:d:l:", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			fputs(usage, stdout);
			return 0;
		case OPT_VERSION:
			printf("hotspan %s\n", HOTSPAN_VERSION);
			return 0;
		case 'e':
			program = optarg;
			break;
		case 'c':
			so.cmd = optarg;
			break;
		case 'p':
			so.pid = parse_pid(optarg);
			if (so.pid <= 0)
				return fail("-p wants a process id, not '%s'", optarg);
			co.pid = so.pid;
			break;
		case 'f':
			if (!strcmp(optarg, "json"))
				so.fmt = OUT_JSON;
			else if (strcmp(optarg, "text"))
				return fail("unknown output format '%s' (text or json)", optarg);
			break;
		case 'o':
			out_path = optarg;
			break;
		case 'l':
			list = optarg;
			break;
		case 'd':
			if (parse_dump(optarg, &co.dump))
				return fail("-d takes ast, ir or bpf, not '%s'", optarg);
			break;
		case OPT_EMIT_OBJ:
			emit_obj = optarg;
			break;
		case OPT_NOTIFY:
			so.notify = true;
			break;
		case OPT_BUDGET:
			so.budget = strtod(optarg, &end);
			if (*end == '%')
				end++;
			if (*end || !(so.budget > 0 && so.budget < 100))
				return fail("--budget wants a percentage above 0 and below 100, "
					    "not '%s'", optarg);
			break;
		default:
			fputs(usage, stderr);
			return 1;
		}
	}
	if (so.cmd && so.pid)
		return fail("-c and -p cannot be used together%s", "");
	if (mode == RECORD && !out_path)
		return fail("record needs -o TRACE, the file to write%s", "");
	if (mode == REPLAY && (so.cmd || so.pid))
		return fail("replay runs offline: no -c or -p%s", "");
	if (so.budget > 0 && !so.cmd && !so.pid)
		return fail("--budget keeps the traced process within it: it needs -p PID or "
			    "-c CMD%s", "");
	/* -l PROBE [PROBE...]: each in turn (bpftrace -l takes one). */
	if (list) {
		rc = list_probes(&co, list);
		for (int k = optind; k < argc; k++)
			rc |= list_probes(&co, argv[k]);
		return rc;
	}
	if (program) {
		src = source__new("-e", program, strlen(program));
	} else if (optind < argc) {
		script_file = argv[optind];
		src = source__read(script_file);
		if (!src) {
			fprintf(stderr, "hotspan: cannot read %s: %s\n", argv[optind],
				strerror(errno));
			return 1;
		}
		optind++;
	} else if (mode == REPLAY) {
		src = source__new("(defaults)", "", 0);
	} else {
		fputs(usage, stderr);
		return 1;
	}
	dl = diag_list__new();
	diag_list__set_progress(dl, show_progress, &progress);
	/* -o is checked now and opened only once the script has compiled. */
	if (out_path) {
		of = outfile__new(out_path, dl);
		if (!of || outfile__check_input(of, script_file, "the script it runs", dl) ||
		    outfile__check_input(of, trace, "the trace it replays", dl))
			goto out_diag;
	}
	/* What is left after the script: $1, $2 ... */
	co.params = argv + optind;
	co.nparams = argc - optind;
	co.src = src;
	co.check_only = mode == REPLAY;
	if (mode != REPLAY && !co.dump && !emit_obj) {
		rc = run(&co, &so, of, mode == RECORD, dl) ? 1 : 0;
		goto out_diag;
	}
	plan = compile_script(&co, dl);
	if (!plan)
		goto out_diag;
	if (co.dump) {
		plan__free(plan);
		rc = 0;
		goto out_diag;
	}
	if (emit_obj) {
		int err = plan__write_obj(plan, emit_obj);

		plan__free(plan);
		if (err)
			fprintf(stderr, "hotspan: cannot write %s: %s\n", emit_obj, strerror(-err));
		rc = err ? 1 : 0;
		goto out_diag;
	}
	rc = replay(plan, trace, &so, of, dl) ? 1 : 0;
	plan__free(plan);
out_diag:
	diag_list__render(dl, src, stderr);
	diag_list__free(dl);
	outfile__free(of);	/* a temporary file not put in place goes */
	source__free(src);
	return rc;
}
