// SPDX-License-Identifier: MIT
/*
 * The life of a session. Load: libbpf opens the object from memory and loads
 * it; its messages are caught rather than printed, so a verifier rejection
 * becomes a diagnostic that names the script line of the program. Attach:
 * with -c the command is forked first and held on a pipe before exec, so
 * probes limited to its pid are in place before it runs its own code.
 * Run: the events ring buffer is polled in short slices, between which the
 * stop flag, the -c child and the -p process are checked. Records are acted
 * on in ring order: printf text, print(), clear() and zero() of maps, exit.
 * As in bpftrace, once exit() or a signal asked to stop, the rest of those
 * records is dropped until END runs. Finish: the probes but END are
 * detached, END runs, the ring buffer is drained and the maps are printed.
 */
#include "runtime/session.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
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
	libbpf_set_print(capture_libbpf);
	return s;
}

static void end_child(struct session *s)
{
	if (s->child_go >= 0)
		close(s->child_go);	/* a held child exits when the pipe closes */
	if (s->child_err >= 0)
		close(s->child_err);
	s->child_go = s->child_err = -1;
	if (s->child > 0) {
		if (waitpid(s->child, &s->child_status, WNOHANG) == 0) {
			kill(s->child, SIGTERM);
			waitpid(s->child, &s->child_status, 0);
		}
		s->child = 0;
	}
}

void session__free(struct session *s)
{
	if (!s)
		return;
	attach_set__free(s->links);
	ring_buffer__free(s->rb);
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
	return 0;
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
		err = heat_set__record_to(s->heat, s->opts.record);
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
		char c;
		int e;

		close(go[1]);
		close(errp[0]);
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
		waitpid(s->child, &s->child_status, 0);
		s->child = 0;
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
	if (s->opts.cmd) {
		err = spawn_child(s, dl);
		if (err)
			return err;
		pid = s->child;
	}
	s->pid = pid;
	s->links = attach_set__new(plan->nprobes);
	if (!s->links)
		return -ENOMEM;
	/* A failed start costs only time: the probes are attached once loaded. */
	attach_set__start(s->links, plan, pid);
	return 0;
}

int session__attach(struct session *s, struct diag_list *dl)
{
	size_t failed = 0;
	int err = session__begin(s, s->plan, dl);

	if (err)
		return err;
	print_attaching(s);
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
	if (!err)
		err = attach_set__fill(s->links, s->plan, s->obj, &failed);
	if (err) {
		const struct plan_probe *p = &s->plan->probes[failed];

		diag_add(dl, DIAG_ERROR, &p->loc, "cannot attach %s: %s", p->spec, strerror(-err));
		hint_limit(err, dl);
		return err;
	}
	provider_special_fire(PROBE_BEGIN);
	if (s->rb)
		ring_buffer__consume(s->rb);
	fflush(s->opts.out);
	if (s->opts.notify) {
		/* Asked for by tests and scripts that drive the target afterwards. */
		size_t n = attach_set__count(s->links);

		fprintf(stderr, "hotspan: attached %zu probe%s\n", n, n == 1 ? "" : "s");
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

static uint64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static bool target_gone(struct session *s)
{
	if (s->child > 0 && waitpid(s->child, &s->child_status, WNOHANG) == s->child) {
		s->child = 0;
		return true;
	}
	if (s->opts.pid && kill(s->opts.pid, 0) && errno == ESRCH)
		return true;
	return false;
}

int session__run(struct session *s, struct diag_list *dl)
{
	while (!s->stop) {
		int n = s->rb ? ring_buffer__poll(s->rb, POLL_MS) : (usleep(POLL_MS * 1000), 0);

		if (n < 0 && n != -EINTR) {
			diag_add(dl, DIAG_ERROR, NULL, "reading events failed: %s", strerror(-n));
			return n;
		}
		if (n > 0)
			fflush(s->opts.out);
		if (heat_set__count(s->heat)) {
			collect_lost(s);
			heat_set__tick(s->heat, monotonic_ns());
		}
		if (target_gone(s))
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

int session__finish(struct session *s, struct diag_list *dl)
{
	int err;

	/* Detach before END and printing, as bpftrace does, so the counts stand
	 * still; then what the probes sent before that (after exit() or a
	 * signal, only heat counts), so that nothing of theirs follows END.
	 * Timers go first: removing a uprobe can wait for a grace period, time
	 * enough for one more tick after exit(). */
	for (int timers = 1; timers >= 0; timers--) {
		for (size_t i = 0; i < attach_set__count(s->links); i++) {
			enum probe_kind kind = s->plan->probes[i].kind;

			if (kind != PROBE_END && (kind == PROBE_INTERVAL) == timers)
				attach_set__detach(s->links, i);
		}
	}
	if (s->rb)
		ring_buffer__consume(s->rb);
	s->ending = true;
	provider_special_fire(PROBE_END);
	if (s->rb)
		ring_buffer__consume(s->rb);
	attach_set__clear(s->links);
	fputs("\n\n", s->opts.out);
	err = s->maps ? mapout__print_all(s->maps) : -ENOENT;
	if (err)
		diag_add(dl, DIAG_ERROR, NULL, "reading maps failed: %s", strerror(-err));
	report_full(s, dl);
	if (heat_set__count(s->heat)) {
		collect_lost(s);
		heat_set__finish(s->heat);
	}
	return err;
}
