/*
 * usercopy.S - the bulk user-memory routines behind keel/uaccess.h.
 *
 * rep movsb / rep stosb keep their progress in %rcx: when the CPU
 * faults in the middle, %rcx holds the bytes still to go, and the
 * exception table resumes right after the instruction, so the return
 * value (bytes NOT done) is exact in both cases without a byte loop.
 * The caller checked the range (access_ok) and opened the SMAP window.
 */
	.text

/* unsigned long __copy_user(void *to, const void *from, unsigned long n) */
	.globl __copy_user
__copy_user:
	movq %rdx, %rcx
1:	rep movsb
2:	movq %rcx, %rax
	ret

/* unsigned long __clear_user(void *to, unsigned long n) */
	.globl __clear_user
__clear_user:
	movq %rsi, %rcx
	xorl %eax, %eax
3:	rep stosb
4:	movq %rcx, %rax
	ret

	.pushsection __ex_table, "a"
	.balign 8
	.quad 1b, 2b
	.quad 3b, 4b
	.popsection
