# feedd: the feed aggregator daemon, and feedctl, its client.
#
#   make                 build feedd and feedctl (objects under build/)
#   make check           build and run every test (installs packages as root)
#   make check SANITIZE=1  the same under ASan + UBSan + LeakSanitizer
#   make torture         the store under every I/O and allocation fault
#   make fuzz            clang + libFuzzer, a short bounded run of each target
#   make bench           benchmarks; they print their figures
#   make run             build and run feedd on config/demo.conf
#   make install PREFIX=/usr/local DESTDIR=   binaries, units, pages, config
#   make uninstall PREFIX=/usr/local DESTDIR= all of it but /etc's config
#   make clean
#
# CC=clang works; each compiler and sanitizer setting builds in its own
# folder so switching never mixes objects.

VERSION		= 0.1.0

PREFIX		?= /usr/local
BINDIR		?= $(PREFIX)/bin
SBINDIR		?= $(PREFIX)/sbin
MANDIR		?= $(PREFIX)/share/man
BASHCOMPDIR	?= $(PREFIX)/share/bash-completion/completions
DOCDIR		?= $(PREFIX)/share/doc/feedd
SYSCONFDIR	?= /etc

# systemd's folders: with PREFIX=/usr, what systemd.pc says (Debian 12:
# /lib/systemd/system ...); with any other PREFIX, under it
# ($(PREFIX)/lib/systemd/system ...), which systemd searches for
# /usr/local; elsewhere set SYSTEMDUNITDIR=/etc/systemd/system and so on.
sd_pc		= $(shell pkg-config --variable=$(1) systemd 2>/dev/null)
sd_dir		= $(if $(filter /usr,$(PREFIX)),$(or $(call sd_pc,$(1)),$(2)),$(2))
SYSTEMDUNITDIR	?= $(call sd_dir,systemdsystemunitdir,$(PREFIX)/lib/systemd/system)
SYSTEMDUSERUNITDIR ?= $(call sd_dir,systemduserunitdir,$(PREFIX)/lib/systemd/user)
SYSUSERSDIR	?= $(call sd_dir,sysusersdir,$(PREFIX)/lib/sysusers.d)
TMPFILESDIR	?= $(call sd_dir,tmpfilesdir,$(PREFIX)/lib/tmpfiles.d)

SANITIZE	?= 0
FUZZ_TIME	?= 20

CC_NAME		:= $(notdir $(firstword $(CC)))
ifeq ($(SANITIZE),1)
BUILD		:= build/$(CC_NAME)-san
SAN_FLAGS	:= -fsanitize=address,undefined -fno-sanitize-recover=all \
		   -fno-omit-frame-pointer
else
BUILD		:= build/$(CC_NAME)
SAN_FLAGS	:=
endif

# pkg-config is evaluated lazily: "make check" installs packages first and
# then re-enters make, so a fresh machine never sees empty flags.
COMMON_PKGS	:= libcurl expat jansson yajl inih gumbo libutf8proc libunibreak \
		   libpcre2-8 \
		   libcrypto
DAEMON_PKGS	:= $(COMMON_PKGS) libevent sqlite3 libsystemd libpq
TEST_PKGS	:= $(DAEMON_PKGS) cmocka
PKG_CFLAGS	= $(shell pkg-config --cflags $(TEST_PKGS) 2>/dev/null)
COMMON_LIBS	= $(shell pkg-config --libs $(COMMON_PKGS) 2>/dev/null)
DAEMON_LIBS	= $(shell pkg-config --libs $(DAEMON_PKGS) 2>/dev/null)
TEST_LIBS	= $(shell pkg-config --libs $(TEST_PKGS) 2>/dev/null)

WARN		:= -Wall -Wextra -Werror -Wshadow -Wpointer-arith \
		   -Wmissing-prototypes -Wstrict-prototypes -Wformat=2 \
		   -Wno-unused-parameter
