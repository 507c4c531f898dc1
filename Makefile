# archaudit: Design Ledgers to printed audit reports.
# Everything but src/main.c goes into one static library that the program
# and every test binary link.  Loops and logic live in scripts/, not here.

CC      ?= cc
BUILD   ?= build
VERSION := $(shell sed -n 's/^\#define VERSION "\(.*\)"/\1/p' src/main.c)

# Where `make install` puts things (GNU names); DESTDIR is prepended to each.
# The program looks for its templates in DATADIR/archaudit/templates (and
# beside itself: BINDIR/../share/archaudit/templates), so build with the
# same PREFIX or DATADIR you install with.
PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share
MANDIR  ?= $(DATADIR)/man
DOCDIR  ?= $(DATADIR)/doc/archaudit
PKGDATADIR := $(DATADIR)/archaudit
# SHARED=DIR: read the conformance vectors, examples and Mustache spec from
# DIR (a newer copy of the course's shared folder) instead of tests/data.
SHARED  ?=
CFLAGS  ?= -O2 -g
STD     := -std=c17 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
WARN     = -Wall -Wextra -Wpedantic $(WERROR)
# -Werror is for development and CI: the test targets set it (below); a
# user's or a packager's `make` does not.
WERROR  ?=
PKGS    := cairo cairo-ft freetype2 harfbuzz harfbuzz-subset fribidi icu-uc libcjson md4c libzip
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# libzip and ICU are compiled against but not linked: src/read/lms_zip.c
# and src/base/icu.c open them with dlopen when first needed (docs/perf.md:
# the start of a run without them).
PKG_LIBS   := $(shell pkg-config --libs $(filter-out libzip icu-uc,$(PKGS)) 2>/dev/null) -lhpdf -ldeflate -lz -lm
ALL_CFLAGS  = $(STD) $(WARN) -Isrc $(DEFS) $(CPPFLAGS) $(CFLAGS) $(PKG_CFLAGS) -MMD -MP
LDLIBS_ALL  = $(PKG_LIBS) $(LDLIBS)

