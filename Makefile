# vnsearch: plain GNU make with pkg-config. `make check` and `make demo` are
# the two commands of the README; both install missing Debian packages first.

BUILD    ?= build
PREFIX   ?= /usr/local
DESTDIR  ?=
CC       ?= cc
CXX      ?= c++
SANITIZE ?= 0

PKGS := icu-uc icu-i18n xapian-core libmagic libxml-2.0 libcmark jansson \
        libmicrohttpd \
        libzip inih nettle libzstd
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)

WARN     := -Wall -Wextra -Wshadow -Werror
CPPFLAGS += -Iinclude -iquote lib -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
CFLAGS   ?= -O2 -g
CXXFLAGS ?= -O2 -g
ALL_CFLAGS   = -std=c11 $(WARN) -Wstrict-prototypes -fvisibility=hidden \
               $(CFLAGS) $(PKG_CFLAGS)
ALL_CXXFLAGS = -std=c++17 $(WARN) -fvisibility=hidden $(CXXFLAGS) \
               $(PKG_CFLAGS)
LDLIBS   += $(PKG_LIBS) -lstdc++ -lm -lpthread

ifeq ($(SANITIZE),1)
SAN := -O0 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
       -fno-sanitize-recover=undefined
ALL_CFLAGS   += $(SAN)
# not UBSan's vptr check in the shim: it tests the memory a vptr points to
# through a pipe, so out of descriptors (tests/cli/test_faults.sh) every
# object looked "invalid" and the daemon was killed for it
ALL_CXXFLAGS += $(SAN) -fno-sanitize=vptr
LDFLAGS      += -fsanitize=address,undefined
endif

