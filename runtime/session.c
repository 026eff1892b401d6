// SPDX-License-Identifier: MIT
/*
 * The life of a session. Load: libbpf opens the object from memory and loads
 * it; its messages are caught rather than printed, so a verifier rejection
 * becomes a diagnostic that names the script line of the program. Attach:
 * with -c the command is forked first and held on a pipe before exec, so
 * probes limited to its pid are in place before it runs its own code.
 * Run: one epoll set waits on the events ring buffer, a signal descriptor
 * for the signals that stop the session and a pidfd of the traced process,
 * which becomes readable when the process ends, a zombie included (kill(pid,
 * 0) succeeds on a zombie whose parent does not reap it). Records are
 * consumed in batches of BATCH: a producer faster than the consumer (heat
 * records printed a window at a time in JSON) keeps the ring full, and
 * libbpf's consume returns only when the ring is empty, so between batches
 * the loop looks at the other descriptors and a stop is seen within one
 * batch under any load. Records are acted on in ring order: printf text,
 * print(), clear() and zero() of maps, exit. As in bpftrace, once exit() or
 * a signal asked to stop, the rest of those records is dropped until END
 * runs. Finish: the probes but END are detached, END runs, the ring buffer
 * is drained and the maps are printed, then what watching cost the target.
 *
 * Cost. Every uprobe hit is counted by the dispatcher (probes/dispatch.c)
 * and costs the thread that takes it a trap, measured at the start for the
 * two kinds of site (probes/trapcost.c): events x that cost is the time
 * added to the traced process, compared with the CPU time it had meanwhile
 * (/proc/PID/stat, or the -c child's rusage). With --budget the uprobes of
 * the traced process are detached and attached again in slices so that this
 * share stays under the budget: after an attached slice, the time detached
 * is what brings the share back under it at the process's CPU rate; an
 * attached slice is sized from the cost rate of the last one to add about
 * BUDGET_CYCLE_MS x budget. What a budgeted run prints is then a sample,
 * and says so with the share of time attached.
 */
#include "runtime/session.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <wordexp.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "bpf-lib/hotspan.bpf.h"
#include "probes/attach.h"
#include "runtime/heat.h"
#include "output/printf.h"
#include "probes/provider.h"
#include "output/ustack.h"

#define POLL_MS 100
#define BATCH 4096		/* ring buffer records between looks at the rest */
#define BATCH_FULL (-EAGAIN)	/* on_event's way to end a batch */
#define PROGRESS_MS 250		/* a wait that may be long reports this often */
#define BUDGET_FIRST_MS 400	/* the first attached slice: this x budget */
#define BUDGET_CHECK_MS 100	/* how often an attached run within budget looks again */
#define BUDGET_CYCLE_MS 1000	/* an attached slice adds about this x budget */
#define BUDGET_MIN_ON_MS 20
#define BUDGET_MAX_OFF_MS 10000
#define MEASURE_MIN_SYS_MS 10	/* a clock tick: the process's system time is read in these */
#define STATS_WINDOW_MS 20	/* BPF statistics: windows this long... */
#define STATS_RUNS 200		/* ... of this many runs or more */
#define STATS_WINDOWS 10
#define STATS_MAX_MS 3000	/* ... for no longer than this */

struct session {
	struct plan *plan;
	struct session_opts opts;
	struct bpf_object *obj;
	struct attach_set *links;	/* link i is plan probe i's */
	struct ring_buffer *rb;
	struct heat_set *heat;
	struct mapout *maps;
	struct mapfmt_style style;
	struct ustack *ustack;	/* symbolises ustack keys, or NULL */
	bool ending;		/* END runs: its records count again after a stop */
	int lost_fd;		/* per-CPU counts of heat records the ring buffer dropped */
	int full_fd;		/* per-CPU counts of updates full hash maps dropped */
	uint64_t *lost_seen;	/* by plan map: already passed to the engines */
	uint64_t *lost_slots;	/* one lookup's per-CPU values */
	int ncpus;
	pid_t child;
	int child_go;		/* write end of the pipe that releases the child */
	int child_err;		/* read end: the child's exec errno, if exec failed */
	int child_status;
	pid_t pid;		/* the process traced: -p, the -c child, or -1 for all */
	volatile sig_atomic_t stop;
	int sig_fd;		/* signalfd of opts.stop_signals, or -1 */
	int pid_fd;		/* pidfd of the traced process, or -1 */
	int ep;			/* epoll of the ring buffer, sig_fd and pid_fd */
	size_t batch;		/* records of the current batch */
	bool draining;		/* consume all, stop or not */
	/* what watching costs */
	uint64_t *hits;		/* by plan probe, from the dispatchers */
	uint64_t watch_start;	/* monotonic ns: probes attached */
	uint64_t watch_end;
	uint64_t cpu_start;	/* the traced process's CPU time then, ns */
	uint64_t cpu_last;	/* ... the last time it was read */
	bool cpu_known;
	bool child_reaped;	/* the -c child's rusage is in child_cpu */
	uint64_t child_cpu;
	/* --budget */
	bool paused;		/* the traced uprobes are detached */
	unsigned pauses;
	uint64_t switch_at;	/* monotonic ns of the next pause or resume */
	uint64_t on_since;	/* the last resume */
	uint64_t on_total;	/* ns attached in all */
	uint64_t events_at_resume;	/* traced events by then */
	double on_rate;		/* target ns added a ns in the last attached slice */
	/* the process's system time, attached and detached (measure_hit_ns) */
	bool sys_known;
	uint64_t sys_at, sys_wall_at, hits_at;
	uint64_t on_sys, on_wall, on_hits, off_sys, off_wall;
	double hit_ns_seen;	/* what a hit cost by that measure, or 0 */
	/* BPF statistics, on for a moment to learn what the programs add to a
	 * hit: the dispatchers' run time and runs when they were turned on */
	int stats_fd;
	uint64_t stats_ns, stats_runs, stats_since, stats_start;
	unsigned stats_windows;
	double bpf_ns;		/* BPF time of an event, once sampled */
};

/* libbpf's messages while loading: kept for the diagnostic, never printed. */
static char *libbpf_log;
static size_t libbpf_log_len;
static FILE *libbpf_log_f;

static int capture_libbpf(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (libbpf_log_f && level != LIBBPF_DEBUG)
		vfprintf(libbpf_log_f, fmt, ap);
	return 0;
}

struct session *session__new(const struct session_opts *opts)
{
	struct session *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->opts = *opts;
	if (!s->opts.out)
		s->opts.out = stdout;
	s->child_go = s->child_err = -1;
	s->lost_fd = s->full_fd = -1;
	s->sig_fd = s->pid_fd = s->ep = s->stats_fd = -1;
	libbpf_set_print(capture_libbpf);
	return s;
}

