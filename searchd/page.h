/* The HTML pages of vnsearchd: the search page at "/" (the first page
 * rendered here, then enhanced by /static/app.js), a document at
 * /doc/{id}, and the embedded assets under /static/. */
#ifndef VNSEARCHD_PAGE_H
#define VNSEARCHD_PAGE_H

#include <stddef.h>

#include "vnsearch/api.h"

/* GET /?q=...&province=...: the search page with the parameters of
 * /api/search; results and facets when q or a filter is given. *out is
 * malloc'd (free it), *status 200, or 400 when a parameter is refused
 * (the page then says why). Returns VNS_OK or VNS_ENOMEM. */
int page_search(struct vns_index *ix, const struct vns_param *p, size_t n,
                double time_limit, char **out, int *status);

/* GET /doc/{id}: title, fields and text of one document. *out malloc'd,
 * *status 200, 404 or 400. Returns VNS_OK or VNS_ENOMEM. */
int page_doc(struct vns_index *ix, const char *id, size_t idlen, char **out,
             int *status);

/* The embedded file at path ("/static/app.js"), or NULL; *len and *type
 * get its length and Content-Type. */
const char *page_asset(const char *path, size_t *len, const char **type);

#endif
