/*
 * outfile: atomic file output (temporary file, sync, rename) and mkdir -p.
 * Input: a path and bytes.  Output: the file, whole or not at all.
 */
#define _GNU_SOURCE            /* syncfs */
#include "base/outfile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* A temporary file of a writer that is not this host's and cannot be
 * checked (another machine of a shared folder, or a name without a
 * process id) is stale once it is this old. */
#define FOREIGN_TEMP_STALE_SECONDS (24 * 60 * 60)

/* This host, as 8 hex digits of a hash of its name (FNV-1a). */
static unsigned long
host_id(void)
{
	char name[256] = "";
	unsigned long h = 2166136261u;

	if (gethostname(name, sizeof name - 1) != 0)
		name[0] = '\0';
	name[sizeof name - 1] = '\0';
	for (const unsigned char *p = (const unsigned char *)name; *p != '\0'; p++)
		h = ((h ^ *p) * 16777619u) & 0xffffffffu;
	return h;
}

static char *
temp_template(const char *path, long pid)
{
	return xasprintf("%s.tmp.%ld.%08lx.XXXXXX", path, pid, host_id());
}

char *
outfile_temp_template(const char *path)
{
	return temp_template(path, (long)getpid());
}

int
outfile_write_temp(const char *path, const void *data, size_t len, long owner,
    char **tmp, struct diag_list *errs)
{
	const char *p = data;
	int fd;

	*tmp = temp_template(path, owner > 0 ? owner : (long)getpid());
	fd = mkstemp(*tmp);
	if (fd < 0) {
		diag_add(errs, DIAG_ERROR, "output.cannot-create",
		    path, "cannot create: %s", strerror(errno));
		goto fail;
	}
	while (len > 0) {
		ssize_t n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			diag_add(errs, DIAG_ERROR, "output.cannot-write",
			    path, "cannot write: %s",
			    strerror(errno));
			close(fd);
			goto fail_unlink;
		}
		p += n;
		len -= (size_t)n;
	}
	if (fchmod(fd, 0644) != 0) {
		diag_add(errs, DIAG_ERROR, "output.cannot-write",
		    path, "cannot write: %s", strerror(errno));
		close(fd);
		goto fail_unlink;
	}
	if (close(fd) != 0) {
		diag_add(errs, DIAG_ERROR, "output.cannot-write",
		    path, "cannot write: %s", strerror(errno));
		goto fail_unlink;
	}
	return 0;
fail_unlink:
	unlink(*tmp);
fail:
	free(*tmp);
	*tmp = NULL;
	return -1;
}

/* fsync of a file by name (a read-only descriptor is enough on Linux). */
static int
sync_path(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc;

	if (fd < 0)
		return -1;
	rc = fsync(fd);
	if (close(fd) != 0)
		rc = -1;
	return rc;
}

size_t
outfile_commit_temps(char *const *tmp, char *const *path, size_t n, bool *ok,
    struct diag_list *errs)
{
	size_t done = 0;
	bool synced = false;
	int fd;

	if (n == 0)
		return 0;
	/*
	 * One synchronisation for all: syncfs writes back every dirty page of
	 * the file system holding them (Linux reports write-back errors
	 * since 5.8).  A single file is fsync'ed (cheaper than a whole file
	 * system), and so is each where syncfs is not available.
	 */
	if (n > 1 && (fd = open(tmp[0], O_RDONLY | O_CLOEXEC)) >= 0) {
		synced = syncfs(fd) == 0;
		close(fd);
	}
	for (size_t i = 0; i < n; i++) {
		ok[i] = false;
		if (!synced && sync_path(tmp[i]) != 0) {
			diag_add(errs, DIAG_ERROR, "output.cannot-write",
			    path[i], "cannot write: %s", strerror(errno));
			unlink(tmp[i]);
			continue;
		}
		if (rename(tmp[i], path[i]) != 0) {
			diag_add(errs, DIAG_ERROR, "output.cannot-rename",
			    path[i], "cannot rename into place: %s",
			    strerror(errno));
			unlink(tmp[i]);
			continue;
		}
		ok[i] = true;
		done++;
	}
	return done;
}

int
outfile_write(const char *path, const void *data, size_t len,
    struct diag_list *errs)
{
	char *tmp;
	bool ok = false;

	if (outfile_write_temp(path, data, len, 0, &tmp, errs) != 0)
		return -1;
	outfile_commit_temps(&tmp, (char *const *)&path, 1, &ok, errs);
	free(tmp);
	return ok ? 0 : -1;
}