LIB_C    := $(sort $(wildcard lib/*.c))
LIB_CXX  := lib/xapian.cc
LIB_OBJS := $(LIB_C:%.c=$(BUILD)/%.o) $(LIB_CXX:%.cc=$(BUILD)/%.o)
LIBA     := $(BUILD)/libvnsearch.a
# The shared library: soname libvnsearch.so.MAJOR, bumped when the ABI breaks
VERSION  := 0.1.0
SOMAJOR  := 0
SONAME   := libvnsearch.so.$(SOMAJOR)
LIBSO    := $(BUILD)/libvnsearch.so.$(VERSION)

# Where `make install` puts things; the data directory is also compiled into
# lib/datadir.c as the default place for gazetteer.tsv and synonyms.tsv.
BINDIR      ?= $(PREFIX)/bin
SBINDIR     ?= $(PREFIX)/sbin
LIBDIR      ?= $(PREFIX)/lib
INCLUDEDIR  ?= $(PREFIX)/include
DATADIR     ?= $(PREFIX)/share/vnsearch
LIBEXECDIR  ?= $(PREFIX)/libexec/vnsearch
MANDIR      ?= $(PREFIX)/share/man
PKGCONFDIR  ?= $(LIBDIR)/pkgconfig
UNITDIR     ?= $(PREFIX)/lib/systemd/system
DATA_FILES  := data/gazetteer.tsv data/bodies.tsv data/synonyms.tsv \
               data/LICENSE-splits-2025.txt

PROGS := $(BUILD)/vnsearch-index $(BUILD)/vnsearch $(BUILD)/vnsearchd \
         $(BUILD)/vnsearch-ocr
SEARCHD_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(sort $(wildcard searchd/*.c))) \
                $(BUILD)/gen/assets.o
ASSETS := searchd/assets/app.js searchd/assets/app.css
UNIT_SRCS  := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS  := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
BENCH_BINS := $(BUILD)/bench/bench_analyze $(BUILD)/bench/bench_meta \
              $(BUILD)/bench/meta_eval
# bench/compare's anchors: SQLite FTS5 and stock Xapian (omindex); Sphinx
# and PostgreSQL when their client libraries are there; Recoll (recollq)
COMPARE_BINS := $(BUILD)/bench/fts5_load $(BUILD)/bench/fts5_query \
                $(BUILD)/bench/xapian_query $(BUILD)/bench/recoll_query \
                $(if $(shell pkg-config --exists libmariadb && echo y), \
                     $(BUILD)/bench/sphinx_query) \
                $(if $(shell pkg-config --exists libpq && echo y), \
                     $(BUILD)/bench/pg_query)
# tests/fuzz: each harness twice, as a replay program (plain main(), any
# compiler, run by `make check`) and as a libFuzzer program (`make fuzz`)
FUZZ_SRCS   := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_REPLAY := $(FUZZ_SRCS:tests/fuzz/%.c=$(BUILD)/tests/fuzz/%)
FUZZ_BINS   := $(FUZZ_SRCS:tests/fuzz/%.c=$(BUILD)/fuzz/%)
FUZZ_BUILD  ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_FLAGS  := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
               -fno-sanitize-recover=undefined -fsanitize=fuzzer-no-link

.SECONDARY:

.PHONY: fuzz fuzz-bins

.PHONY: FORCE all deps check unit e2e debug check-debug demo bench \
        bench-compare bench-load compare-bins eval install \
        uninstall deb clean fmt lint abuse soak

all: $(LIBA) $(LIBSO) $(PROGS)

deps:
	@scripts/install-deps

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/%.o: %.cc
	@mkdir -p $(dir $@)
	$(CXX) $(CPPFLAGS) $(ALL_CXXFLAGS) -MMD -MP -c $< -o $@

# lib/ objects go into the static and the shared library alike: PIC.
$(BUILD)/lib/%.o: lib/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -fPIC -MMD -MP -c $< -o $@

$(BUILD)/lib/%.o: lib/%.cc
	@mkdir -p $(dir $@)
	$(CXX) $(CPPFLAGS) $(ALL_CXXFLAGS) -fPIC -MMD -MP -c $< -o $@

# The installed data directory, compiled in as lib/datadir.c's default;
# the file changes (and datadir.o is rebuilt) only when DATADIR does.
$(BUILD)/gen/datadir.h: FORCE
	@mkdir -p $(dir $@)
	@printf '#define VNS_DATA_DIR "%s"\n' '$(DATADIR)' >$@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@

$(BUILD)/lib/datadir.o: $(BUILD)/gen/datadir.h
$(BUILD)/lib/datadir.o: CPPFLAGS += -include $(BUILD)/gen/datadir.h

# ... and where vnsearch-index looks for vnsearch-ocr when it is not beside
# the program (lib/ocr.c)
$(BUILD)/gen/libexecdir.h: FORCE
	@mkdir -p $(dir $@)
	@printf '#define VNS_LIBEXEC_DIR "%s"\n' '$(LIBEXECDIR)' >$@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@

$(BUILD)/lib/ocr.o: $(BUILD)/gen/libexecdir.h
$(BUILD)/lib/ocr.o: CPPFLAGS += -include $(BUILD)/gen/libexecdir.h

FORCE:

# Objects are rebuilt when the compiler or its flags change (a stale
# non-PIC object cannot go into the shared library).
$(BUILD)/.flags: FORCE
	@mkdir -p $(dir $@)
	@printf '%s\n' '$(CC) $(CXX) $(CPPFLAGS) $(ALL_CFLAGS) $(ALL_CXXFLAGS)' >$@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@

$(LIB_OBJS): $(BUILD)/.flags

# The search page's script and style, embedded in vnsearchd (xxd -i)
$(BUILD)/gen/assets.c: $(ASSETS) scripts/embed-assets
	@mkdir -p $(dir $@)
	scripts/embed-assets $(ASSETS) >$@.tmp && mv $@.tmp $@

$(BUILD)/gen/assets.o: $(BUILD)/gen/assets.c searchd/assets.h
	$(CC) $(CPPFLAGS) -iquote searchd $(ALL_CFLAGS) -c $< -o $@

$(LIBA): $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

# Only the public API (VNS_API) is exported: -fvisibility=hidden.
$(LIBSO): $(LIB_OBJS)
	$(CXX) -shared -Wl,-soname,$(SONAME) -Wl,--no-undefined $(LDFLAGS) \
	    $^ $(PKG_LIBS) -lm -lpthread -o $@
	ln -sf $(notdir $@) $(BUILD)/$(SONAME)
	ln -sf $(SONAME) $(BUILD)/libvnsearch.so

# pkg-config file for the installed library; rewritten when PREFIX changes.
$(BUILD)/vnsearch.pc: FORCE
	@mkdir -p $(dir $@)
	@printf '%s\n' 'prefix=$(PREFIX)' 'libdir=$(LIBDIR)' \
	    'includedir=$(INCLUDEDIR)' '' 'Name: vnsearch' \
	    'Description: Vietnamese full-text search over Xapian' \
	    'Version: $(VERSION)' 'Requires.private: $(PKGS)' \
	    'Libs: -L$${libdir} -lvnsearch' \
	    'Libs.private: -lstdc++ -lm -lpthread' \
	    'Cflags: -I$${includedir}' >$@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@

$(BUILD)/vnsearch-index: $(patsubst %.c,$(BUILD)/%.o,$(wildcard indexer/*.c)) \
                         $(LIBA)
	$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

# The OCR helper (Tesseract, Leptonica, poppler-glib, cairo): a program of
# its own, so the indexer never loads them; lib/ocr.c runs it in a sandbox.
# Never sanitized: it runs under RLIMIT_AS, where ASan's shadow cannot map.
OCR_PKGS := tesseract lept poppler-glib cairo
$(BUILD)/ocr/%.o: ocr/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -std=c11 $(WARN) -Wstrict-prototypes -O2 -g \
	    $(shell pkg-config --cflags $(OCR_PKGS)) -MMD -MP -c $< -o $@

$(BUILD)/vnsearch-ocr: $(patsubst %.c,$(BUILD)/%.o,$(wildcard ocr/*.c))
	$(CC) $^ $(shell pkg-config --libs $(OCR_PKGS)) -lm -o $@

$(BUILD)/vnsearch: $(patsubst %.c,$(BUILD)/%.o,$(wildcard query/*.c)) $(LIBA)
	$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

$(BUILD)/vnsearchd: $(SEARCHD_OBJS) $(LIBA)
	$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(LIBA)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $^ $(LDLIBS) $(shell pkg-config --libs cmocka) -o $@

# vnsearchd's response cache, tested alone (the daemon's, not lib/'s)
$(BUILD)/tests/test_cache: $(BUILD)/tests/unit/test_cache.o \
                           $(BUILD)/searchd/cache.o $(LIBA)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $^ $(LDLIBS) $(shell pkg-config --libs cmocka) -o $@
$(BUILD)/tests/unit/test_cache.o: CPPFLAGS += -iquote searchd

# ... and its rate limiter
$(BUILD)/tests/test_ratelimit: $(BUILD)/tests/unit/test_ratelimit.o \
                               $(BUILD)/searchd/ratelimit.o $(LIBA)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $^ $(LDLIBS) $(shell pkg-config --libs cmocka) -o $@
$(BUILD)/tests/unit/test_ratelimit.o: CPPFLAGS += -iquote searchd

# ... and its work queue and waits for an answer being computed
$(BUILD)/tests/test_work: $(BUILD)/tests/unit/test_work.o \
                          $(BUILD)/searchd/work.o $(BUILD)/searchd/flight.o \
                          $(LIBA)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $^ $(LDLIBS) $(shell pkg-config --libs cmocka) -o $@
$(BUILD)/tests/unit/test_work.o: CPPFLAGS += -iquote searchd

$(BUILD)/tests/fuzz/%: $(BUILD)/tests/fuzz/%.o $(BUILD)/tests/fuzz/replay.o \
                       $(LIBA)
	$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

$(BUILD)/fuzz/%: $(BUILD)/tests/fuzz/%.o $(LIBA)
	@mkdir -p $(dir $@)
	$(CXX) $(LDFLAGS) -fsanitize=fuzzer,address,undefined $^ $(LDLIBS) -o $@

$(BUILD)/bench/%: $(BUILD)/bench/%.o $(LIBA)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

# Every test, twice: on the optimized build and on the ASan+UBSan build
# (build-debug/, leaks are errors); one summary line at the end.
check: deps
	$(MAKE) all tests-build
	$(MAKE) BUILD=build-debug SANITIZE=1 all tests-build
	tests/run.sh $(BUILD) build-debug

tests-build: $(UNIT_BINS) $(FUZZ_REPLAY) $(BUILD)/tests/libfailwrite.so

# The disk-full injector (LD_PRELOAD) of tests/cli/test_faults.sh; never
# sanitized: it sits under the sanitizer's own interceptors.
$(BUILD)/tests/libfailwrite.so: tests/faults/failwrite.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -Wall -Wextra -Werror -O2 -shared -fPIC $< -ldl -o $@

unit: $(UNIT_BINS)
	tests/run.sh --unit $(BUILD)

e2e: all
	tests/run.sh --e2e $(BUILD)

# Sanitizer build alone; `make check-debug` runs every test there.
debug: deps
	$(MAKE) BUILD=build-debug SANITIZE=1 all tests-build

check-debug: debug
	tests/run.sh build-debug

demo: deps
	$(MAKE) all
	scripts/demo $(BUILD)

# Every libFuzzer harness FUZZ_SECONDS seconds, one after the other, built
# with clang in $(FUZZ_BUILD)/ (tests/fuzz/run says where crashes land).
fuzz: deps
	@scripts/install-deps --fuzz
	$(MAKE) BUILD=$(FUZZ_BUILD) CC=clang CXX=clang++ CFLAGS="$(FUZZ_FLAGS)" \
	    CXXFLAGS="$(FUZZ_FLAGS)" fuzz-bins
	tests/fuzz/run $(FUZZ_BUILD) $(FUZZ_SECONDS)

fuzz-bins: $(FUZZ_BINS)

# Static analysis of our own code: cppcheck, then clang's analyzer over a
# fresh build in $(LINT_BUILD)/. Zero findings, or each one suppressed
# inline (// cppcheck-suppress ID, with the reason on the line above).
LINT_BUILD ?= build-lint
LINT_SRCS := $(sort $(wildcard lib/*.c indexer/*.c searchd/*.c query/*.c ocr/*.c))
lint: deps
	@scripts/install-deps --lint
	cppcheck --error-exitcode=1 -q --std=c11 --inline-suppr \
	    --enable=warning,portability,performance \
	    --suppress=missingIncludeSystem --include=/usr/include/jansson.h \
	    -Iinclude -Ilib -j2 $(LINT_SRCS)
	rm -rf $(LINT_BUILD)
	scan-build --status-bugs -o $(LINT_BUILD)/report \
	    $(MAKE) BUILD=$(LINT_BUILD) CC=clang CXX=clang++ all
	@echo "lint: no findings"

# Relevance on generated corpora (skips without ../shared).
eval: deps
	$(MAKE) all
	scripts/eval $(BUILD)

# analysis, indexing beside omindex and FTS5, scaling, vnsearchd under wrk
# (bench/results/latest.md); BENCH_ARGS="--runs 1 --only viwiki --large"...
bench: deps
	@scripts/install-deps --bench
	$(MAKE) all $(BENCH_BINS) compare-bins
	bench/run --build $(BUILD) $(BENCH_ARGS)

# vnsearchd for SOAK_MINUTES under load while --watch takes changes
# (bench/results/soak.md); skips without ../shared unless SOAK_ARGS has --docs.
SOAK_MINUTES ?= 30
soak: deps
	@scripts/install-deps --bench
	$(MAKE) all
	bench/soak --build $(BUILD) --minutes $(SOAK_MINUTES) $(SOAK_ARGS)

# vnsearchd's throughput on the medium generated corpus, cache on and off
# (bench/results/load.md); skips without ../shared unless LOAD_ARGS has
# --corpus.
bench-load: deps
	@scripts/install-deps --bench
	$(MAKE) all
	bench/load --build $(BUILD) $(LOAD_ARGS)

# vnsearchd under hostile clients (bench/results/abuse.md), loopback only.
abuse: deps
	$(MAKE) all
	bench/abuse --build $(BUILD)

# vnsearch beside SQLite FTS5, stock Xapian, Sphinx, PostgreSQL and Recoll
# on generated queries (bench/results/compare.md; skips without ../shared or
# --corpus).
bench-compare: deps
	@scripts/install-deps --bench
	$(MAKE) all compare-bins
	bench/compare --build $(BUILD) $(COMPARE_ARGS)

compare-bins: $(COMPARE_BINS)

$(BUILD)/bench/fts5_load: $(BUILD)/bench/fts5_load.o
	$(CC) $(LDFLAGS) $^ $(shell pkg-config --libs sqlite3) -o $@

$(BUILD)/bench/fts5_query: $(BUILD)/bench/fts5_query.o \
                           $(BUILD)/bench/runlist.o
	$(CC) $(LDFLAGS) $^ $(shell pkg-config --libs sqlite3 jansson) -o $@

$(BUILD)/bench/xapian_query: $(BUILD)/bench/xapian_query.o \
                             $(BUILD)/bench/runlist.o
	$(CXX) $(LDFLAGS) $^ $(shell pkg-config --libs xapian-core jansson) -o $@

# Sphinx over SphinxQL (the MySQL protocol); built when libmariadb is there
$(BUILD)/bench/sphinx_query.o: CPPFLAGS += $(shell pkg-config --cflags libmariadb)
$(BUILD)/bench/sphinx_query: $(BUILD)/bench/sphinx_query.o \
                             $(BUILD)/bench/runlist.o
	$(CC) $(LDFLAGS) $^ $(shell pkg-config --libs libmariadb jansson) -o $@

# PostgreSQL full-text search over libpq; built when libpq is there
$(BUILD)/bench/pg_query.o: CPPFLAGS += $(shell pkg-config --cflags libpq)
$(BUILD)/bench/pg_query: $(BUILD)/bench/pg_query.o $(BUILD)/bench/runlist.o
	$(CC) $(LDFLAGS) $^ $(shell pkg-config --libs libpq jansson) -o $@

# Recoll: runs recollq once per query, so no library of its own
$(BUILD)/bench/recoll_query: $(BUILD)/bench/recoll_query.o \
                             $(BUILD)/bench/runlist.o
	$(CC) $(LDFLAGS) $^ $(shell pkg-config --libs jansson) -o $@

# Everything under $(DESTDIR)$(PREFIX); `make uninstall` with the same
# PREFIX and DESTDIR removes exactly what this put there.
MAN_PAGES := $(sort $(wildcard packaging/man/*.[1-8]))
UNITS     := $(sort $(wildcard packaging/systemd/*.service))
UNITS_OUT := $(UNITS:packaging/%=$(BUILD)/%)
MANS_OUT  := $(MAN_PAGES:packaging/%=$(BUILD)/%)

# man pages with the installed paths (written for PREFIX=/usr/local)
$(BUILD)/man/%: packaging/man/% FORCE
	@mkdir -p $(dir $@)
	@sed -e 's|/usr/local/share/vnsearch|$(DATADIR)|g' \
	    -e 's|/usr/local/libexec/vnsearch|$(LIBEXECDIR)|g' \
	    -e 's|/usr/local/lib/systemd/system|$(UNITDIR)|g' $< >$@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@

# systemd units with the installed paths of the programs
$(BUILD)/systemd/%: packaging/systemd/% FORCE
	@mkdir -p $(dir $@)
	@sed -e 's|@BINDIR@|$(BINDIR)|g' -e 's|@SBINDIR@|$(SBINDIR)|g' \
	    $< >$@.tmp
	@cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@

install: all $(BUILD)/vnsearch.pc $(UNITS_OUT) $(MANS_OUT)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SBINDIR) $(DESTDIR)$(LIBDIR) \
	    $(DESTDIR)$(INCLUDEDIR)/vnsearch $(DESTDIR)$(DATADIR) \
	    $(DESTDIR)$(PKGCONFDIR)
	install -m 755 $(BUILD)/vnsearch-index $(BUILD)/vnsearch \
	    $(DESTDIR)$(BINDIR)/
	install -m 755 $(BUILD)/vnsearchd $(DESTDIR)$(SBINDIR)/
	install -d $(DESTDIR)$(LIBEXECDIR)
	install -m 755 $(BUILD)/vnsearch-ocr $(DESTDIR)$(LIBEXECDIR)/
	install -m 644 $(LIBA) $(DESTDIR)$(LIBDIR)/
	install -m 755 $(LIBSO) $(DESTDIR)$(LIBDIR)/
	ln -sf $(notdir $(LIBSO)) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libvnsearch.so
	install -m 644 include/vnsearch/*.h $(DESTDIR)$(INCLUDEDIR)/vnsearch/
	install -m 644 $(BUILD)/vnsearch.pc $(DESTDIR)$(PKGCONFDIR)/
	install -m 644 $(DATA_FILES) $(DESTDIR)$(DATADIR)/
	for m in $(MANS_OUT); do \
	    s=$${m##*.}; install -d $(DESTDIR)$(MANDIR)/man$$s && \
	    install -m 644 $$m $(DESTDIR)$(MANDIR)/man$$s/ || exit 1; \
	done
	$(if $(UNITS),install -d $(DESTDIR)$(UNITDIR) && \
	    install -m 644 $(UNITS_OUT) $(DESTDIR)$(UNITDIR)/)
	$(if $(wildcard packaging/vnsearch.conf),install -d \
	    $(DESTDIR)$(PREFIX)/share/doc/vnsearch && install -m 644 \
	    packaging/vnsearch.conf $(DESTDIR)$(PREFIX)/share/doc/vnsearch/)

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/vnsearch-index $(DESTDIR)$(BINDIR)/vnsearch \
	    $(DESTDIR)$(SBINDIR)/vnsearchd $(DESTDIR)$(LIBEXECDIR)/vnsearch-ocr \
	    $(DESTDIR)$(LIBDIR)/libvnsearch.a $(DESTDIR)$(LIBDIR)/libvnsearch.so \
	    $(DESTDIR)$(LIBDIR)/$(SONAME) $(DESTDIR)$(LIBDIR)/$(notdir $(LIBSO)) \
	    $(DESTDIR)$(PKGCONFDIR)/vnsearch.pc \
	    $(foreach m,$(MAN_PAGES),$(DESTDIR)$(MANDIR)/man$(subst .,,$(suffix $(m)))/$(notdir $(m))) \
	    $(foreach u,$(UNITS),$(DESTDIR)$(UNITDIR)/$(notdir $(u)))
	rmdir $(DESTDIR)$(LIBEXECDIR) 2>/dev/null || true
	rm -rf $(DESTDIR)$(INCLUDEDIR)/vnsearch $(DESTDIR)$(DATADIR) \
	    $(DESTDIR)$(PREFIX)/share/doc/vnsearch

# The Debian package $(BUILD)/vnsearch_VERSION-REV_ARCH.deb (REV: the top of
# packaging/debian/changelog), staged by `make install PREFIX=/usr`, checked
# by lintian: scripts/make-deb. Built with dpkg-buildflags' hardening, so
# the next `make all` compiles everything again.
deb: deps
	@scripts/install-deps --deb
	scripts/make-deb --buildflags $(BUILD)

fmt:
	clang-format -i lib/*.c lib/*.h lib/*.cc include/vnsearch/*.h \
	    indexer/*.c indexer/*.h query/*.c searchd/*.c ocr/*.c ocr/*.h \
	    searchd/*.h tests/unit/*.c $(wildcard bench/*.c)

clean:
	rm -rf build build-debug

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
