/*
 * device: walks a layout for a device (device.h).  Input: a layout and
 * a table of functions.  Output: whatever the device makes of the calls.
 */
#include "device/device.h"

static bool
one_box(const struct device_ops *ops, void *dev, const struct box *b)
{
	if (ops->box != NULL && !ops->box(dev, b))
		return false;
	switch (b->kind) {
	case BOX_TEXT:
		return ops->text(dev, b);
	case BOX_RECT:
		return ops->rect(dev, b);
	case BOX_LINE:
		return ops->line(dev, b);
	case BOX_FIGURE:
		return ops->figure(dev, b);
	}
	return true;
}

bool
device_render(const struct device_ops *ops, void *dev, const struct layout *lay)
{
	size_t i, k;

	for (i = 0; i < lay->n_pages; i++) {
		if (!ops->page(dev, i, lay->page_w, lay->page_h))
			return false;
		for (k = 0; k < lay->pages[i].n_boxes; k++)
			if (!one_box(ops, dev, &lay->pages[i].boxes[k]))
				return false;
		if (ops->page_end != NULL && !ops->page_end(dev, i))
			return false;
	}
	return true;
}
