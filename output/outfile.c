// SPDX-License-Identifier: MIT
/*
 * Output files written safely. `-o FILE` used to truncate FILE before the
 * script compiled, so a typo emptied it; `hotspan replay t.hsr -o t.hsr`
 * emptied the trace it was to read; and fopen() followed a symbolic link
 * wherever it pointed. Now the path is only checked when the command line
 * is read; once the script has compiled the output goes to a temporary
 * file in the same folder (same file system, so rename() is atomic), which
 * replaces FILE once the run is under way (probes attached, or the trace
 * opened for replay) and the run writes on into it from there. A run that
 * fails before that removes its temporary file and leaves FILE untouched.
 * The temporary file has no name until then (O_TMPFILE, where the file
 * system has it): a run killed with SIGKILL before it leaves nothing
 * behind; the name it gets to be renamed into place lives for two system
 * calls. Elsewhere it is a named ".FILE.hotspan-XXXXXX", removed on exit.
 * The same file as an input (the script, a binary probed, the trace
 * replayed) is refused by device and inode. A symbolic link to a file is
 * refused, so that the user names the file meant; devices and FIFOs
 * (/dev/null, /dev/stdout, a pipe to a reader) are written in place.
 */
#include "output/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct outfile {
	char *path;
	char *tmp;		/* the temporary file, until published */
	bool anon;		/* the temporary file has no name (O_TMPFILE) */
	FILE *f;
	bool direct;		/* a device or a FIFO: written in place */
	bool exists;		/* path names a file now: dev and ino are its */
	dev_t dev;
	ino_t ino;
	mode_t mode;		/* of the file replaced, or the default for a new one */
};

static char *folder_of(const char *path)
{
	char *copy = strdup(path), *dir;

	if (!copy)
		return NULL;
	dir = strdup(dirname(copy));
	free(copy);
	return dir;
}

/* The folder of a new file: it must exist and let us write. */
static int check_folder(const char *path, struct diag_list *dl)
{
	char *dir = folder_of(path);
	struct stat st;
	int err = 0;

	if (!dir)
		return -ENOMEM;
	if (stat(dir, &st) || !S_ISDIR(st.st_mode)) {
		err = -ENOENT;
		diag_add(dl, DIAG_ERROR, NULL, "cannot write %s: the folder %s does not exist", path,
			 dir);
	} else if (access(dir, W_OK)) {
		err = -errno;
		diag_add(dl, DIAG_ERROR, NULL, "cannot write %s: %s", path, strerror(-err));
	}
	free(dir);
	return err;
}

struct outfile *outfile__new(const char *path, struct diag_list *dl)
{
	struct outfile *of = calloc(1, sizeof(*of));
	struct stat lst, st;
	mode_t mask;

	if (!of || !(of->path = strdup(path))) {
		free(of);
		diag_add(dl, DIAG_ERROR, NULL, "out of memory");
		return NULL;
	}
	mask = umask(0);
	umask(mask);
	of->mode = 0666 & ~mask;
	if (lstat(path, &lst)) {
		if (errno == ENOENT && !check_folder(path, dl))
			return of;
		if (errno != ENOENT)
			diag_add(dl, DIAG_ERROR, NULL, "cannot write %s: %s", path, strerror(errno));
		goto err_free;
	}
	if (S_ISLNK(lst.st_mode) && (stat(path, &st) || S_ISREG(st.st_mode))) {
		char target[PATH_MAX];
		ssize_t n = readlink(path, target, sizeof(target) - 1);

		target[n > 0 ? n : 0] = '\0';
		diag_add(dl, DIAG_ERROR, NULL, "-o %s is a symbolic link to %s: hotspan writes "
			 "no file through a link", path, n > 0 ? target : "nothing");
		diag_hint(dl, "name the file itself: -o %s", n > 0 ? target : "FILE");
		goto err_free;
	}
	if (!S_ISLNK(lst.st_mode))
		st = lst;
	if (S_ISDIR(st.st_mode)) {
		diag_add(dl, DIAG_ERROR, NULL, "cannot write %s: it is a folder", path);
		goto err_free;
	}
	of->exists = true;
	of->dev = st.st_dev;
	of->ino = st.st_ino;
	if (S_ISREG(st.st_mode))
		of->mode = st.st_mode & 07777;
	else
		of->direct = true;
	return of;

err_free:
	free(of->path);
	free(of);
	return NULL;
}

void outfile__free(struct outfile *of)
{
	if (!of)
		return;
	if (of->f)
		fclose(of->f);
	if (of->tmp)
		unlink(of->tmp);
	free(of->tmp);
	free(of->path);
	free(of);
}

int outfile__check_input(struct outfile *of, const char *input, const char *what,
			 struct diag_list *dl)
{
	struct stat st;

	if (!of->exists || !input || stat(input, &st))
		return 0;
	if (st.st_dev != of->dev || st.st_ino != of->ino)
		return 0;
	diag_add(dl, DIAG_ERROR, NULL, "-o %s is %s: writing it would destroy it", of->path,
		 what);
	return -EINVAL;
}

