/*
 * audit_json: one audit as the JSON object of spec section 6 (--json).
 */
#ifndef ARCHAUDIT_AUDIT_JSON_H
#define ARCHAUDIT_AUDIT_JSON_H

#include "model/results.h"
#include "base/util.h"

/* One section-6 object, on one line (indent 0) or pretty. */
void audit_write_json(const struct audit *a, const struct scenario *s,
    struct buf *out, int indent);

#endif
