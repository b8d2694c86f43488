/* The gazetteer: data/gazetteer.tsv read into units sorted by kind and
 * code, and a hash of folded names. Reading names in notices is meta's. */
#include "gazetteer.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "datadir.h"
#include "vnsearch/analyze.h"

#define GAZ_FILE "gazetteer.tsv"
#define GAZ_MAGIC "# vnsearch-gazetteer 1"
#define GAZ_MAX_FILE (16u * 1024 * 1024) /* ours is ~420 kB */
#define KEY_MAX 256           /* bytes of a folded name, with the NUL */
#define KEY_WORDS 4           /* leading words remembered for type words */
#define ID_MAX 16             /* bytes of a code, with the NUL */
#define MAX_FIELDS 6          /* the most a line has (P) */
#define NKIND 5               /* VNS_GAZ_PROVINCE ... VNS_GAZ_COMMUNE_2025 */
#define ALIAS_BIT 0x80000000u /* a posting reached by a province's alias */

/* The records of the file, in kind (bit) order: tag, fields, allowed
 * types, and the kind of the parent named in field 4 (0: a province). */
static const struct {
    const char *tag;
    int nfields;
    unsigned types, parent;
    const char *no_parent;
} records[NKIND] = {
    {"P", 6, VNS_GAZ_TINH | VNS_GAZ_THANH_PHO, 0, NULL},
    {"D", 5, VNS_GAZ_QUAN | VNS_GAZ_HUYEN | VNS_GAZ_THI_XA | VNS_GAZ_THANH_PHO,
     VNS_GAZ_PROVINCE, "no P with the code"},
    {"C", 5, VNS_GAZ_XA | VNS_GAZ_PHUONG | VNS_GAZ_THI_TRAN, VNS_GAZ_DISTRICT,
     "no D with the code"},
    {"NP", 5, VNS_GAZ_TINH | VNS_GAZ_THANH_PHO, 0, NULL},
    {"NC", 5, VNS_GAZ_XA | VNS_GAZ_PHUONG | VNS_GAZ_DAC_KHU,
     VNS_GAZ_PROVINCE_2025, "no NP with the code"},
};

static const struct {
    unsigned type;
    const char *word;  /* as in the file */
    const char *label; /* as it starts a full name */
} type_names[] = {
    {VNS_GAZ_TINH, "tỉnh", "Tỉnh"},
    {VNS_GAZ_THANH_PHO, "thành phố", "Thành phố"},
    {VNS_GAZ_QUAN, "quận", "Quận"},
    {VNS_GAZ_HUYEN, "huyện", "Huyện"},
    {VNS_GAZ_THI_XA, "thị xã", "Thị xã"},
    {VNS_GAZ_PHUONG, "phường", "Phường"},
    {VNS_GAZ_XA, "xã", "Xã"},
    {VNS_GAZ_THI_TRAN, "thị trấn", "Thị trấn"},
    {VNS_GAZ_DAC_KHU, "đặc khu", "Đặc khu"},
};

/* Type words a query may start with, folded, with their short forms
 * ("TP.", "TX.", "Q.1", "P. Bến Nghé", "H. Bác Ái"). */
static const struct {
    const char *w[2];
    unsigned types;
} type_words[] = {
    {{"thanh", "pho"}, VNS_GAZ_THANH_PHO}, {{"tp", NULL}, VNS_GAZ_THANH_PHO},
    {{"tinh", NULL}, VNS_GAZ_TINH},        {{"quan", NULL}, VNS_GAZ_QUAN},
    {{"q", NULL}, VNS_GAZ_QUAN},           {{"huyen", NULL}, VNS_GAZ_HUYEN},
    {{"h", NULL}, VNS_GAZ_HUYEN},          {{"thi", "xa"}, VNS_GAZ_THI_XA},
    {{"tx", NULL}, VNS_GAZ_THI_XA},        {{"thi", "tran"}, VNS_GAZ_THI_TRAN},
    {{"tt", NULL}, VNS_GAZ_THI_TRAN},      {{"phuong", NULL}, VNS_GAZ_PHUONG},
    {{"p", NULL}, VNS_GAZ_PHUONG},         {{"xa", NULL}, VNS_GAZ_XA},
    {{"dac", "khu"}, VNS_GAZ_DAC_KHU},
};

/* One name in the hash: its units are post[first .. first + count). */
struct slot {
    uint32_t key; /* offset in keys, plus one; 0 marks an empty slot */
    uint32_t hash;
    uint32_t first;
    uint32_t count;
    unsigned kinds; /* kinds in the run: suggest skips the others fast */
};

/* Merger links of a province: links[first .. first + count). */
struct merge {
    uint32_t first;
    uint32_t count;
};

struct vns_gaz {
    char *text; /* the file, cut in place: every name points in here */
    struct vns_gaz_unit *units; /* by kind (bit order), then code */
    struct merge *merge;        /* one per unit; set for provinces */
    size_t nunits;
    size_t kfirst[NKIND], kcount[NKIND];
    uint32_t *links; /* old -> 2025 provinces, then 2025 -> old */
    char *fulls;     /* "Huyện Ninh Hải": full names built at load */
    char *keys;      /* folded names, NUL after each */
    struct slot *slots;
    size_t mask;    /* slots in the table minus one (a power of two) */
    uint32_t *post; /* unit index, | ALIAS_BIT for an alias */
};

/* A P line's 2025 codes ("35,36,37"), read once every NP is known. */
struct ref {
    const char *codes;
    uint32_t line;
};

/* State while loading; every array has a place per line of the file. */
struct load {
    const char *path;
    struct vns_err *err;
    struct vns_gaz *gz;
    struct ref *refs;
    uint32_t *pslot; /* per name (of a unit or an alias): its slot */
    uint32_t *pval;  /* per name: unit index, | ALIAS_BIT for an alias */
    size_t nnames, keylen, keycap;
    int last_ki; /* kind index of the last unit line */
};

/* A name folded for lookup, punctuation and spaces dropped so spellings
 * meet: "TP. Hồ Chí Minh" -> "tphochiminh", "Ea H'Leo" = "Ea Hleo". */
struct nkey {
    char k[KEY_MAX];
    size_t len;
    size_t nw;              /* words seen */
    size_t wend[KEY_WORDS]; /* where each of the first words ends in k */
};

static int kind_index(unsigned kind)
{
    for (int i = 0; i < NKIND; i++)
        if (kind == 1u << i) /* VNS_GAZ_PROVINCE is bit 0, and so on */
            return i;
    return -1;
}

static int bad(struct load *ld, uint32_t line, const char *what,
               const char *arg)
{
    return vns_err_set(ld->err, VNS_EBADDATA, "%s:%u: bad line (%s%s%s)",
                       ld->path, (unsigned)line, what, arg ? " " : "",
                       arg ? arg : "");
}

static int normalize(const char *s, struct nkey *nk)
{
    char folded[KEY_MAX * 2];
    size_t n = 0;
    int inword = 0;

    nk->len = nk->nw = 0;
    if (vns_fold(s, folded, sizeof(folded)) != VNS_OK)
        return -1; /* longer than any place name */
    for (size_t i = 0;; i++) {
        char c = folded[i];
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            if (n + 1 >= sizeof(nk->k))
                return -1;
            nk->k[n++] = c;
            inword = 1;
            continue;
        }
        if (inword && nk->nw < KEY_WORDS)
            nk->wend[nk->nw] = n;
        nk->nw += inword;
        inword = 0;
        if (c == '\0')
            break;
    }
    nk->k[n] = '\0';
    nk->len = n;
    return 0;
}

/* Bytes of nk->k a leading type word takes ("tp" of "tphochiminh"), its
 * types in *types; 0 when there is none or nothing follows it. */
static size_t type_prefix(const struct nkey *nk, unsigned *types)
{
    for (size_t i = 0; i < sizeof(type_words) / sizeof(type_words[0]); i++) {
        size_t nw = type_words[i].w[1] ? 2 : 1, start = 0;
        size_t w = 0;
        if (nk->nw <= nw)
            continue;
        for (w = 0; w < nw; w++) {
            const char *want = type_words[i].w[w];
            size_t len = nk->wend[w] - start;
            if (strlen(want) != len || memcmp(nk->k + start, want, len) != 0)
                break;
            start = nk->wend[w];
        }
        if (w == nw) {
            *types = type_words[i].types;
            return start;
        }
    }
    return 0;
}

static uint32_t hash(const char *s, size_t len)
{
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

static int id_cmp(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la != lb)
        return la < lb ? -1 : 1;
    return strcmp(a, b);
}

static int u64_cmp(const void *pa, const void *pb)
{
    uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
    return a < b ? -1 : a > b;
}

static int is_code(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n >= ID_MAX)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

