// SPDX-License-Identifier: MIT
/*
 * Process helpers for tests. Output of both pipes is gathered with poll()
 * so a chatty child can never block on a full pipe while we wait on the
 * other one.
 *
 * A test must leave nothing behind, even when an assertion ends it early
 * (Criterion then returns through exit()): an exit handler kills the process
 * group of every child not yet waited for (hotspan and the program it runs
 * under -c) and removes the temporary files and folders made here.
 * scripts/run-tests checks that nothing is left.
 */
#include "tests/lib/proc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ftw.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Children not yet waited for, and temporary paths: cleaned up at exit. */
static pid_t live[64];
static char *tmp_paths[64];

static void untrack(pid_t pid)
{
	for (size_t i = 0; i < sizeof(live) / sizeof(live[0]); i++)
		if (live[i] == pid)
			live[i] = 0;
}

void proc_reaped(const struct proc *p)
{
	untrack(p->pid);
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	remove(path);
	return 0;
}

static void cleanup_at_exit(void)
{
	for (size_t i = 0; i < sizeof(live) / sizeof(live[0]); i++) {
		if (live[i] <= 0)
			continue;
		kill(-live[i], SIGKILL);
		waitpid(live[i], NULL, 0);
		live[i] = 0;
	}
	for (size_t i = 0; i < sizeof(tmp_paths) / sizeof(tmp_paths[0]); i++) {
		if (!tmp_paths[i])
			continue;
		nftw(tmp_paths[i], remove_one, 16, FTW_DEPTH | FTW_PHYS);
		free(tmp_paths[i]);
		tmp_paths[i] = NULL;
	}
}

static void register_cleanup(void)
{
	static bool done;

	if (!done)
		atexit(cleanup_at_exit);
	done = true;
}

/* Remembers path for cleanup_at_exit(); aborts when the table is full. */
static void track_path(const char *path)
{
	register_cleanup();
	for (size_t i = 0; i < sizeof(tmp_paths) / sizeof(tmp_paths[0]); i++) {
		if (!tmp_paths[i]) {
			tmp_paths[i] = strdup(path);
			if (!tmp_paths[i])
				abort();
			return;
		}
	}
	abort();
}

int proc_mkstemp(char *template)
{
	int fd = mkstemp(template);

	if (fd >= 0)
		track_path(template);
	return fd;
}

char *proc_mkdtemp(char *template)
{
	char *dir = mkdtemp(template);

	if (dir)
		track_path(dir);
	return dir;
}

int proc_start(struct proc *p, const char *const argv[])
{
	int in[2], out[2], err[2];
	pid_t parent = getpid();
	size_t slot;

	memset(p, 0, sizeof(*p));
	register_cleanup();
	for (slot = 0; slot < sizeof(live) / sizeof(live[0]) && live[slot]; slot++)
		;
	if (slot == sizeof(live) / sizeof(live[0]))
		return -EMFILE;
	if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC))
		return -errno;
	p->pid = fork();
	if (p->pid < 0)
		return -errno;
	if (p->pid == 0) {
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(127);
		dup2(in[0], 0);
		dup2(out[1], 1);
		dup2(err[1], 2);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	setpgid(p->pid, p->pid);
	live[slot] = p->pid;
	close(in[0]);
	close(out[1]);
	close(err[1]);
	p->in = in[1];
	p->out = out[0];
	p->err = err[0];
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void append(char **buf, size_t *len, const char *data, size_t n)
{
	char *b = realloc(*buf, *len + n + 1);

	if (!b)
		abort();
	memcpy(b + *len, data, n);
	*len += n;
	b[*len] = '\0';
	*buf = b;
}

/* One round of reading whatever is ready. Returns false when both are closed. */
static bool pump(struct proc *p, int timeout_ms)
{
	struct pollfd fds[2] = { { p->out, POLLIN, 0 }, { p->err, POLLIN, 0 } };
	char chunk[4096];

	if (p->out < 0 && p->err < 0)
		return false;
	if (poll(fds, 2, timeout_ms) <= 0)
		return true;
	for (int i = 0; i < 2; i++) {
		int *fd = i ? &p->err : &p->out;
		ssize_t n;

		if (*fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
			continue;
		n = read(*fd, chunk, sizeof(chunk));
		if (n <= 0) {
			close(*fd);
			*fd = -1;
		} else if (i) {
			append(&p->err_buf, &p->err_len, chunk, n);
		} else {
			append(&p->out_buf, &p->out_len, chunk, n);
		}
	}
	return true;
}

bool proc_wait_for(struct proc *p, const char *needle, bool from_err, int timeout_ms)
{
	long end = now_ms() + timeout_ms;

	for (;;) {
		const char *buf = from_err ? p->err_buf : p->out_buf;

		if (buf && strstr(buf, needle))
			return true;
		if (now_ms() >= end || !pump(p, 50))
			return buf && strstr(buf, needle);
	}
}

int proc_write(struct proc *p, const char *text)
{
	size_t len = strlen(text);

	return write(p->in, text, len) == (ssize_t)len ? 0 : -EIO;
}

int proc_finish(struct proc *p, struct proc_result *r, int timeout_ms)
{
	long end = now_ms() + timeout_ms;
	int status;

	if (p->in >= 0)
		close(p->in);
	p->in = -1;
	while (pump(p, 50))
		if (now_ms() >= end) {
			kill(-p->pid, SIGKILL);
			end = now_ms() + 5000;
		}
	waitpid(p->pid, &status, 0);
	untrack(p->pid);
	r->status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	r->out = p->out_buf ? p->out_buf : strdup("");
	r->err = p->err_buf ? p->err_buf : strdup("");
	p->out_buf = p->err_buf = NULL;
	return 0;
}

int proc_run(const char *const argv[], const char *input, struct proc_result *r)
{
	struct proc p;
	int err = proc_start(&p, argv);

	if (err)
		return err;
	if (input)
		proc_write(&p, input);
	return proc_finish(&p, r, 120000);
}

void proc_result_free(struct proc_result *r)
{
	free(r->out);
	free(r->err);
	r->out = r->err = NULL;
}

const char *proc_bpf_missing(void)
{
	if (geteuid() != 0)
		return "needs root to load BPF programs";
	if (access("/sys/kernel/btf/vmlinux", R_OK))
		return "the kernel has no BTF (/sys/kernel/btf/vmlinux)";
	if (access("/sys/bus/event_source/devices/uprobe", R_OK))
		return "the kernel has no uprobe PMU";
	return NULL;
}

void proc_drop_lines(char *text, const char *prefix)
{
	size_t plen = strlen(prefix);
	char *in = text, *out = text;

	while (text && *in) {
		size_t n = strcspn(in, "\n");

		n += in[n] == '\n';
		if (strncmp(in, prefix, plen)) {
			memmove(out, in, n);
			out += n;
		}
		in += n;
	}
	if (text)
		*out = '\0';
}

int proc_copy_exec(const char *src, char *dir_template, char *path, size_t path_len)
{
	const char *base = strrchr(src, '/') ? strrchr(src, '/') + 1 : src;
	char buf[1 << 16];
	FILE *in, *out;
	size_t n;
	int err = 0;

	if (!proc_mkdtemp(dir_template))
		return -1;
	snprintf(path, path_len, "%s/%s", dir_template, base);
	in = fopen(src, "rb");
	out = fopen(path, "wb");
	if (!in || !out)
		err = -1;
	while (!err && (n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, out) != n)
			err = -1;
	if (in)
		fclose(in);
	if (out && fclose(out))
		err = -1;
	return err ? err : chmod(path, 0755);
}
