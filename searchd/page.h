/* The HTML page served at "/": a search form and the API's endpoints. */
#ifndef VNSEARCHD_PAGE_H
#define VNSEARCHD_PAGE_H

#include <stddef.h>

/* Static UTF-8 HTML; *len gets its length. */
const char *page_html(size_t *len);

#endif
