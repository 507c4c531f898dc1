/*
 * ledger_file: a ledger's bytes from a file or standard input, refusing
 * what is not a regular file and more than a limit.  Input: a path ("-"
 * is standard input).  Output: the bytes in a struct buf, or an error
 * naming the file.  ledger_load adds the reading (ledger.c).
 */
#include "read/ledger.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* What a named file is when it is neither a regular file nor a directory. */
static const char *
special_kind(const struct stat *st)
{
	if (S_ISREG(st->st_mode) || S_ISDIR(st->st_mode))
		return NULL;
	if (S_ISFIFO(st->st_mode))
		return "a FIFO (named pipe)";
	if (S_ISCHR(st->st_mode))
		return "a character device";
	if (S_ISBLK(st->st_mode))
		return "a block device";
	if (S_ISSOCK(st->st_mode))
		return "a socket";
	return "a special file";
}

int
ledger_read_file(const char *path, size_t max_bytes, struct buf *out,
    struct diag_list *errs)
{
	struct stat st;
	int fd, rc = -1;
	bool is_stdin = strcmp(path, "-") == 0;
	const char *name = is_stdin ? "<stdin>" : path;
	const char *kind;

	buf_reset(out);
	/*
	 * A named FIFO or device would block or never end (and opening some
	 * devices acts on them): only regular files are read by name, "-"
	 * reads anything.  Checked before opening, and again on the open file
	 * (O_NONBLOCK: a FIFO swapped in meanwhile does not block the open).
	 */
	if (!is_stdin && stat(path, &st) == 0 && (kind = special_kind(&st)) != NULL) {
		diag_add(errs, DIAG_ERROR, "ledger.not-a-file",
		    name, "is %s, not a ledger file "
		    "(use - to read standard input)", kind);
		return -1;
	}
	fd = is_stdin ? STDIN_FILENO
	    : open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		diag_add(errs, DIAG_ERROR, "ledger.cannot-open",
		    name, "cannot open: %s", strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0) {
		diag_add(errs, DIAG_ERROR, "ledger.cannot-stat",
		    name, "cannot stat: %s", strerror(errno));
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		diag_add(errs, DIAG_ERROR, "ledger.is-directory",
		    name, "is a directory, not a ledger file");
		goto out;
	}
	if (!is_stdin && (kind = special_kind(&st)) != NULL) {
		diag_add(errs, DIAG_ERROR, "ledger.not-a-file",
		    name, "is %s, not a ledger file "
		    "(use - to read standard input)", kind);
		goto out;
	}
	if (S_ISREG(st.st_mode) && (unsigned long long)st.st_size > max_bytes) {
		diag_add(errs, DIAG_ERROR, "ledger.too-large", name,
		    "file is %lld bytes, over the limit of %zu bytes "
		    "(raise it with --max-size)", (long long)st.st_size, max_bytes);
		goto out;
	}
	for (;;) {
		buf_grow(out, 65536);
		size_t room = out->cap - out->len - 1;
		ssize_t n = read(fd, out->data + out->len, room);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			diag_add(errs, DIAG_ERROR, "ledger.cannot-read",
			    name, "cannot read: %s",
			    strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		out->len += (size_t)n;
		out->data[out->len] = '\0';
		if (out->len > max_bytes) {
			diag_add(errs, DIAG_ERROR, "ledger.input-too-large",
			    name,
			    "input is over the limit of %zu bytes "
			    "(raise it with --max-size)", max_bytes);
			goto out;
		}
	}
	rc = 0;
out:
	if (!is_stdin)
		close(fd);
	if (rc != 0)
		buf_free(out);
	return rc;
}

struct ledger *
ledger_load(const char *path, size_t max_bytes, struct diag_list *errs)
{
	struct buf b;
	struct ledger *l;

	buf_init(&b);
	if (ledger_read_file(path, max_bytes, &b, errs) != 0)
		return NULL;
	l = ledger_parse(strcmp(path, "-") == 0 ? "<stdin>" : path,
	    b.data ? b.data : "", b.len, errs);
	buf_free(&b);
	return l;
}
