// SPDX-License-Identifier: MIT
/*
 * Running programs from tests: the hotspan binary, Go test programs and
 * bpftrace, with their output captured and lines awaited with a timeout.
 */
#ifndef HOTSPAN_TEST_PROC_H
#define HOTSPAN_TEST_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct proc {
	pid_t pid;
	int in, out, err;	/* our ends of its stdin, stdout, stderr */
	char *out_buf, *err_buf;	/* everything read so far */
	size_t out_len, err_len;
};

struct proc_result {
	int status;		/* exit status, or 128 + signal */
	char *out;
	char *err;
};

/* Starts argv with piped stdin, stdout and stderr, in a process group of its
 * own. If the test ends before proc_finish() (an assertion failed), the group
 * is killed when the test process exits; if the test process dies, the child
 * gets SIGKILL. 0 or -errno. */
int proc_start(struct proc *p, const char *const argv[]);
/* Reads until `needle` appears in stdout (or stderr when from_err). */
bool proc_wait_for(struct proc *p, const char *needle, bool from_err, int timeout_ms);
int proc_write(struct proc *p, const char *text);
/* Closes stdin, reads everything, waits; r gets status and output. */
int proc_finish(struct proc *p, struct proc_result *r, int timeout_ms);
/* The caller reaped p's child itself (wait4(2) for its resource use): it is
 * no longer killed at exit, and its slot among the 64 children is free. */
void proc_reaped(const struct proc *p);
/* proc_start, write input (may be NULL), proc_finish. */
int proc_run(const char *const argv[], const char *input, struct proc_result *r);
void proc_result_free(struct proc_result *r);

/* mkstemp(3) and mkdtemp(3), and the file or folder (with what it holds) is
 * removed when the test process exits, whether the test passed or not. */
int proc_mkstemp(char *template);
char *proc_mkdtemp(char *template);

/* Removes from text (in place) every line that starts with prefix: what
 * hotspan adds to bpftrace's output, as its `{"type": "cost"` line in JSON,
 * before the two are compared. */
void proc_drop_lines(char *text, const char *prefix);

/* Copies the executable src into a new directory made from dir_template
 * (mkdtemp's XXXXXX), as dir/basename(src); path gets the copy's path. The
 * directory goes at exit, as proc_mkdtemp's. 0, or -1 with errno. */
int proc_copy_exec(const char *src, char *dir_template, char *path, size_t path_len);

/* Why BPF tests cannot run here (not root, no BTF, no uprobes), or NULL. */
const char *proc_bpf_missing(void);

#endif
