/*
 * scenario_load: the --scenario file reader.  Input: a JSON file (or its
 * bytes) that overrides any subset of the scenario's constants, SLOs and
 * grid axes.  Output: the plain struct scenario (model/scenario.h) with
 * those values, or every error naming the file and the JSON path.  The
 * read stage's second file that sees cJSON, after ledger.c; the key layout
 * is a table below and is documented, with an example, in docs/scenario.md.
 */
#include "read/scenario_load.h"
#include "model/engine.h"
#include "read/jsoncheck.h"

#include <cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SCENARIO_MAX_BYTES (1024 * 1024)   /* a scenario is a page of text */
#define SCENARIO_MAX_GRID 50000000LL        /* configurations in the grid */
#define SCENARIO_MAX_ERRORS 20              /* errors reported per file */

/*
 * The key layout of a scenario file: one table per JSON object, each key
 * bound to a field of struct scenario by its offset.  Adding a constant is
 * adding a line here and one in docs/scenario.md.
 */
enum key_kind {
	K_GROUP,        /* an object of further keys (sub) */
	K_NUM,          /* a number, checked by `check`, into a double */
	K_INT,          /* an integer in [lo, hi] into an int */
	K_QUANT,        /* a quantization name into an enum quant */
	K_SERVING,      /* a serving strategy name into an enum serving */
	K_RANGE,        /* [min, max] or a single integer, each in [lo, hi]: ints at off, off2 */
	K_QUANT_LIST,   /* non-empty list of distinct names: enum quant[] at off, size_t at off2 */
	K_SERVING_LIST, /* the same for enum serving */
	K_COMMENT       /* any string; ignored */
};

enum num_check {
	C_POSITIVE,     /* > 0 */
	C_NONNEG,       /* >= 0 */
	C_FRACTION      /* 0 <= v <= 1 */
};

struct key {
	const char *name;
	enum key_kind kind;
	enum num_check check;
	size_t off, off2;        /* into struct scenario */
	int lo, hi;              /* K_INT, K_RANGE: inclusive limits */
	const struct key *sub;   /* K_GROUP: members, ended by a NULL name */
};

#define OFF(f) offsetof(struct scenario, f)
#define OFFA(f, i) (offsetof(struct scenario, f) + (size_t)(i) * sizeof(double))
#define NUM(n, f, c) { .name = (n), .kind = K_NUM, .check = (c), .off = OFF(f) }
#define NUMA(n, f, i, c) { .name = (n), .kind = K_NUM, .check = (c), .off = OFFA(f, i) }
#define QTABLE(f, c) { \
	NUMA("fp16", f, QUANT_FP16, c), NUMA("int8", f, QUANT_INT8, c), \
	NUMA("int4", f, QUANT_INT4, c), NUMA("ternary", f, QUANT_TERNARY, c), \
	{ .name = NULL } }
#define GROUP(n, t) { .name = (n), .kind = K_GROUP, .sub = (t) }

#define GPUS_MAX 100000        /* per configuration */
#define CADENCE_MAX 36500      /* days: a century */
#define FAIRNESS_MAX 100       /* percent */

