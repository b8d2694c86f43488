/* One log line, formatted into a buffer and written with one write(2).
 * Opening, rotating and choosing the descriptor is left to the programs. */
#include "logline.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LINE_MAX_BYTES 2048

static const char *log_prog = "vnsearch";
static enum vns_log_level log_level = VNS_LOG_INFO;
static enum vns_log_format log_format = VNS_LOG_TEXT;
static int log_fd = STDERR_FILENO;

static const char *const level_names[] = {"error", "warn", "info", "debug"};

void vns_log_setup(const char *prog, enum vns_log_level level,
                   enum vns_log_format format, int fd)
{
    log_prog = prog;
    log_level = level;
    log_format = format;
    log_fd = fd;
}

int vns_log_parse_level(const char *s, enum vns_log_level *out,
                        struct vns_err *err)
{
    for (int i = VNS_LOG_ERROR; i <= VNS_LOG_DEBUG; i++) {
        if (strcmp(s, level_names[i]) == 0) {
            *out = (enum vns_log_level)i;
            return VNS_OK;
        }
    }
    return vns_err_set(err, VNS_EINVAL,
                       "log level \"%s\": takes error, warn, info or debug", s);
}

int vns_log_parse_format(const char *s, enum vns_log_format *out,
                         struct vns_err *err)
{
    if (strcmp(s, "text") == 0) {
        *out = VNS_LOG_TEXT;
        return VNS_OK;
    }
    if (strcmp(s, "logfmt") == 0) {
        *out = VNS_LOG_LOGFMT;
        return VNS_OK;
    }
    return vns_err_set(err, VNS_EINVAL,
                       "log format \"%s\": takes text or logfmt", s);
}

int vns_log_on(enum vns_log_level level)
{
    return level <= log_level;
}

/* The line under construction; a full line is cut, never overrun. */
struct line {
    char buf[LINE_MAX_BYTES];
    size_t len;
};

static void put(struct line *l, const char *s, size_t n)
{
    if (n > sizeof(l->buf) - 1 - l->len)
        n = sizeof(l->buf) - 1 - l->len; /* room for the newline */
    memcpy(l->buf + l->len, s, n);
    l->len += n;
}

static void puts_(struct line *l, const char *s)
{
    put(l, s, strlen(s));
}

/* s with control bytes as \xNN (and, when quoting, " and \ escaped):
 * a file name holding a newline cannot start a line of its own. */
static void put_escaped(struct line *l, const char *s, int quote)
{
    static const char hex[] = "0123456789abcdef";

    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;
        char esc[4];

        if (c < 0x20 || c == 0x7f) {
            esc[0] = '\\';
            esc[1] = 'x';
            esc[2] = hex[c >> 4];
            esc[3] = hex[c & 15];
            put(l, esc, 4);
        } else if (quote && (c == '"' || c == '\\')) {
            esc[0] = '\\';
            esc[1] = (char)c;
            put(l, esc, 2);
        } else {
            put(l, s, 1);
        }
    }
}

/* logfmt quotes a value when it is empty or holds a space, = or ". */
static void put_value(struct line *l, const char *v)
{
    int quote = *v == '\0' || strpbrk(v, " =\"\\") != NULL;

    if (quote)
        put(l, "\"", 1);
    put_escaped(l, v, quote);
    if (quote)
        put(l, "\"", 1);
}

static void put_field(struct line *l, const char *key, const char *value)
{
    put(l, " ", 1);
    puts_(l, key);
    put(l, "=", 1);
    put_value(l, value);
}

static void put_time(struct line *l)
{
    struct timespec ts;
    struct tm tm;
    char buf[40];
    size_t n;

    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    n = strftime(buf, sizeof(buf), "ts=%Y-%m-%dT%H:%M:%S", &tm);
    n += (size_t)snprintf(buf + n, sizeof(buf) - n, ".%03ldZ",
                          ts.tv_nsec / 1000000);
    put(l, buf, n < sizeof(buf) ? n : sizeof(buf) - 1);
}

static void emit(struct line *l)
{
    const char *p = l->buf;
    size_t len = l->len;

    l->buf[len++] = '\n';
    while (len > 0) {
        ssize_t n = write(log_fd, p, len);

        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        p += n;
        len -= (size_t)n;
    }
}

static void vlog(enum vns_log_level level, const char *msg, va_list ap)
{
    struct line l;
    const char *file = NULL;
    const char *keys[16], *values[16];
    size_t nf = 0;

    for (;;) {
        const char *k = va_arg(ap, const char *), *v;

        if (k == NULL)
            break;
        v = va_arg(ap, const char *);
        if (v == NULL || nf == 16)
            continue;
        if (strcmp(k, "file") == 0 && file == NULL)
            file = v;
        keys[nf] = k;
        values[nf++] = v;
    }
    l.len = 0;
    if (log_format == VNS_LOG_LOGFMT) {
        put_time(&l);
        put_field(&l, "level", level_names[level]);
        put_field(&l, "prog", log_prog);
        put_field(&l, "msg", msg);
        for (size_t i = 0; i < nf; i++)
            put_field(&l, keys[i], values[i]);
        emit(&l);
        return;
    }
    puts_(&l, log_prog);
    puts_(&l, ": ");
    if (file != NULL) {
        put_escaped(&l, file, 0);
        puts_(&l, ": ");
    }
    if (level == VNS_LOG_WARN)
        puts_(&l, "warning: ");
    put_escaped(&l, msg, 0);
    for (size_t i = 0; i < nf; i++)
        if (values[i] != file)
            put_field(&l, keys[i], values[i]);
    emit(&l);
}

void vns_log(enum vns_log_level level, const char *msg, ...)
{
    va_list ap;

    if (!vns_log_on(level))
        return;
    va_start(ap, msg);
    vlog(level, msg, ap);
    va_end(ap);
}

static void log_fields0(enum vns_log_level level, const char *msg, ...)
{
    va_list ap;

    va_start(ap, msg);
    vlog(level, msg, ap);
    va_end(ap);
}

void vns_logf(enum vns_log_level level, const char *fmt, ...)
{
    char msg[LINE_MAX_BYTES];
    va_list ap;

    if (!vns_log_on(level))
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    log_fields0(level, msg, (const char *)NULL);
}
