// SPDX-License-Identifier: MIT
/*
 * hotspan: the command line over the library. It reads the options, runs
 * the compile driver and a session, renders diagnostics and forwards
 * Ctrl-C and SIGTERM to the session. It is the only code that prints
 * diagnostics.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler/compile.h"
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
	"  -l PROBE         list the probe points PROBE matches: 'uprobe:./bin:main.*',\n"
	"                   'access:./bin:*' (arrays and functions with their access sites)\n"
	"  --emit-obj FILE  write the BPF object to FILE and exit (see: bpftool btf dump file FILE)\n"
	"  --notify         print 'hotspan: attached N probes' on stderr once probes are attached\n"
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

static struct session *running;

static void on_signal(int sig)
{
	(void)sig;
	if (running)
		session__stop(running);
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

static int fail(const char *fmt, const char *arg)
{
	fprintf(stderr, "hotspan: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n");
	return 1;
}

/* hotspan replay: the script's heat maps, fed from the trace. */
static int replay(struct plan *plan, const char *trace, const struct session_opts *so,
		  struct diag_list *dl)
{
	FILE *f = fopen(trace, "rb");
	struct heat_set *hs;
	int err;

	if (!f) {
		err = -errno;
		diag_add(dl, DIAG_ERROR, NULL, "cannot read %s: %s", trace, strerror(errno));
		return err;
	}
	hs = heat_set__new(plan, so->fmt, so->out ? so->out : stdout, true);
	err = hs ? heat_set__replay(hs, plan, f, dl) : -ENOMEM;
	heat_set__free(hs);
	fclose(f);
	return err;
}

/*
 * Compiles the script and traces with it. Attaching begins as soon as the
 * front of the compiler has placed every probe, so that the kernel's wait
 * on the first uprobe registration overlaps generating the code.
 */
static int run(struct compile_opts *co, const struct session_opts *so, struct diag_list *dl)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct session *s = session__new(so);
	struct compile *front;
	struct plan *plan;
	int err;

	if (!s)
		return -ENOMEM;
	front = compile_front(co, dl);
	if (!front) {
		session__free(s);
		return -EINVAL;
	}
	err = session__begin(s, compile__plan(front), dl);
	if (err) {
		compile__free(front);
		session__free(s);
		return err;
	}
	plan = compile_back(front, dl);
	if (!plan) {
		session__free(s);
		return -EINVAL;
	}
	running = s;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	err = session__load(s, plan, dl);
	if (!err)
		err = session__attach(s, dl);
	if (!err)
		err = session__run(s, dl);
	if (!err)
		err = session__finish(s, dl);
	running = NULL;
	session__free(s);
	return err;
}

int main(int argc, char **argv)
{
	enum { OPT_EMIT_OBJ = 256, OPT_VERSION, OPT_NOTIFY };
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, OPT_VERSION },
		{ "emit-obj", required_argument, NULL, OPT_EMIT_OBJ },
		{ "notify", no_argument, NULL, OPT_NOTIFY },
		{ NULL, 0, NULL, 0 },
	};
	struct compile_opts co = { .dump_out = stdout };
	struct session_opts so = { .fmt = OUT_TEXT };
	const char *program = NULL, *emit_obj = NULL, *out_path = NULL, *list = NULL;
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
			so.pid = (pid_t)strtol(optarg, &end, 10);
			if (*end || so.pid <= 0)
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
	if (list) {
		src = source__new("-l", list, strlen(list));
		dl = diag_list__new();
		co.src = src;
		rc = compile_list(&co, stdout, dl) ? 1 : 0;
		diag_list__render(dl, src, stderr);
		diag_list__free(dl);
		source__free(src);
		return rc;
	}
	if (program) {
		src = source__new("-e", program, strlen(program));
	} else if (optind < argc) {
		src = source__read(argv[optind]);
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
	if (out_path && mode == RECORD) {
		so.record = fopen(out_path, "wb");
		if (!so.record) {
			fprintf(stderr, "hotspan: cannot write %s: %s\n", out_path, strerror(errno));
			goto out_src;
		}
	} else if (out_path) {
		so.out = fopen(out_path, "w");
		if (!so.out) {
			fprintf(stderr, "hotspan: cannot write %s: %s\n", out_path, strerror(errno));
			goto out_src;
		}
	}
	/* What is left after the script: $1, $2 ... */
	co.params = argv + optind;
	co.nparams = argc - optind;
	dl = diag_list__new();
	co.src = src;
	co.check_only = mode == REPLAY;
	if (mode != REPLAY && !co.dump && !emit_obj) {
		rc = run(&co, &so, dl) ? 1 : 0;
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
	rc = replay(plan, trace, &so, dl) ? 1 : 0;
	plan__free(plan);
out_diag:
	diag_list__render(dl, src, stderr);
	diag_list__free(dl);
	if (so.out)
		fclose(so.out);
	if (so.record)
		fclose(so.record);
out_src:
	source__free(src);
	return rc;
}