OPT		?= -O2 -g
CPPFLAGS	+= -D_GNU_SOURCE -DFEEDD_VERSION='"$(VERSION)"' \
		   -DFEEDD_SYSCONFDIR='"$(SYSCONFDIR)"' -iquote common -iquote daemon
ALL_CFLAGS	= -pthread -std=c11 $(OPT) $(WARN) $(SAN_FLAGS) $(PKG_CFLAGS) $(CFLAGS)
ALL_LDFLAGS	= -pthread $(SAN_FLAGS) $(LDFLAGS)

COMMON_SRCS	:= $(wildcard common/*.c)
DAEMON_SRCS	:= $(wildcard daemon/*.c)
CLIENT_SRCS	:= $(wildcard client/*.c)
TEST_SRCS	:= $(wildcard tests/unit/test_*.c)
TOOL_SRCS	:= $(wildcard tests/tools/*.c)
BENCH_SRCS	:= $(wildcard bench/*.c)
FUZZ_SRCS	:= $(wildcard fuzz/fuzz_*.c)

COMMON_OBJS	:= $(COMMON_SRCS:%.c=$(BUILD)/%.o)
DAEMON_OBJS	:= $(DAEMON_SRCS:%.c=$(BUILD)/%.o)
# Everything of the daemon but main(), for the unit tests to link.
DAEMON_LIB_OBJS	:= $(filter-out $(BUILD)/daemon/feedd.o,$(DAEMON_OBJS))
LIBDAEMON	:= $(BUILD)/libfeedd-daemon.a
CLIENT_OBJS	:= $(CLIENT_SRCS:%.c=$(BUILD)/%.o)
LIBCOMMON	:= $(BUILD)/libfeedd-common.a

FEEDD		:= $(BUILD)/feedd
FEEDCTL		:= $(BUILD)/feedctl
TESTS		:= $(TEST_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
TOOLS		:= $(TOOL_SRCS:tests/tools/%.c=$(BUILD)/tests/%)
BENCHES		:= $(BENCH_SRCS:bench/%.c=$(BUILD)/bench/%)

.PHONY: all deps check check-run fuzz fuzz-run bench bench-run run install \
	uninstall clean tests torture check-cluster

all: $(FEEDD) $(FEEDCTL)
	@ln -sf $(CC_NAME)$(if $(filter 1,$(SANITIZE)),-san)/feedd build/feedd
	@ln -sf $(CC_NAME)$(if $(filter 1,$(SANITIZE)),-san)/feedctl build/feedctl

deps:
	@sh tools/deps.sh

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

$(LIBCOMMON): $(COMMON_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

$(LIBDAEMON): $(DAEMON_LIB_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

$(FEEDD): $(BUILD)/daemon/feedd.o $(LIBDAEMON) $(LIBCOMMON)
	$(CC) $(ALL_LDFLAGS) -o $@ $(BUILD)/daemon/feedd.o $(LIBDAEMON) \
	    $(LIBCOMMON) $(DAEMON_LIBS)

$(FEEDCTL): $(CLIENT_OBJS) $(LIBCOMMON)
	$(CC) $(ALL_LDFLAGS) -o $@ $(CLIENT_OBJS) $(LIBCOMMON) $(COMMON_LIBS)

# One cmocka binary per module; daemon modules join when tests need them.
$(BUILD)/tests/%: $(BUILD)/tests/unit/%.o $(LIBDAEMON) $(LIBCOMMON)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(LIBDAEMON) $(LIBCOMMON) $(TEST_LIBS)

$(BUILD)/tests/%: $(BUILD)/tests/tools/%.o $(LIBDAEMON) $(LIBCOMMON)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(LIBDAEMON) $(LIBCOMMON) $(TEST_LIBS)

# test_term tests feedctl's output filter, which lives in client/.
$(BUILD)/tests/unit/test_term.o: CPPFLAGS += -iquote client
$(BUILD)/tests/test_term: $(BUILD)/tests/unit/test_term.o \
    $(BUILD)/client/term.o $(LIBCOMMON)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(TEST_LIBS)

# badhttpd makes gzip and deflate bombs.
$(BUILD)/tests/badhttpd: TEST_LIBS += $(shell pkg-config --libs zlib)

# test_store counts how often result arrays grow.
$(BUILD)/tests/test_store: ALL_LDFLAGS += -Wl,--wrap=xreallocarray

tests: all $(TESTS) $(TOOLS)

check: deps
	@$(MAKE) --no-print-directory check-run

check-run: tests
	@sh tests/run.sh $(BUILD)

# The full-size PostgreSQL cluster test alone (3 nodes, 1,000 feeds, 20
# kill -9s, 10 s without the database); "make check" runs it too.
check-cluster: deps
	@$(MAKE) --no-print-directory tests
	@FEEDD_TOP=$(CURDIR) FEEDD_BUILD=$(CURDIR)/$(BUILD) \
	    FEEDD_FIXTURES=$(CURDIR)/tests/fixtures \
	    sh tests/integration/pg-cluster.sh

# "make check" fails a sample of the allocations; this fails every one.
torture: $(BUILD)/tests/test_store_faults
	FEEDD_TORTURE=1 $(BUILD)/tests/test_store_faults

# Benchmarks build optimised and without sanitizers.
$(BUILD)/bench/%: $(BUILD)/bench/%.o $(LIBDAEMON) $(LIBCOMMON)
	@mkdir -p $(@D)
	$(CC) $(ALL_LDFLAGS) -o $@ $< $(LIBDAEMON) $(LIBCOMMON) $(DAEMON_LIBS)

bench:
	@sh tools/deps.sh bench
	@$(MAKE) --no-print-directory bench-run SANITIZE=0

bench-run: all $(BENCHES)
	@sh bench/run.sh $(BENCHES)

# libFuzzer needs clang; the fuzz build has its own folder and flags.
FUZZ_BUILD	:= build/fuzz
FUZZ_CC		?= clang
FUZZ_FLAGS	:= -fsanitize=address,undefined -fno-sanitize-recover=all \
		   -fno-omit-frame-pointer -g -O1
FUZZ_TARGETS	:= $(FUZZ_SRCS:fuzz/%.c=$(FUZZ_BUILD)/%)

$(FUZZ_BUILD)/common/%.o: common/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CPPFLAGS) -std=c11 $(WARN) $(FUZZ_FLAGS) \
	    -fsanitize=fuzzer-no-link $(PKG_CFLAGS) -MMD -MP -c -o $@ $<

# A daemon module a target needs is listed as its prerequisite below.
$(FUZZ_BUILD)/daemon/%.o: daemon/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CPPFLAGS) -std=c11 $(WARN) $(FUZZ_FLAGS) \
	    -fsanitize=fuzzer-no-link $(PKG_CFLAGS) -MMD -MP -c -o $@ $<

$(FUZZ_BUILD)/fuzz_opml: $(FUZZ_BUILD)/daemon/opml.o

$(FUZZ_BUILD)/%: fuzz/%.c $(COMMON_SRCS:%.c=$(FUZZ_BUILD)/%.o)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CPPFLAGS) -std=c11 $(WARN) $(FUZZ_FLAGS) \
	    -fsanitize=fuzzer $(PKG_CFLAGS) -o $@ $^ $(COMMON_LIBS)

fuzz: deps
	@$(MAKE) --no-print-directory fuzz-run

fuzz-run: $(FUZZ_TARGETS)
	@sh fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_TIME) $(FUZZ_TARGETS)

run: deps
	@$(MAKE) --no-print-directory all
	@sh config/run-demo.sh build

# Units get the installed paths; the config goes to $(SYSCONFDIR) only
# when there is none yet (never overwritten; uninstall leaves it).
# Give make and make install the same SYSCONFDIR: feedd has it built in.
SUBST		= sed -e 's|@SBINDIR@|$(SBINDIR)|g' -e 's|@BINDIR@|$(BINDIR)|g' \
		  -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g'

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SBINDIR) \
	    $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7 \
	    $(DESTDIR)$(MANDIR)/man8 \
	    $(DESTDIR)$(DOCDIR) $(DESTDIR)$(SYSCONFDIR)/feedd \
	    $(DESTDIR)$(SYSTEMDUNITDIR) $(DESTDIR)$(SYSTEMDUSERUNITDIR) \
	    $(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(TMPFILESDIR)
	install -m 755 $(FEEDD) $(DESTDIR)$(SBINDIR)/feedd
	install -m 755 $(FEEDCTL) $(DESTDIR)$(BINDIR)/feedctl
	install -m 644 contrib/feedctl.bash $(DESTDIR)$(BASHCOMPDIR)/feedctl
	install -m 644 man/feedctl.1 $(DESTDIR)$(MANDIR)/man1/feedctl.1
	install -m 644 man/feedd.conf.5 $(DESTDIR)$(MANDIR)/man5/feedd.conf.5
	install -m 644 man/feedd-protocol.7 \
	    $(DESTDIR)$(MANDIR)/man7/feedd-protocol.7
	install -m 644 man/feedd.8 $(DESTDIR)$(MANDIR)/man8/feedd.8
	install -m 644 config/feedd.conf $(DESTDIR)$(DOCDIR)/feedd.conf.example
	[ -e $(DESTDIR)$(SYSCONFDIR)/feedd/feedd.conf ] || \
	    install -m 644 config/feedd.conf \
	    $(DESTDIR)$(SYSCONFDIR)/feedd/feedd.conf
	$(SUBST) systemd/feedd.service >$(DESTDIR)$(SYSTEMDUNITDIR)/feedd.service
	$(SUBST) systemd/feedd.socket >$(DESTDIR)$(SYSTEMDUNITDIR)/feedd.socket
	$(SUBST) systemd/user/feedd.service \
	    >$(DESTDIR)$(SYSTEMDUSERUNITDIR)/feedd.service
	chmod 644 $(DESTDIR)$(SYSTEMDUNITDIR)/feedd.service \
	    $(DESTDIR)$(SYSTEMDUNITDIR)/feedd.socket \
	    $(DESTDIR)$(SYSTEMDUSERUNITDIR)/feedd.service
	install -m 644 systemd/feedd-sysusers.conf \
	    $(DESTDIR)$(SYSUSERSDIR)/feedd.conf
	install -m 644 systemd/feedd-tmpfiles.conf \
	    $(DESTDIR)$(TMPFILESDIR)/feedd.conf

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/feedd $(DESTDIR)$(BINDIR)/feedctl \
	    $(DESTDIR)$(BASHCOMPDIR)/feedctl \
	    $(DESTDIR)$(MANDIR)/man1/feedctl.1 \
	    $(DESTDIR)$(MANDIR)/man5/feedd.conf.5 \
	    $(DESTDIR)$(MANDIR)/man7/feedd-protocol.7 \
	    $(DESTDIR)$(MANDIR)/man8/feedd.8 \
	    $(DESTDIR)$(DOCDIR)/feedd.conf.example \
	    $(DESTDIR)$(SYSTEMDUNITDIR)/feedd.service \
	    $(DESTDIR)$(SYSTEMDUNITDIR)/feedd.socket \
	    $(DESTDIR)$(SYSTEMDUSERUNITDIR)/feedd.service \
	    $(DESTDIR)$(SYSUSERSDIR)/feedd.conf \
	    $(DESTDIR)$(TMPFILESDIR)/feedd.conf
	rmdir $(DESTDIR)$(DOCDIR) 2>/dev/null || true

clean:
	rm -rf build

-include $(shell find $(BUILD) $(FUZZ_BUILD) -name "*.d" 2>/dev/null)

# Objects built on the way to the fuzz targets are kept, not rebuilt.
.SECONDARY:
