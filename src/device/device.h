/*
 * device: the one interface every device that draws a layout implements,
 * as mandoc's struct termp is for its terminal, PostScript and PDF
 * outputs.  device_render walks a layout's pages and boxes in order and
 * calls the device's function for each; a device keeps its own state in
 * the pointer it is given.  The PDF device (pdf.c) and the text device
 * (dump.c, the goldens) are the two today.  The PNG and SVG figures are
 * not layouts: they paint one struct drawing (drawing.c).
 */
#ifndef ARCHAUDIT_DEVICE_H
#define ARCHAUDIT_DEVICE_H

#include <stdbool.h>
#include <stddef.h>

#include "layout/layout.h"

struct device_ops {
	/* Page no (0-based) of width w and height h (points) begins. */
	bool (*page)(void *dev, size_t no, double w, double h);
	/* Before each box, whatever its kind (NULL: nothing to do). */
	bool (*box)(void *dev, const struct box *b);
	bool (*text)(void *dev, const struct box *b);
	bool (*rect)(void *dev, const struct box *b);
	bool (*line)(void *dev, const struct box *b);
	bool (*figure)(void *dev, const struct box *b);
	/* The page's last box was drawn (NULL: nothing to do). */
	bool (*page_end)(void *dev, size_t no);
};

/* Draws every page of lay on dev; false as soon as a function returns false. */
bool device_render(const struct device_ops *ops, void *dev, const struct layout *lay);

#endif
