/* A thread around vns_preload_index (warmup.h). */
#include "warmup.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "logline.h"
#include "preload.h"

struct warmup {
    pthread_t thread;
    atomic_int stop;
    uint64_t budget;
    char db[]; /* the index's path */
};

static void *run(void *arg)
{
    struct warmup *w = arg;
    struct vns_preload_stats st;
    struct vns_err err = {0};
    struct timespec t0, t1;
    char mb[32], ms[32], files[16];
    int rc;

    clock_gettime(CLOCK_MONOTONIC, &t0);
    rc = vns_preload_index(w->db, w->budget, &w->stop, &st, &err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (rc != VNS_OK) {
        vns_log(VNS_LOG_WARN, "the index was not read ahead", "reason", err.msg,
                (const char *)NULL);
        return NULL;
    }
    snprintf(mb, sizeof(mb), "%.1f", (double)st.bytes / (1 << 20));
    snprintf(ms, sizeof(ms), "%.0f",
             (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
                 (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
    snprintf(files, sizeof(files), "%u", st.files);
    vns_log(VNS_LOG_INFO,
            atomic_load(&w->stop) ? "reading the index ahead stopped"
                                  : "the index was read ahead",
            "mb", mb, "files", files, "ms", ms, (const char *)NULL);
    if (st.unreadable > 0) {
        snprintf(files, sizeof(files), "%u", st.unreadable);
        vns_log(VNS_LOG_WARN, "some index files could not be read ahead",
                "files", files, (const char *)NULL);
    }
    return NULL;
}

int warmup_start(const char *db, uint64_t budget, struct warmup **out,
                 struct vns_err *err)
{
    size_t len = strlen(db);
    struct warmup *w;

    *out = NULL;
    if (budget == 0)
        return VNS_OK;
    w = calloc(1, sizeof(*w) + len + 1);
    if (w == NULL)
        return vns_err_set(err, VNS_ENOMEM, "out of memory");
    memcpy(w->db, db, len + 1);
    w->budget = budget;
    atomic_init(&w->stop, 0);
    if (pthread_create(&w->thread, NULL, run, w) != 0) {
        free(w);
        return vns_err_set(err, VNS_EIO, "cannot start a thread");
    }
    *out = w;
    return VNS_OK;
}

void warmup_stop(struct warmup *w)
{
    if (w == NULL)
        return;
    atomic_store(&w->stop, 1);
    pthread_join(w->thread, NULL);
    free(w);
}
