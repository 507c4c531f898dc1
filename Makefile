# archaudit: Design Ledgers to printed audit reports.
# Everything but src/main.c goes into one static library that the program
# and every test binary link.  Loops and logic live in scripts/, not here.

CC      ?= cc
BUILD   ?= build
# SHARED=DIR: read the conformance vectors, examples and Mustache spec from
# DIR (a newer copy of the course's shared folder) instead of tests/data.
SHARED  ?=
CFLAGS  ?= -O2 -g
STD     := -std=c17 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
WARN    := -Wall -Wextra -Wpedantic -Werror
PKGS    := cairo cairo-ft freetype2 harfbuzz harfbuzz-subset fribidi icu-uc libcjson md4c
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lhpdf -ldeflate -lz -lm
ALL_CFLAGS  = $(STD) $(WARN) $(CFLAGS) $(PKG_CFLAGS) -Isrc -MMD -MP
LDLIBS_ALL  = $(PKG_LIBS) $(LDLIBS)

LIB_SRC  := $(filter-out src/main.c,$(wildcard src/*.c))
LIB_OBJ  := $(LIB_SRC:src/%.c=$(BUILD)/obj/%.o)
LIB      := $(BUILD)/libarchaudit.a
BIN      := $(BUILD)/archaudit
TEST_SRC := $(wildcard tests/unit/test_*.c)
TEST_BIN := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%)
TOOL_SRC := $(wildcard tests/tools/*.c)
TOOL_BIN := $(TOOL_SRC:tests/tools/%.c=$(BUILD)/tools/%)

.PHONY: all deps run test unit bench clean regen regress fuzz
all: $(BIN) archaudit

archaudit: $(BIN)
	ln -sf $(BIN) archaudit

$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

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

# Unit tests only, in this build (no dependency install, no sanitizers).
unit: $(TEST_BIN) $(TOOL_BIN) $(BIN)
	@sh scripts/run-unit.sh $(BUILD) "$(SHARED)"

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

# Rewrite golden files; review the diff in git.
regen: $(BIN) $(TOOL_BIN)
	@sh scripts/regen.sh $(BUILD) "$(SHARED)"

clean:
	rm -rf build build-* archaudit

-include $(LIB_OBJ:.o=.d) $(BUILD)/obj/main.d

# libFuzzer harnesses (clang): each runs FUZZ_SECONDS (default 60) from its
# seeds in tests/fuzz/; crashes land in tests/fuzz/crashers/.
fuzz:
	@sh scripts/fuzz.sh $(FUZZ_SECONDS)