int
outfile_mkdirs(const char *dir, struct diag_list *errs)
{
	char *p;
	int rc = 0;

	if (dir[0] == '\0') {
		diag_add(errs, DIAG_ERROR, "output.empty-dir-name",
		    NULL, "empty output directory name");
		return -1;
	}
	p = xstrdup(dir);
	for (char *s = p + 1; ; s++) {
		char c = *s;
		if (c != '/' && c != '\0')
			continue;
		*s = '\0';
		if (mkdir(p, 0755) != 0 && errno != EEXIST) {
			diag_add(errs, DIAG_ERROR, "output.cannot-create-directory",
			    p, "cannot create directory: %s",
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
			diag_add(errs, DIAG_ERROR, "output.not-a-directory",
			    dir, "not a directory");
			rc = -1;
		}
	}
	free(p);
	return rc;
}

FILE *
outfile_open(const char *path, char **tmp, struct diag_list *errs)
{
	int fd;
	FILE *f;

	*tmp = outfile_temp_template(path);
	fd = mkstemp(*tmp);
	if (fd < 0) {
		diag_add(errs, DIAG_ERROR, "output.cannot-create",
		    path, "cannot create: %s", strerror(errno));
		free(*tmp);
		*tmp = NULL;
		return NULL;
	}
	if (fchmod(fd, 0644) != 0 || (f = fdopen(fd, "wb")) == NULL) {
		diag_add(errs, DIAG_ERROR, "output.cannot-create",
		    path, "cannot create: %s", strerror(errno));
		close(fd);
		unlink(*tmp);
		free(*tmp);
		*tmp = NULL;
		return NULL;
	}
	return f;
}

int
outfile_commit(FILE *f, const char *tmp, const char *path,
    struct diag_list *errs)
{
	if (fflush(f) != 0 || ferror(f) || fsync(fileno(f)) != 0) {
		diag_add(errs, DIAG_ERROR, "output.cannot-write",
		    path, "cannot write: %s", strerror(errno));
		outfile_abort(f, tmp);
		return -1;
	}
	if (fclose(f) != 0) {
		diag_add(errs, DIAG_ERROR, "output.cannot-write",
		    path, "cannot write: %s", strerror(errno));
		unlink(tmp);
		return -1;
	}
	if (rename(tmp, path) != 0) {
		diag_add(errs, DIAG_ERROR, "output.cannot-rename",
		    path, "cannot rename into place: %s",
		    strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

void
outfile_abort(FILE *f, const char *tmp)
{
	if (f != NULL)
		fclose(f);
	if (tmp != NULL)
		unlink(tmp);
}

static bool
all_of(const char *s, size_t n, const char *set)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] == '\0' || strchr(set, s[i]) == NULL)
			return false;
	return n > 0;
}

#define ALNUM "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

bool
outfile_temp_parse(const char *name, size_t *stem_len, long *pid,
    unsigned long *host)
{
	size_t n = strlen(name);
	const char *x, *dot;

	*pid = -1;
	*host = 0;
	/* mkstemp's six characters are letters and digits */
	if (n < 12 || name[n - 7] != '.' || !all_of(name + n - 6, 6, ALNUM))
		return false;
	if (memcmp(name + n - 11, ".tmp.", 5) == 0 && n > 11) {
		*stem_len = n - 11;     /* an older archaudit's: no process id */
		return true;
	}
	/* NAME.tmp.PID.HOST8.XXXXXX */
	if (n < 7 + 9 + 2 + 5 + 1 || name[n - 16] != '.' ||
	    !all_of(name + n - 15, 8, "0123456789abcdef"))
		return false;
	for (x = name + n - 17; x > name && *x >= '0' && *x <= '9'; x--)
		;
	dot = x;
	if (dot == name + n - 17 || dot - name < 5 || memcmp(dot - 4, ".tmp.", 5) != 0 ||
	    name + n - 16 - (dot + 1) > 9)
		return false;
	*pid = strtol(dot + 1, NULL, 10);
	*host = strtoul(name + n - 15, NULL, 16);
	*stem_len = (size_t)(dot - 4 - name);
	return *stem_len > 0;
}

bool
outfile_is_temp(const char *name, size_t *stem_len)
{
	long pid;
	unsigned long host;

	return outfile_temp_parse(name, stem_len, &pid, &host);
}

bool
outfile_temp_is_stale(const char *dir, const char *name)
{
	size_t stem;
	long pid;
	unsigned long host;
	struct stat st;
	char *p;
	bool old;

	if (!outfile_temp_parse(name, &stem, &pid, &host))
		return false;
	if (pid > 0 && host == host_id())
		/* ours to check: stale when that process is gone */
		return pid != (long)getpid() && kill((pid_t)pid, 0) != 0 && errno == ESRCH;
	p = file_in_dir(dir, name);
	old = lstat(p, &st) == 0 &&
	    difftime(time(NULL), st.st_mtime) > FOREIGN_TEMP_STALE_SECONDS;
	free(p);
	return old;
}

/* Remove DIR's temporary files of BASE that match (pid < 0: stale ones;
 * else those of process pid on this host); the count removed. */
static size_t
remove_temps(const char *path, long only_pid)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? xstrndup(path, (size_t)(slash - path) + (slash == path)) : xstrdup(".");
	const char *base = slash ? slash + 1 : path;
	size_t blen = strlen(base), stem, removed = 0;
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d != NULL && (e = readdir(d)) != NULL) {
		long pid;
		unsigned long host;
		bool match;
		if (!outfile_temp_parse(e->d_name, &stem, &pid, &host) || stem != blen ||
		    memcmp(e->d_name, base, blen) != 0)
			continue;
		match = only_pid < 0 ? outfile_temp_is_stale(dir, e->d_name)
		    : pid == only_pid && host == host_id();
		if (match) {
			char *p = file_in_dir(dir, e->d_name);
			if (unlink(p) == 0)
				removed++;
			free(p);
		}
	}
	if (d != NULL)
		closedir(d);
	free(dir);
	return removed;
}

