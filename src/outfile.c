/*
 * outfile: atomic file output (temporary file, fsync, rename) and mkdir -p.
 * Input: a path and bytes.  Output: the file, whole or not at all.
 */
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int
outfile_write(const char *path, const void *data, size_t len,
    struct diag_list *errs)
{
	char *tmp = xasprintf("%s.tmp.XXXXXX", path);
	const char *p = data;
	int fd, rc = -1;

	fd = mkstemp(tmp);
	if (fd < 0) {
		diag_add(errs, DIAG_ERROR, path, "cannot create: %s", strerror(errno));
		free(tmp);
		return -1;
	}
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			diag_add(errs, DIAG_ERROR, path, "cannot write: %s",
			    strerror(errno));
			goto out;
		}
		p += n;
		len -= (size_t)n;
	}
	if (fchmod(fd, 0644) != 0 || fsync(fd) != 0) {
		diag_add(errs, DIAG_ERROR, path, "cannot write: %s", strerror(errno));
		goto out;
	}
	if (close(fd) != 0) {
		fd = -1;
		diag_add(errs, DIAG_ERROR, path, "cannot write: %s", strerror(errno));
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) != 0) {
		diag_add(errs, DIAG_ERROR, path, "cannot rename into place: %s",
		    strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (fd >= 0)
		close(fd);
	if (rc != 0)
		unlink(tmp);
	free(tmp);
	return rc;
}

int
outfile_mkdirs(const char *dir, struct diag_list *errs)
{
	char *p;
	int rc = 0;

	if (dir[0] == '\0') {
		diag_add(errs, DIAG_ERROR, NULL, "empty output directory name");
		return -1;
	}
	p = xstrdup(dir);
	for (char *s = p + 1; ; s++) {
		char c = *s;
		if (c != '/' && c != '\0')
			continue;
		*s = '\0';
		if (mkdir(p, 0755) != 0 && errno != EEXIST) {
			diag_add(errs, DIAG_ERROR, p, "cannot create directory: %s",
			    strerror(errno));
			rc = -1;
			break;
		}
		*s = c;
		if (c == '\0')
			break;
	}
	if (rc == 0) {
		struct stat st;
		if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
			diag_add(errs, DIAG_ERROR, dir, "not a directory");
			rc = -1;
		}
	}
	free(p);
	return rc;
}