static const struct key h100_keys[] = {
	NUM("bw_gbs", h100_bw_gbs, C_POSITIVE),
	NUM("ram_gb", h100_ram_gb, C_POSITIVE),
	NUM("cost_per_hour_usd", h100_cost_per_hour_usd, C_NONNEG),
	{ .name = NULL }
};
static const struct key orin_keys[] = {
	NUM("bw_gbs", orin_bw_gbs, C_POSITIVE),
	NUM("ram_gb", orin_ram_gb, C_POSITIVE),
	NUM("serving_mult", edge_serving_mult, C_POSITIVE),
	{ .name = NULL }
};
static const struct key mobile_keys[] = {
	NUM("ram_gb", mobile_ram_gb, C_POSITIVE),
	NUM("tok_per_sec", mobile_tok_per_sec, C_NONNEG),
	NUM("min_rate", mobile_min_rate, C_POSITIVE),
	{ .name = NULL }
};
static const struct key tiny_keys[] = {
	NUM("sram_kb", mcu_sram_kb, C_POSITIVE),
	NUM("params", tiny_params, C_POSITIVE),
	{ .name = NULL }
};
static const struct key bpp_keys[] = QTABLE(bytes_per_param, C_POSITIVE);
static const struct key kv_keys[] = QTABLE(kv_scale, C_NONNEG);
static const struct key loss_keys[] = QTABLE(acc_loss, C_FRACTION);
static const struct key model_keys[] = {
	NUM("params", model_params, C_POSITIVE),
	NUM("kv_cache_gb_fp16", kv_cache_gb_fp16, C_NONNEG),
	NUM("output_tokens", output_tokens, C_POSITIVE),
	GROUP("bytes_per_param", bpp_keys),
	GROUP("kv_scale", kv_keys),
	GROUP("acc_loss", loss_keys),
	{ .name = NULL }
};
static const struct key serving_keys[] = {
	NUMA("static", serving_mult, SERVING_STATIC, C_POSITIVE),
	NUMA("dynamic", serving_mult, SERVING_DYNAMIC, C_POSITIVE),
	NUMA("continuous", serving_mult, SERVING_CONTINUOUS, C_POSITIVE),
	{ .name = NULL }
};
static const struct key load_keys[] = {
	NUM("total_rps", total_rps, C_NONNEG),
	NUM("cloud_share", cloud_share, C_FRACTION),
	NUM("edge_share", edge_share, C_FRACTION),
	{ .name = NULL }
};
static const struct key drift_keys[] = {
	NUM("per_day", drift_per_day, C_NONNEG),
	{ .name = NULL }
};
static const struct key slo_keys[] = {
	NUM("p99_ms", slo_p99_ms, C_POSITIVE),
	NUM("cost_per_req_usd", slo_cost_per_req_usd, C_NONNEG),
	{ .name = NULL }
};
static const struct key threshold_keys[] = {
	NUM("acc_warn_below", acc_warn_below, C_FRACTION),
	NUM("drift_warn_below", drift_warn_below, C_FRACTION),
	NUM("acc_tile_above", acc_tile_above, C_FRACTION),
	NUM("drift_tile_above", drift_tile_above, C_FRACTION),
	{ .name = NULL }
};
static const struct key default_keys[] = {
	{ .name = "n_gpus", .kind = K_INT, .off = OFF(defaults.n_gpus), .lo = 1, .hi = GPUS_MAX },
	{ .name = "quant_cloud", .kind = K_QUANT, .off = OFF(defaults.quant_cloud) },
	{ .name = "quant_edge", .kind = K_QUANT, .off = OFF(defaults.quant_edge) },
	{ .name = "quant_mobile", .kind = K_QUANT, .off = OFF(defaults.quant_mobile) },
	{ .name = "serving", .kind = K_SERVING, .off = OFF(defaults.serving) },
	{ .name = "cadence_days", .kind = K_INT, .off = OFF(defaults.cadence_days),
	  .lo = 0, .hi = CADENCE_MAX },
	{ .name = "fairness_pct", .kind = K_INT, .off = OFF(defaults.fairness_pct),
	  .lo = 0, .hi = FAIRNESS_MAX },
	{ .name = NULL }
};
static const struct key grid_keys[] = {
	{ .name = "n_gpus", .kind = K_RANGE, .off = OFF(grid.n_gpus_min),
	  .off2 = OFF(grid.n_gpus_max), .lo = 1, .hi = GPUS_MAX },
	{ .name = "quant_cloud", .kind = K_QUANT_LIST, .off = OFF(grid.quant_cloud),
	  .off2 = OFF(grid.n_quant_cloud) },
	{ .name = "quant_edge", .kind = K_QUANT_LIST, .off = OFF(grid.quant_edge),
	  .off2 = OFF(grid.n_quant_edge) },
	{ .name = "quant_mobile", .kind = K_QUANT_LIST, .off = OFF(grid.quant_mobile),
	  .off2 = OFF(grid.n_quant_mobile) },
	{ .name = "serving", .kind = K_SERVING_LIST, .off = OFF(grid.serving),
	  .off2 = OFF(grid.n_serving) },
	{ .name = "cadence_days", .kind = K_RANGE, .off = OFF(grid.cadence_min),
	  .off2 = OFF(grid.cadence_max), .lo = 0, .hi = CADENCE_MAX },
	{ .name = "fairness_pct", .kind = K_RANGE, .off = OFF(grid.fairness_min),
	  .off2 = OFF(grid.fairness_max), .lo = 0, .hi = FAIRNESS_MAX },
	{ .name = NULL }
};
static const struct key top_keys[] = {
	{ .name = "comment", .kind = K_COMMENT },
	GROUP("h100", h100_keys),
	GROUP("orin", orin_keys),
	GROUP("mobile", mobile_keys),
	GROUP("tiny", tiny_keys),
	GROUP("model", model_keys),
	GROUP("serving_mult", serving_keys),
	GROUP("load", load_keys),
	GROUP("drift", drift_keys),
	GROUP("slo", slo_keys),
	GROUP("thresholds", threshold_keys),
	GROUP("defaults", default_keys),
	GROUP("grid", grid_keys),
	{ .name = NULL }
};

