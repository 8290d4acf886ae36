// SPDX-License-Identifier: MIT
/*
 * n_tty_test.c - the line discipline, fed bytes directly: a test tty
 * whose driver writes into out[] and whose signal hook records what ^C
 * and friends would send (the console's sends it with kill_pgrp; the
 * interactive tier's busybox test checks that end to end).
 */
#include <keel/ktest.h>
#include <keel/signal.h>
#include <keel/string.h>
#include <keel/time.h>
#include <keel/tty.h>
#include <keel/uio.h>

static struct tty_struct test_tty;
static char out[512];
static size_t out_len;
static int sig_pgrp, sig_nr, sig_count;

static void test_write(struct tty_struct *tty, const u8 *buf, size_t len)
{
	(void)tty;
	len = min(len, sizeof(out) - 1 - out_len);
	memcpy(out + out_len, buf, len);
	out_len += len;
	out[out_len] = 0;
}

static void test_signal(struct tty_struct *tty, int pgrp, int sig)
{
	(void)tty;
	sig_pgrp = pgrp;
	sig_nr = sig;
	sig_count++;
}

static const struct tty_operations test_ops = {
	.write = test_write,
	.signal = test_signal,
};

static struct tty_struct *fresh_tty(void)
{
	tty_struct_init(&test_tty, "test", &test_ops);
	out_len = 0;
	out[0] = 0;
	sig_pgrp = sig_nr = sig_count = 0;
	return &test_tty;
}

static void feed(struct tty_struct *tty, const char *s)
{
	n_tty_receive_buf(tty, (const u8 *)s, strlen(s));
}

/* A non-blocking read into buf (NUL-terminated); returns n_tty_read's. */
static ssize_t read_now(struct tty_struct *tty, char *buf, size_t size)
{
	struct iov_iter it;
	ssize_t n;

	iov_iter_kvec_one(&it, ITER_DEST, buf, size - 1);
	n = n_tty_read(tty, &it, true);
	buf[n > 0 ? n : 0] = 0;
	return n;
}

static void set_lflag(struct tty_struct *tty, tcflag_t on, tcflag_t off)
{
	struct termios2 old = tty->termios;
	unsigned long flags;

	spin_lock_irqsave(&tty->lock, flags);
	tty->termios.c_lflag = (tty->termios.c_lflag | on) & ~off;
	n_tty_set_termios(tty, &old);
	spin_unlock_irqrestore(&tty->lock, flags);
}

static void canon_line_waits_for_newline(struct ktest *t)
{
	struct tty_struct *tty = fresh_tty();
	char buf[64];

	feed(tty, "ls -l");
	KTEST_EXPECT_FALSE(t, n_tty_input_available(tty));
	KTEST_EXPECT_EQ(t, read_now(tty, buf, sizeof(buf)), (ssize_t)-EAGAIN);
	feed(tty, "\r"); /* ICRNL */
	KTEST_EXPECT_TRUE(t, n_tty_input_available(tty));
	KTEST_EXPECT_EQ(t, n_tty_chars_in_buffer(tty), (size_t)6);
	KTEST_EXPECT_EQ(t, read_now(tty, buf, sizeof(buf)), (ssize_t)6);
	KTEST_EXPECT_STREQ(t, buf, "ls -l\n");
	/* echo: as typed, the newline as "\r\n" (OPOST|ONLCR) */
	KTEST_EXPECT_STREQ(t, out, "ls -l\r\n");
}

static void canon_read_takes_one_line(struct ktest *t)
{
	struct tty_struct *tty = fresh_tty();
	char buf[64];

	feed(tty, "one\ntwo\nthr");
	KTEST_EXPECT_EQ(t, read_now(tty, buf, sizeof(buf)), (ssize_t)4);
	KTEST_EXPECT_STREQ(t, buf, "one\n");
	KTEST_EXPECT_EQ(t, read_now(tty, buf, 3), (ssize_t)2); /* short */
	KTEST_EXPECT_STREQ(t, buf, "tw");
	KTEST_EXPECT_EQ(t, read_now(tty, buf, sizeof(buf)), (ssize_t)2);
	KTEST_EXPECT_STREQ(t, buf, "o\n");
	KTEST_EXPECT_EQ(t, read_now(tty, buf, sizeof(buf)), (ssize_t)-EAGAIN);
}

static void erase_del_and_backspace(struct ktest *t)
{
	struct tty_struct *tty = fresh_tty();
	char buf[64];

	feed(tty, "abx\x7f"
		  "c\b\bd\n");
	KTEST_EXPECT_EQ(t, read_now(tty, buf, sizeof(buf)), (ssize_t)7);
	KTEST_EXPECT_STREQ(t, buf, "abc\b\bd\n");
	/* DEL erases (VERASE, ECHOE); ^H is not VERASE: it is stored */
	KTEST_EXPECT_STREQ(t, out, "abx\b \bc^H^Hd\r\n");
}

static void erase_at_line_start_does_nothing(struct ktest *t)
{
	struct tty_struct *tty = fresh_tty();
	char buf[64];

	feed(tty, "x\n\x7f\x7fy\n");
	KTEST_EXPECT_EQ(t, read_now(tty, buf, sizeof(buf)), (ssize_t)2);
	KTEST_EXPECT_EQ(t, read_now(tty, buf, sizeof(buf)), (ssize_t)2);
	KTEST_EXPECT_STREQ(t, buf, "y\n");
	KTEST_EXPECT_STREQ(t, out, "x\r\ny\r\n");
}

static void erase_control_char_rubs_two_cells(struct ktest *t)
{
	struct tty_struct *tty = fresh_tty();

	tty->termios.c_cc[VERASE] = '\b'; /* stty erase ^H */
	feed(tty, "a\x01\b");
	KTEST_EXPECT_STREQ(t, out, "a^A\b \b\b \b");
}

static void erase_tab_backs_up_its_cells(struct ktest *t)
{
	struct tty_struct *tty = fresh_tty();

	feed(tty, "ab\t\x7f");
	KTEST_EXPECT_STREQ(t, out, "ab\t\b\b\b\b\b\b");
}

static void kill_erases_the_line(struct ktest *t)
{
	struct tty_struct *tty = fresh_tty();
	char buf[64];

	feed(tty, "abc\x15z\n");
	KTEST_EXPECT_EQ(t, read_now(tty, buf, sizeof(buf)), (ssize_t)2);
	KTEST_EXPECT_STREQ(t, buf, "z\n");
	/* ECHOKE: rubbed out one by one */
	KTEST_EXPECT_STREQ(t, out, "abc\b \b\b \b\b \bz\r\n");
}

static void kill_without_echoke_echoes_newline(struct ktest *t)
{
	struct tty_struct *tty = fresh_tty();

	set_lflag(tty, 0, ECHOKE);
	feed(tty, "abc\x15");
	KTEST_EXPECT_STREQ(t, out, "abc^U\r\n");
}

static void werase_erases_a_word(struct ktest *t)
{
	struct tty_struct *tty = fresh_tty();
	char buf[64];

	feed(tty, "echo foo_1  \x17"
		  "bar\n");
	KTEST_EXPECT_EQ(t, read_now(tty, buf, sizeof(buf)), (ssize_t)9);
	KTEST_EXPECT_STREQ(t, buf, "echo bar\n");
}

static void eof_at_line_start_reads_zero(struct ktest *t)
{
	struct tty_struct *tty = fresh_tty();
	char buf[64];

	feed(tty, "\x04");
	KTEST_EXPECT_TRUE(t, n_tty_input_available(tty));
	KTEST_EXPECT_EQ(t, read_now(tty, buf, sizeof(buf)), (ssize_t)0);
	KTEST_EXPECT_EQ(t, read_now(tty, buf, sizeof(buf)), (ssize_t)-EAGAIN);
	/* mid-line, ^D hands over the line without a newline */
	feed(tty, "ab\x04");
	KTEST_EXPECT_EQ(t, read_now(tty, buf, sizeof(buf)), (ssize_t)2);
	KTEST_EXPECT_STREQ(t, buf, "ab");
	KTEST_EXPECT_STREQ(t, out, "ab"); /* EOF is not echoed */
}

static void lnext_takes_next_literally(struct ktest *t)
{
	struct tty_struct *tty = fresh_tty();
	char buf[64];

	tty->pgrp = 7;
	feed(tty, "\x16\x03\x16\x7f\n");
	KTEST_EXPECT_EQ(t, sig_count, 0);
	KTEST_EXPECT_EQ(t, read_now(tty, buf, sizeof(buf)), (ssize_t)3);
	KTEST_EXPECT_STREQ(t, buf, "\x03\x7f\n");
}

static void echo_off_but_echonl(struct ktest *t)
{
	struct tty_struct *tty = fresh_tty();
	char buf[64];

	set_lflag(tty, ECHONL, ECHO);
	feed(tty, "secret\n");
	KTEST_EXPECT_STREQ(t, out, "\r\n");
	KTEST_EXPECT_EQ(t, read_now(tty, buf, sizeof(buf)), (ssize_t)7);
	KTEST_EXPECT_STREQ(t, buf, "secret\n");
}

static void intr_signals_foreground_pgrp_and_flushes(struct ktest *t)
{
	struct tty_struct *tty = fresh_tty();
	char buf[64];

	tty->pgrp = 42;
	feed(tty, "half\x03");
	KTEST_EXPECT_EQ(t, sig_count, 1);
	KTEST_EXPECT_EQ(t, sig_nr, SIGINT);
	KTEST_EXPECT_EQ(t, sig_pgrp, 42);
	KTEST_EXPECT_STREQ(t, out, "half^C"); /* ECHOCTL */
	KTEST_EXPECT_EQ(t, n_tty_chars_in_buffer(tty), (size_t)0);
	feed(tty, "\x1c");
	KTEST_EXPECT_EQ(t, sig_nr, SIGQUIT);
	feed(tty, "\x1a");
	KTEST_EXPECT_EQ(t, sig_nr, SIGTSTP);
	KTEST_EXPECT_EQ(t, sig_count, 3);
	feed(tty, "ok\n");
	KTEST_EXPECT_EQ(t, read_now(tty, buf, sizeof(buf)), (ssize_t)3);
	KTEST_EXPECT_STREQ(t, buf, "ok\n");
}

static void noflsh_and_no_isig(struct ktest *t)
{
	struct tty_struct *tty = fresh_tty();
	char buf[64];

	tty->pgrp = 5;
	set_lflag(tty, NOFLSH, 0);
	feed(tty, "ab\x03");
	KTEST_EXPECT_EQ(t, sig_count, 1);
	KTEST_EXPECT_EQ(t, n_tty_chars_in_buffer(tty), (size_t)0); /* line */
	feed(tty, "\n");
	KTEST_EXPECT_EQ(t, read_now(tty, buf, sizeof(buf)), (ssize_t)3);
	KTEST_EXPECT_STREQ(t, buf, "ab\n");
	set_lflag(tty, 0, ISIG);
	feed(tty, "\x03\n");
	KTEST_EXPECT_EQ(t, sig_count, 1);
	KTEST_EXPECT_EQ(t, read_now(tty, buf, sizeof(buf)), (ssize_t)2);
	KTEST_EXPECT_STREQ(t, buf, "\x03\n");
}

static void input_mapping_icrnl_inlcr_igncr(struct ktest *t)
{
	struct tty_struct *tty = fresh_tty();
	char buf[64];

	set_lflag(tty, 0, ICANON | ECHO);
	tty->termios.c_iflag = INLCR;
	feed(tty, "a\nb\r");
	KTEST_EXPECT_EQ(t, read_now(tty, buf, sizeof(buf)), (ssize_t)4);
	KTEST_EXPECT_STREQ(t, buf, "a\rb\r");
	tty->termios.c_iflag = IGNCR;
	feed(tty, "c\rd\n");
	KTEST_EXPECT_EQ(t, read_now(tty, buf, sizeof(buf)), (ssize_t)3);
	KTEST_EXPECT_STREQ(t, buf, "cd\n");
}

