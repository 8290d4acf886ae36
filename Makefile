# keel - top-level Makefile.
#
#   make            build build/keel.elf (+ keel.sym, keel.map)
#   make run        boot under QEMU into a busybox shell on the serial
#                   console (make initramfs first); quit: exit, or Ctrl-A x
#   make check      build and run every test tier; ends with "N passed, N failed"
#   make check-sanitizers ktest, boot and net tiers on a KASAN=1 LOCKDEP=1
#                   UBSAN=1 kernel (build/sanitizers)
#   make check-failslab the ktests on that kernel with allocations failing
#                   at random (tests/failslab.py)
#   make bench      run the benchmarks -> build/bench/results.json, docs/benchmarks.md
#   make bench-linux  tools/ubench on keel and on Debian's Linux, same QEMU
#                   -> build/bench-linux/results.json, docs/benchmarks.md
#   make debug      QEMU halted with a gdb stub; gdb -x build/gdb-init
#   make deps       install missing Debian packages
#   make initramfs  build/initramfs.cpio.gz: busybox, its applet links, /etc
#   make clippy     lint every keel Rust crate with clippy (as make check)
#   make rustdoc    the kernel crate's docs -> build/doc/kernel/index.html
#   make rust-analyzer         rust-project.json for rust-analyzer
#   make compile_commands.json the C compile database for clangd
#   make tidy       clang-tidy (.clang-tidy) over the C sources
#
# Knobs: SMP=n MEM=size MACHINE=pc|q35 CPU=qemu64|max CMDLINE="..." GRAPHIC=1
#        IP=dhcp (eth0's ip= for run/debug; IP= leaves it down)
#        DEBUG=0|1 (spinlock debug checks, default 1)
#        INIT=busybox|monitor (make run/debug: busybox's shell from
#        build/initramfs.cpio.gz, default; monitor: no initramfs, the
#        kernel's monitor)
#        INITRD=file (QEMU -initrd; overrides INIT's initramfs)
#        INITRAMFS_FILES="src:dest ..." (extra files for make initramfs)
#        STACKPROTECTOR=0|1 INIT_ZERO=0|1 (hardening, default 1; for
#        measuring its cost, docs/hardening.md)
#        UBSAN=1 (undefined-behaviour checks, docs/hardening.md)
#        LOCKDEP=0|1 (lock validator, default 0; builds in build/lockdep)
#        KASAN=0|1 (address sanitizer, default 0; builds in build/kasan)

LOCKDEP ?= 0
KASAN   ?= 0
BUILD   ?= build$(if $(filter 1,$(KASAN)),/kasan)$(if $(filter 1,$(LOCKDEP)),/lockdep)
ARCH    := x86_64
CC      := gcc
LD      := ld
NM      := nm
PYTHON  := python3
QEMU    := qemu-system-x86_64
V       ?= 0
Q       := $(if $(filter 1,$(V)),,@)

SMP     ?= 1
MEM     ?= 256M
MACHINE ?= pc
CPU     ?= qemu64
CMDLINE ?=
# QEMU's user network is always there: bring eth0 up by DHCP at boot so
# that ping answers on the first try. An ip= in CMDLINE comes later and
# wins.
IP      ?= dhcp
RUN_CMDLINE := $(strip $(if $(IP),ip=$(IP)) $(CMDLINE))
GRAPHIC ?= 0
HZ      ?= 100
DEBUG   ?= 1
INIT    ?= busybox
INITRD  ?=
# what make run and make debug boot: INITRD if given, else INIT's choice
ifeq ($(INIT),monitor)
RUN_INITRD := $(INITRD)
else ifeq ($(INIT),busybox)
RUN_INITRD := $(or $(INITRD),$(BUILD)/initramfs.cpio.gz)
else
$(error INIT=$(INIT): use INIT=busybox or INIT=monitor)
endif

GCC_INC := $(shell $(CC) -print-file-name=include)
CFLAGS  := -std=gnu11 -O2 -g -ffreestanding -mcmodel=kernel -mno-red-zone \
	   -mgeneral-regs-only -fno-omit-frame-pointer -fno-pic -fno-pie \
	   -fno-asynchronous-unwind-tables -fno-common \
	   -fno-strict-aliasing -fno-delete-null-pointer-checks -nostdinc -isystem $(GCC_INC) \
	   -Iinclude -Iarch/$(ARCH)/include -I$(BUILD)/include -DHZ=$(HZ) -DKEEL_DEBUG=$(DEBUG) -DKEEL_LOCKDEP=$(LOCKDEP) -DKEEL_KASAN=$(KASAN) \
	   -Wall -Wextra -Werror -Wno-unused-parameter -MMD -MP
