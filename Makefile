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
        libzip
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
ALL_CXXFLAGS += $(SAN)
LDFLAGS      += -fsanitize=address,undefined
endif

LIB_C    := $(sort $(wildcard lib/*.c))
LIB_CXX  := lib/xapian.cc
LIB_OBJS := $(LIB_C:%.c=$(BUILD)/%.o) $(LIB_CXX:%.cc=$(BUILD)/%.o)
LIBA     := $(BUILD)/libvnsearch.a

PROGS := $(BUILD)/vnsearch-index $(BUILD)/vnsearch $(BUILD)/vnsearchd
SEARCHD_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(sort $(wildcard searchd/*.c))) \
                $(BUILD)/gen/assets.o
ASSETS := searchd/assets/app.js searchd/assets/app.css
UNIT_SRCS  := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS  := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
BENCH_BINS := $(BUILD)/bench/bench_analyze $(BUILD)/bench/bench_meta \
              $(BUILD)/bench/meta_eval

.SECONDARY:

.PHONY: all deps check unit e2e debug check-debug demo bench eval install \
        uninstall clean fmt

all: $(LIBA) $(PROGS)

deps:
	@scripts/install-deps

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/%.o: %.cc
	@mkdir -p $(dir $@)
	$(CXX) $(CPPFLAGS) $(ALL_CXXFLAGS) -MMD -MP -c $< -o $@

# The search page's script and style, embedded in vnsearchd (xxd -i)
$(BUILD)/gen/assets.c: $(ASSETS) scripts/embed-assets
	@mkdir -p $(dir $@)
	scripts/embed-assets $(ASSETS) >$@.tmp && mv $@.tmp $@

$(BUILD)/gen/assets.o: $(BUILD)/gen/assets.c searchd/assets.h
	$(CC) $(CPPFLAGS) -iquote searchd $(ALL_CFLAGS) -c $< -o $@

$(LIBA): $(LIB_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/vnsearch-index: $(BUILD)/indexer/main.o $(LIBA)
	$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

$(BUILD)/vnsearch: $(patsubst %.c,$(BUILD)/%.o,$(wildcard query/*.c)) $(LIBA)
	$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

$(BUILD)/vnsearchd: $(SEARCHD_OBJS) $(LIBA)
	$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(LIBA)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $^ $(LDLIBS) $(shell pkg-config --libs cmocka) -o $@

$(BUILD)/bench/%: $(BUILD)/bench/%.o $(LIBA)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) $^ $(LDLIBS) -o $@

# Every test, twice: on the optimized build and on the ASan+UBSan build
# (build-debug/, leaks are errors); one summary line at the end.
check: deps
	$(MAKE) all tests-build
	$(MAKE) BUILD=build-debug SANITIZE=1 all tests-build
	tests/run.sh $(BUILD) build-debug

tests-build: $(UNIT_BINS)

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

# Relevance on generated corpora (skips without ../shared).
eval: deps
	$(MAKE) all
	scripts/eval $(BUILD)

bench: deps
	@scripts/install-deps --bench
	$(MAKE) all $(BENCH_BINS)
	bench/run $(BUILD)

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib \
	    $(DESTDIR)$(PREFIX)/include/vnsearch
	install -m 755 $(PROGS) $(DESTDIR)$(PREFIX)/bin/
	install -m 644 $(LIBA) $(DESTDIR)$(PREFIX)/lib/
	install -m 644 include/vnsearch/*.h $(DESTDIR)$(PREFIX)/include/vnsearch/

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/vnsearch-index \
	    $(DESTDIR)$(PREFIX)/bin/vnsearch \
	    $(DESTDIR)$(PREFIX)/bin/vnsearchd \
	    $(DESTDIR)$(PREFIX)/lib/libvnsearch.a
	rm -rf $(DESTDIR)$(PREFIX)/include/vnsearch

fmt:
	clang-format -i lib/*.c lib/*.h lib/*.cc include/vnsearch/*.h \
	    indexer/*.c query/*.c searchd/*.c \
	    searchd/*.h tests/unit/*.c $(wildcard bench/*.c)

clean:
	rm -rf build build-debug

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