static void output_onlcr_and_raw(struct ktest *t)
{
	struct tty_struct *tty = fresh_tty();
	struct iov_iter it;

	iov_iter_kvec_one(&it, ITER_SOURCE, "a\nb", 3);
	KTEST_EXPECT_EQ(t, n_tty_write(tty, &it), (ssize_t)3);
	KTEST_EXPECT_STREQ(t, out, "a\r\nb");
	tty->termios.c_oflag = 0; /* no OPOST */
	iov_iter_kvec_one(&it, ITER_SOURCE, "\n", 1);
	KTEST_EXPECT_EQ(t, n_tty_write(tty, &it), (ssize_t)1);
	KTEST_EXPECT_STREQ(t, out, "a\r\nb\n");
}

static void raw_mode_bytes_at_once(struct ktest *t)
{
	struct tty_struct *tty = fresh_tty();
	char buf[64];

	set_lflag(tty, 0, ICANON | ECHO);
	feed(tty, "\x1b[D\x7f"); /* an arrow key and DEL: just bytes */
	KTEST_EXPECT_TRUE(t, n_tty_input_available(tty));
	KTEST_EXPECT_EQ(t, read_now(tty, buf, sizeof(buf)), (ssize_t)4);
	KTEST_EXPECT_STREQ(t, buf, "\x1b[D\x7f");
	KTEST_EXPECT_STREQ(t, out, "");
}

static void leaving_icanon_hands_over_partial_line(struct ktest *t)
{
	struct tty_struct *tty = fresh_tty();
	char buf[64];

	feed(tty, "par");
	KTEST_EXPECT_EQ(t, read_now(tty, buf, sizeof(buf)), (ssize_t)-EAGAIN);
	set_lflag(tty, 0, ICANON);
	KTEST_EXPECT_EQ(t, read_now(tty, buf, sizeof(buf)), (ssize_t)3);
	KTEST_EXPECT_STREQ(t, buf, "par");
}

static void entering_icanon_makes_pending_input_a_line(struct ktest *t)
{
	struct tty_struct *tty = fresh_tty();
	char buf[64];

	set_lflag(tty, 0, ICANON);
	feed(tty, "ahead\x7f");
	set_lflag(tty, ICANON, 0);
	KTEST_EXPECT_EQ(t, read_now(tty, buf, sizeof(buf)), (ssize_t)6);
	KTEST_EXPECT_STREQ(t, buf, "ahead\x7f");
	feed(tty, "x\x7fy\n"); /* a new line, edited as usual */
	KTEST_EXPECT_EQ(t, read_now(tty, buf, sizeof(buf)), (ssize_t)2);
	KTEST_EXPECT_STREQ(t, buf, "y\n");
}

/* A blocking read (the test may wait) with VMIN/VTIME set. */
static ssize_t read_wait(struct tty_struct *tty, char *buf, size_t size,
			 u8 vmin, u8 vtime, u64 *ns)
{
	struct iov_iter it;
	u64 t0 = ktime_get_ns();
	ssize_t n;

	tty->termios.c_cc[VMIN] = vmin;
	tty->termios.c_cc[VTIME] = vtime;
	iov_iter_kvec_one(&it, ITER_DEST, buf, size);
	n = n_tty_read(tty, &it, false);
	*ns = ktime_get_ns() - t0;
	return n;
}

static void raw_vmin_vtime(struct ktest *t)
{
	struct tty_struct *tty = fresh_tty();
	char buf[8];
	u64 ns;

	set_lflag(tty, 0, ICANON | ECHO);
	/* MIN 0, TIME 0: a poll, 0 bytes at once */
	KTEST_EXPECT_EQ(t, read_wait(tty, buf, 8, 0, 0, &ns), (ssize_t)0);
	KTEST_EXPECT_LT(t, ns, 50 * NSEC_PER_MSEC);
	/* MIN 0, TIME 2: 0 bytes after 0.2 s */
	KTEST_EXPECT_EQ(t, read_wait(tty, buf, 8, 0, 2, &ns), (ssize_t)0);
	KTEST_EXPECT_GE(t, ns, 190 * NSEC_PER_MSEC);
	/* MIN 2, TIME 0 with 3 bytes: at least 2, what is there */
	feed(tty, "xyz");
	KTEST_EXPECT_EQ(t, read_wait(tty, buf, 8, 2, 0, &ns), (ssize_t)3);
	/* MIN 4, TIME 1 with one byte: the inter-byte timer ends it */
	feed(tty, "q");
	KTEST_EXPECT_EQ(t, read_wait(tty, buf, 8, 4, 1, &ns), (ssize_t)1);
	KTEST_EXPECT_EQ(t, buf[0], 'q');
	KTEST_EXPECT_GE(t, ns, 90 * NSEC_PER_MSEC);
	/* MIN 1 with a buffer smaller than the input */
	feed(tty, "12345");
	KTEST_EXPECT_EQ(t, read_wait(tty, buf, 2, 1, 0, &ns), (ssize_t)2);
	KTEST_EXPECT_EQ(t, n_tty_chars_in_buffer(tty), (size_t)3);
}