static int read_file(const char *path, char **out, size_t *outlen,
                     struct vns_err *err)
{
    FILE *f = fopen(path, "rb");
    struct stat st;
    char *buf = NULL;
    int rc = VNS_OK;

    if (f == NULL)
        return vns_err_set(err, errno == ENOENT ? VNS_ENOTFOUND : VNS_EIO,
                           "%s: %s", path, strerror(errno));
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode))
        rc = vns_err_set(err, VNS_EIO, "%s: not a regular file", path);
    else if ((unsigned long long)st.st_size > GAZ_MAX_FILE)
        rc = vns_err_set(err, VNS_ETOOBIG, "%s: %lld bytes, over %u", path,
                         (long long)st.st_size, GAZ_MAX_FILE);
    else if ((buf = malloc((size_t)st.st_size + 1)) == NULL)
        rc = vns_err_set(err, VNS_ENOMEM, "%s: out of memory", path);
    else if (fread(buf, 1, (size_t)st.st_size, f) != (size_t)st.st_size)
        rc = vns_err_set(err, VNS_EIO, "%s: short read", path);
    fclose(f);
    if (rc != VNS_OK) {
        free(buf);
        return rc;
    }
    buf[st.st_size] = '\0';
    *out = buf;
    *outlen = (size_t)st.st_size;
    return VNS_OK;
}

static int parse_type(const char *word, unsigned allowed, unsigned *type)
{
    for (size_t i = 0; i < sizeof(type_names) / sizeof(type_names[0]); i++)
        if (strcmp(word, type_names[i].word) == 0 &&
            (type_names[i].type & allowed)) {
            *type = type_names[i].type;
            return 0;
        }
    return -1;
}

/* Hash one name of a unit (or, with ALIAS_BIT, of a province). */
static int add_name(struct load *ld, const char *name, uint32_t val,
                    uint32_t line)
{
    struct vns_gaz *gz = ld->gz;
    struct nkey nk;
    uint32_t h;
    size_t j;

    if (normalize(name, &nk) != 0 || nk.len == 0)
        return bad(ld, line,
                   "name without letters or digits, or too long:", name);
    h = hash(nk.k, nk.len);
    /* the table has two slots per line of the file: never full */
    for (j = h & gz->mask; gz->slots[j].key != 0; j = (j + 1) & gz->mask)
        if (gz->slots[j].hash == h &&
            strcmp(gz->keys + gz->slots[j].key - 1, nk.k) == 0)
            break;
    if (gz->slots[j].key == 0) {
        if (ld->keylen + nk.len + 1 > ld->keycap) {
            size_t cap = ld->keycap ? 2 * ld->keycap : 64 * 1024;
            char *keys = realloc(gz->keys, cap);
            if (keys == NULL)
                return vns_err_set(ld->err, VNS_ENOMEM, "%s: out of memory",
                                   ld->path);
            gz->keys = keys;
            ld->keycap = cap;
        }
        memcpy(gz->keys + ld->keylen, nk.k, nk.len + 1);
        gz->slots[j].key = (uint32_t)ld->keylen + 1;
        gz->slots[j].hash = h;
        ld->keylen += nk.len + 1;
    }
    gz->slots[j].count++;
    gz->slots[j].kinds |= gz->units[val & ~ALIAS_BIT].kind;
    ld->pslot[ld->nnames] = (uint32_t)j;
    ld->pval[ld->nnames++] = val;
    return VNS_OK;
}

static int parse_alias(struct load *ld, char **f, int nf, uint32_t line)
{
    const struct vns_gaz_unit *u;
    unsigned kind = 0;

    if (nf != 4)
        return bad(ld, line, "wrong number of fields for", f[0]);
    if (strcmp(f[1], "P") == 0)
        kind = VNS_GAZ_PROVINCE;
    else if (strcmp(f[1], "NP") == 0)
        kind = VNS_GAZ_PROVINCE_2025;
    else
        return bad(ld, line, "alias of neither P nor NP:", f[1]);
    u = vns_gaz_get(ld->gz, kind, f[2]);
    if (u == NULL)
        return bad(ld, line, "no province with the code", f[2]);
    return add_name(ld, f[3], (uint32_t)(u - ld->gz->units) | ALIAS_BIT, line);
}

static int parse_line(struct load *ld, char *s, uint32_t line)
{
    struct vns_gaz *gz = ld->gz;
    struct vns_gaz_unit *u = &gz->units[gz->nunits];
    char *f[MAX_FIELDS];
    int nf = 0, ki;

    for (char *p = s;;) {
        if (nf == MAX_FIELDS)
            return bad(ld, line, "too many fields", NULL);
        f[nf++] = p;
        p = strchr(p, '\t');
        if (p == NULL)
            break;
        *p++ = '\0';
    }
    for (int i = 0; i < nf; i++)
        if (f[i][0] == '\0')
            return bad(ld, line, "empty field", NULL);
    if (nf < 4) /* every record: its tag, a code, and at least two more */
        return bad(ld, line, "too few fields", NULL);
    if (strcmp(f[0], "A") == 0)
        return parse_alias(ld, f, nf, line);
    for (ki = 0; ki < NKIND && strcmp(f[0], records[ki].tag) != 0; ki++)
        ;
    if (ki == NKIND)
        return bad(ld, line, "unknown record", f[0]);
    if (nf != records[ki].nfields)
        return bad(ld, line, "wrong number of fields for", f[0]);
    if (!is_code(f[1]))
        return bad(ld, line, "bad code", f[1]);
    /* vns_gaz_get bisects each kind's codes, and a parent must be known
     * when its children come: kinds in bit order, codes ascending */
    if (ki < ld->last_ki)
        return bad(ld, line, "out of order:", f[0]);
    if (gz->kcount[ki] > 0 && id_cmp(u[-1].id, f[1]) >= 0)
        return bad(ld, line, "duplicate or unsorted code", f[1]);
    *u = (struct vns_gaz_unit){.id = f[1], .name = f[3], .kind = 1u << ki};
    if (parse_type(f[2], records[ki].types, &u->type) != 0)
        return bad(ld, line, "unknown type", f[2]);
    if (records[ki].parent != 0) {
        u->parent = vns_gaz_get(gz, records[ki].parent, f[4]);
        if (u->parent == NULL)
            return bad(ld, line, records[ki].no_parent, f[4]);
    } else {
        u->full = f[4];
        ld->refs[gz->nunits].codes = nf > 5 ? f[5] : "";
        ld->refs[gz->nunits].line = line;
    }
    if (gz->kcount[ki]++ == 0)
        gz->kfirst[ki] = gz->nunits;
    ld->last_ki = ki;
    gz->nunits++;
    return add_name(ld, u->name, (uint32_t)(u - gz->units), line);
}

static int parse(struct load *ld, size_t len)
{
    struct vns_gaz *gz = ld->gz;
    char *p = gz->text, *end = p + len;
    size_t nlines = 1, nslots = 16;
    uint32_t line = 0;
    int rc;

    for (char *q = p; q < end; q++)
        nlines += *q == '\n';
    while (nslots < 2 * nlines)
        nslots *= 2;
    gz->mask = nslots - 1;
    gz->slots = calloc(nslots, sizeof(*gz->slots));
    gz->units = calloc(nlines, sizeof(*gz->units));
    gz->merge = calloc(nlines, sizeof(*gz->merge));
    gz->post = calloc(nlines, sizeof(*gz->post));
    ld->refs = calloc(nlines, sizeof(*ld->refs));
    ld->pslot = calloc(nlines, sizeof(*ld->pslot));
    ld->pval = calloc(nlines, sizeof(*ld->pval));
    if (!gz->slots || !gz->units || !gz->merge || !gz->post || !ld->refs ||
        !ld->pslot || !ld->pval)
        return vns_err_set(ld->err, VNS_ENOMEM, "%s: out of memory", ld->path);
    while (p < end) {
        char *e = memchr(p, '\n', (size_t)(end - p));
        if (e == NULL)
            e = end; /* the last line may lack its newline */
        line++;
        if (memchr(p, '\0', (size_t)(e - p)) != NULL)
            return bad(ld, line, "NUL byte", NULL);
        *e = '\0';
        if (e > p && e[-1] == '\r')
            e[-1] = '\0';
        if (line == 1 && strcmp(p, GAZ_MAGIC) != 0)
            return vns_err_set(ld->err, VNS_EBADDATA,
                               "%s:1: not a vnsearch gazetteer (want \"%s\")",
                               ld->path, GAZ_MAGIC);
        if (p[0] != '\0' && p[0] != '#') {
            rc = parse_line(ld, p, line);
            if (rc != VNS_OK)
                return rc;
        }
        p = e + 1;
    }
    if (line == 0)
        return vns_err_set(ld->err, VNS_EBADDATA, "%s: empty file", ld->path);
    if (gz->nunits == 0)
        return vns_err_set(ld->err, VNS_EBADDATA, "%s: no units", ld->path);
    return VNS_OK;
}

