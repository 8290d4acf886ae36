// SPDX-License-Identifier: MIT
/*
 * plugin.c - a QEMU TCG plugin that counts how often each guest
 * instruction of the kernel image runs (tools/insnprof/insnprof.py
 * builds, loads and reads it).
 *
 * Every instruction between KERNEL_BASE and KERNEL_BASE + SPAN gets an
 * inline "add 1" on its own counter; at exit the plugin writes one line
 * "<address> <count>" per instruction that ran to $INSNPROF_OUT. Under
 * -icount shift=0 one virtual ns is one guest instruction, so dividing a
 * function's count by a benchmark's iterations gives its instructions
 * per operation. Inline adds do not change what the guest executes.
 *
 * QEMU 7.2's plugin API (version 1) is declared below instead of
 * included: Debian ships the plugin support but not qemu-plugin.h.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

typedef uint64_t qemu_plugin_id_t;
typedef struct qemu_info_t qemu_info_t;
struct qemu_plugin_tb;
struct qemu_plugin_insn;
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 };
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id,
					       struct qemu_plugin_tb *tb);
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *userdata);

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id,
					   qemu_plugin_vcpu_tb_trans_cb_t cb);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *
qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb, size_t idx);
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *insn);
void qemu_plugin_register_vcpu_insn_exec_inline(struct qemu_plugin_insn *insn,
						enum qemu_plugin_op op,
						void *ptr, uint64_t imm);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id,
				    qemu_plugin_udata_cb_t cb, void *userdata);

#define EXPORT	    __attribute__((visibility("default")))
#define KERNEL_BASE 0xffffffff80000000ULL /* KERNEL_VMA */
#define SPAN	    (1ULL << 24)

EXPORT int qemu_plugin_version = 1;

static uint64_t *counts; /* one per byte of the image: per instruction */
static uint64_t outside; /* instructions elsewhere (none in keel today) */

static void tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t n = qemu_plugin_tb_n_insns(tb);

	for (size_t i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		uint64_t va = qemu_plugin_insn_vaddr(insn);
		uint64_t *c = &outside;

		if (va >= KERNEL_BASE && va - KERNEL_BASE < SPAN)
			c = &counts[va - KERNEL_BASE];
		qemu_plugin_register_vcpu_insn_exec_inline(
			insn, QEMU_PLUGIN_INLINE_ADD_U64, c, 1);
	}
}

static void write_counts(qemu_plugin_id_t id, void *unused)
{
	const char *path = getenv("INSNPROF_OUT");
	FILE *f = fopen(path ? path : "insnprof.txt", "w");

	if (!f)
		return;
	for (uint64_t i = 0; i < SPAN; i++)
		if (counts[i])
			fprintf(f, "%llx %llu\n",
				(unsigned long long)(KERNEL_BASE + i),
				(unsigned long long)counts[i]);
	fprintf(f, "outside %llu\n", (unsigned long long)outside);
	fclose(f);
}

EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info,
			       int argc, char **argv)
{
	counts = calloc(SPAN, sizeof(*counts));
	if (!counts)
		return -1;
	qemu_plugin_register_vcpu_tb_trans_cb(id, tb_trans);
	qemu_plugin_register_atexit_cb(id, write_counts, NULL);
	return 0;
}