size_t
outfile_remove_stale_temps(const char *path)
{
	return remove_temps(path, -1);
}

void
outfile_remove_temps_of(const char *path, long pid)
{
	if (pid > 0)
		remove_temps(path, pid);
}

/* A name Windows keeps for a device, whatever follows a dot: CON, PRN,
 * AUX, NUL, COM1..COM9, LPT1..LPT9 (and with a superscript digit),
 * CONIN$, CONOUT$, in any case, trailing spaces ignored. */
static bool
windows_reserved(const char *name)
{
	static const char *const fixed[] = { "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$" };
	size_t n = strcspn(name, ".");

	while (n > 0 && name[n - 1] == ' ')
		n--;
	for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
		if (n == strlen(fixed[i]) && strncasecmp(name, fixed[i], n) == 0)
			return true;
	if (n >= 4 && (strncasecmp(name, "COM", 3) == 0 || strncasecmp(name, "LPT", 3) == 0)) {
		const char *d = name + 3;
		if (n == 4 && d[0] >= '1' && d[0] <= '9')
			return true;
		if (n == 5 && (unsigned char)d[0] == 0xc2 && ((unsigned char)d[1] == 0xb9 ||
		    (unsigned char)d[1] == 0xb2 || (unsigned char)d[1] == 0xb3))
			return true;
	}
	return false;
}

char *
outfile_safe_name(const char *student, size_t max)
{
	char *safe = utf8_sanitize(student, strlen(student));
	const unsigned char *p = (const unsigned char *)safe;
	struct buf b;
	size_t n;

	buf_init(&b);
	while (*p != '\0') {
		size_t k;
		int32_t cp = utf8_decode(p, strlen((const char *)p), &k);
		if (k == 1 && (*p < 0x20 || *p == 0x7f || strchr("/\\:*?\"<>|", *p))) {
			if (b.len + 1 > max)    /* the cut holds for replaced bytes too */
				break;
			buf_putc(&b, '_');
		}
		else if (k == 1 && (*p == '.' || *p == ' ') && b.len == 0)
			;       /* no hidden file, no leading space */
		else if (unicode_invisible(cp) || unicode_joiner(cp))
			;       /* invisible: would make two names look alike */
		else if (b.len + k <= max)
			buf_put(&b, p, k);
		else
			break;          /* a prefix: nothing after the cut */
		p += k;
	}
	n = b.len;
	while (n > 0 && (b.data[n - 1] == ' ' || b.data[n - 1] == '.'))
		n--;
	free(safe);
	if (n == 0) {
		buf_free(&b);
		return xstrdup("student");
	}
	b.data[n] = '\0';
	b.len = n;
	if (windows_reserved(b.data)) {
		/* "CON" -> "CON_", "nul.x" -> "nul_.x": still the name, never the device */
		size_t stem = strcspn(b.data, ".");
		if (b.len + 1 > max) {
			if (stem == b.len)
				stem--;
			b.len--;
		}
		buf_grow(&b, 1);
		memmove(b.data + stem + 1, b.data + stem, b.len - stem + 1);
		b.data[stem] = '_';
		b.len++;
		b.data[b.len] = '\0';
	}
	return buf_detach(&b);
}

bool
outfile_looks_whole(const char *path, bool pdf)
{
	struct stat st;
	char head[5], tail[1024];
	size_t n;
	FILE *f;
	bool ok;

	/* a link, a folder or an empty file is not a report we wrote */
	if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size == 0)
		return false;
	if (!pdf)
		return true;
	if (st.st_size < 64 || (f = fopen(path, "rb")) == NULL)
		return false;
	ok = fread(head, 1, 5, f) == 5 && memcmp(head, "%PDF-", 5) == 0;
	n = (size_t)(st.st_size < (off_t)sizeof tail ? st.st_size : (off_t)sizeof tail);
	if (ok && fseeko(f, st.st_size - (off_t)n, SEEK_SET) == 0 &&
	    fread(tail, 1, n, f) == n) {
		/* the trailer: startxref, then %%EOF at the end */
		bool eof = false, xref = false;
		for (size_t i = 0; i + 5 <= n; i++)
			if (memcmp(tail + i, "%%EOF", 5) == 0)
				eof = true;
		for (size_t i = 0; i + 9 <= n; i++)
			if (memcmp(tail + i, "startxref", 9) == 0)
				xref = true;
		ok = eof && xref;
	} else {
		ok = false;
	}
	fclose(f);
	return ok;
}