# Always-on hardening (docs/hardening.md): stack canaries at %gs:0x28
# (struct cpu's stack_canary) and locals that start out zero. The knobs
# exist to measure their cost (use another BUILD= directory: make does
# not rebuild when flags change).
STACKPROTECTOR ?= 1
INIT_ZERO      ?= 1
ifeq ($(STACKPROTECTOR),1)
CFLAGS  += -fstack-protector-strong -mstack-protector-guard=tls \
	   -mstack-protector-guard-reg=gs -mstack-protector-guard-offset=0x28
else
CFLAGS  += -fno-stack-protector
endif
CFLAGS  += -DKEEL_STACKPROTECTOR=$(STACKPROTECTOR)
ifeq ($(INIT_ZERO),1)
CFLAGS  += -ftrivial-auto-var-init=zero
endif
CFLAGS  += -DKEEL_INIT_ZERO=$(INIT_ZERO)

# UBSAN=1: gcc's undefined-behaviour checks, reported by lib/ubsan.c
# (built without them); lib/ubsan_test.c proves each (docs/hardening.md).
UBSAN   ?= 0
UBSAN_CHECKS := shift,signed-integer-overflow,bounds-strict,null,alignment,object-size,unreachable,vla-bound,bool,builtin
ifeq ($(UBSAN),1)
UBSAN_CFLAGS := -fsanitize=$(UBSAN_CHECKS)
endif
$(BUILD)/lib/ubsan.o: UBSAN_CFLAGS :=
CFLAGS  += -DKEEL_UBSAN=$(UBSAN)

# KASAN=1 (docs/kasan.md): gcc's kernel-address instrumentation in outline
# mode (a call before each access, to mm/kasan.c), Linux's shadow offset,
# red zones after globals (registered by constructors kasan_init runs), no
# stack red zones yet. The runtime, the slab (it writes into freed slots)
# and the string routines (they check whole ranges) are not instrumented.
ifeq ($(KASAN),1)
KASAN_CFLAGS := -fsanitize=kernel-address \
	-fasan-shadow-offset=0xdffffc0000000000 \
	--param asan-instrumentation-with-call-threshold=0 \
	--param asan-stack=0 --param asan-globals=1
endif
$(BUILD)/mm/kasan.o $(BUILD)/mm/slab.o $(BUILD)/lib/string.o: KASAN_CFLAGS :=
ASFLAGS := -D__ASSEMBLER__ -Iinclude -Iarch/$(ARCH)/include -MMD -MP
LDFLAGS := -nostdlib -static -no-pie -z max-page-size=0x1000 -z noexecstack \
	   --no-warn-rwx-segments --gc-sections -T arch/$(ARCH)/kernel.ld

SRCS    := $(sort $(wildcard arch/$(ARCH)/*.c arch/$(ARCH)/*.S kernel/*.c \
	     kernel/*/*.c mm/*.c fs/*.c fs/*/*.c lib/*.c drivers/*/*.c drivers/*/*/*.c \
	     net/*.c net/*/*.c rust/helpers/*.c))
# tests of the UBSAN checks exist only in the UBSAN=1 build
ifneq ($(UBSAN),1)
SRCS    := $(filter-out lib/ubsan_test.c,$(SRCS))
endif
# the KASAN runtime and its tests exist only in the KASAN=1 build
ifneq ($(KASAN),1)
SRCS    := $(filter-out mm/kasan.c mm/kasan_test.c,$(SRCS))
endif
# the C twins of the compile-fail cases (tests/c-bugs/, outside the globs
# above): test-only, each built only into kernels with its instrument
SRCS    += $(if $(filter 1,$(KASAN)),tests/c-bugs/kasan.c) \
	   $(if $(filter 1,$(UBSAN)),tests/c-bugs/ubsan.c) \
	   $(if $(filter 1,$(KASAN) $(UBSAN) $(LOCKDEP)),tests/c-bugs/uncaught.c)
OBJS    := $(patsubst %,$(BUILD)/%.o,$(basename $(SRCS)))
# generated C: the console font from its hand-drawn text form, the
# system-call table from Linux's numbers
OBJS    += $(BUILD)/gen/font_8x16.o $(BUILD)/gen/syscall_table.o
DEPS    := $(OBJS:.o=.d)

GIT_REV := $(shell git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
VERSION := 0.1

.PHONY: all run check check-sanitizers check-failslab bench debug deps clean format format-check tidy initramfs
all: $(BUILD)/keel.elf

include rust/rust.mk

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS) $(UBSAN_CFLAGS) $(KASAN_CFLAGS) -c $< -o $@

$(BUILD)/gen/font_8x16.c: drivers/video/font_8x16.txt tools/gen-font.py
	@mkdir -p $(dir $@)
	@echo "  GEN     $@"
	$(Q)$(PYTHON) tools/gen-font.py $< > $@

$(BUILD)/gen/syscall_table.c: arch/$(ARCH)/syscall_64.tbl tools/gen-syscalls.py
	@mkdir -p $(dir $@)
	@echo "  GEN     $@"
	$(Q)$(PYTHON) tools/gen-syscalls.py $< > $@

$(BUILD)/gen/%.o: $(BUILD)/gen/%.c
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/%.o: %.S
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(CC) $(ASFLAGS) -c $< -o $@

# Version header: rewritten only when the revision changes.
$(BUILD)/include/keel/version.h: FORCE
	@mkdir -p $(dir $@)
	@printf '#define KEEL_VERSION "%s"\n#define KEEL_GIT_REV "%s"\n' \
		'$(VERSION)' '$(GIT_REV)' > $@.tmp
	@cmp -s $@.tmp $@ && rm $@.tmp || mv $@.tmp $@
$(OBJS): | $(BUILD)/include/keel/version.h
$(BUILD)/kernel/main.o: $(BUILD)/include/keel/version.h

# Two links (as Linux's kallsyms): the first with an empty symbol table,
# the second with the table generated from the first. The table sits last
# in rodata, so text addresses cannot move; tools/gen-ksyms.py's output is
# checked against both links.
$(BUILD)/ksyms0.S:
	@mkdir -p $(dir $@)
	$(Q)$(PYTHON) tools/gen-ksyms.py < /dev/null > $@

$(BUILD)/ksyms%.o: $(BUILD)/ksyms%.S
	$(Q)$(CC) $(ASFLAGS) -c $< -o $@

$(BUILD)/keel.pre.elf: $(OBJS) $(RUST_OBJS) $(BUILD)/ksyms0.o arch/$(ARCH)/kernel.ld
	@echo "  LD      $@"
	$(Q)$(LD) $(LDFLAGS) -o $@ $(OBJS) $(RUST_OBJS) $(BUILD)/ksyms0.o

$(BUILD)/ksyms1.S: $(BUILD)/keel.pre.elf tools/gen-ksyms.py
	$(Q)$(NM) -n $< | $(PYTHON) tools/gen-ksyms.py > $@

$(BUILD)/keel.elf: $(BUILD)/keel.pre.elf $(BUILD)/ksyms1.o
	@echo "  LD      $@"
	$(Q)$(LD) $(LDFLAGS) -Map=$(BUILD)/keel.map -o $@ $(OBJS) $(RUST_OBJS) $(BUILD)/ksyms1.o
	$(Q)$(NM) -n $@ > $(BUILD)/keel.sym
	$(Q)$(NM) -n $< | grep -i ' [tw] ' > $(BUILD)/text0.sym
	$(Q)grep -i ' [tw] ' $(BUILD)/keel.sym > $(BUILD)/text1.sym
	$(Q)cmp -s $(BUILD)/text0.sym $(BUILD)/text1.sym || \
		{ echo "error: text symbols moved between links"; rm -f $@; exit 1; }

QEMU_BASE := -machine $(MACHINE) -cpu $(CPU) -m $(MEM) -smp $(SMP) \
	     -kernel $(BUILD)/keel.elf -device isa-debug-exit -no-reboot
ifeq ($(GRAPHIC),1)
QEMU_DISPLAY := -serial mon:stdio
else
QEMU_DISPLAY := -display none -serial mon:stdio
endif

# make run builds the initramfs first when it boots the default one
RUN_DEPS := $(if $(filter busybox,$(INIT)),$(if $(INITRD),,initramfs))
RUN_QEMU := $(QEMU) $(QEMU_BASE) $(if $(RUN_INITRD),-initrd $(RUN_INITRD))

run: deps-quiet $(BUILD)/keel.elf $(RUN_DEPS)
	@echo "keel: serial console on this terminal; quit with Ctrl-A x"
	$(RUN_QEMU) $(QEMU_DISPLAY) -append "$(RUN_CMDLINE)"

# The initramfs (fs/initramfs.c unpacks it at boot): Debian's static
# busybox with its applet links, usr/initramfs/ (etc/...), and the
# INITRAMFS_FILES pairs src:dest that other parts of the tree add
# (user-space test programs). Rebuilt every time it is asked for.
INITRAMFS_FILES ?=
initramfs: deps-quiet
	$(Q)tools/mkinitramfs.sh $(BUILD)/initramfs-root \
		$(BUILD)/initramfs.cpio.gz $(INITRAMFS_FILES)

# gdb script: symbols, keel's helpers (scripts/gdb, docs/debugging.md),
# connect, stop at the C entry. hbreak, because a software breakpoint
# planted before paging is on would not be seen at the kernel's virtual
# address.
GDBPORT ?= 1234
$(BUILD)/gdb-init: FORCE
	@mkdir -p $(dir $@)
	@printf '%s\n' 'set architecture i386:x86-64' \
		'file $(abspath $(BUILD)/keel.elf)' \
		'source $(abspath scripts/gdb/keel-gdb.py)' \
		'target remote localhost:$(GDBPORT)' \
		'hbreak start_kernel' 'continue' > $@

debug: deps-quiet $(BUILD)/keel.elf $(BUILD)/gdb-init $(RUN_DEPS)
	@echo "keel: QEMU waits for gdb on port $(GDBPORT): in another terminal run"
	@echo "  gdb -x $(BUILD)/gdb-init"
	$(RUN_QEMU) $(QEMU_DISPLAY) -append "$(RUN_CMDLINE)" \
		-gdb tcp::$(GDBPORT) -S

# User-space test programs (tests/user/*.c, docs/userspace.md): static
# binaries built with Debian's musl-gcc, and an initramfs that runs them
# with init.c as /init (the "user" tier of tests/check.py).
MUSL_CC    := musl-gcc
USER_PROGS := $(patsubst tests/user/%.c,%,$(wildcard tests/user/*.c))
USER_BINS  := $(patsubst %,$(BUILD)/user/%,$(USER_PROGS))
# What user space adds to an initramfs (SRC:DEST pairs): the test
# programs under /test, in build/initramfs.cpio.gz too.
USER_TEST_FILES := $(foreach p,$(filter-out init,$(USER_PROGS)),\
		     $(BUILD)/user/$(p):/test/$(p))
INITRAMFS_FILES += $(USER_TEST_FILES)
initramfs: $(USER_BINS)

$(BUILD)/user/%: tests/user/%.c tests/user/ktap.h
	@mkdir -p $(dir $@)
	@echo "  MUSLCC  $<"
	$(Q)$(MUSL_CC) -static -O2 -Wall -Wextra -Werror -o $@ $<

# Debian's busybox too, for the applets tests/user/proc.c and
# tests/user/nettools.c run
BUSYBOX ?= /bin/busybox
$(BUILD)/user-tests.cpio: $(USER_BINS) tools/mkcpio.py
	@echo "  CPIO    $@"
	$(Q)$(PYTHON) tools/mkcpio.py $@ $(BUILD)/user/init:/init \
		$(USER_TEST_FILES) $(BUSYBOX):/bin/busybox

.PHONY: user-tests
user-tests: $(BUILD)/user-tests.cpio

# tools/ubench (docs/benchmarks.md, "keel against Linux"): the benchmark,
# the hello it executes and the /init of make bench-linux's initramfs,
# static musl binaries that run unchanged on keel and on Linux. ubench
# and its hello also go under /test (make initramfs too) for the user
# tier's --quick run (tests/user/bench.c).
UBENCH_BINS := $(BUILD)/ubench/ubench $(BUILD)/ubench/ubench-hello \
	       $(BUILD)/ubench/init
$(BUILD)/ubench/ubench: tools/ubench/ubench.c
$(BUILD)/ubench/ubench-hello: tools/ubench/hello.c
$(BUILD)/ubench/init: tools/ubench/init.c
$(UBENCH_BINS):
	@mkdir -p $(dir $@)
	@echo "  MUSLCC  $<"
	$(Q)$(MUSL_CC) -static -O2 -Wall -Wextra -Werror \
		-Wno-unused-parameter -o $@ $<
UBENCH_TEST_FILES := $(BUILD)/ubench/ubench:/test/ubench \
		     $(BUILD)/ubench/ubench-hello:/test/ubench-hello
USER_TEST_FILES += $(UBENCH_TEST_FILES)
$(BUILD)/user-tests.cpio initramfs: $(UBENCH_BINS)

# keel and Debian's Linux (fetched into build/bench-linux/ on first use)
# boot the same initramfs in the same QEMU, one run each per mode.
.PHONY: bench-linux
bench-linux: deps-quiet $(BUILD)/keel.elf $(UBENCH_BINS)
	$(Q)$(PYTHON) tools/ubench/bench_linux.py --kernel $(BUILD)/keel.elf \
		--ubench $(BUILD)/ubench

# The busybox script suite (tests/busybox/, the "busybox" tier of
# tests/check.py, docs/userspace.md): each NAME.sh runs under busybox sh
# inside keel, booted with init=/bbtest/runner from the initramfs; its
# output is compared with NAME.expected on the host.
BB_SCRIPTS := $(sort $(wildcard tests/busybox/*.sh))
BB_FILES   := $(BUILD)/bbtest/runner:/bbtest/runner \
	      $(BUILD)/bbtest/LIST:/bbtest/LIST \
	      $(foreach s,$(BB_SCRIPTS),$(s):/bbtest/$(notdir $(s)))
INITRAMFS_FILES += $(BB_FILES)
initramfs: $(BUILD)/bbtest/runner $(BUILD)/bbtest/LIST

$(BUILD)/bbtest/runner: tests/busybox/runner.c
	@mkdir -p $(dir $@)
	@echo "  MUSLCC  $<"
	$(Q)$(MUSL_CC) -static -O2 -Wall -Wextra -Werror -o $@ $<

# The scripts' names, in the order the runner runs them.
$(BUILD)/bbtest/LIST: FORCE
	@mkdir -p $(dir $@)
	$(Q)printf '%s\n' $(patsubst tests/busybox/%.sh,%,$(BB_SCRIPTS)) > $@

# Linux's kselftests (tests/kselftest/list.txt, docs/kselftest.md): built
# static with glibc from Debian's linux-source-6.1, unmodified, and run
# by tools/kselftest/runner.c as /init (the kselftest tier).
$(BUILD)/kselftest/runner: tools/kselftest/runner.c
	@mkdir -p $(dir $@)
	@echo "  MUSLCC  $<"
	$(Q)$(MUSL_CC) -static -O2 -Wall -Wextra -Werror -o $@ $<

$(BUILD)/kselftest.cpio: $(BUILD)/kselftest/runner tests/kselftest/list.txt \
		tools/kselftest/build.py tests/kselftest_list.py
	$(Q)$(PYTHON) tools/kselftest/build.py $(BUILD) \
		tests/kselftest/list.txt $(BUILD)/kselftest/runner

.PHONY: kselftests
kselftests: $(BUILD)/kselftest.cpio

# The system-call fuzzer and hostile-ELF campaign (tools/fuzz,
# docs/fuzzing.md): /init of an initramfs tests/fuzz.py makes. make
# check runs a short campaign (the fuzz tier); make fuzz the full one.
FUZZ_CALLS ?= 1000000
FUZZ_ELFS  ?= 10000
FUZZ_SEED  ?= 1
FUZZ_SMP   ?= 2
$(BUILD)/fuzz/syscall_fuzz: tools/fuzz/syscall_fuzz.c
	@mkdir -p $(dir $@)
	@echo "  MUSLCC  $<"
	$(Q)$(MUSL_CC) -static -O2 -Wall -Wextra -Werror -o $@ $<

.PHONY: fuzz-progs fuzz
fuzz-progs: $(BUILD)/fuzz/syscall_fuzz $(BUILD)/user/hello
fuzz: deps-quiet $(BUILD)/keel.elf fuzz-progs
	$(Q)$(PYTHON) tests/fuzz.py --kernel $(BUILD)/keel.elf \
		--calls $(FUZZ_CALLS) --elfs $(FUZZ_ELFS) --seed $(FUZZ_SEED) \
		--smp $(FUZZ_SMP)

# The compile-fail tier compiles driver snippets against the kernel
# crate's metadata (RUST_DRIVER_DEPS), which keel.elf needs anyway; named
# here so the tier never runs against a missing or stale kernel crate.
# (initramfs: the interactive tier boots make run's busybox shell)
check: deps-quiet $(BUILD)/keel.elf $(RUST_DRIVER_DEPS) $(BUILD)/user-tests.cpio \
	initramfs $(BUILD)/kselftest.cpio fuzz-progs
	$(Q)$(MAKE) --no-print-directory KASAN=1 LOCKDEP=1 UBSAN=1 \
		BUILD=$(BUILD)/sanitizers $(BUILD)/sanitizers/keel.elf
	$(Q)$(PYTHON) tests/check.py --kernel $(BUILD)/keel.elf

# The ktest boots (every CPU count, and -cpu max), the plain boots and
# the network tests on the sanitizer kernel (KASAN, the lock validator
# and UBSAN in one build, $(BUILD)/sanitizers, the one the sanitizers
# tier of make check runs the ktests on): each instrument's own suite
# proves its checks, and any report no test asked for fails the run.
SANITIZER_BUILD := $(BUILD)/sanitizers
check-sanitizers: deps-quiet $(BUILD)/user-tests.cpio
	$(Q)$(MAKE) --no-print-directory BUILD=$(SANITIZER_BUILD) KASAN=1 \
		LOCKDEP=1 UBSAN=1 $(SANITIZER_BUILD)/keel.elf
	$(Q)cp $(BUILD)/user-tests.cpio $(SANITIZER_BUILD)/user-tests.cpio
	$(Q)$(PYTHON) tests/check.py --kernel $(SANITIZER_BUILD)/keel.elf \
		--only ktest --only boot --only net --only user

# Every ktest with failslab failing allocations at random (seeded) on
# the sanitizer kernel: no report, no panic or hang, no leak, and a case
# fails only cleanly under injection and passes when retried without it
# (tests/failslab.py, docs/debugging.md). FAILSLAB_RUNS=RATE:SEED:SMP,...
FAILSLAB_RUNS ?=
check-failslab: deps-quiet
	$(Q)$(MAKE) --no-print-directory BUILD=$(SANITIZER_BUILD) KASAN=1 \
		LOCKDEP=1 UBSAN=1 $(SANITIZER_BUILD)/keel.elf
	$(Q)$(PYTHON) tests/failslab.py --kernel $(SANITIZER_BUILD)/keel.elf \
		$(if $(FAILSLAB_RUNS),--runs $(FAILSLAB_RUNS))

# clang-format -i over the files the format tier checks (not those in
# tests/format-exempt.txt); format-check is that tier.
format:
	$(Q)clang-format --style=file -i $$($(PYTHON) tests/check.py --format-files)

format-check:
	$(Q)$(PYTHON) tests/check.py --only format

bench: deps-quiet $(BUILD)/keel.elf
	$(Q)$(PYTHON) tools/bench.py --kernel $(BUILD)/keel.elf --rev $(GIT_REV)

deps:
	$(Q)tools/deps.sh install

deps-quiet:
	$(Q)tools/deps.sh check || tools/deps.sh install

clean:
	rm -rf $(BUILD)

# compile_commands.json for clangd/clang-tidy: the pattern rules' own
# $(CC) and flags for every source; builds nothing but version.h.
# make tidy: clang-tidy with .clang-tidy over every C file in it (the tidy
# tier of make check; about 100 s of CPU).
tidy: compile_commands.json
	$(Q)$(PYTHON) tests/check.py --kernel $(BUILD)/keel.elf --only tidy

compile_commands.json: tools/gen-compile-commands.py $(BUILD)/include/keel/version.h FORCE
	$(Q)$(PYTHON) tools/gen-compile-commands.py --cc '$(CC)' \
		--cflags '$(CFLAGS)' --asflags '$(ASFLAGS)' --build $(BUILD) \
		-o $@ $(SRCS)

FORCE:
.PHONY: FORCE deps-quiet

-include $(DEPS)