/* Reaps the -c child if it ended (or, with hang, waits for it), keeping
 * its CPU time. True once reaped. */
static bool reap_child(struct session *s, bool hang)
{
	struct rusage ru;

	if (s->child <= 0)
		return true;
	if (wait4(s->child, &s->child_status, hang ? 0 : WNOHANG, &ru) != s->child)
		return false;
	s->child = 0;
	s->child_reaped = true;
	s->child_cpu = (uint64_t)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000000ull +
		       (uint64_t)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1000ull;
	return true;
}

static void end_child(struct session *s)
{
	if (s->child_go >= 0)
		close(s->child_go);	/* a held child exits when the pipe closes */
	if (s->child_err >= 0)
		close(s->child_err);
	s->child_go = s->child_err = -1;
	if (s->child > 0 && !reap_child(s, false)) {
		kill(s->child, SIGTERM);
		reap_child(s, true);
	}
}

void session__free(struct session *s)
{
	if (!s)
		return;
	attach_set__free(s->links);
	ring_buffer__free(s->rb);
	if (s->ep >= 0)
		close(s->ep);
	if (s->sig_fd >= 0)
		close(s->sig_fd);
	if (s->pid_fd >= 0)
		close(s->pid_fd);
	if (s->stats_fd >= 0)
		close(s->stats_fd);
	free(s->hits);
	mapout__free(s->maps);
	ustack__free(s->ustack);
	heat_set__free(s->heat);
	free(s->lost_seen);
	free(s->lost_slots);
	bpf_object__close(s->obj);
	end_child(s);
	plan__free(s->plan);
	free(s);
}

void session_test_stop(const char *stage)
{
	const char *at = getenv("HOTSPAN_TEST_STOP_AT");

	if (at && !strcmp(at, stage))
		raise(SIGSTOP);
}

void session__set_output(struct session *s, FILE *out, FILE *record)
{
	if (out)
		s->opts.out = out;
	if (record)
		s->opts.record = record;
}

void session__stop(struct session *s)
{
	s->stop = 1;
}

/* The last `max` lines of the verifier's log, from libbpf's messages. */
static void add_verifier_lines(struct diag_list *dl, const char *log, int max)
{
	const char *begin = strstr(log, "-- BEGIN PROG LOAD LOG --");
	const char *end = begin ? strstr(begin, "-- END PROG LOAD LOG --") : NULL;
	const char *p;
	int lines = 0;

	if (!begin || !end)
		return;
	begin = strchr(begin, '\n') + 1;
	for (p = end; p > begin && lines <= max; p--)
		if (p[-1] == '\n')
			lines++;
	if (p > begin)
		p = strchr(p, '\n') + 1;
	while (p < end) {
		const char *nl = memchr(p, '\n', end - p);
		int len = (int)((nl ? nl : end) - p);

		if (len)
			diag_add(dl, DIAG_NOTE, NULL, "verifier: %.*s", len, p);
		p = nl ? nl + 1 : end;
	}
}

static const struct plan_probe *probe_of_prog(const struct session *s, const char *prog)
{
	for (size_t i = 0; i < s->plan->nprobes; i++)
		if (!strcmp(s->plan->probes[i].prog, prog))
			return &s->plan->probes[i];
	return NULL;
}

/* Limits of the process, not faults of the program: what to raise, as a hint. */
static bool hint_limit(int err, struct diag_list *dl)
{
	struct rlimit rl;

	if (err == -EMFILE && !getrlimit(RLIMIT_NOFILE, &rl)) {
		diag_hint(dl, "every program, map and probe takes a file descriptor: raise the "
			  "limit of %llu (ulimit -n)", (unsigned long long)rl.rlim_cur);
		return true;
	}
	if (err == -ENFILE) {
		diag_hint(dl, "the system's table of open files is full (fs.file-max)");
		return true;
	}
	return false;
}

static void explain_load_error(struct session *s, int err, struct diag_list *dl)
{
	const struct plan_probe *p = NULL;
	const char *name;
	struct bpf_program *prog;

	/* Out of descriptors: libbpf names the program it was loading, but the
	 * verifier never saw it. */
	if (err == -EMFILE || err == -ENFILE) {
		diag_add(dl, DIAG_ERROR, NULL, "out of file descriptors loading %zu programs: %s",
			 s->plan->nprobes, strerror(-err));
		hint_limit(err, dl);
		return;
	}
	/* The verifier also says EACCES; only without its log is it privilege. */
	if ((err == -EPERM || err == -EACCES) &&
	    !(libbpf_log && strstr(libbpf_log, "-- BEGIN PROG LOAD LOG --"))) {
		diag_add(dl, DIAG_ERROR, NULL,
			 "permission denied loading BPF programs: run hotspan as root "
			 "(it needs CAP_BPF, CAP_PERFMON and CAP_SYS_RESOURCE)");
		return;
	}
	/* libbpf names the failing program in "prog 'pN': ..." lines. */
	bpf_object__for_each_program(prog, s->obj) {
		char pat[64];

		name = bpf_program__name(prog);
		snprintf(pat, sizeof(pat), "prog '%s'", name);
		if (libbpf_log && strstr(libbpf_log, pat)) {
			p = probe_of_prog(s, name);
			break;
		}
	}
	if (p)
		diag_add(dl, DIAG_ERROR, &p->loc,
			 "the kernel's verifier rejected the program of %s: %s", p->spec,
			 strerror(-err));
	else
		diag_add(dl, DIAG_ERROR, NULL, "loading the BPF object failed: %s",
			 strerror(-err));
	if (libbpf_log)
		add_verifier_lines(dl, libbpf_log, 8);
}

/* printf(): the text as bpftrace prints it, or a JSON "printf" object. */
static void print_printf(struct session *s, const void *data, size_t size)
{
	const struct hs_printf_record *r = data;
	size_t head = offsetof(struct hs_printf_record, args);
	char *text;

	if (size < head || r->id >= s->plan->nprintfs)
		return;
	text = printf_render(&s->style, &s->plan->printfs[r->id], r->args, size - head);
	if (!text)
		return;
	if (s->opts.fmt == OUT_JSON) {
		fputs("{\"type\": \"printf\", \"data\": \"", s->opts.out);
		mapfmt_json_escape(text, strlen(text), s->opts.out);
		fputs("\"}\n", s->opts.out);
	} else {
		fputs(text, s->opts.out);
	}
	free(text);
}

