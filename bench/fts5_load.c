/* bench/compare's SQLite FTS5 anchor: load every file under a gen-notices
 * docs/ folder into one FTS5 table, as a plain loader a province might write.
 * Text only: UTF-8 kept, UTF-16 with a BOM converted, other bytes that are
 * not UTF-8 (legacy encodings: their marked letters) become spaces, files
 * with NUL bytes (DOCX, PDF, random binary) are skipped; HTML loses its
 * tags. */
#define _XOPEN_SOURCE 700

#include <ftw.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <sqlite3.h>

#define MAX_FILE (64u << 20)

static sqlite3 *db;
static sqlite3_stmt *ins;
static size_t root_len;
static unsigned n_loaded, n_binary, n_empty, n_utf16, n_lossy, n_failed;

/* Length of the valid UTF-8 sequence at s[0..n), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    size_t len;
    unsigned cp;

    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xC2 && s[0] <= 0xDF)
        len = 2, cp = s[0] & 0x1F;
    else if (s[0] >= 0xE0 && s[0] <= 0xEF)
        len = 3, cp = s[0] & 0x0F;
    else if (s[0] >= 0xF0 && s[0] <= 0xF4)
        len = 4, cp = s[0] & 0x07;
    else
        return 0;
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3F);
    }
    if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
        return 0;
    return len;
}

/* Keeps the valid UTF-8 of buf in place, each invalid byte turned into a
 * space; returns how many bytes were invalid. */
static size_t keep_valid(unsigned char *buf, size_t n)
{
    size_t bad = 0;

    for (size_t i = 0; i < n;) {
        size_t l = utf8_len(buf + i, n - i);
        if (l == 0) {
            buf[i++] = ' ';
            bad++;
        } else {
            i += l;
        }
    }
    return bad;
}

/* UTF-16 with a BOM to UTF-8 (glibc iconv); NULL when it fails. */
static char *from_utf16(const char *buf, size_t n, size_t *out_len)
{
    const char *enc = (unsigned char)buf[0] == 0xFF ? "UTF-16LE" : "UTF-16BE";
    iconv_t cd = iconv_open("UTF-8//IGNORE", enc);
    size_t cap = n * 2 + 16, left = cap, inleft = n - 2;
    char *out, *o, *in = (char *)buf + 2;

    if (cd == (iconv_t)-1)
        return NULL;
    out = o = malloc(cap);
    if (out != NULL && iconv(cd, &in, &inleft, &o, &left) == (size_t)-1 &&
        inleft > 1) {
        free(out);
        out = NULL;
    }
    iconv_close(cd);
    if (out != NULL)
        *out_len = cap - left;
    return out;
}

/* Drops <...> tags in place: the words of the page stay, markup goes. */
static size_t strip_tags(char *buf, size_t n)
{
    size_t o = 0;
    int in_tag = 0;

    for (size_t i = 0; i < n; i++) {
        if (buf[i] == '<') {
            in_tag = 1;
            buf[o++] = ' ';
        } else if (buf[i] == '>' && in_tag) {
            in_tag = 0;
        } else if (!in_tag) {
            buf[o++] = buf[i];
        }
    }
    return o;
}

static int has_ext(const char *path, const char *ext)
{
    size_t n = strlen(path), e = strlen(ext);

    return n > e && strcmp(path + n - e, ext) == 0;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    size_t n;

    if (f == NULL)
        return NULL;
    buf = malloc(MAX_FILE + 1);
    if (buf == NULL) {
        fclose(f);
        return NULL;
    }
    n = fread(buf, 1, MAX_FILE, f);
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

static int load_one(const char *path, const struct stat *st, int type,
                    struct FTW *ftw)
{
    const char *id = path + root_len;
    char *buf, *text;
    size_t n, tn;

    (void)st;
    (void)ftw;
    if (type != FTW_F)
        return 0; /* folders, symlinks (bad/loop) */
    buf = read_file(path, &n);
    if (buf == NULL) {
        n_failed++;
        return 0;
    }
    text = buf;
    tn = n;
    if (n >= 2 && (((unsigned char)buf[0] == 0xFF && buf[1] == '\xFE') ||
                   ((unsigned char)buf[0] == 0xFE && buf[1] == '\xFF'))) {
        text = from_utf16(buf, n, &tn);
        if (text == NULL) {
            n_failed++;
            free(buf);
            return 0;
        }
        n_utf16++;
    } else if (n == 0) {
        n_empty++;
        free(buf);
        return 0;
    } else if (memchr(buf, '\0', n) != NULL) {
        n_binary++;
        free(buf);
        return 0;
    }
    if (keep_valid((unsigned char *)text, tn) > 0)
        n_lossy++;
    if (has_ext(path, ".html") || has_ext(path, ".htm"))
        tn = strip_tags(text, tn);
    sqlite3_bind_text(ins, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 2, text, (int)tn, SQLITE_STATIC);
    if (sqlite3_step(ins) != SQLITE_DONE) {
        fprintf(stderr, "fts5_load: %s: %s\n", id, sqlite3_errmsg(db));
        n_failed++;
    } else {
        n_loaded++;
    }
    sqlite3_reset(ins);
    if (text != buf)
        free(text);
    free(buf);
    return 0;
}

static int exec(const char *sql)
{
    char *msg = NULL;

    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        fprintf(stderr, "fts5_load: %s: %s\n", sql, msg);
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    char root[4096];

    if (argc != 3) {
        fprintf(stderr, "usage: fts5_load DB DOCS_DIR\n");
        return 2;
    }
    remove(argv[1]);
    if (sqlite3_open(argv[1], &db) != SQLITE_OK) {
        fprintf(stderr, "fts5_load: %s: %s\n", argv[1], sqlite3_errmsg(db));
        return 1;
    }
    snprintf(root, sizeof(root), "%s", argv[2]);
    while (strlen(root) > 1 && root[strlen(root) - 1] == '/')
        root[strlen(root) - 1] = '\0';
    root_len = strlen(root) + 1; /* ids are relative to docs/, no slash */
    if (exec("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, body, "
             "tokenize='unicode61 remove_diacritics 2')") != 0 ||
        exec("BEGIN") != 0)
        return 1;
    if (sqlite3_prepare_v2(db, "INSERT INTO docs(id, body) VALUES (?1, ?2)", -1,
                           &ins, NULL) != SQLITE_OK) {
        fprintf(stderr, "fts5_load: %s\n", sqlite3_errmsg(db));
        return 1;
    }
    if (nftw(root, load_one, 16, FTW_PHYS) != 0) {
        perror(root);
        return 1;
    }
    sqlite3_finalize(ins);
    /* one b-tree segment, as a static collection would be kept */
    if (exec("COMMIT") != 0 ||
        exec("INSERT INTO docs(docs) VALUES ('optimize')") != 0)
        return 1;
    sqlite3_close(db);
    printf("fts5_load: %u documents (%u UTF-16 converted, %u with non-UTF-8 "
           "bytes blanked), skipped %u binary, %u empty, %u failed\n",
           n_loaded, n_utf16, n_lossy, n_binary, n_empty, n_failed);
    return 0;
}