/* One load in progress: the copy being filled and where problems go. */
struct loader {
	const char *path;        /* the file, as given, for messages */
	struct scenario *s;      /* the working copy */
	struct diag_list *dl;
	int errors;
};

static void loader_error(struct loader *ld, const char *jpath, const char *id,
    const char *fmt, ...)
	ATTR_PRINTF(4, 5);

static void
loader_error(struct loader *ld, const char *jpath, const char *id,
    const char *fmt, ...)
{
	struct buf b;
	va_list ap;

	buf_init(&b);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	diag_add(ld->dl, DIAG_ERROR, id,
	    ld->path, "%s: %s", jpath, b.data ? b.data : "");
	buf_free(&b);
	ld->errors++;
}

/* Append text to b with control characters shown as '?', at most max bytes. */
static void
put_clean(struct buf *b, const char *s, size_t max)
{
	size_t i;

	for (i = 0; s[i] != '\0' && i < max; i++)
		buf_putc(b, (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i]);
	if (s[i] != '\0')
		buf_puts(b, "...");
}

/* The JSON path of a member: "slo" + "p99_ms" -> "slo.p99_ms"; caller frees. */
static char *
path_join(const char *parent, const char *key)
{
	struct buf b;

	buf_init(&b);
	if (parent[0] != '\0') {
		buf_puts(&b, parent);
		buf_putc(&b, '.');
	}
	put_clean(&b, key, 64);
	return buf_detach(&b);
}

/* A value as an error message shows it: "x" in quotes, 8.5, true, an array. */
static void
describe(const cJSON *v, char out[64])
{
	struct buf b;

	if (cJSON_IsString(v)) {
		buf_init(&b);
		buf_putc(&b, '"');
		put_clean(&b, v->valuestring, 40);
		buf_putc(&b, '"');
		snprintf(out, 64, "%s", b.data);
		buf_free(&b);
	} else if (cJSON_IsNumber(v) && fabs(v->valuedouble) < 1e15 &&
	    v->valuedouble == floor(v->valuedouble))
		snprintf(out, 64, "%.0f", v->valuedouble);   /* 5, not 5.0 */
	else if (cJSON_IsNumber(v))
		fmt_double(out, v->valuedouble);
	else if (cJSON_IsBool(v))
		snprintf(out, 64, "%s", cJSON_IsTrue(v) ? "true" : "false");
	else if (cJSON_IsNull(v))
		snprintf(out, 64, "null");
	else if (cJSON_IsArray(v))
		snprintf(out, 64, "an array");
	else
		snprintf(out, 64, "an object");
}

static bool
get_number(struct loader *ld, const cJSON *v, const char *jpath, double *out)
{
	char got[64];

	if (!cJSON_IsNumber(v)) {
		describe(v, got);
		loader_error(ld, jpath, "scenario.not-a-number",
		    "expected a number, got %s", got);
		return false;
	}
	if (!isfinite(v->valuedouble)) {
		loader_error(ld, jpath, "scenario.number-out-of-range",
		    "number out of range");
		return false;
	}
	*out = v->valuedouble;
	return true;
}

static bool
get_int(struct loader *ld, const cJSON *v, const char *jpath, int lo, int hi, int *out)
{
	char got[64];
	double d;

	if (!cJSON_IsNumber(v) || v->valuedouble != floor(v->valuedouble)) {
		describe(v, got);
		loader_error(ld, jpath, "scenario.not-an-integer",
		    "expected an integer, got %s", got);
		return false;
	}
	d = v->valuedouble;
	if (d < lo || d > hi) {
		describe(v, got);
		loader_error(ld, jpath, "scenario.out-of-range",
		    "must be between %d and %d, got %s", lo, hi, got);
		return false;
	}
	*out = (int)d;
	return true;
}