static void map_action(struct session *s, unsigned kind, const struct hs_map_record *r)
{
	if (!s->maps)
		return;
	if (kind == HS_EVENT_PRINT)
		mapout__print(s->maps, r->map, r->top, r->div);
	else if (kind == HS_EVENT_CLEAR)
		mapout__clear(s->maps, r->map);
	else
		mapout__zero(s->maps, r->map);
}

static int on_event(void *ctx, void *data, size_t size)
{
	struct session *s = ctx;
	const struct hs_event_hdr *h = data;
	bool dropped = s->stop && !s->ending;

	s->batch++;
	if (size < sizeof(*h))
		return 0;
	switch (h->kind) {
	case HS_EVENT_EXIT:
		s->stop = 1;
		break;
	case HS_EVENT_HEAT:
		if (size >= sizeof(struct hs_heat_record))
			heat_set__record(s->heat, data);
		break;
	case HS_EVENT_PRINTF:
		if (!dropped)
			print_printf(s, data, size);
		break;
	case HS_EVENT_PRINT:
	case HS_EVENT_CLEAR:
	case HS_EVENT_ZERO:
		if (!dropped && size >= sizeof(struct hs_map_record))
			map_action(s, h->kind, data);
		break;
	}
	/* The record is consumed either way; the rest waits for the loop. */
	return s->batch >= BATCH || (s->stop && !s->draining) ? BATCH_FULL : 0;
}

/* At most BATCH records. 1 when more may be waiting, 0 when the ring is
 * empty, or -errno. */
static int consume_batch(struct session *s)
{
	int n;

	if (!s->rb)
		return 0;
	s->batch = 0;
	n = ring_buffer__consume(s->rb);
	if (n == BATCH_FULL)
		return 1;
	return n < 0 ? n : 0;
}

/* Everything in the ring, once the probes that fill it are detached. */
static void drain(struct session *s)
{
	s->draining = true;
	while (consume_batch(s) > 0)
		;
	s->draining = false;
}

