/* The page at "/": a plain Vietnamese form that GETs /api/search and the
 * list of endpoints. No script or inline style (the CSP forbids them). */
#include "page.h"

#include <string.h>

const char *page_html(size_t *len)
{
    static const char html[] =
        "<!DOCTYPE html>\n"
        "<html lang=\"vi\">\n"
        "<head>\n"
        "<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, "
        "initial-scale=1\">\n"
        "<title>vnsearch — Tìm kiếm văn bản</title>\n"
        "</head>\n"
        "<body>\n"
        "<h1>Tìm kiếm văn bản</h1>\n"
        "<form action=\"/api/search\" method=\"get\">\n"
        "<p><label>Từ khóa: <input type=\"search\" name=\"q\" size=\"40\" "
        "placeholder=\"tiêm mũi 2\" autofocus></label></p>\n"
        "<p><label>Tỉnh (cũ hoặc từ 2025): <input name=\"province\"></label> "
        "<label>Tỉnh từ 2025: <input name=\"province_2025\"></label></p>\n"
        "<p><label>Cơ quan ban hành: <input name=\"body\"></label> "
        "<label>Loại văn bản: <input name=\"type\" size=\"10\"></label></p>\n"
        "<p><label>Từ ngày: <input type=\"date\" name=\"from\"></label> "
        "<label>Đến ngày: <input type=\"date\" name=\"to\"></label></p>\n"
        "<p><label>Thời hạn từ: <input type=\"date\" "
        "name=\"deadline_from\"></label> "
        "<label>đến: <input type=\"date\" name=\"deadline_to\"></label> "
        "<label><input type=\"checkbox\" name=\"has_deadline\" value=\"1\"> "
        "Chỉ văn bản có thời hạn</label></p>\n"
        "<p><label>Sắp xếp: <select name=\"sort\">"
        "<option value=\"relevance\">Liên quan nhất</option>"
        "<option value=\"date\">Mới nhất</option></select></label> "
        "<label>Số kết quả: <input type=\"number\" name=\"size\" min=\"1\" "
        "max=\"100\" value=\"10\"></label></p>\n"
        "<p><button type=\"submit\">Tìm kiếm</button></p>\n"
        "</form>\n"
        "<h2>Giao diện lập trình (JSON)</h2>\n"
        "<ul>\n"
        "<li><code>GET /api/search?q=…</code> — tìm kiếm, lọc "
        "(province, province_2025, body, type, from, to, deadline_from, "
        "deadline_to, has_deadline), sắp xếp (sort=relevance|date), trang "
        "(page, size ≤ 100)</li>\n"
        "<li><code>GET /api/doc/{id}</code> — toàn văn và các trường của "
        "một văn bản; <code>GET /api/doc/{id}/raw</code> — tệp gốc</li>\n"
        "<li><code>GET /api/suggest?q=…</code> — gợi ý từ (khôi phục "
        "dấu)</li>\n"
        "<li><code>GET /api</code> — mô tả đầy đủ; <code>GET /healthz</code>, "
        "<code>GET /metrics</code></li>\n"
        "</ul>\n"
        "</body>\n"
        "</html>\n";

    *len = sizeof(html) - 1;
    return html;
}