/* A name from names[0..n-1]; the error lists them. */
static bool
get_name(struct loader *ld, const cJSON *v, const char *jpath, const char *const *names,
    int n, int *out)
{
	struct buf b;
	char got[64];

	if (cJSON_IsString(v))
		for (int i = 0; i < n; i++)
			if (strcmp(v->valuestring, names[i]) == 0) {
				*out = i;
				return true;
			}
	buf_init(&b);
	for (int i = 0; i < n; i++)
		buf_printf(&b, "%s%s", i == 0 ? "" : i == n - 1 ? " or " : ", ", names[i]);
	describe(v, got);
	loader_error(ld, jpath, "scenario.wrong-type",
	    "expected %s, got %s", b.data, got);
	buf_free(&b);
	return false;
}

static void
read_num(struct loader *ld, const struct key *k, const cJSON *v, const char *jpath)
{
	double d;

	if (!get_number(ld, v, jpath, &d))
		return;
	switch (k->check) {
	case C_POSITIVE:
		if (!(d > 0)) {
			loader_error(ld, jpath, "scenario.not-positive",
			    "must be greater than 0, got %g", d);
			return;
		}
		break;
	case C_NONNEG:
		if (!(d >= 0)) {
			loader_error(ld, jpath, "scenario.negative",
			    "must not be negative, got %g", d);
			return;
		}
		break;
	case C_FRACTION:
		if (!(d >= 0 && d <= 1)) {
			loader_error(ld, jpath, "scenario.not-a-fraction",
			    "must be a fraction between 0 and 1, got %g", d);
			return;
		}
		break;
	}
	*(double *)(void *)((char *)ld->s + k->off) = d;
}

static void
read_range(struct loader *ld, const struct key *k, const cJSON *v, const char *jpath)
{
	int lo, hi;
	char *p0 = NULL, *p1 = NULL;

	if (cJSON_IsNumber(v)) {
		if (!get_int(ld, v, jpath, k->lo, k->hi, &lo))
			return;
		hi = lo;
	} else if (cJSON_IsArray(v) && cJSON_GetArraySize(v) == 2) {
		p0 = xasprintf("%s[0]", jpath);
		p1 = xasprintf("%s[1]", jpath);
		bool ok0 = get_int(ld, cJSON_GetArrayItem(v, 0), p0, k->lo, k->hi, &lo);
		bool ok1 = get_int(ld, cJSON_GetArrayItem(v, 1), p1, k->lo, k->hi, &hi);
		if (!ok0 || !ok1)
			goto out;
		if (lo > hi) {
			loader_error(ld, jpath, "scenario.min-over-max",
			    "min %d is greater than max %d", lo, hi);
			goto out;
		}
	} else {
		char got[64];
		describe(v, got);
		loader_error(ld, jpath, "scenario.not-a-range",
		    "expected [min, max] or an integer, got %s", got);
		return;
	}
	*(int *)(void *)((char *)ld->s + k->off) = lo;
	*(int *)(void *)((char *)ld->s + k->off2) = hi;
out:
	free(p0);
	free(p1);
}

/* A list of distinct names into an enum array; n_names is at most 4. */
static void
read_list(struct loader *ld, const struct key *k, const cJSON *v, const char *jpath,
    const char *const *names, int n_names)
{
	int vals[QUANT_COUNT];
	_Static_assert((int)QUANT_COUNT >= (int)SERVING_COUNT, "vals holds either list");
	int n = 0, bad = 0;
	const cJSON *e;
	char got[64];

	if (!cJSON_IsArray(v)) {
		describe(v, got);
		loader_error(ld, jpath, "scenario.not-a-name-list",
		    "expected a list of names, got %s", got);
		return;
	}
	if (cJSON_GetArraySize(v) == 0) {
		loader_error(ld, jpath, "scenario.empty-list",
		    "must not be empty");
		return;
	}
	cJSON_ArrayForEach(e, v) {
		char *ep = xasprintf("%s[%d]", jpath, n + bad);
		int x;
		if (!get_name(ld, e, ep, names, n_names, &x))
			bad++;
		else {
			for (int i = 0; i < n; i++)
				if (vals[i] == x) {
					loader_error(ld, ep, "scenario.listed-twice",
					    "\"%s\" is listed twice", names[x]);
					bad++;
					x = -1;
					break;
				}
			if (x >= 0)
				vals[n++] = x;
		}
		free(ep);
		if (n + bad >= n_names + 8)
			break;   /* a list that long is wrong already; stop the noise */
	}
	if (bad != 0)
		return;
	for (int i = 0; i < n; i++) {
		if (k->kind == K_QUANT_LIST)
			((enum quant *)(void *)((char *)ld->s + k->off))[i] = (enum quant)vals[i];
		else
			((enum serving *)(void *)((char *)ld->s + k->off))[i] = (enum serving)vals[i];
	}
	*(size_t *)(void *)((char *)ld->s + k->off2) = (size_t)n;
}