/* Sets the `elapsed` start, a u64 in .rodata, to now. 0 or -errno. */
static int set_start_time(struct session *s, struct diag_list *dl)
{
	const char *var = s->plan->start_var;
	const struct btf *btf = bpf_object__btf(s->obj);
	const struct btf_var_secinfo *vs;
	const struct btf_type *t;
	struct bpf_map *map, *rodata = NULL;
	struct timespec ts;
	size_t size;
	const void *init;
	void *copy;
	uint64_t now;
	int id, err;

	if (!var)
		return 0;
	bpf_object__for_each_map(map, s->obj) {
		const char *name = bpf_map__name(map);
		size_t len = strlen(name);

		if (bpf_map__is_internal(map) && len >= 7 && !strcmp(name + len - 7, ".rodata"))
			rodata = map;
	}
	id = btf ? btf__find_by_name_kind(btf, ".rodata", BTF_KIND_DATASEC) : -ENOENT;
	init = rodata ? bpf_map__initial_value(rodata, &size) : NULL;
	if (id < 0 || !init)
		goto not_found;
	t = btf__type_by_id(btf, id);
	vs = btf_var_secinfos(t);
	for (int i = 0; i < btf_vlen(t); i++, vs++) {
		const struct btf_type *v = btf__type_by_id(btf, vs->type);

		if (strcmp(btf__name_by_offset(btf, v->name_off), var) ||
		    vs->offset + sizeof(now) > size)
			continue;
		copy = malloc(size);
		if (!copy)
			return -ENOMEM;
		memcpy(copy, init, size);
		clock_gettime(CLOCK_MONOTONIC, &ts);
		now = (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
		memcpy((char *)copy + vs->offset, &now, sizeof(now));
		err = bpf_map__set_initial_value(rodata, copy, size);
		free(copy);
		if (err)
			diag_add(dl, DIAG_ERROR, NULL, "cannot set the start of elapsed: %s",
				 strerror(-err));
		return err;
	}
not_found:
	diag_add(dl, DIAG_ERROR, NULL, "the generated object has no .rodata variable %s for elapsed",
		 var);
	return -ENOENT;
}

int session__load(struct session *s, struct plan *plan, struct diag_list *dl)
{
	LIBBPF_OPTS(bpf_object_open_opts, oo, .object_name = "hotspan");
	struct bpf_map *events;
	int err;

	s->plan = plan;
	s->heat = heat_set__new(plan, s->opts.fmt, s->opts.out, false);
	s->lost_seen = calloc(plan->nmaps + 1, sizeof(*s->lost_seen));
	if (!s->heat || !s->lost_seen)
		return -ENOMEM;
	if (s->opts.record) {
		err = heat_set__record_to(s->heat, plan, s->opts.record);
		if (err) {
			diag_add(dl, DIAG_ERROR, NULL, "cannot write the trace: %s", strerror(-err));
			return err;
		}
	}
	s->obj = bpf_object__open_mem(s->plan->obj, s->plan->obj_size, &oo);
	if (!s->obj) {
		err = -errno;
		diag_add(dl, DIAG_ERROR, NULL, "libbpf cannot open the generated object: %s",
			 strerror(-err));
		hint_limit(err, dl);
		return err;
	}
	err = set_start_time(s, dl);
	if (err)
		return err;
	err = attach_prepare(s->obj, s->plan);
	if (err)
		return err;
	free(libbpf_log);
	libbpf_log = NULL;
	libbpf_log_f = open_memstream(&libbpf_log, &libbpf_log_len);
	err = bpf_object__load(s->obj);
	if (libbpf_log_f)
		fclose(libbpf_log_f);
	libbpf_log_f = NULL;
	if (err) {
		explain_load_error(s, err, dl);
		return err;
	}
	session_test_stop("loading");
	if (s->plan->lost_map || s->plan->full_map) {
		struct bpf_map *lost = s->plan->lost_map ?
			bpf_object__find_map_by_name(s->obj, s->plan->lost_map) : NULL;
		struct bpf_map *full = s->plan->full_map ?
			bpf_object__find_map_by_name(s->obj, s->plan->full_map) : NULL;

		s->ncpus = libbpf_num_possible_cpus();
		s->lost_slots = s->ncpus > 0 ? calloc(s->ncpus, sizeof(*s->lost_slots)) : NULL;
		s->lost_fd = lost && s->lost_slots ? bpf_map__fd(lost) : -1;
		s->full_fd = full && s->lost_slots ? bpf_map__fd(full) : -1;
	}
	s->style = (struct mapfmt_style){ .plan = s->plan, .fmt = s->opts.fmt, .stack_fd = -1 };
	if (s->plan->stacks_map) {
		struct bpf_map *stacks = bpf_object__find_map_by_name(s->obj, s->plan->stacks_map);

		s->style.stack_fd = stacks ? bpf_map__fd(stacks) : -1;
		/* without it, stacks print as raw addresses */
		s->ustack = ustack__new(s->plan, s->obj);
		s->style.ustack = s->ustack;
	}
	s->maps = mapout__new(&s->style, s->obj, s->opts.out);
	if (!s->maps) {
		err = -errno;
		diag_add(dl, DIAG_ERROR, NULL, "cannot read maps: %s", strerror(-err));
		hint_limit(err, dl);
		return err;
	}
	events = bpf_object__find_map_by_name(s->obj, s->plan->events_map);
	if (events) {
		s->rb = ring_buffer__new(bpf_map__fd(events), on_event, s, NULL);
		if (!s->rb) {
			err = -errno;
			diag_add(dl, DIAG_ERROR, NULL, "cannot read the events ring buffer: %s",
				 strerror(-err));
			hint_limit(err, dl);
			return err;
		}
	}
	return 0;
}

/* Forks the -c command, held before exec until release_child(). */
static int spawn_child(struct session *s, struct diag_list *dl)
{
	int go[2], errp[2];
	wordexp_t we;
	pid_t pid;

	if (wordexp(s->opts.cmd, &we, WRDE_NOCMD) || !we.we_wordc) {
		diag_add(dl, DIAG_ERROR, NULL, "cannot parse command '%s'", s->opts.cmd);
		return -EINVAL;
	}
	if (pipe2(go, O_CLOEXEC) || pipe2(errp, O_CLOEXEC)) {
		wordfree(&we);
		return -errno;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		wordfree(&we);
		return -errno;
	}
	if (pid == 0) {
		sigset_t none;
		char c;
		int e;

		close(go[1]);
		close(errp[0]);
		/* The signals hotspan waits for are blocked; the command's are not. */
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		if (read(go[0], &c, 1) != 1)
			_exit(127);
		execvp(we.we_wordv[0], we.we_wordv);
		e = errno;
		if (write(errp[1], &e, sizeof(e)) < 0)
			_exit(127);
		_exit(127);
	}
	wordfree(&we);
	close(go[0]);
	close(errp[1]);
	s->child = pid;
	s->child_go = go[1];
	s->child_err = errp[0];
	return 0;
}

static int release_child(struct session *s, struct diag_list *dl)
{
	int e = 0;
	ssize_t n;

	fflush(NULL);
	if (write(s->child_go, "g", 1) != 1)
		return -errno;
	close(s->child_go);
	s->child_go = -1;
	n = read(s->child_err, &e, sizeof(e));
	close(s->child_err);
	s->child_err = -1;
	if (n == sizeof(e)) {
		diag_add(dl, DIAG_ERROR, NULL, "cannot run '%s': %s", s->opts.cmd, strerror(e));
		reap_child(s, true);
		return -e;
	}
	return 0;
}

static void print_attaching(struct session *s)
{
	size_t n = s->plan->nprobes;

	if (s->opts.fmt == OUT_JSON)
		fprintf(s->opts.out, "{\"type\": \"attached_probes\", \"data\": {\"probes\": %zu}}\n",
			n);
	else
		fprintf(s->opts.out, "Attaching %zu probe%s...\n", n, n == 1 ? "" : "s");
	fflush(s->opts.out);
}

static uint64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static int pidfd_of(pid_t pid)
{
	int fd = (int)syscall(SYS_pidfd_open, pid, 0);

	return fd < 0 ? -errno : fd;
}

/* The epoll set the loop waits on, and what goes in it. 0 or -errno. */
static int watch_fds(struct session *s)
{
	struct epoll_event ev = { .events = EPOLLIN };

	s->ep = epoll_create1(EPOLL_CLOEXEC);
	if (s->ep < 0)
		return -errno;
	if (s->opts.stop_signals) {
		s->sig_fd = signalfd(-1, s->opts.stop_signals, SFD_CLOEXEC | SFD_NONBLOCK);
		if (s->sig_fd < 0)
			return -errno;
		ev.data.fd = s->sig_fd;
		if (epoll_ctl(s->ep, EPOLL_CTL_ADD, s->sig_fd, &ev))
			return -errno;
	}
	if (s->pid > 0) {
		/* The target may be gone already: then there is nothing to wait for. */
		s->pid_fd = pidfd_of(s->pid);
		ev.data.fd = s->pid_fd;
		if (s->pid_fd >= 0 && epoll_ctl(s->ep, EPOLL_CTL_ADD, s->pid_fd, &ev))
			return -errno;
	}
	return 0;
}

int session__begin(struct session *s, const struct plan *plan, struct diag_list *dl)
{
	pid_t pid = s->opts.pid ? s->opts.pid : -1;
	int err;

	if (s->links)
		return 0;
	if (s->opts.pid && kill(s->opts.pid, 0) && errno == ESRCH) {
		diag_add(dl, DIAG_ERROR, NULL, "no process with pid %d", (int)s->opts.pid);
		return -ESRCH;
	}
	if (s->opts.budget > 0 && !s->opts.pid && !s->opts.cmd) {
		diag_add(dl, DIAG_ERROR, NULL,
			 "--budget needs the process it protects: -p PID or -c CMD");
		return -EINVAL;
	}
	if (s->opts.cmd) {
		err = spawn_child(s, dl);
		if (err)
			return err;
		pid = s->child;
	}
	s->pid = pid;
	err = watch_fds(s);
	if (err) {
		diag_add(dl, DIAG_ERROR, NULL, "cannot wait for signals and the process: %s",
			 strerror(-err));
		return err;
	}
	s->links = attach_set__new(plan, pid);
	if (!s->links)
		return -ENOMEM;
	/* A failed start costs only time: the probes are attached once loaded. */
	attach_set__start(s->links);
	return 0;
}

/* The CPU time of process pid so far, user and system, and the system part
 * alone (NULL when not wanted), in ns. 0 or -errno. */
static int proc_cpu_ns(pid_t pid, uint64_t *ns, uint64_t *sys)
{
	char path[64], buf[1024];
	unsigned long long utime, stime;
	const char *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -EIO;
	buf[n] = '\0';
	/* after "pid (comm) ": state and ten more fields, then utime and stime */
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
			 &utime, &stime) != 2)
		return -EIO;
	*ns = (utime + stime) * (1000000000ull / (uint64_t)sysconf(_SC_CLK_TCK));
	if (sys)
		*sys = stime * (1000000000ull / (uint64_t)sysconf(_SC_CLK_TCK));
	return 0;
}

/* The traced process's CPU time since it was first watched, ns, as well as
 * it is known. */