/* A device or FIFO: opened without waiting for a reader, then blocking. */
static FILE *open_direct(struct outfile *of, struct diag_list *dl)
{
	int fd = open(of->path, O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC), flags;
	FILE *f;

	if (fd < 0) {
		if (errno == ENXIO)
			diag_add(dl, DIAG_ERROR, NULL, "cannot write %s: no process reads it",
				 of->path);
		else
			diag_add(dl, DIAG_ERROR, NULL, "cannot write %s: %s", of->path,
				 strerror(errno));
		return NULL;
	}
	flags = fcntl(fd, F_GETFL);
	if (flags >= 0)
		fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
	f = fdopen(fd, "w");
	if (!f) {
		diag_add(dl, DIAG_ERROR, NULL, "cannot write %s: %s", of->path, strerror(errno));
		close(fd);
	}
	return f;
}

FILE *outfile__open(struct outfile *of, struct diag_list *dl)
{
	char *dir, *base, *copy;
	int fd;

	if (of->f)
		return of->f;
	if (of->direct)
		return of->f = open_direct(of, dl);
	dir = folder_of(of->path);
	copy = strdup(of->path);
	base = copy ? basename(copy) : NULL;
	/* A file with no name, if the file system makes them. */
	fd = dir ? open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, of->mode) : -1;
	if (fd >= 0) {
		fchmod(fd, of->mode);
		of->anon = true;
		of->f = fdopen(fd, "w");
		if (!of->f) {
			diag_add(dl, DIAG_ERROR, NULL, "cannot write %s: %s", of->path,
				 strerror(errno));
			close(fd);
		}
		goto out;
	}
	if (!dir || !base || asprintf(&of->tmp, "%s/.%s.hotspan-XXXXXX", dir, base) < 0) {
		of->tmp = NULL;
		diag_add(dl, DIAG_ERROR, NULL, "out of memory");
		goto out;
	}
	fd = mkostemp(of->tmp, O_CLOEXEC);
	if (fd < 0) {
		diag_add(dl, DIAG_ERROR, NULL, "cannot write %s: %s", of->path, strerror(errno));
		free(of->tmp);
		of->tmp = NULL;
		goto out;
	}
	fchmod(fd, of->mode);
	of->f = fdopen(fd, "w");
	if (!of->f) {
		diag_add(dl, DIAG_ERROR, NULL, "cannot write %s: %s", of->path, strerror(errno));
		close(fd);
	}
out:
	free(dir);
	free(copy);
	return of->f;
}

/* The nameless file gets a name beside path, to be renamed into place. */
static int name_anon(struct outfile *of)
{
	char *dir = folder_of(of->path), *copy = strdup(of->path), proc[64];
	int err = -ENOMEM;

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", of->f ? fileno(of->f) : -1);
	for (unsigned k = 0; dir && copy && k < 100; k++) {
		if (asprintf(&of->tmp, "%s/.%s.hotspan-%d-%u", dir, basename(copy),
			     (int)getpid(), k) < 0) {
			of->tmp = NULL;
			break;
		}
		/* Through /proc, or with AT_EMPTY_PATH (CAP_DAC_READ_SEARCH)
		 * where /proc is not mounted. */
		if (!linkat(AT_FDCWD, proc, AT_FDCWD, of->tmp, AT_SYMLINK_FOLLOW) ||
		    (errno == ENOENT && of->f &&
		     !linkat(fileno(of->f), "", AT_FDCWD, of->tmp, AT_EMPTY_PATH))) {
			err = 0;
			break;
		}
		err = -errno;
		free(of->tmp);
		of->tmp = NULL;
		if (err != -EEXIST)
			break;
	}
	free(dir);
	free(copy);
	return err;
}

int outfile__publish(struct outfile *of, struct diag_list *dl)
{
	int err;

	if (of->anon) {
		if (of->f)
			fflush(of->f);
		of->anon = false;
		err = name_anon(of);
		if (err) {
			diag_add(dl, DIAG_ERROR, NULL, "cannot write %s: %s", of->path,
				 strerror(-err));
			return err;
		}
	}
	if (!of->tmp)
		return 0;
	if (of->f)
		fflush(of->f);
	if (rename(of->tmp, of->path)) {
		err = -errno;
		diag_add(dl, DIAG_ERROR, NULL, "cannot write %s: %s", of->path, strerror(-err));
		return err;
	}
	free(of->tmp);
	of->tmp = NULL;
	return 0;
}

int outfile__close(struct outfile *of, struct diag_list *dl)
{
	int err = 0;

	if (of->f && (fflush(of->f) || ferror(of->f))) {
		err = errno ? -errno : -EIO;
		diag_add(dl, DIAG_ERROR, NULL, "cannot write %s: %s", of->path, strerror(-err));
		return err;
	}
	err = outfile__publish(of, dl);
	if (err)
		return err;
	if (of->f && fclose(of->f)) {
		err = -errno;
		diag_add(dl, DIAG_ERROR, NULL, "cannot write %s: %s", of->path, strerror(-err));
	}
	of->f = NULL;
	return err;
}
