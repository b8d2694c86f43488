/* vnsearch-ocr: one scanned file (PDF or image) on stdin or by path, its
 * text on stdout. vnsearch-index runs it in a sandbox, once per file. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "recognize.h"
#include "vnsearch/err.h"

/* What the first line of the output says: the format, for lib/ocr.c. */
#define OUTPUT_VERSION 1

static void usage(FILE *f)
{
    fprintf(f,
            "usage: vnsearch-ocr [OPTIONS] FILE|-\n"
            "Recognize the text of a scanned PDF or an image (PNG, JPEG,\n"
            "TIFF with all its pages) with Tesseract. Prints\n"
            "  vnsearch-ocr %d pages=N confidence=C\n"
            "then each page's text followed by a form feed.\n"
            "  --lang L          Tesseract languages (default vie+eng)\n"
            "  --page-seconds S  recognition time of one page (default 60)\n"
            "  --max-pages N     refuse longer files (default 100)\n"
            "  --dpi N           PDF rendering resolution (default 300)\n"
            "Exit: 0 text printed, 1 the file cannot be read (stderr says\n"
            "why, on its last line), 2 usage.\n",
            OUTPUT_VERSION);
}

/* fd to its end, at most max bytes. */
static int read_fd(int fd, unsigned char **out, size_t *outlen, size_t max)
{
    size_t cap = 1 << 20, len = 0;
    unsigned char *buf = malloc(cap), *p;
    ssize_t got;

    if (buf == NULL)
        return ENOMEM;
    for (;;) {
        if (len == cap) {
            if (cap > max) {
                free(buf);
                return EFBIG;
            }
            cap *= 2;
            p = realloc(buf, cap);
            if (p == NULL) {
                free(buf);
                return ENOMEM;
            }
            buf = p;
        }
        got = read(fd, buf + len, cap - len);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            int e = errno;

            free(buf);
            return e;
        }
        if (got == 0)
            break;
        len += (size_t)got;
    }
    if (len > max) {
        free(buf);
        return EFBIG;
    }
    *out = buf;
    *outlen = len;
    return 0;
}

static int number(const char *s, unsigned min, unsigned max, unsigned *out)
{
    char *end;
    unsigned long v;

    errno = 0;
    v = strtoul(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < min || v > max)
        return -1;
    *out = (unsigned)v;
    return 0;
}

static int write_all(const char *s, size_t n)
{
    while (n > 0) {
        ssize_t got = write(STDOUT_FILENO, s, n);

        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return -1;
        s += got;
        n -= (size_t)got;
    }
    return 0;
}

int main(int argc, char **argv)
{
    static const struct option longs[] = {
        {"lang", required_argument, NULL, 'l'},
        {"page-seconds", required_argument, NULL, 's'},
        {"max-pages", required_argument, NULL, 'p'},
        {"dpi", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct ocr_opts o = {"vie+eng", 60, 100, 300};
    struct ocr_result res = {0};
    unsigned char *data = NULL;
    size_t len = 0;
    char why[512], head[96];
    int c, fd, e;

    /* Tesseract's OpenMP threads would fight the indexer's own jobs (and
     * each other): one thread, set before libgomp starts, so exec again */
    if (getenv("OMP_THREAD_LIMIT") == NULL) {
        setenv("OMP_THREAD_LIMIT", "1", 1);
        execv("/proc/self/exe", argv);
        /* no /proc: go on with OpenMP's default */
    }
    while ((c = getopt_long(argc, argv, "h", longs, NULL)) != -1) {
        switch (c) {
        case 'l':
            o.lang = optarg;
            break;
        case 's':
            if (number(optarg, 1, 3600, &o.page_seconds) != 0) {
                fprintf(stderr, "vnsearch-ocr: --page-seconds takes 1 to "
                                "3600\n");
                return 2;
            }
            break;
        case 'p':
            if (number(optarg, 1, 10000, &o.max_pages) != 0) {
                fprintf(stderr, "vnsearch-ocr: --max-pages takes 1 to "
                                "10000\n");
                return 2;
            }
            break;
        case 'd':
            if (number(optarg, 72, 600, &o.dpi) != 0) {
                fprintf(stderr, "vnsearch-ocr: --dpi takes 72 to 600\n");
                return 2;
            }
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (optind + 1 != argc) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[optind], "-") == 0) {
        fd = STDIN_FILENO;
    } else {
        fd = open(argv[optind], O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            fprintf(stderr, "vnsearch-ocr: %s: %s\n", argv[optind],
                    strerror(errno));
            return 1;
        }
    }
    e = read_fd(fd, &data, &len, VNS_MAX_FILE);
    if (fd != STDIN_FILENO)
        close(fd);
    if (e != 0) {
        fprintf(stderr, "vnsearch-ocr: %s: %s\n", argv[optind],
                e == EFBIG ? "file too big" : strerror(e));
        return 1;
    }
    if (len == 0) {
        fprintf(stderr, "vnsearch-ocr: %s: empty file\n", argv[optind]);
        free(data);
        return 1;
    }
    if (ocr_recognize(data, len, &o, &res, why, sizeof(why)) != 0) {
        /* the last line of stderr is the reason the indexer shows */
        fprintf(stderr, "\nvnsearch-ocr: %s\n", why);
        free(data);
        return 1;
    }
    free(data);
    snprintf(head, sizeof(head), "vnsearch-ocr %d pages=%u confidence=%.1f\n",
             OUTPUT_VERSION, res.pages, res.confidence);
    e = write_all(head, strlen(head)) != 0 || write_all(res.text, res.len) != 0;
    free(res.text);
    if (e) {
        fprintf(stderr, "vnsearch-ocr: cannot write the text: %s\n",
                strerror(errno));
        return 1;
    }
    return 0;
}
