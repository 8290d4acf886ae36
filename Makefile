# keel - top-level Makefile.
#
#   make            build build/keel.elf (+ keel.sym, keel.map)
#   make run        boot under QEMU, serial on this terminal (quit: Ctrl-A x)
#   make check      build and run every test tier; ends with "N passed, N failed"
#   make bench      run the benchmarks -> build/bench/results.json, docs/benchmarks.md
#   make debug      QEMU halted with a gdb stub; gdb -x build/gdb-init
#   make deps       install missing Debian packages
#   make initramfs  build/initramfs.cpio.gz: busybox, its applet links, /etc
#   make clippy     lint every keel Rust crate with clippy (as make check)
#   make rustdoc    the kernel crate's docs -> build/doc/kernel/index.html
#   make rust-analyzer         rust-project.json for rust-analyzer
#   make compile_commands.json the C compile database for clangd
#
# Knobs: SMP=n MEM=size MACHINE=pc|q35 CPU=qemu64|max CMDLINE="..." GRAPHIC=1
#        DEBUG=0|1 (spinlock debug checks, default 1)
#        INITRD=file (QEMU -initrd, e.g. build/initramfs.cpio.gz)
#        INITRAMFS_FILES="dest=src ..." (extra files for make initramfs)

BUILD   ?= build
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
GRAPHIC ?= 0
HZ      ?= 100
DEBUG   ?= 1
INITRD  ?=

GCC_INC := $(shell $(CC) -print-file-name=include)
CFLAGS  := -std=gnu11 -O2 -g -ffreestanding -mcmodel=kernel -mno-red-zone \
	   -mgeneral-regs-only -fno-omit-frame-pointer -fno-pic -fno-pie \
	   -fno-stack-protector -fno-asynchronous-unwind-tables -fno-common \
	   -fno-strict-aliasing -fno-delete-null-pointer-checks -nostdinc -isystem $(GCC_INC) \
	   -Iinclude -Iarch/$(ARCH)/include -I$(BUILD)/include -DHZ=$(HZ) -DKEEL_DEBUG=$(DEBUG) \
	   -Wall -Wextra -Werror -Wno-unused-parameter -MMD -MP
ASFLAGS := -D__ASSEMBLER__ -Iinclude -Iarch/$(ARCH)/include -MMD -MP
LDFLAGS := -nostdlib -static -no-pie -z max-page-size=0x1000 -z noexecstack \
	   --no-warn-rwx-segments --gc-sections -T arch/$(ARCH)/kernel.ld

SRCS    := $(sort $(wildcard arch/$(ARCH)/*.c arch/$(ARCH)/*.S kernel/*.c \
	     kernel/*/*.c mm/*.c fs/*.c fs/*/*.c lib/*.c drivers/*/*.c drivers/*/*/*.c \
	     net/*/*.c rust/helpers/*.c))
OBJS    := $(patsubst %,$(BUILD)/%.o,$(basename $(SRCS)))
# generated C: the console font from its hand-drawn text form, the
# system-call table from Linux's numbers
OBJS    += $(BUILD)/gen/font_8x16.o $(BUILD)/gen/syscall_table.o
DEPS    := $(OBJS:.o=.d)

GIT_REV := $(shell git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
VERSION := 0.1

.PHONY: all run check bench debug deps clean format format-check initramfs
all: $(BUILD)/keel.elf

include rust/rust.mk

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

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
	     -kernel $(BUILD)/keel.elf -device isa-debug-exit -no-reboot \
	     $(if $(INITRD),-initrd $(INITRD))
ifeq ($(GRAPHIC),1)
QEMU_DISPLAY := -serial mon:stdio
else
QEMU_DISPLAY := -display none -serial mon:stdio
endif

run: deps-quiet $(BUILD)/keel.elf
	@echo "keel: serial console on this terminal; quit with Ctrl-A x"
	$(QEMU) $(QEMU_BASE) $(QEMU_DISPLAY) -append "$(CMDLINE)"

# gdb script: symbols, connect, stop at the C entry. hbreak, because a
# software breakpoint planted before paging is on would not be seen at
# the kernel's virtual address.
GDBPORT ?= 1234
$(BUILD)/gdb-init: FORCE
	@mkdir -p $(dir $@)
	@printf '%s\n' 'set architecture i386:x86-64' \
		'file $(abspath $(BUILD)/keel.elf)' \
		'target remote localhost:$(GDBPORT)' \
		'hbreak start_kernel' 'continue' > $@

debug: deps-quiet $(BUILD)/keel.elf $(BUILD)/gdb-init
	@echo "keel: QEMU waits for gdb on port $(GDBPORT): in another terminal run"
	@echo "  gdb -x $(BUILD)/gdb-init"
	$(QEMU) $(QEMU_BASE) $(QEMU_DISPLAY) -append "$(CMDLINE)" \
		-gdb tcp::$(GDBPORT) -S

# The compile-fail tier compiles driver snippets against the kernel
# crate's metadata (RUST_DRIVER_DEPS), which keel.elf needs anyway; named
# here so the tier never runs against a missing or stale kernel crate.
# User-space test programs (tests/user/*.c, docs/userspace.md): static
# binaries built with Debian's musl-gcc, and an initramfs that runs them
# with init.c as /init (the "user" tier of tests/check.py).
MUSL_CC    := musl-gcc
USER_PROGS := $(patsubst tests/user/%.c,%,$(wildcard tests/user/*.c))
USER_BINS  := $(patsubst %,$(BUILD)/user/%,$(USER_PROGS))
# What user space adds to an initramfs, as NAME=HOST_PATH (mkcpio.py):
# the test programs under /test. The busybox initramfs rule may take it.
INITRAMFS_FILES += $(foreach p,$(filter-out init,$(USER_PROGS)),\
		     test/$(p)=$(BUILD)/user/$(p))

$(BUILD)/user/%: tests/user/%.c tests/user/ktap.h
	@mkdir -p $(dir $@)
	@echo "  MUSLCC  $<"
	$(Q)$(MUSL_CC) -static -O2 -Wall -Wextra -Werror -o $@ $<

$(BUILD)/user-tests.cpio: $(USER_BINS) tools/mkcpio.py
	@echo "  CPIO    $@"
	$(Q)$(PYTHON) tools/mkcpio.py $@ init=$(BUILD)/user/init \
		$(INITRAMFS_FILES)

.PHONY: user-tests
user-tests: $(BUILD)/user-tests.cpio

# The initramfs (fs/initramfs.c unpacks it at boot): Debian's static
# busybox with its applet links, usr/initramfs/ (etc/...), and the
# INITRAMFS_FILES pairs dest=src (above: the user-space test programs
# under /test). Rebuilt every time it is asked for.
initramfs: deps-quiet $(USER_BINS)
	$(Q)tools/mkinitramfs.sh $(BUILD)/initramfs-root \
		$(BUILD)/initramfs.cpio.gz $(INITRAMFS_FILES)

check: deps-quiet $(BUILD)/keel.elf $(RUST_DRIVER_DEPS) $(BUILD)/user-tests.cpio
	$(Q)$(PYTHON) tests/check.py --kernel $(BUILD)/keel.elf

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
compile_commands.json: tools/gen-compile-commands.py $(BUILD)/include/keel/version.h FORCE
	$(Q)$(PYTHON) tools/gen-compile-commands.py --cc '$(CC)' \
		--cflags '$(CFLAGS)' --asflags '$(ASFLAGS)' --build $(BUILD) \
		-o $@ $(SRCS)

FORCE:
.PHONY: FORCE deps-quiet

-include $(DEPS)
