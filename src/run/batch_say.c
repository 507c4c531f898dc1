/*
 * batch_say: the batch run's messages on standard error (batch.c,
 * batch_outputs.c).  Input: the run and lines of text.  Output: lines
 * above the progress line, which is redrawn in place on a terminal and
 * printed every tenth of the run otherwise; every line goes through
 * diag_put_text, as it names students and files (anybody's text).
 */
#include "run/batch_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void
batch_clear_progress(struct run *r)
{
	if (r->line_shown) {
		fputs("\r\033[K", stderr);
		r->line_shown = false;
	}
}

static void
put_duration(struct buf *b, double s)
{
	long t = s < 0 ? 0 : (long)(s + 0.5);
	if (t >= 3600)
		buf_printf(b, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
	else
		buf_printf(b, "%ld:%02ld", t / 60, t % 60);
}

void
batch_progress(struct run *r, bool force)
{
	double t = batch_now(), el = t - r->t0, rate;
	size_t done = r->done + r->n_queued;    /* written, waiting for their sync */
	struct buf b;
	int tenth;

	if (r->o->quiet || r->n_todo == 0)
		return;
	tenth = (int)(done * 10 / r->n_todo);
	if (r->tty ? (!force && t - r->last_draw < 0.1)
	    : (tenth == r->last_tenth || done == r->n_todo))
		return;
	r->last_draw = t;
	r->last_tenth = tenth;
	rate = el > 0 ? done / el : 0;
	buf_init(&b);
	buf_printf(&b, "archaudit: %zu/%zu reports (%d%%), %.1f/s", done,
	    r->n_todo, (int)(done * 100 / r->n_todo), rate);
	if (rate > 0 && done < r->n_todo) {
		buf_puts(&b, ", ");
		put_duration(&b, (r->n_todo - done) / rate);
		buf_puts(&b, " left");
	}
	if (r->tty) {
		fprintf(stderr, "\r\033[K%s", b.data);
		r->line_shown = true;
	} else {
		fprintf(stderr, "%s\n", b.data);
	}
	fflush(stderr);
	buf_free(&b);
}

/*
 * Print text (whole lines) above the progress line, as diag_format would:
 * the lines name students and files, anybody's text (util.h).
 */
void
batch_say(struct run *r, const char *text, size_t len)
{
	struct buf b;

	if (len == 0)
		return;
	batch_clear_progress(r);
	buf_init(&b);
	diag_put_text(&b, text, len, true);
	fwrite(b.data, 1, b.len, stderr);
	if (text[len - 1] != '\n')
		fputc('\n', stderr);
	buf_free(&b);
}

void
batch_sayf(struct run *r, const char *fmt, ...)
{
	struct buf b;
	va_list ap;

	buf_init(&b);
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	buf_putc(&b, '\n');
	batch_say(r, b.data, b.len);
	buf_free(&b);
}

/* Diagnostics of dl as text lines, filtered by -q and -v; where-less ones get label. */
void
batch_format_diags(const struct diag_list *dl, const struct batch_options *o,
    const char *label, struct buf *out)
{
	struct buf line;

	buf_init(&line);
	for (size_t i = 0; i < dl->n; i++) {
		const struct diag *d = &dl->items[i];
		if ((d->level == DIAG_NOTE && !o->verbose) ||
		    (d->level == DIAG_WARNING && o->quiet))
			continue;
		buf_reset(&line);
		if (o->verbose)
			diag_format_id(d, &line);
		else
			diag_format(d, &line);
		if (d->where == NULL)
			buf_printf(out, "%s: ", label);
		buf_put(out, line.data, line.len);
		buf_putc(out, '\n');
	}
	if (dl->dropped > 0 && !o->quiet)
		buf_printf(out, "%s: %zu more messages not shown\n", label, dl->dropped);
	buf_free(&line);
}

/* The first error of dl on one line, naming label if the error does not. */
void
batch_first_error(const struct diag_list *dl, const char *label, struct buf *out)
{
	struct buf line;

	buf_init(&line);
	for (size_t i = 0; i < dl->n; i++) {
		if (dl->items[i].level != DIAG_ERROR)
			continue;
		diag_format(&dl->items[i], &line);
		line.len = strcspn(line.data, "\n");
		if (dl->items[i].where == NULL)
			buf_printf(out, "%s: ", label);
		buf_put(out, line.data, line.len);
		buf_free(&line);
		return;
	}
	buf_printf(out, "%s: error: no report (reason unknown)", label);
	buf_free(&line);
}

