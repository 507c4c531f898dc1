/*
 * samplecharts: charts from fixed sample data (translucent fills, every
 * tier, all seven invariants) for the tools that typeset a document
 * without a ledger (bench_pdf, md2pdf --charts).  Header-only.
 */
#ifndef ARCHAUDIT_SAMPLECHARTS_H
#define ARCHAUDIT_SAMPLECHARTS_H

#include <stdio.h>
#include <string.h>

#include "chart/chart.h"
#include "layout/font.h"

static const char *const inv_names[N_INVARIANTS] = {
	"Iron Law", "Memory Wall", "Amdahl", "Roofline", "Little's Law", "Drift", "Fairness",
};

struct charts {
	struct chart_ctx *cx;
	struct text_measurer m;
	struct radar_data radar;
	struct archmap_data archmap;
	struct ctxbars_data ctxbars;
	struct drawing *made[16];      /* owned until charts_clear */
	int n_made;
};

static inline const struct drawing *
provide(void *arg, const char *name, double w, double h)
{
	struct charts *ch = arg;
	struct drawing *d = NULL;

	if (ch->n_made == 16)
		return NULL;
	if (strcmp(name, "radar") == 0)
		d = chart_radar(ch->cx, &ch->radar, w, h, &ch->m);
	else if (strcmp(name, "archmap") == 0)
		d = chart_archmap(ch->cx, &ch->archmap, w, h, &ch->m);
	else if (strcmp(name, "ctxbars") == 0)
		d = chart_ctxbars(ch->cx, &ch->ctxbars, w, h, &ch->m);
	if (d != NULL)
		ch->made[ch->n_made++] = d;
	return d;
}

static inline void
charts_clear(struct charts *ch)
{
	while (ch->n_made > 0)
		drawing_free(ch->made[--ch->n_made]);
}

static inline void
charts_init(struct charts *ch, const struct font_set *fs)
{
	static const char *const tiers[CTX_COUNT][2] = {
		{"Cloud", "H100×2, FP16"}, {"Edge", "Jetson, INT8"}, {"Mobile", "NPU, INT4"},
		{"TinyML", "MCU, INT8"},
	};
	static const double gb[CTX_COUNT] = {28.0, 6.5, 1.9, 0.0004};
	static const double p99[CTX_COUNT] = {183, 95, 240, 8000};
	static const double budget[CTX_COUNT] = {160, 8, 3, 0.00025};
	int i;

	memset(ch, 0, sizeof(*ch));
	ch->cx = chart_ctx_new();
	ch->m = font_set_measurer(fs);
	for (i = 0; i < N_INVARIANTS; i++) {
		ch->radar.names[i] = inv_names[i];
		ch->radar.correct[i] = 0.4 + 0.08 * i;
		ch->radar.hit[i] = 0.7 - 0.09 * i;
		ch->radar.has_data[i] = true;
		ch->radar.weakest = 0;
	}
	for (i = 0; i < CTX_COUNT; i++) {
		snprintf(ch->archmap.tier[i].name, sizeof(ch->archmap.tier[i].name), "%s",
		    tiers[i][0]);
		snprintf(ch->archmap.tier[i].detail, sizeof(ch->archmap.tier[i].detail), "%s",
		    tiers[i][1]);
		ch->archmap.tier[i].footprint_gb = gb[i];
		ch->archmap.tier[i].p99_ms = p99[i];
		ch->archmap.tier[i].budget_gb = budget[i];
		ch->archmap.tier[i].oom = gb[i] > budget[i];
		ch->ctxbars.counts[i] = 3 + 2 * i;
	}
	ch->archmap.slo_p99_ms = 200;
}

static inline void
charts_free(struct charts *ch)
{
	charts_clear(ch);
	chart_ctx_free(ch->cx);
}

#endif
