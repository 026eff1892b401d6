// SPDX-License-Identifier: MIT
/*
 * Files hotspan writes (-o): checked when the command line is read,
 * written to a temporary file beside them once the script has compiled,
 * and renamed into place once the run is under way, so that a run that
 * fails early leaves the old file as it was.
 */
#ifndef HOTSPAN_OUTPUT_OUTFILE_H
#define HOTSPAN_OUTPUT_OUTFILE_H

#include <stdio.h>

#include "lang/diag.h"

struct outfile;

/*
 * Checks that path can be written without harm, creating nothing: not a
 * folder, not a symbolic link to a file (name the file itself), in a
 * folder that exists. A FIFO, a terminal or another device (/dev/null,
 * /dev/stdout) is written directly. NULL with an error in dl.
 */
struct outfile *outfile__new(const char *path, struct diag_list *dl);
/* Destroys an unpublished temporary file; closes the stream. NULL is fine. */
void outfile__free(struct outfile *of);

/* -EINVAL with an error in dl when path is the same file as `input`,
 * which the run reads (`what` names it: "the trace it replays"); 0 if not,
 * or when input does not exist. */
int outfile__check_input(struct outfile *of, const char *input, const char *what,
			 struct diag_list *dl);

/* The stream to write: a new temporary file in the same folder, or the
 * device itself. NULL with an error in dl. */
FILE *outfile__open(struct outfile *of, struct diag_list *dl);

/* Renames the temporary file into place: from now on the run writes
 * there. Once only; nothing for a device. 0 or -errno with an error in dl. */
int outfile__publish(struct outfile *of, struct diag_list *dl);

/* Flushes, publishes if not done, and closes. 0 or -errno with an error in dl. */
int outfile__close(struct outfile *of, struct diag_list *dl);

#endif