const struct vns_gaz_unit *vns_gaz_get(const struct vns_gaz *gz, unsigned kind,
                                       const char *id)
{
    int ki = kind_index(kind);
    size_t lo, hi;

    if (gz == NULL || id == NULL || ki < 0)
        return NULL;
    lo = gz->kfirst[ki];
    hi = lo + gz->kcount[ki];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = id_cmp(gz->units[mid].id, id);
        if (c == 0)
            return &gz->units[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static const struct vns_gaz_unit *province_of(const struct vns_gaz_unit *u)
{
    while (u->parent != NULL)
        u = u->parent;
    return u;
}

/* Next code of a comma-separated list into id; returns the rest or NULL. */
static const char *next_code(const char *s, char id[ID_MAX])
{
    size_t n = strcspn(s, ",");
    if (n == 0 || n >= ID_MAX || (s[n] == ',' && s[n + 1] == '\0'))
        return NULL;
    memcpy(id, s, n);
    id[n] = '\0';
    return s[n] == ',' ? s + n + 1 : s + n;
}

/* Old province -> 2025 provinces from the P lines, and the reverse. Old
 * provinces are the first units, so refs[i] belongs to units[i]. */
static int link_merger(struct load *ld)
{
    struct vns_gaz *gz = ld->gz;
    size_t np = gz->kcount[0], n0 = gz->kfirst[3], total = 0, at = 0;
    char id[ID_MAX];

    for (size_t i = 0; i < np; i++) {
        total++; /* one code, and one more after each comma */
        for (const char *s = ld->refs[i].codes; *s != '\0'; s++)
            total += *s == ',';
    }
    gz->links = calloc(2 * total + 1, sizeof(*gz->links));
    if (gz->links == NULL)
        return vns_err_set(ld->err, VNS_ENOMEM, "%s: out of memory", ld->path);
    for (size_t i = 0; i < np; i++) {
        const char *s = ld->refs[i].codes;
        gz->merge[i].first = (uint32_t)at;
        while (*s != '\0') {
            const char *rest = next_code(s, id);
            const struct vns_gaz_unit *u =
                rest ? vns_gaz_get(gz, VNS_GAZ_PROVINCE_2025, id) : NULL;
            if (u == NULL)
                return bad(ld, ld->refs[i].line, "no NP with the code",
                           rest ? id : s);
            gz->links[at++] = (uint32_t)(u - gz->units);
            s = rest;
        }
        gz->merge[i].count = (uint32_t)(at - gz->merge[i].first);
    }
    /* and back, in old code order: 34 x 63 is nothing to scan */
    for (size_t n = n0; n < n0 + gz->kcount[3]; n++) {
        gz->merge[n].first = (uint32_t)at;
        for (size_t i = 0; i < np; i++)
            for (uint32_t j = 0; j < gz->merge[i].count; j++)
                if (gz->links[gz->merge[i].first + j] == n)
                    gz->links[at++] = (uint32_t)i;
        gz->merge[n].count = (uint32_t)(at - gz->merge[n].first);
    }
    return VNS_OK;
}

static const char *type_label(unsigned type)
{
    for (size_t i = 0; i < sizeof(type_names) / sizeof(type_names[0]); i++)
        if (type_names[i].type == type)
            return type_names[i].label;
    return "";
}

/* "Huyện Ninh Hải" for every unit but provinces, whose line has it. */
static int build_fulls(struct load *ld)
{
    struct vns_gaz *gz = ld->gz;
    size_t size = 1, at = 0;

    for (size_t i = 0; i < gz->nunits; i++)
        if (gz->units[i].full == NULL)
            size += strlen(type_label(gz->units[i].type)) + 1 +
                    strlen(gz->units[i].name) + 1;
    gz->fulls = malloc(size);
    if (gz->fulls == NULL)
        return vns_err_set(ld->err, VNS_ENOMEM, "%s: out of memory", ld->path);
    for (size_t i = 0; i < gz->nunits; i++) {
        struct vns_gaz_unit *u = &gz->units[i];
        if (u->full != NULL)
            continue;
        u->full = gz->fulls + at;
        at += (size_t)sprintf(gz->fulls + at, "%s %s", type_label(u->type),
                              u->name) +
              1;
    }
    return VNS_OK;
}

static const struct slot *slot_find(const struct vns_gaz *gz, const char *k,
                                    size_t len)
{
    uint32_t h = hash(k, len);

    /* the table is at most half full, so an empty slot ends every probe */
    for (size_t i = h & gz->mask;; i = (i + 1) & gz->mask) {
        const struct slot *s = &gz->slots[i];
        const char *key;
        if (s->key == 0)
            return NULL;
        key = gz->keys + s->key - 1;
        if (s->hash == h && strncmp(key, k, len) == 0 && key[len] == '\0')
            return s;
    }
}

/* Postings of each name, sorted by province so the provinces of a name
 * come out grouped; a unit reached by its name and an alias stays once. */
static int finish_index(struct load *ld)
{
    struct vns_gaz *gz = ld->gz;
    uint64_t *run = calloc(ld->nnames + 1, sizeof(*run));
    size_t at = 0;

    if (run == NULL)
        return vns_err_set(ld->err, VNS_ENOMEM, "%s: out of memory", ld->path);
    for (size_t j = 0; j <= gz->mask; j++) {
        gz->slots[j].first = (uint32_t)at;
        at += gz->slots[j].count;
        gz->slots[j].count = 0;
    }
    for (size_t i = 0; i < ld->nnames; i++) {
        struct slot *s = &gz->slots[ld->pslot[i]];
        uint32_t unit = ld->pval[i] & ~ALIAS_BIT;
        const struct vns_gaz_unit *p = province_of(&gz->units[unit]);
        /* province, then unit, then a name before an alias */
        run[s->first + s->count++] = (uint64_t)(p - gz->units) << 33 |
                                     (uint64_t)unit << 1 | (ld->pval[i] >> 31);
    }
    at = 0;
    for (size_t j = 0; j <= gz->mask; j++) {
        struct slot *s = &gz->slots[j];
        uint64_t *r = run + s->first;
        qsort(r, s->count, sizeof(*r), u64_cmp);
        s->first = (uint32_t)at;
        for (size_t i = 0; i < s->count; i++)
            if (i == 0 || r[i - 1] >> 1 != r[i] >> 1)
                gz->post[at++] = (uint32_t)(r[i] >> 1) | (r[i] & 1) << 31;
        s->count = (uint32_t)(at - s->first);
    }
    free(run);
    return VNS_OK;
}

int vns_gaz_open(const char *path, struct vns_gaz **out, struct vns_err *err)
{
    char found[4096];
    struct load ld = {0};
    struct vns_gaz *gz = NULL;
    size_t len = 0;
    int rc;

    if (out == NULL)
        return vns_err_set(err, VNS_EINVAL, "vns_gaz_open: no out");
    if (path == NULL) {
        rc = vns_datadir_find(GAZ_FILE, found, sizeof(found));
        if (rc != VNS_OK)
            return vns_err_set(err, rc,
                               GAZ_FILE ": not found in $VNSEARCH_DATA_DIR,"
                                        " beside the program (../data, "
                                        "../share/vnsearch) nor in the "
                                        "installed data directory");
        path = found;
    }
    gz = calloc(1, sizeof(*gz));
    if (gz == NULL) {
        rc = vns_err_set(err, VNS_ENOMEM, "%s: out of memory", path);
        goto out;
    }
    ld = (struct load){.path = path, .err = err, .gz = gz};
    rc = read_file(path, &gz->text, &len, err);
    if (rc == VNS_OK)
        rc = parse(&ld, len);
    if (rc == VNS_OK)
        rc = link_merger(&ld);
    if (rc == VNS_OK)
        rc = build_fulls(&ld);
    if (rc == VNS_OK)
        rc = finish_index(&ld);
    if (rc != VNS_OK)
        goto out;
    *out = gz;
    gz = NULL;
out:
    free(ld.refs);
    free(ld.pslot);
    free(ld.pval);
    vns_gaz_free(gz);
    return rc;
}

void vns_gaz_free(struct vns_gaz *gz)
{
    if (gz == NULL)
        return;
    free(gz->text);
    free(gz->units);
    free(gz->merge);
    free(gz->links);
    free(gz->fulls);
    free(gz->keys);
    free(gz->slots);
    free(gz->post);
    free(gz);
}

size_t vns_gaz_count(const struct vns_gaz *gz, unsigned kinds)
{
    size_t n = 0;

    if (gz == NULL)
        return 0;
    for (int i = 0; i < NKIND; i++)
        if (kinds & (1u << i)) /* bit i is kind index i */
            n += gz->kcount[i];
    return n;
}

/* The postings one name reaches, and the types its type word asks for. */
struct hits {
    const uint32_t *post;
    size_t n;
    unsigned ptypes;
};

static int passes(const struct vns_gaz *gz, uint32_t p, unsigned kinds,
                  unsigned types, unsigned ptypes)
{
    const struct vns_gaz_unit *u = &gz->units[p & ~ALIAS_BIT];

    if (!(u->kind & kinds) || (types != 0 && !(u->type & types)))
        return 0;
    /* "thành phố Thanh Hóa" is the city, not the tỉnh; but an alias is
     * another name, and "tỉnh Thừa Thiên Huế" still means Huế */
    return ptypes == 0 || (p & ALIAS_BIT) || (u->type & ptypes);
}

/* The name as written first; failing that, without a leading type word
 * ("Quận 1" -> "1"), which the name itself may have ("Quan Hóa"). */
static void resolve(const struct vns_gaz *gz, const char *name, unsigned kinds,
                    unsigned types, struct hits *h)
{
    struct nkey nk;
    unsigned ptypes = 0;
    size_t skip = 0;

    *h = (struct hits){NULL, 0, 0};
    if (gz == NULL || name == NULL || normalize(name, &nk) != 0 || nk.len == 0)
        return;
    for (int pass = 0; pass < 2; pass++) {
        const struct slot *s = slot_find(gz, nk.k + skip, nk.len - skip);
        for (uint32_t i = 0; s != NULL && i < s->count; i++)
            if (passes(gz, gz->post[s->first + i], kinds, types, ptypes)) {
                *h = (struct hits){gz->post + s->first, s->count, ptypes};
                return;
            }
        if ((skip = type_prefix(&nk, &ptypes)) == 0)
            return;
    }
}

size_t vns_gaz_find(const struct vns_gaz *gz, const char *name, unsigned kinds,
                    unsigned types, const struct vns_gaz_unit **out, size_t cap)
{
    struct hits h;
    size_t n = 0;

    resolve(gz, name, kinds, types, &h);
    for (size_t i = 0; i < h.n; i++) {
        if (!passes(gz, h.post[i], kinds, types, h.ptypes))
            continue;
        if (n < cap)
            out[n] = &gz->units[h.post[i] & ~ALIAS_BIT];
        n++;
    }
    return n;
}

const struct vns_gaz_unit *vns_gaz_province(const struct vns_gaz *gz,
                                            const char *name, unsigned kind)
{
    const struct vns_gaz_unit *u[2];

    if (kind != VNS_GAZ_PROVINCE && kind != VNS_GAZ_PROVINCE_2025)
        return NULL;
    return vns_gaz_find(gz, name, kind, 0, u, 2) == 1 ? u[0] : NULL;
}

size_t vns_gaz_provinces_of(const struct vns_gaz *gz, const char *name,
                            unsigned kinds, unsigned types,
                            const struct vns_gaz_unit **out, size_t cap)
{
    const struct vns_gaz_unit *last = NULL;
    struct hits h;
    size_t n = 0;

    resolve(gz, name, kinds, types, &h);
    for (size_t i = 0; i < h.n; i++) {
        const struct vns_gaz_unit *p;
        if (!passes(gz, h.post[i], kinds, types, h.ptypes))
            continue;
        /* postings are sorted by province: repeats are neighbours */
        p = province_of(&gz->units[h.post[i] & ~ALIAS_BIT]);
        if (p == last)
            continue;
        last = p;
        if (n < cap)
            out[n] = p;
        n++;
    }
    return n;
}

static size_t links_out(const struct vns_gaz *gz, const struct vns_gaz_unit *p,
                        const struct vns_gaz_unit **out, size_t cap)
{
    const struct merge *m = &gz->merge[p - gz->units];

    for (uint32_t i = 0; i < m->count && i < cap; i++)
        out[i] = &gz->units[gz->links[m->first + i]];
    return m->count;
}

size_t vns_gaz_to_2025(const struct vns_gaz *gz, const struct vns_gaz_unit *old,
                       const struct vns_gaz_unit **out, size_t cap)
{
    unsigned olds = VNS_GAZ_PROVINCE | VNS_GAZ_DISTRICT | VNS_GAZ_COMMUNE;

    if (gz == NULL || old == NULL || !(old->kind & olds))
        return 0;
    return links_out(gz, province_of(old), out, cap);
}

size_t vns_gaz_merged_from(const struct vns_gaz *gz,
                           const struct vns_gaz_unit *p,
                           const struct vns_gaz_unit **out, size_t cap)
{
    if (gz == NULL || p == NULL || p->kind != VNS_GAZ_PROVINCE_2025)
        return 0;
    return links_out(gz, p, out, cap);
}

/* Optimal string alignment distance: edits plus swaps of two neighbours
 * ("Nihn" -> "Ninh" is 1). Both strings are shorter than KEY_MAX. */
static unsigned osa(const char *a, size_t n, const char *b, size_t m)
{
    unsigned rows[3][KEY_MAX], *pp = rows[0], *prev = rows[1], *cur = rows[2];

    for (size_t j = 0; j <= m; j++)
        prev[j] = (unsigned)j;
    for (size_t i = 1; i <= n; i++) {
        cur[0] = (unsigned)i;
        for (size_t j = 1; j <= m; j++) {
            unsigned cost = a[i - 1] != b[j - 1];
            unsigned d = prev[j] + 1;
            if (cur[j - 1] + 1 < d)
                d = cur[j - 1] + 1;
            if (prev[j - 1] + cost < d)
                d = prev[j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
                a[i - 2] == b[j - 1] && pp[j - 2] + 1 < d)
                d = pp[j - 2] + 1;
            cur[j] = d;
        }
        unsigned *t = pp;
        pp = prev;
        prev = cur;
        cur = t;
    }
    return prev[m];
}

/* Put u, d edits away, in best[0 .. *n) (at most cap), which stays sorted
 * by distance then unit and holds each unit once. */
static void consider(const struct vns_gaz_unit **best, unsigned *dist,
                     size_t *n, size_t cap, const struct vns_gaz_unit *u,
                     unsigned d)
{
    size_t at, k;

    for (k = 0; k < *n && best[k] != u; k++)
        ;
    if (k < *n) {
        if (dist[k] <= d)
            return; /* already there, as close or closer */
        (*n)--;     /* closer through another name: it moves up */
        memmove(best + k, best + k + 1, (*n - k) * sizeof(*best));
        memmove(dist + k, dist + k + 1, (*n - k) * sizeof(*dist));
    }
    for (at = *n; at > 0 &&
                  (dist[at - 1] > d || (dist[at - 1] == d && best[at - 1] > u));
         at--)
        ;
    if (at >= cap)
        return;
    if (*n == cap)
        (*n)--; /* the farthest falls off */
    memmove(best + at + 1, best + at, (*n - at) * sizeof(*best));
    memmove(dist + at + 1, dist + at, (*n - at) * sizeof(*dist));
    best[at] = u;
    dist[at] = d;
    (*n)++;
}

size_t vns_gaz_suggest(const struct vns_gaz *gz, const char *name,
                       unsigned kinds, const struct vns_gaz_unit **out,
                       size_t cap)
{
    const struct vns_gaz_unit *best[VNS_GAZ_SUGGEST_MAX];
    unsigned dist[VNS_GAZ_SUGGEST_MAX], maxd, ptypes;
    struct nkey nk;
    size_t n = 0, skip;

    if (gz == NULL || name == NULL || normalize(name, &nk) != 0 || nk.len == 0)
        return 0;
    if (cap > VNS_GAZ_SUGGEST_MAX)
        cap = VNS_GAZ_SUGGEST_MAX;
    /* one slip in a short name, up to three in a long one */
    maxd = nk.len <= 4 ? 1 : nk.len <= 8 ? 2 : 3;
    skip = type_prefix(&nk, &ptypes);
    for (size_t j = 0; j <= gz->mask && cap > 0; j++) {
        const struct slot *s = &gz->slots[j];
        const char *key;
        size_t klen;
        unsigned d;
        if (s->key == 0 || !(s->kinds & kinds))
            continue;
        key = gz->keys + s->key - 1;
        klen = strlen(key);
        d = osa(nk.k, nk.len, key, klen);
        if (skip > 0) {
            unsigned d2 = osa(nk.k + skip, nk.len - skip, key, klen);
            d = d2 < d ? d2 : d;
        }
        if (d > maxd)
            continue;
        for (uint32_t i = 0; i < s->count; i++) {
            const struct vns_gaz_unit *u =
                &gz->units[gz->post[s->first + i] & ~ALIAS_BIT];
            if (u->kind & kinds)
                consider(best, dist, &n, cap, u, d);
        }
    }
    for (size_t i = 0; i < n; i++)
        out[i] = best[i];
    return n;
}