static uint64_t target_cpu(struct session *s)
{
	uint64_t ns;

	if (s->child_reaped)
		return s->child_cpu;	/* -c: its whole life was watched */
	if (s->pid > 0 && !proc_cpu_ns(s->pid, &ns, NULL)) {
		if (!s->cpu_known)
			s->cpu_start = s->opts.cmd ? 0 : ns;
		s->cpu_known = true;
		s->cpu_last = ns;
	}
	return s->cpu_known ? s->cpu_last - s->cpu_start : 0;
}

/* The time the traced processes' probes added to them so far, in ns, and
 * their events (NULL when not wanted). 0, or -errno when not counted. */
static int cost_now(struct session *s, double *added, uint64_t *events)
{
	double trap[TRAP_KINDS];
	uint64_t n = 0;
	int err;

	if (!s->hits)
		s->hits = calloc(s->plan->nprobes + 1, sizeof(*s->hits));
	if (!s->hits)
		return -ENOMEM;
	err = attach_set__hits(s->links, s->hits);
	if (!err)
		err = attach_set__trap_ns(s->links, trap);
	if (err)
		return err;
	*added = 0;
	for (size_t i = 0; i < s->plan->nprobes; i++) {
		if (!attach_set__traced(s->links, i))
			continue;
		*added += (double)s->hits[i] * (trap[attach_set__kind(s->links, i)] + s->bpf_ns);
		n += s->hits[i];
	}
	/* what the kernel's own accounting says a hit cost, where it is known */
	if (s->hit_ns_seen * (double)n > *added)
		*added = s->hit_ns_seen * (double)n;
	if (events)
		*events = n;
	return 0;
}

/*
 * --budget: what a hit costs the traced process by the kernel's own
 * accounting, which counts everything a hit brings into the kernel (the
 * trap, the programs, the interrupt that wakes hotspan's reader when a
 * record is sent: about 1.5 us of the 2.4 a hit of a heat program costs a
 * target here, which neither the trap's measure nor the BPF statistics
 * see). A hit runs in the process's context, as system time; the process's
 * own system time is its rate while the probes are detached. So: system
 * time while attached, less that rate over the same time, per hit. Known
 * once the probes were detached once and attached long enough to be read
 * in clock ticks (10 ms).
 */
static void measure_hit_ns(struct session *s, uint64_t now, bool ending_on)
{
	uint64_t sys, hits = 0;
	double probe_ns;

	if (s->pid <= 0 || proc_cpu_ns(s->pid, &(uint64_t){ 0 }, &sys))
		return;
	for (size_t i = 0; s->hits && i < s->plan->nprobes; i++)
		if (attach_set__traced(s->links, i))
			hits += s->hits[i];
	if (s->sys_known && sys >= s->sys_at) {
		if (ending_on) {
			s->on_sys += sys - s->sys_at;
			s->on_wall += now - s->sys_wall_at;
			s->on_hits += hits - s->hits_at;
		} else {
			s->off_sys += sys - s->sys_at;
			s->off_wall += now - s->sys_wall_at;
		}
	}
	s->sys_at = sys;
	s->sys_known = true;
	s->sys_wall_at = now;
	s->hits_at = hits;
	if (!s->off_wall || !s->on_hits)
		return;
	probe_ns = (double)s->on_sys - (double)s->off_sys / (double)s->off_wall * (double)s->on_wall;
	if (probe_ns >= 2 * MEASURE_MIN_SYS_MS * 1e6)
		s->hit_ns_seen = probe_ns / (double)s->on_hits;
}

/* Turns the kernel's BPF statistics on (the fd form: off again when it is
 * closed, or if hotspan dies) for a few windows of STATS_WINDOW_MS. */
static void start_bpf_stats(struct session *s)
{
	bool traced = false;

	for (size_t i = 0; i < s->plan->nprobes; i++)
		traced |= attach_set__traced(s->links, i);
	if (!traced)
		return;
	s->stats_fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
	if (s->stats_fd < 0 || attach_set__run_stats(s->links, &s->stats_ns, &s->stats_runs)) {
		if (s->stats_fd >= 0)
			close(s->stats_fd);
		s->stats_fd = -1;
		return;
	}
	s->stats_since = s->stats_start = monotonic_ns();
}

/*
 * The BPF time of an event: the least mean of STATS_WINDOWS windows. The
 * kernel times a run by the clock, so a run during which the thread was
 * preempted counts the time away too, and on a busy machine the means of
 * windows of the same program differ threefold; the quietest window is the
 * nearest to the programs' own time. Ends the sample when it has its
 * windows or has run STATS_MAX_MS, or at once (done).
 */
static void sample_bpf_stats(struct session *s, uint64_t now, bool done)
{
	uint64_t ns, runs;

	if (s->stats_fd < 0 || (!done && now < s->stats_since + STATS_WINDOW_MS * 1000000ull) ||
	    attach_set__run_stats(s->links, &ns, &runs))
		return;
	if (runs - s->stats_runs >= STATS_RUNS || (done && runs > s->stats_runs)) {
		double mean = (double)(ns - s->stats_ns) / (double)(runs - s->stats_runs);

		if (!s->stats_windows++ || mean < s->bpf_ns)
			s->bpf_ns = mean;
		s->stats_ns = ns;
		s->stats_runs = runs;
		s->stats_since = now;
	}
	if (done || s->stats_windows >= STATS_WINDOWS ||
	    now >= s->stats_start + STATS_MAX_MS * 1000000ull) {
		close(s->stats_fd);
		s->stats_fd = -1;
	}
}