static void read_group(struct loader *, const struct key *, const cJSON *, const char *);

static void
read_value(struct loader *ld, const struct key *k, const cJSON *v, const char *jpath)
{
	char got[64];
	int x;

	switch (k->kind) {
	case K_GROUP:
		read_group(ld, k->sub, v, jpath);
		break;
	case K_NUM:
		read_num(ld, k, v, jpath);
		break;
	case K_INT:
		if (get_int(ld, v, jpath, k->lo, k->hi, &x))
			*(int *)(void *)((char *)ld->s + k->off) = x;
		break;
	case K_QUANT:
		if (get_name(ld, v, jpath, quant_names, QUANT_COUNT, &x))
			*(enum quant *)(void *)((char *)ld->s + k->off) = (enum quant)x;
		break;
	case K_SERVING:
		if (get_name(ld, v, jpath, serving_names, SERVING_COUNT, &x))
			*(enum serving *)(void *)((char *)ld->s + k->off) = (enum serving)x;
		break;
	case K_RANGE:
		read_range(ld, k, v, jpath);
		break;
	case K_QUANT_LIST:
		read_list(ld, k, v, jpath, quant_names, QUANT_COUNT);
		break;
	case K_SERVING_LIST:
		read_list(ld, k, v, jpath, serving_names, SERVING_COUNT);
		break;
	case K_COMMENT:
		if (!cJSON_IsString(v)) {
			describe(v, got);
			loader_error(ld, jpath, "scenario.not-a-string",
			    "expected a string, got %s", got);
		}
		break;
	}
}

static void
read_group(struct loader *ld, const struct key *keys, const cJSON *obj, const char *jpath)
{
	const cJSON *m;
	const struct key *k;
	unsigned long long seen = 0;    /* keys[i] already read: bit i */
	char got[64];

	if (!cJSON_IsObject(obj)) {
		describe(obj, got);
		loader_error(ld, jpath[0] ? jpath : "(top level)", "scenario.not-an-object",
		    "expected an object, got %s",
		    got);
		return;
	}
	cJSON_ArrayForEach(m, obj) {
		char *mpath;

		if (ld->errors >= SCENARIO_MAX_ERRORS)
			return;         /* scenario_load says that more were left out */
		mpath = path_join(jpath, m->string);
		for (k = keys; k->name != NULL; k++)
			if (strcmp(k->name, m->string) == 0)
				break;
		/* a known key seen before: linear in the object, whatever its size */
		if (k->name != NULL && (seen & (1ull << (k - keys))) != 0) {
			loader_error(ld, mpath, "scenario.duplicate-key",
			    "duplicate key");
			free(mpath);
			continue;
		}
		if (k->name != NULL) {
			seen |= 1ull << (k - keys);
			read_value(ld, k, m, mpath);
		} else {
			struct buf known;
			buf_init(&known);
			for (k = keys; k->name != NULL; k++)
				buf_printf(&known, "%s%s", k == keys ? "" : ", ", k->name);
			loader_error(ld, mpath, "scenario.unknown-key",
			    "unknown key (known here: %s)", known.data);
			buf_free(&known);
		}
		free(mpath);
	}
}

/* Checks that involve more than one value, after every key was read. */
static void
check_whole(struct loader *ld)
{
	const struct scenario *s = ld->s;
	long long n;

	if (s->cloud_share + s->edge_share > 1)
		loader_error(ld, "load", "scenario.shares-over-one",
		    "cloud_share + edge_share is %g, more than 1",
		    s->cloud_share + s->edge_share);
	n = scenario_grid_size(s);
	if (n > SCENARIO_MAX_GRID)
		loader_error(ld, "grid", "scenario.grid-too-large",
		    "%lld configurations, more than the limit of %lld",
		    n, SCENARIO_MAX_GRID);
	if (ld->errors == 0) {
		struct buf why;
		buf_init(&why);
		if (engine_check_scenario(s, &why) != 0)
			loader_error(ld, "(derived values)", "scenario.derived-values",
			    "%s", why.data);
		buf_free(&why);
	}
}

