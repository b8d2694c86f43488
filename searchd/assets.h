/* The files of searchd/assets/, embedded at build time by
 * scripts/embed-assets (xxd -i) into the generated assets.c. */
#ifndef VNSEARCHD_ASSETS_H
#define VNSEARCHD_ASSETS_H

extern const unsigned char asset_app_js[];
extern const unsigned int asset_app_js_len;
extern const unsigned char asset_app_css[];
extern const unsigned int asset_app_css_len;

#endif
