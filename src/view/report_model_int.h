/*
 * report_model_int: what report_model.c and report_model_grid.c share:
 * the small builders of the tvalue tree, and the parts of the template
 * model that report_model_grid.c adds.  Private to those two files.
 */
#ifndef ARCHAUDIT_REPORT_MODEL_INT_H
#define ARCHAUDIT_REPORT_MODEL_INT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "view/report_model.h"
#include "base/util.h"

static inline struct tvalue *
submap(struct tvalue *m, const char *key)
{
	return tvalue_map_set(m, key, tvalue_map_new());
}

static inline struct tvalue *
sublist(struct tvalue *m, const char *key)
{
	return tvalue_map_set(m, key, tvalue_list_new());
}

static inline struct tvalue *
push_map(struct tvalue *list)
{
	return tvalue_list_push(list, tvalue_map_new());
}

static inline void
num(struct tvalue *m, const char *key, double v)
{
	tvalue_map_set_num(m, key, v);
}

static inline void
flag(struct tvalue *m, const char *key, bool v)
{
	tvalue_map_set_bool(m, key, v);
}

static inline void
str(struct tvalue *m, const char *key, const char *v)
{
	char *p;

	if (v == NULL) {
		tvalue_map_set(m, key, tvalue_null());
		return;
	}
	p = prose_apostrophes(v);
	tvalue_map_set_str(m, key, p, TV_TRUSTED);
	free(p);
}

static inline void
fmtstr(struct tvalue *m, const char *key, const char *fmt, ...)
	ATTR_PRINTF(3, 4);

static inline void
fmtstr(struct tvalue *m, const char *key, const char *fmt, ...)
{
	struct buf b;
	va_list ap;

	buf_init(&b);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	str(m, key, b.data);
	buf_free(&b);
}

/* A retraining cadence as prose: "every day", "every 21 days". */
static inline void
cadence_text(struct tvalue *m, const char *key, int days)
{
	if (days == 1)
		str(m, key, "every day");
	else
		fmtstr(m, key, "every %d days", days);
}

/* A setting as the report writes it elsewhere: precisions in capitals. */
static inline const char *
setting_label(const char *v)
{
	static const char *const lower[] = { "fp16", "int8", "int4", "ternary" };
	static const char *const upper[] = { "FP16", "INT8", "INT4", "Ternary" };
	for (size_t i = 0; i < sizeof lower / sizeof *lower; i++)
		if (strcmp(v, lower[i]) == 0)
			return upper[i];
	return v;
}

/* report_model_grid.c: "grid" (the census, the frontier), "position", "sens". */
void report_model_grid(struct tvalue *root, const struct results *rs);
void report_model_position(struct tvalue *root, const struct results *rs);
void report_model_sensitivity(struct tvalue *root, const struct results *rs);

#endif