/*
 * The whole file into a NUL-terminated buffer, refusing more than
 * SCENARIO_MAX_BYTES and NUL bytes.  Returns NULL with an error in dl.
 */
static char *
slurp(const char *path, size_t *lenp, struct diag_list *dl)
{
	FILE *f;
	char *text;
	size_t len = 0, n;
	bool ok = false;

	if ((f = fopen(path, "rb")) == NULL) {
		diag_add(dl, DIAG_ERROR, "scenario.cannot-open",
		    path, "cannot open: %s", strerror(errno));
		return NULL;
	}
	text = xmalloc(SCENARIO_MAX_BYTES + 2);
	while (len <= SCENARIO_MAX_BYTES &&
	    (n = fread(text + len, 1, SCENARIO_MAX_BYTES + 1 - len, f)) > 0)
		len += n;
	if (ferror(f))
		diag_add(dl, DIAG_ERROR, "scenario.read-error",
		    path, "read error: %s", strerror(errno));
	else if (len > SCENARIO_MAX_BYTES)
		diag_add(dl, DIAG_ERROR, "scenario.too-large",
		    path, "larger than %d bytes; not a scenario file",
		    SCENARIO_MAX_BYTES);
	else if (memchr(text, '\0', len) != NULL)
		diag_add(dl, DIAG_ERROR, "scenario.nul-byte",
		    path, "contains a NUL byte; not a JSON text");
	else
		ok = true;
	fclose(f);
	if (!ok) {
		free(text);
		return NULL;
	}
	text[len] = '\0';
	*lenp = len;
	return text;
}

int
scenario_load(struct scenario *s, const char *path, struct diag_list *dl)
{
	size_t len = 0;
	char *text = slurp(path, &len, dl);
	int rc = -1;

	if (text != NULL)
		rc = scenario_load_text(s, path, text, len, dl);
	free(text);
	return rc;
}

int
scenario_load_text(struct scenario *s, const char *path, const char *text, size_t len,
    struct diag_list *dl)
{
	struct scenario copy = *s;
	struct loader ld = { path, &copy, dl, 0 };
	cJSON *root = NULL;
	const char *end = NULL, *why, *why_id;
	size_t bad;
	int rc = -1;

	if (len > SCENARIO_MAX_BYTES) {
		diag_add(dl, DIAG_ERROR, "scenario.too-large",
		    path, "larger than %d bytes; not a scenario file",
		    SCENARIO_MAX_BYTES);
		goto out;
	}
	if (memchr(text, '\0', len) != NULL) {
		diag_add(dl, DIAG_ERROR, "scenario.nul-byte",
		    path, "contains a NUL byte; not a JSON text");
		goto out;
	}
	/* the strict checker gives the exact place and reason of an error */
	if (!jsoncheck(text, len, &bad, &why_id, &why)) {
		jsoncheck_report(dl, why_id, path, text, len, bad, why);
		goto out;
	}
	root = cJSON_ParseWithLengthOpts(text, len, &end, false);
	if (root == NULL) {
		diag_add(dl, DIAG_ERROR, "scenario.unreadable-json",
		    path, "this JSON could not be read");
		goto out;
	}
	if (!cJSON_IsObject(root)) {
		char got[64];
		describe(root, got);
		diag_add(dl, DIAG_ERROR, "scenario.top-not-an-object",
		    path, "expected an object at the top level, got %s", got);
		goto out;
	}
	read_group(&ld, top_keys, root, "");
	if (ld.errors >= SCENARIO_MAX_ERRORS) {
		diag_add(dl, DIAG_ERROR, "scenario.too-many-errors",
		    path, "more than %d errors; the rest of the "
		    "file was not read", SCENARIO_MAX_ERRORS);
		goto out;
	}
	if (ld.errors == 0)
		check_whole(&ld);
	if (ld.errors != 0)
		goto out;
	copy.source = xstrdup(path);
	free(s->source);
	*s = copy;
	rc = 0;
out:
	cJSON_Delete(root);
	return rc;
}
