// SPDX-License-Identifier: MIT
/*
 * signal_test.c - the user signal frame (asm/sigframe.h) against the
 * numbers Linux x86_64 uses (struct rt_sigframe, ucontext, sigcontext,
 * siginfo, sigaction, stack_t), and where the frame goes on the stack.
 */
#include <asm/sigframe.h>
#include <keel/ktest.h>
#include <keel/signal.h>

#define OFF(type, field) ((long)offsetof(type, field))

static void rt_sigframe_layout(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, (long)sizeof(struct rt_sigframe), 440L);
	KTEST_EXPECT_EQ(t, OFF(struct rt_sigframe, pretcode), 0L);
	KTEST_EXPECT_EQ(t, OFF(struct rt_sigframe, uc), 8L);
	KTEST_EXPECT_EQ(t, OFF(struct rt_sigframe, info), 312L);
	KTEST_EXPECT_EQ(t, (long)sizeof(struct ucontext), 304L);
	KTEST_EXPECT_EQ(t, OFF(struct ucontext, uc_flags), 0L);
	KTEST_EXPECT_EQ(t, OFF(struct ucontext, uc_link), 8L);
	KTEST_EXPECT_EQ(t, OFF(struct ucontext, uc_stack), 16L);
	KTEST_EXPECT_EQ(t, OFF(struct ucontext, uc_mcontext), 40L);
	KTEST_EXPECT_EQ(t, OFF(struct ucontext, uc_sigmask), 296L);
}

static void sigcontext_layout(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, (long)sizeof(struct sigcontext_64), 256L);
	KTEST_EXPECT_EQ(t, OFF(struct sigcontext_64, r8), 0L);
	KTEST_EXPECT_EQ(t, OFF(struct sigcontext_64, r15), 56L);
	KTEST_EXPECT_EQ(t, OFF(struct sigcontext_64, di), 64L);
	KTEST_EXPECT_EQ(t, OFF(struct sigcontext_64, ax), 104L);
	KTEST_EXPECT_EQ(t, OFF(struct sigcontext_64, sp), 120L);
	KTEST_EXPECT_EQ(t, OFF(struct sigcontext_64, ip), 128L);
	KTEST_EXPECT_EQ(t, OFF(struct sigcontext_64, flags), 136L);
	KTEST_EXPECT_EQ(t, OFF(struct sigcontext_64, cs), 144L);
	KTEST_EXPECT_EQ(t, OFF(struct sigcontext_64, ss), 150L);
	KTEST_EXPECT_EQ(t, OFF(struct sigcontext_64, err), 152L);
	KTEST_EXPECT_EQ(t, OFF(struct sigcontext_64, trapno), 160L);
	KTEST_EXPECT_EQ(t, OFF(struct sigcontext_64, oldmask), 168L);
	KTEST_EXPECT_EQ(t, OFF(struct sigcontext_64, cr2), 176L);
	KTEST_EXPECT_EQ(t, OFF(struct sigcontext_64, fpstate), 184L);
	/* the frame's uc_mcontext.fpstate, as a program finds it */
	KTEST_EXPECT_EQ(t, OFF(struct rt_sigframe, uc.uc_mcontext.fpstate),
			8L + 40 + 184);
}

static void siginfo_and_abi_structs(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, (long)sizeof(kernel_siginfo_t), 48L);
	KTEST_EXPECT_EQ(t, OFF(kernel_siginfo_t, si_signo), 0L);
	KTEST_EXPECT_EQ(t, OFF(kernel_siginfo_t, si_errno), 4L);
	KTEST_EXPECT_EQ(t, OFF(kernel_siginfo_t, si_code), 8L);
	KTEST_EXPECT_EQ(t, OFF(kernel_siginfo_t, si_pid), 16L);
	KTEST_EXPECT_EQ(t, OFF(kernel_siginfo_t, si_uid), 20L);
	KTEST_EXPECT_EQ(t, OFF(kernel_siginfo_t, si_status), 24L);
	KTEST_EXPECT_EQ(t, OFF(kernel_siginfo_t, si_addr), 16L);
	KTEST_EXPECT_EQ(t, OFF(kernel_siginfo_t, sifields.sigchld.utime), 32L);
	KTEST_EXPECT_EQ(t, (long)sizeof(struct sigaction), 32L);
	KTEST_EXPECT_EQ(t, OFF(struct sigaction, sa_flags), 8L);
	KTEST_EXPECT_EQ(t, OFF(struct sigaction, sa_restorer), 16L);
	KTEST_EXPECT_EQ(t, OFF(struct sigaction, sa_mask), 24L);
	KTEST_EXPECT_EQ(t, (long)sizeof(stack_t), 24L);
	KTEST_EXPECT_EQ(t, OFF(stack_t, ss_flags), 8L);
	KTEST_EXPECT_EQ(t, OFF(stack_t, ss_size), 16L);
	KTEST_EXPECT_EQ(t, (long)sizeof(sigset_t), 8L);
}

/* Every stack pointer: fxsave area 64-aligned above the frame, frame+8
 * 16-aligned, nothing above sp. */
static void frame_placement(struct ktest *t)
{
	for (unsigned long sp = 0x7ffffffde000UL; sp < 0x7ffffffde000UL + 256;
	     sp++) {
		unsigned long fx, frame = sigframe_place(sp, &fx);

		KTEST_EXPECT_EQ(t, fx & 63, 0UL);
		KTEST_EXPECT_LE(t, fx + FXSAVE_SIZE, sp);
		KTEST_EXPECT_GT(t, fx + FXSAVE_SIZE + 64, sp);
		KTEST_EXPECT_EQ(t, (frame + 8) & 15, 0UL);
		KTEST_EXPECT_LE(t, frame + sizeof(struct rt_sigframe), fx);
		KTEST_EXPECT_GT(t, frame + sizeof(struct rt_sigframe) + 16, fx);
	}
}

static struct ktest_case signal_cases[] = {
	KTEST_CASE(rt_sigframe_layout),
	KTEST_CASE(sigcontext_layout),
	KTEST_CASE(siginfo_and_abi_structs),
	KTEST_CASE(frame_placement),
	{},
};

KTEST_SUITE(sigframe, signal_cases);
