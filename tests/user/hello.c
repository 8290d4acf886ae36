// SPDX-License-Identifier: MIT
/*
 * hello.c - a program starts as Linux starts it: argc/argv/envp from
 * execve, the auxiliary vector (page size, entry, program headers,
 * random bytes, platform, ids), a 16-byte aligned stack, and output on
 * fd 1.
 */
#include <elf.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/auxv.h>

#include "ktap.h"

extern char **environ;
extern char _start[]; /* the ELF entry point (crt1) */

int main(int argc, char **argv)
{
	const unsigned char *rnd = (const void *)getauxval(AT_RANDOM);
	const Elf64_Phdr *ph = (const void *)getauxval(AT_PHDR);
	const char *plat = (const void *)getauxval(AT_PLATFORM);
	const char *execfn = (const void *)getauxval(AT_EXECFN);
	volatile char here;

	ktap_begin("hello", 9);
	ktap_check(write(1, "", 0) == 0, "write_to_stdout");
	ktap_check(argc == 3 && !strcmp(argv[1], "arg1") &&
			   !strcmp(argv[2], "arg two") && !argv[3],
		   "argv_from_execve");
	ktap_check(getenv("KEEL_TEST") && !strcmp(getenv("KEEL_TEST"), "1") &&
			   environ[1] && !environ[2],
		   "envp_from_execve");
	ktap_check(getauxval(AT_PAGESZ) == 4096 && getauxval(AT_CLKTCK) == 100,
		   "auxv_pagesz_clktck");
	ktap_check(getauxval(AT_ENTRY) == (unsigned long)_start, "auxv_entry");
	ktap_check(ph && getauxval(AT_PHENT) == sizeof(Elf64_Phdr) &&
			   getauxval(AT_PHNUM) > 0 && ph[0].p_type != 0,
		   "auxv_phdr_readable");
	ktap_check(rnd && (rnd[0] | rnd[1] | rnd[2] | rnd[3] | rnd[4] | rnd[5] |
			   rnd[6] | rnd[7]),
		   "auxv_random");
	ktap_check(plat && !strcmp(plat, "x86_64") && execfn &&
			   !strcmp(execfn, argv[0]) && getauxval(AT_UID) == 0 &&
			   getauxval(AT_SECURE) == 0,
		   "auxv_platform_execfn_ids");
	ktap_check((uintptr_t)&here > 0x7f0000000000UL &&
			   (uintptr_t)&here < 0x7ffffffff000UL,
		   "stack_near_top_of_user_half");
	return ktap_end();
}
