/* The data-file search order of lib/datadir.h: environment, beside the
 * running program, then the build-time directory. Only paths, never
 * contents. */
#include "datadir.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vnsearch/err.h"

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

/* Try dir/sub/name; on a readable file copy the path to out. Returns
 * VNS_OK, VNS_ENOTFOUND, or VNS_ETOOBIG when the path is too long for out
 * or for the scratch buffer. */
static int try_dir(const char *dir, const char *sub, const char *name,
                   char *out, size_t outsz)
{
    char path[PATH_MAX];
    int n;

    if (dir == NULL || dir[0] == '\0')
        return VNS_ENOTFOUND;
    n = snprintf(path, sizeof(path), "%s%s%s/%s", dir, sub[0] ? "/" : "", sub,
                 name);
    if (n < 0 || (size_t)n >= sizeof(path))
        return VNS_ETOOBIG;
    /* R_OK, not just existence: a file we cannot read is no better than a
     * missing one, and the next place may have a readable copy. */
    if (access(path, R_OK) != 0)
        return VNS_ENOTFOUND;
    if ((size_t)n >= outsz)
        return VNS_ETOOBIG;
    memcpy(out, path, (size_t)n + 1);
    return VNS_OK;
}

/* Directory of the running program, from /proc/self/exe (Linux); empty
 * when unknown, and then the exe-relative places are skipped. */
static void exe_dir(char *dir, size_t dirsz)
{
    ssize_t n;
    char *slash;

    dir[0] = '\0';
    n = readlink("/proc/self/exe", dir, dirsz - 1);
    if (n <= 0 || (size_t)n >= dirsz - 1) {
        dir[0] = '\0'; /* absent, or possibly cut short: not trusted */
        return;
    }
    dir[n] = '\0';
    slash = strrchr(dir, '/');
    if (slash == NULL)
        dir[0] = '\0';
    else
        *slash = '\0';
}

int vns_datadir_find(const char *name, char *out, size_t outsz)
{
    char exe[PATH_MAX];
    const char *places[4][2];
    size_t n = 0;
    int rc, toobig = 0;

    if (name == NULL || name[0] == '\0' || out == NULL || outsz == 0)
        return VNS_ENOTFOUND;
    places[n][0] = getenv("VNSEARCH_DATA_DIR");
    places[n++][1] = "";
    /* Beside the program before the built-in directory: an in-tree build
     * reads the repository's data/ even when an install exists, and an
     * install moved elsewhere (or under DESTDIR) reads its own copy. */
    exe_dir(exe, sizeof(exe));
    places[n][0] = exe;
    places[n++][1] = "../data";
    places[n][0] = exe;
    places[n++][1] = "../share/vnsearch";
#ifdef VNS_DATA_DIR
    places[n][0] = VNS_DATA_DIR;
    places[n++][1] = "";
#endif
    for (size_t i = 0; i < n; i++) {
        rc = try_dir(places[i][0], places[i][1], name, out, outsz);
        if (rc == VNS_OK)
            return VNS_OK;
        if (rc == VNS_ETOOBIG)
            toobig = 1; /* keep looking: a later place may fit */
    }
    return toobig ? VNS_ETOOBIG : VNS_ENOTFOUND;
}
