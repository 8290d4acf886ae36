/* SPDX-License-Identifier: MIT */
/*
 * keel/termios.h - the terminal ABI programs see: Linux's x86_64 values
 * (uapi/asm-generic/termbits.h, termios.h and ioctls.h), so that
 * tcgetattr(), tcsetattr() and the tty ioctls of an unmodified binary
 * work. struct termios is what TCGETS/TCSETS* copy (36 bytes: no
 * speeds); struct termios2 (TCGETS2/TCSETS2*) adds the two speeds.
 */
#ifndef _KEEL_TERMIOS_H
#define _KEEL_TERMIOS_H

#include <keel/types.h>

typedef u8 cc_t;
typedef u32 speed_t;
typedef u32 tcflag_t;

#define NCCS 19
struct termios {
	tcflag_t c_iflag;
	tcflag_t c_oflag;
	tcflag_t c_cflag;
	tcflag_t c_lflag;
	cc_t c_line;
	cc_t c_cc[NCCS];
};

struct termios2 {
	tcflag_t c_iflag;
	tcflag_t c_oflag;
	tcflag_t c_cflag;
	tcflag_t c_lflag;
	cc_t c_line;
	cc_t c_cc[NCCS];
	speed_t c_ispeed;
	speed_t c_ospeed;
};

struct winsize {
	u16 ws_row;
	u16 ws_col;
	u16 ws_xpixel;
	u16 ws_ypixel;
};

/* c_cc indices */
#define VINTR	 0
#define VQUIT	 1
#define VERASE	 2
#define VKILL	 3
#define VEOF	 4
#define VTIME	 5
#define VMIN	 6
#define VSWTC	 7
#define VSTART	 8
#define VSTOP	 9
#define VSUSP	 10
#define VEOL	 11
#define VREPRINT 12
#define VDISCARD 13
#define VWERASE	 14
#define VLNEXT	 15
#define VEOL2	 16

#define _POSIX_VDISABLE 0 /* a c_cc entry of 0 is off */

/* c_iflag */
#define IGNBRK	0000001
#define BRKINT	0000002
#define IGNPAR	0000004
#define PARMRK	0000010
#define INPCK	0000020
#define ISTRIP	0000040
#define INLCR	0000100
#define IGNCR	0000200
#define ICRNL	0000400
#define IUCLC	0001000
#define IXON	0002000
#define IXANY	0004000
#define IXOFF	0010000
#define IMAXBEL 0020000
#define IUTF8	0040000

/* c_oflag */
#define OPOST  0000001
#define OLCUC  0000002
#define ONLCR  0000004
#define OCRNL  0000010
#define ONOCR  0000020
#define ONLRET 0000040

/* c_cflag */
#define CBAUD	0010017
#define B38400	0000017
#define CBAUDEX 0010000
#define B115200 0010002
#define CSIZE	0000060
#define CS8	0000060
#define CSTOPB	0000100
#define CREAD	0000200
#define PARENB	0000400
#define HUPCL	0002000
#define CLOCAL	0004000

/* c_lflag */
#define ISIG	0000001
#define ICANON	0000002
#define XCASE	0000004
#define ECHO	0000010
#define ECHOE	0000020
#define ECHOK	0000040
#define ECHONL	0000100
#define NOFLSH	0000200
#define TOSTOP	0000400
#define ECHOCTL 0001000
#define ECHOPRT 0002000
#define ECHOKE	0004000
#define FLUSHO	0010000
#define PENDIN	0040000
#define IEXTEN	0100000
#define EXTPROC 0200000

/* TCFLSH and TCXONC arguments */
#define TCIFLUSH  0
#define TCOFLUSH  1
#define TCIOFLUSH 2
#define TCOOFF	  0
#define TCOON	  1
#define TCIOFF	  2
#define TCION	  3

/* ioctls (uapi/asm-generic/ioctls.h) */
#define TCGETS	   0x5401
#define TCSETS	   0x5402
#define TCSETSW	   0x5403
#define TCSETSF	   0x5404
#define TCSBRK	   0x5409
#define TCXONC	   0x540A
#define TCFLSH	   0x540B
#define TIOCSCTTY  0x540E
#define TIOCGPGRP  0x540F
#define TIOCSPGRP  0x5410
#define TIOCOUTQ   0x5411
#define TIOCGWINSZ 0x5413
#define TIOCSWINSZ 0x5414
#define FIONREAD   0x541B
#define TIOCINQ	   FIONREAD
#define TIOCNOTTY  0x5422
#define TCSBRKP	   0x5425
#define TIOCGSID   0x5429
#define TCGETS2	   0x802C542A /* _IOR('T', 0x2A, struct termios2) */
#define TCSETS2	   0x402C542B
#define TCSETSW2   0x402C542C
#define TCSETSF2   0x402C542D

#endif