static void busy_reader_nonblock_eagain(struct ktest *t)
{
	struct tty_struct *tty = fresh_tty();
	char buf[64];

	feed(tty, "line\n");
	mutex_lock(&tty->read_mutex); /* another reader's turn */
	KTEST_EXPECT_EQ(t, read_now(tty, buf, sizeof(buf)), (ssize_t)-EAGAIN);
	mutex_unlock(&tty->read_mutex);
	KTEST_EXPECT_EQ(t, read_now(tty, buf, sizeof(buf)), (ssize_t)5);
}

static void flush_drops_input(struct ktest *t)
{
	struct tty_struct *tty = fresh_tty();
	char buf[64];

	feed(tty, "gone\nhalf");
	n_tty_flush_input(tty);
	KTEST_EXPECT_EQ(t, n_tty_chars_in_buffer(tty), (size_t)0);
	feed(tty, "new\n");
	KTEST_EXPECT_EQ(t, read_now(tty, buf, sizeof(buf)), (ssize_t)4);
	KTEST_EXPECT_STREQ(t, buf, "new\n");
}

static void full_canon_buffer_keeps_room_for_newline(struct ktest *t)
{
	struct tty_struct *tty = fresh_tty();
	static char big[N_TTY_BUF_SIZE + 16];
	struct iov_iter it;

	set_lflag(tty, 0, ECHO);
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	feed(tty, big);
	KTEST_EXPECT_EQ(t, n_tty_chars_in_buffer(tty), (size_t)0);
	feed(tty, "\n");
	KTEST_EXPECT_EQ(t, n_tty_chars_in_buffer(tty), (size_t)N_TTY_BUF_SIZE);
	iov_iter_kvec_one(&it, ITER_DEST, big, sizeof(big));
	KTEST_EXPECT_EQ(t, n_tty_read(tty, &it, true), (ssize_t)N_TTY_BUF_SIZE);
	KTEST_EXPECT_EQ(t, big[N_TTY_BUF_SIZE - 1], '\n');
}

static struct ktest_case n_tty_cases[] = {
	KTEST_CASE(canon_line_waits_for_newline),
	KTEST_CASE(canon_read_takes_one_line),
	KTEST_CASE(erase_del_and_backspace),
	KTEST_CASE(erase_at_line_start_does_nothing),
	KTEST_CASE(erase_control_char_rubs_two_cells),
	KTEST_CASE(erase_tab_backs_up_its_cells),
	KTEST_CASE(kill_erases_the_line),
	KTEST_CASE(kill_without_echoke_echoes_newline),
	KTEST_CASE(werase_erases_a_word),
	KTEST_CASE(eof_at_line_start_reads_zero),
	KTEST_CASE(lnext_takes_next_literally),
	KTEST_CASE(echo_off_but_echonl),
	KTEST_CASE(intr_signals_foreground_pgrp_and_flushes),
	KTEST_CASE(noflsh_and_no_isig),
	KTEST_CASE(input_mapping_icrnl_inlcr_igncr),
	KTEST_CASE(output_onlcr_and_raw),
	KTEST_CASE(raw_mode_bytes_at_once),
	KTEST_CASE(leaving_icanon_hands_over_partial_line),
	KTEST_CASE(entering_icanon_makes_pending_input_a_line),
	KTEST_CASE(raw_vmin_vtime),
	KTEST_CASE(busy_reader_nonblock_eagain),
	KTEST_CASE(flush_drops_input),
	KTEST_CASE(full_canon_buffer_keeps_room_for_newline),
	{}
};
KTEST_SUITE(n_tty, n_tty_cases);