int session__attach(struct session *s, struct diag_list *dl)
{
	size_t failed = 0;
	int err = session__begin(s, s->plan, dl);

	if (err)
		return err;
	print_attaching(s);
	/* the links were started while the script compiled: they may not be made yet */
	while (!attach_set__wait_linked(s->links, PROGRESS_MS))
		diag_progress(dl, "probes attached", 0, s->plan->nprobes);
	for (size_t i = 0; i < s->plan->nprobes; i++) {
		const struct plan_probe *p = &s->plan->probes[i];
		struct bpf_program *prog;

		if (attach_set__started(s->links, i))
			continue;
		prog = bpf_object__find_program_by_name(s->obj, p->prog);
		err = prog ? attach_set__add(s->links, i, p, prog, s->pid) : -ENOENT;
		if (err) {
			failed = i;
			break;
		}
	}
	session_test_stop("attaching");
	if (!err)
		err = attach_set__fill(s->links, s->plan, s->obj, &failed);
	diag_progress(dl, "probes attached", s->plan->nprobes, s->plan->nprobes);
	if (err) {
		const struct plan_probe *p = &s->plan->probes[failed];

		diag_add(dl, DIAG_ERROR, &p->loc, "cannot attach %s: %s", p->spec, strerror(-err));
		hint_limit(err, dl);
		return err;
	}
	s->watch_start = s->on_since = monotonic_ns();
	/* a short first slice: its cost is not known yet */
	s->switch_at = s->watch_start +
		       (uint64_t)(s->opts.budget / 100 * BUDGET_FIRST_MS * 1e6) + 1000000ull;
	if (s->opts.budget > 0)
		measure_hit_ns(s, s->watch_start, true);
	target_cpu(s);
	start_bpf_stats(s);
	provider_special_fire(PROBE_BEGIN);
	drain(s);
	fflush(s->opts.out);
	if (s->opts.notify) {
		/* Asked for by tests and scripts that drive the target afterwards. */
		size_t n = attach_set__count(s->links), l = attach_set__links(s->links);

		fprintf(stderr, "hotspan: attached %zu probe%s (%zu link%s, %.1f ms)\n", n,
			n == 1 ? "" : "s", l, l == 1 ? "" : "s", attach_set__link_ms(s->links));
		fflush(stderr);
	}
	if (s->opts.cmd && !s->stop)
		return release_child(s, dl);
	return 0;
}

/* Passes new counts of dropped heat records to their engines. */
static void collect_lost(struct session *s)
{
	if (s->lost_fd < 0)
		return;
	for (unsigned i = 0; i < s->plan->nmaps; i++) {
		uint64_t sum = 0;

		if (s->plan->maps[i].agg != AGG_HEAT ||
		    bpf_map_lookup_elem(s->lost_fd, &i, s->lost_slots))
			continue;
		for (int c = 0; c < s->ncpus; c++)
			sum += s->lost_slots[c];
		if (sum > s->lost_seen[i]) {
			heat_set__lost(s->heat, i, sum - s->lost_seen[i]);
			s->lost_seen[i] = sum;
		}
	}
}

/* One siginfo from the signal descriptor: true when a stop was asked. */
static bool read_signal(struct session *s)
{
	struct signalfd_siginfo si;

	return s->sig_fd >= 0 && read(s->sig_fd, &si, sizeof(si)) == sizeof(si);
}

/* The traced process ended (its pidfd is readable): a zombie counts. */
static bool target_ended(struct session *s)
{
	struct pollfd p = { .fd = s->pid_fd, .events = POLLIN };

	if (s->pid_fd < 0)
		return s->pid > 0 && kill(s->pid, 0) && errno == ESRCH;
	return poll(&p, 1, 0) > 0;
}

/* An attached slice: long enough to cost about BUDGET_CYCLE_MS x budget at
 * the cost rate of the last one. */
