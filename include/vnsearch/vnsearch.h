/* vnsearch: full-text search for Vietnamese official documents.
 * Include this one header for the whole public API. */
#ifndef VNSEARCH_VNSEARCH_H
#define VNSEARCH_VNSEARCH_H

#include "vnsearch/analyze.h"
#include "vnsearch/api.h"
#include "vnsearch/crawl.h"
#include "vnsearch/err.h"
#include "vnsearch/index.h"
#include "vnsearch/maintain.h"
#include "vnsearch/manifest.h"
#include "vnsearch/ocr.h"
#include "vnsearch/search.h"
#include "vnsearch/suggest.h"
#include "vnsearch/watch.h"

#define VNS_VERSION "0.1.0"

#endif
