/*
 * inputs: expands operands (files, directories, "-") into ledger paths.
 * Input: operand strings.  Output: an owned, ordered list of paths.
 */
#include "run/inputs.h"

#include <dirent.h>
#include <limits.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void
inputs_init(struct inputs *in)
{
	in->paths = NULL;
	in->n = in->cap = 0;
}

void
inputs_free(struct inputs *in)
{
	for (size_t i = 0; i < in->n; i++)
		free(in->paths[i]);
	free(in->paths);
	inputs_init(in);
}

static void
push(struct inputs *in, char *path)
{
	if (in->n == in->cap) {
		in->cap = in->cap ? in->cap * 2 : 16;
		in->paths = xreallocarray(in->paths, in->cap, sizeof *in->paths);
	}
	in->paths[in->n++] = path;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
add_dir(struct inputs *in, const char *dir, struct diag_list *errs)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t first = in->n;

	if (d == NULL) {
		diag_add(errs, DIAG_ERROR, "inputs.cannot-list",
		    dir, "cannot list directory: %s",
		    strerror(errno));
		return -1;
	}
	char *dir_real = realpath(dir, NULL);
	int rc = 0;

	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);
		struct stat st;
		char *path, *real;
		if (e->d_name[0] == '.' || n < 6 || strcmp(e->d_name + n - 5, ".json") != 0)
			continue;
		path = file_in_dir(dir, e->d_name);
		/* a link out of the folder (to another student's ledger, to a
		 * secret) is refused unread: the folder is what was given */
		if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode) &&
		    (real = realpath(path, NULL)) != NULL) {
			bool inside = dir_real != NULL && path_is_under(real, dir_real);
			free(real);
			if (!inside) {
				diag_add(errs, DIAG_ERROR, "inputs.link-outside",
				    path, "a symbolic link that "
				    "leads out of the folder %s; not read (give the file "
				    "itself, or name the link as an operand)", dir);
				free(path);
				rc = -1;
				continue;
			}
		}
		push(in, path);
	}
	closedir(d);
	free(dir_real);
	if (rc != 0 && in->n == first)
		return -1;
	if (in->n == first) {
		diag_add(errs, DIAG_ERROR, "inputs.no-ledgers",
		    dir, "no ledgers in this folder (no "
		    "*.json file; subfolders are not searched)");
		return -1;
	}
	qsort(in->paths + first, in->n - first, sizeof *in->paths, cmp_str);
	return rc;
}

int
inputs_add(struct inputs *in, const char *operand, struct diag_list *errs)
{
	struct stat st;

	if (strcmp(operand, "-") != 0 && stat(operand, &st) == 0 &&
	    S_ISDIR(st.st_mode)) {
		size_t n = strlen(operand);
		/* "x.json/" names a directory that happens to end in .json */
		if (!(n > 5 && strcmp(operand + n - 5, ".json") == 0))
			return add_dir(in, operand, errs);
	}
	if (strcmp(operand, "-") != 0 && lstat(operand, &st) == 0 && S_ISLNK(st.st_mode)) {
		char *real = realpath(operand, NULL);
		if (real != NULL)
			diag_add(errs, DIAG_WARNING, "inputs.link-followed",
			    operand, "a symbolic link to %s: "
			    "read, and its report named after the link, because it was "
			    "named (a folder's links out of it are not read)", real);
		free(real);
	}
	push(in, xstrdup(operand));
	return 0;
}
