/*
 * datadir: finding the templates folder (datadir.h).
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/datadir.h"

/* The folder of the running program, resolved (caller frees), or NULL. */
static char *
exe_dir(void)
{
	char path[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
	char *slash;

	if (n <= 0)
		return NULL;
	path[n] = '\0';
	if ((slash = strrchr(path, '/')) == NULL)
		return NULL;
	*slash = '\0';
	return xstrdup(path[0] != '\0' ? path : "/");
}

static bool
holds_templates(const char *dir)
{
	char *file = xasprintf("%s/audit.md", dir);
	bool ok = access(file, R_OK) == 0;

	free(file);
	return ok;
}

char *
datadir_templates(const char *given, const char *compiled, struct diag_list *dl)
{
	const char *env = getenv(DATADIR_ENV);
	char *exe, *cand[3];
	size_t n = 0, i;
	struct buf looked;
	char *found = NULL;

	if (given != NULL)
		return xstrdup(given);
	if (env != NULL && *env != '\0') {
		if (holds_templates(env))
			return xstrdup(env);
		diag_add(dl, DIAG_ERROR, "datadir.env-no-template",
		    "archaudit", DATADIR_ENV "=%s: no readable "
		    "audit.md in that folder (unset it, or give the templates "
		    "folder with -t DIR)", env);
		return NULL;
	}
	if ((exe = exe_dir()) != NULL) {
		cand[n++] = xasprintf("%s/../share/archaudit/templates", exe);
		cand[n++] = xasprintf("%s/../templates", exe);
		free(exe);
	}
	if (compiled != NULL && *compiled != '\0')
		cand[n++] = xasprintf("%s/templates", compiled);
	buf_init(&looked);
	for (i = 0; i < n; i++) {
		if (found == NULL && holds_templates(cand[i])) {
			found = cand[i];
			continue;
		}
		if (found == NULL)
			buf_printf(&looked, "%s%s", looked.len > 0 ? ", " : "",
			    cand[i]);
		free(cand[i]);
	}
	if (found == NULL)
		diag_add(dl, DIAG_ERROR, "datadir.no-templates",
		    "archaudit", "no report templates "
		    "(audit.md) found; looked in %s (" DATADIR_ENV " is not set); "
		    "give the templates folder with -t DIR", looked.len > 0
		    ? looked.data : "no place");
	buf_free(&looked);
	return found;
}