LIB_SRC  := $(filter-out src/main.c,$(wildcard src/*.c src/*/*.c))
LIB_OBJ  := $(LIB_SRC:src/%.c=$(BUILD)/obj/%.o)
LIB      := $(BUILD)/libarchaudit.a
BIN      := $(BUILD)/archaudit
TEST_SRC := $(wildcard tests/unit/test_*.c)
TEST_BIN := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TOOL_SRC := $(wildcard tests/tools/*.c)
TOOL_BIN := $(TOOL_SRC:tests/tools/%.c=$(BUILD)/tools/%)

.PHONY: all deps run test unit check check-asan bench clean regen regress fuzz \
	install uninstall dist deb-check FORCE
all: $(BIN) archaudit

archaudit: $(BIN)
	ln -sf $(BIN) archaudit

$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The data folder compiled into main.o; the stamp changes (and main.o is
# rebuilt) only when PKGDATADIR does.
$(BUILD)/obj/main.o: DEFS = -DARCHAUDIT_DATADIR='"$(PKGDATADIR)"'
$(BUILD)/obj/main.o: $(BUILD)/datadir.stamp
$(BUILD)/datadir.stamp: FORCE
	@mkdir -p $(@D)
	@echo '$(PKGDATADIR)' | cmp -s - $@ || echo '$(PKGDATADIR)' >$@

$(LIB): $(LIB_OBJ)
	@mkdir -p $(@D)
	rm -f $@
	ar rcs $@ $^

$(BIN): $(BUILD)/obj/main.o $(LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/tests/%: tests/unit/%.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Itests/unit $(LDFLAGS) -o $@ $< $(LIB) -lcmocka $(LDLIBS_ALL)

$(BUILD)/tools/%: tests/tools/%.c $(LIB)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS_ALL)

# Install the Debian packages the build and the tests need (root or sudo).
deps:
	@sh scripts/deps.sh

# The main job: reports for the sample ledgers in ledgers/ into out/.
run: deps
	@$(MAKE) --no-print-directory all
	./$(BIN) -o out ledgers

# The test targets build with -Werror (what they build; `make clean` first
# to rebuild everything so).
unit check check-asan test regen: WERROR = -Werror

# After every change (seconds): the cmocka suites, conformance included,
# and the quick end-to-end scripts (the command line, the PDF reports, the
# report goldens of tests/regress, the stages' own headers and types).
check: $(TEST_BIN) $(TOOL_BIN) $(BIN)
	@sh scripts/run-unit.sh $(BUILD) "$(SHARED)" cli report regress layering seams messages msgids

# Every cmocka suite and every end-to-end script, in this build (no
# dependency install, no sanitizers).
unit: $(TEST_BIN) $(TOOL_BIN) $(BIN)
	@sh scripts/run-unit.sh $(BUILD) "$(SHARED)"

# `make unit` again, built with AddressSanitizer and UBSan in build-asan/.
SAN := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
check-asan:
	@LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp \
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	$(MAKE) --no-print-directory BUILD=build-asan SHARED="$(SHARED)" \
	    CFLAGS="$(SAN)" LDFLAGS="-fsanitize=address,undefined" unit

# Every test: unit and conformance, end to end, then again under ASan+UBSan,
# then the end-to-end scripts under valgrind.
test: deps
	@sh scripts/test.sh "$(SHARED)"

bench: $(BIN) $(TOOL_BIN)
	@sh scripts/bench.sh $(BUILD)

# The report goldens alone (tests/regress/, about a second): for a quick
# check while changing templates, the model or the typography.
regress: $(BIN) $(BUILD)/tools/report_dump
	@ARCHAUDIT_BIN=$(BIN) ARCHAUDIT_TOOLS=$(BUILD)/tools sh tests/e2e/regress.sh

# Rewrite every golden file a test compares (the tests with REGEN=1:
# scripts/regen.sh); then read the diff in git.
regen: $(TEST_BIN) $(TOOL_BIN) $(BIN)
	@sh scripts/regen.sh $(BUILD) "$(SHARED)"

# What a user installs: the program, its templates, the manual and the
# documents a user reads.
USER_DOCS := README.md docs/scenario.md docs/templates.md docs/markdown.md docs/accessibility.md
install: $(BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(PKGDATADIR)/templates/partials \
	    $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(DOCDIR)/docs
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/archaudit
	install -m 644 templates/*.md $(DESTDIR)$(PKGDATADIR)/templates/
	install -m 644 templates/partials/*.md $(DESTDIR)$(PKGDATADIR)/templates/partials/
	install -m 644 archaudit.1 $(DESTDIR)$(MANDIR)/man1/archaudit.1
	install -m 644 README.md $(DESTDIR)$(DOCDIR)/
	install -m 644 $(filter docs/%,$(USER_DOCS)) $(DESTDIR)$(DOCDIR)/docs/

# Removes what install wrote (the same variables), then the folders it
# made if they are empty.
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/archaudit $(DESTDIR)$(MANDIR)/man1/archaudit.1
	rm -rf $(DESTDIR)$(PKGDATADIR)
	rm -f $(addprefix $(DESTDIR)$(DOCDIR)/,$(USER_DOCS))
	-rmdir $(DESTDIR)$(DOCDIR)/docs $(DESTDIR)$(DOCDIR) 2>/dev/null

# archaudit-VERSION.tar.gz from the committed tree (git archive); the same
# bytes on every run for one commit (scripts/dist.sh).
dist:
	@sh scripts/dist.sh $(VERSION)

# Build the Debian package in a clean clone of HEAD, lintian it, unpack it
# and run the unpacked program from another folder (scripts/deb-check.sh).
deb-check:
	@sh scripts/deb-check.sh

clean:
	@echo "clean: removing $(BUILD)/ and every build-*/ folder (objects, programs," \
	    "test binaries), the ./archaudit link and archaudit-*.tar.gz; out/ and figures/ are kept"
	@rm -rf $(BUILD) build-* archaudit archaudit-*.tar.gz

-include $(LIB_OBJ:.o=.d) $(BUILD)/obj/main.d

# libFuzzer harnesses (clang): each runs FUZZ_SECONDS (default 60) from its
# seeds in tests/fuzz/; crashes land in tests/fuzz/crashers/.
fuzz:
	@sh scripts/fuzz.sh $(FUZZ_SECONDS)