static uint64_t slice_ns(const struct session *s)
{
	double rate = s->on_rate > 0 ? s->on_rate : 1;
	double ns = s->opts.budget / 100 * BUDGET_CYCLE_MS * 1e6 / rate;

	if (ns < BUDGET_MIN_ON_MS * 1e6)
		return BUDGET_MIN_ON_MS * 1000000ull;
	if (ns > BUDGET_CYCLE_MS * 1e6)
		return BUDGET_CYCLE_MS * 1000000ull;
	return (uint64_t)ns;
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/*
 * --budget: pauses or resumes the traced uprobes when it is time. The
 * budget is a bucket of credit: budget x the process's CPU time, less the
 * time its probes added. Attached, the credit drains at the cost rate;
 * detached, it fills at budget x the process's CPU rate. A slice is
 * attached once the credit pays for it, and ends when the credit is spent.
 */
static void budget_step(struct session *s, uint64_t now)
{
	double frac = s->opts.budget / 100, added, cpu, credit, cpu_rate, need, per_hit;
	uint64_t span, events;

	if (s->opts.budget <= 0 || now < s->switch_at || cost_now(s, &added, &events))
		return;
	per_hit = events ? added / (double)events : 0;
	cpu = (double)target_cpu(s);
	credit = frac * cpu - added;
	if (s->paused) {
		if (attach_set__resume(s->links)) {
			s->switch_at = now + BUDGET_CHECK_MS * 1000000ull;
			return;
		}
		measure_hit_ns(s, now, false);
		s->paused = false;
		s->on_since = now = monotonic_ns();
		heat_set__resume(s->heat, now);
		s->events_at_resume = events;
		span = s->on_rate > 0 && credit > 0 ? (uint64_t)(credit / s->on_rate) : 0;
		if (span < BUDGET_MIN_ON_MS * 1000000ull)
			span = BUDGET_MIN_ON_MS * 1000000ull;
		s->switch_at = now + min_u64(span, BUDGET_CHECK_MS * 1000000ull);
		return;
	}
	if (now > s->on_since && events > s->events_at_resume)
		s->on_rate = (double)(events - s->events_at_resume) * per_hit /
			     (double)(now - s->on_since);
	if (credit > 0) {
		/* credit left: stay attached until it is spent */
		uint64_t left = s->on_rate > 0 ? (uint64_t)(credit / s->on_rate) :
						 BUDGET_CYCLE_MS * 1000000ull;

		if (left >= 1000000ull) {
			s->switch_at = now + min_u64(left, BUDGET_CHECK_MS * 1000000ull);
			return;
		}
	}
	attach_set__pause(s->links);
	s->on_total += now - s->on_since;
	s->paused = true;
	heat_set__pause(s->heat, monotonic_ns());
	/* the hits until the uprobes were gone count as attached */
	if (!cost_now(s, &added, NULL))
		measure_hit_ns(s, monotonic_ns(), true);
	s->pauses++;
	/* what came in while the uprobes went away counts too */
	now = monotonic_ns();
	cost_now(s, &added, NULL);
	cpu = (double)target_cpu(s);
	credit = frac * cpu - added;
	cpu_rate = cpu / (double)(now - s->watch_start + 1);
	need = (s->on_rate > 0 ? s->on_rate : 1) * (double)slice_ns(s) - credit;
	span = cpu_rate > 0 ? (uint64_t)(need > 0 ? need / (frac * cpu_rate) : 0) :
			      BUDGET_MAX_OFF_MS * 1000000ull;
	s->switch_at = now + min_u64(span, BUDGET_MAX_OFF_MS * 1000000ull);
}

int session__run(struct session *s, struct diag_list *dl)
{
	uint64_t next_tick = monotonic_ns() + POLL_MS * 1000000ull;
	struct epoll_event rb_ev = { .events = EPOLLIN };

	session_test_stop("running");
	if (s->ep < 0) {
		int err = watch_fds(s);

		if (err)
			return err;
	}
	if (s->rb) {
		rb_ev.data.fd = ring_buffer__epoll_fd(s->rb);
		epoll_ctl(s->ep, EPOLL_CTL_ADD, rb_ev.data.fd, &rb_ev);	/* EEXIST: again */
	}

	while (!s->stop) {
		struct epoll_event evs[4];
		uint64_t now = monotonic_ns(), wake = next_tick;
		bool more = false;
		int n, timeout;

		if (s->opts.budget > 0 && s->switch_at < wake)
			wake = s->switch_at;
		timeout = wake > now ? (int)((wake - now + 999999) / 1000000) : 0;
		/* the ring buffer is polled here too: its descriptor is libbpf's */
		if (s->rb) {
			n = consume_batch(s);
			if (n < 0) {
				diag_add(dl, DIAG_ERROR, NULL, "reading events failed: %s",
					 strerror(-n));
				return n;
			}
			more = n > 0;
			if (s->batch)
				fflush(s->opts.out);
		}
		if (s->stop)
			break;
		n = epoll_wait(s->ep, evs, 4, more ? 0 : timeout);
		if (n < 0 && errno != EINTR) {
			n = -errno;
			diag_add(dl, DIAG_ERROR, NULL, "waiting for events failed: %s",
				 strerror(-n));
			return n;
		}
		for (int i = 0; i < n; i++) {
			if (evs[i].data.fd == s->sig_fd && read_signal(s))
				s->stop = 1;
		}
		now = monotonic_ns();
		sample_bpf_stats(s, now, false);
		if (now >= next_tick) {
			next_tick = now + POLL_MS * 1000000ull;
			if (heat_set__count(s->heat)) {
				collect_lost(s);
				heat_set__tick(s->heat, now);
			}
			target_cpu(s);
			if (s->pid_fd < 0 && target_ended(s))
				break;
		}
		budget_step(s, now);
		if (s->pid_fd >= 0 && target_ended(s))
			break;
	}
	return 0;
}

/*
 * Updates that full hash maps dropped, shown as lost events are: a warning
 * at the map's first use, and with -f json a record among the results.
 */
static void report_full(struct session *s, struct diag_list *dl)
{
	if (s->full_fd < 0)
		return;
	for (unsigned i = 0; i < s->plan->nmaps; i++) {
		const struct plan_map *pm = &s->plan->maps[i];
		uint64_t sum = 0;

		if (bpf_map_lookup_elem(s->full_fd, &i, s->lost_slots))
			continue;
		for (int c = 0; c < s->ncpus; c++)
			sum += s->lost_slots[c];
		if (!sum)
			continue;
		diag_add(dl, DIAG_WARNING, &pm->loc, "map %s was full: %llu updates of keys beyond "
			 "its %u were dropped", pm->name, (unsigned long long)sum,
			 pm->max_entries);
		if (s->opts.fmt == OUT_JSON)
			fprintf(s->opts.out, "{\"type\": \"map_full\", \"data\": {\"map\": \"%s\", "
				"\"dropped\": %llu, \"max_entries\": %u}}\n", pm->name,
				(unsigned long long)sum, pm->max_entries);
	}
}

struct detach_job {
	struct attach_set *links;
	void (*fn)(struct attach_set *as);
	int done_fd;
};

static void *detach_thread(void *arg)
{
	struct detach_job *job = arg;
	uint64_t one = 1;

	job->fn(job->links);
	if (write(job->done_fd, &one, sizeof(one)) < 0)
		return NULL;
	return NULL;
}

/*
 * Runs fn on the links, in a thread so that a stop asked for meanwhile is
 * answered with what hotspan waits for: removing a uprobe cannot be cut
 * short (hotspan's exit would wait for the same), and nothing may stay
 * attached.
 */
static void detach(struct session *s, void (*fn)(struct attach_set *as), struct diag_list *dl)
{
	size_t n = attach_set__count(s->links), l = attach_set__links(s->links);
	struct detach_job job = { .links = s->links, .fn = fn };
	pthread_t t;

	if (!l)
		return;
	job.done_fd = eventfd(0, EFD_CLOEXEC);
	if (job.done_fd < 0 || pthread_create(&t, NULL, detach_thread, &job)) {
		fn(s->links);
	} else {
		for (;;) {
			struct pollfd fds[2] = { { .fd = job.done_fd, .events = POLLIN },
						 { .fd = s->sig_fd, .events = POLLIN } };

			int r = poll(fds, s->sig_fd >= 0 ? 2 : 1, PROGRESS_MS);

			if (r < 0 && errno != EINTR)
				break;
			if (fds[0].revents)
				break;
			if (!r)
				diag_progress(dl, "probes detached", 0, n);
			if (fds[1].revents && read_signal(s) && s->opts.waiting) {
				char what[256];

				snprintf(what, sizeof(what),
					 "still detaching %zu probe%s (%zu link%s): the kernel "
					 "removes each uprobe, then waits for a grace period; "
					 "hotspan ends once nothing is left attached",
					 n, n == 1 ? "" : "s", l, l == 1 ? "" : "s");
				s->opts.waiting(s->opts.waiting_ctx, what);
			}
		}
		pthread_join(t, NULL);
	}
	if (job.done_fd >= 0)
		close(job.done_fd);
	diag_progress(dl, "probes detached", n, n);
}

/* 1234567 as "1.2 M". */
static void human_count(char *buf, size_t size, uint64_t n)
{
	if (n < 10000)
		snprintf(buf, size, "%" PRIu64, n);
	else if (n < 1000000)
		snprintf(buf, size, "%.1f k", n / 1e3);
	else if (n < 1000000000)
		snprintf(buf, size, "%.1f M", n / 1e6);
	else
		snprintf(buf, size, "%.1f G", n / 1e9);
}

static void human_ns(char *buf, size_t size, double ns)
{
	if (ns < 1e6)
		snprintf(buf, size, "%.0f us", ns / 1e3);
	else if (ns < 1e9)
		snprintf(buf, size, "%.0f ms", ns / 1e6);
	else
		snprintf(buf, size, "%.1f s", ns / 1e9);
}

/* Events by probe name (the sites of one attach point are one probe), most
 * first. */
struct probe_events {
	const char *name;
	uint64_t events;
};

static int by_events(const void *a, const void *b)
{
	const struct probe_events *x = a, *y = b;

	if (x->events != y->events)
		return x->events > y->events ? -1 : 1;
	return strcmp(x->name, y->name);
}

static size_t events_by_probe(struct session *s, struct probe_events *pe)
{
	size_t n = 0;

	for (size_t i = 0; i < s->plan->nprobes; i++) {
		const char *name = s->plan->probes[i].name ? s->plan->probes[i].name :
							    s->plan->probes[i].spec;
		size_t k;

		if (!attach_set__traced(s->links, i))
			continue;
		for (k = 0; k < n && strcmp(pe[k].name, name); k++)
			;
		if (k == n)
			pe[n++] = (struct probe_events){ .name = name };
		pe[k].events += s->hits[i];
	}
	qsort(pe, n, sizeof(*pe), by_events);
	while (n && !pe[n - 1].events)
		n--;
	return n;
}

/* The share of the run the traced uprobes were attached, under a budget
 * that detached them at least once; else 0. */
static double sampled_ratio(const struct session *s)
{
	uint64_t total = s->watch_end - s->watch_start;

	if (s->opts.budget <= 0 || !s->pauses || !total)
		return 0;
	return (double)s->on_total / (double)total;
}

/* What watching cost the traced processes: on stderr in text, a "cost"
 * object in JSON. */
static void print_cost(struct session *s)
{
	double trap[TRAP_KINDS], added = 0, ratio = sampled_ratio(s);
	bool measured = !attach_set__trap_ns(s->links, trap);
	uint64_t events = 0, cpu = target_cpu(s);
	struct probe_events *pe;
	size_t npe;
	bool any = false;

	for (size_t i = 0; i < s->plan->nprobes; i++)
		any |= attach_set__traced(s->links, i);
	if (!any || cost_now(s, &added, &events) == -ENODATA) {
		if (!any || !measured)
			return;
	}
	if (!s->hits)
		return;
	pe = calloc(s->plan->nprobes + 1, sizeof(*pe));
	if (!pe)
		return;
	npe = events_by_probe(s, pe);
	if (s->opts.fmt == OUT_JSON) {
		FILE *o = s->opts.out;

		fprintf(o, "{\"type\": \"cost\", \"data\": {\"events\": %" PRIu64, events);
		if (measured)
			fprintf(o, ", \"added_ns\": %.0f, \"hit_ns\": {\"emulated\": %.0f, "
				   "\"stepped\": %.0f}, \"bpf_ns\": %.0f", added,
				trap[TRAP_EMULATED], trap[TRAP_STEPPED], s->bpf_ns);
		if (s->pid > 0)
			fprintf(o, ", \"pid\": %d", (int)s->pid);
		if (cpu) {
			fprintf(o, ", \"cpu_ns\": %" PRIu64, cpu);
			if (measured)
				fprintf(o, ", \"share\": %.4f", added / (double)cpu);
		}
		if (ratio > 0)
			fprintf(o, ", \"budget\": %g, \"sampled\": %.4f", s->opts.budget, ratio);
		fputs(", \"probes\": [", o);
		for (size_t k = 0; k < npe; k++) {
			fputs(k ? ", {\"probe\": \"" : "{\"probe\": \"", o);
			mapfmt_json_escape(pe[k].name, strlen(pe[k].name), o);
			fprintf(o, "\", \"events\": %" PRIu64 "}", pe[k].events);
		}
		fputs("]}}\n", o);
		fflush(o);
	} else {
		char num[32], t[32];

		human_count(num, sizeof(num), events);
		fprintf(stderr, "hotspan: %s event%s", num, events == 1 ? "" : "s");
		if (!events) {
			fputc('\n', stderr);
		} else if (!measured) {
			fputs(" (what a hit costs could not be measured)\n", stderr);
		} else {
			human_ns(t, sizeof(t), added);
			fprintf(stderr, ", about %s added to ", t);
			if (s->pid > 0)
				fprintf(stderr, "pid %d", (int)s->pid);
			else
				fputs("the traced processes", stderr);
			if (cpu)
				fprintf(stderr, " (%.1f%% of its run)", 100 * added / (double)cpu);
			if (ratio > 0)
				fprintf(stderr, "; --budget %g%%: probes attached %.1f%% of the time",
					s->opts.budget, 100 * ratio);
			fputc('\n', stderr);
		}
		for (size_t k = 0; npe > 1 && k < npe && k < 5; k++) {
			human_count(num, sizeof(num), pe[k].events);
			fprintf(stderr, "hotspan: %10s  %s\n", num, pe[k].name);
		}
		if (npe > 5)
			fprintf(stderr, "hotspan: %10s  and %zu more probes\n", "", npe - 5);
	}
	free(pe);
}

/* Under a budget, the counts that follow are of sampled events: says so
 * before the maps. */
static void print_sampled(struct session *s)
{
	double ratio = sampled_ratio(s);

	if (ratio <= 0)
		return;
	if (s->opts.fmt == OUT_JSON)
		fprintf(s->opts.out,
			"{\"type\": \"sampled\", \"data\": {\"ratio\": %.4f, \"budget\": %g}}\n",
			ratio, s->opts.budget);
	else
		fprintf(s->opts.out,
			"Sampled: probes attached %.1f%% of the time (--budget %g%%); the counts "
			"below are of the sampled events.\n",
			100 * ratio, s->opts.budget);
}

int session__finish(struct session *s, struct diag_list *dl)
{
	int err;

	/* Detach before END and printing, as bpftrace does, so the counts stand
	 * still; then what the probes sent before that (after exit() or a
	 * signal, only heat counts), so that nothing of theirs follows END.
	 * Timers go first: removing a uprobe waits for a grace period, time
	 * enough for one more tick after exit(). */
	attach_set__detach_others(s->links);
	if (!s->paused)
		s->on_total += monotonic_ns() - s->on_since;
	s->watch_end = monotonic_ns();
	detach(s, attach_set__pause, dl);
	session_test_stop("detaching");
	sample_bpf_stats(s, s->watch_end, true);
	if (s->child > 0)
		reap_child(s, false);
	drain(s);
	s->ending = true;
	provider_special_fire(PROBE_END);
	drain(s);
	detach(s, attach_set__clear, dl);
	/* The heat maps' last windows belong with the windows before them,
	 * ahead of the maps; their summaries follow the maps. */
	if (heat_set__count(s->heat)) {
		collect_lost(s);
		heat_set__sampled(s->heat, sampled_ratio(s));
		heat_set__flush(s->heat);
	}
	fputs("\n\n", s->opts.out);
	print_sampled(s);
	err = s->maps ? mapout__print_all(s->maps) : -ENOENT;
	if (err)
		diag_add(dl, DIAG_ERROR, NULL, "reading maps failed: %s", strerror(-err));
	report_full(s, dl);
	if (heat_set__count(s->heat))
		heat_set__finish(s->heat);
	print_cost(s);
	return err;
}
