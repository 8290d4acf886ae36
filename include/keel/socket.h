/* SPDX-License-Identifier: MIT */
/*
 * keel/socket.h - the socket ABI that programs see: Linux's x86_64
 * numbers and layouts (uapi/linux/socket.h, in.h, if.h, sockios.h and
 * asm-generic/socket.h), for net/socket.c and the protocols below it.
 *
 * The user-visible IPv4 address is struct sockaddr_in_user: keel's
 * stack already calls its in-kernel (address, host-order port) pair
 * struct sockaddr_in (keel/net/udp.h), so the ABI layout takes the
 * other name; its fields keep Linux's names.
 */
#ifndef _KEEL_SOCKET_H
#define _KEEL_SOCKET_H

#include <keel/byteorder.h>
#include <keel/compiler.h>
#include <keel/types.h>

/* Address families (only AF_INET is implemented). */
#define AF_UNSPEC 0
#define AF_UNIX	  1
#define AF_INET	  2
#define AF_INET6  10
#define AF_PACKET 17
#define AF_MAX	  46

/* Socket types, and the flags socket(2) takes in the same argument. */
#define SOCK_STREAM    1
#define SOCK_DGRAM     2
#define SOCK_RAW       3
#define SOCK_SEQPACKET 5
#define SOCK_MAX       11
#define SOCK_TYPE_MASK 0xf
#define SOCK_CLOEXEC   02000000 /* O_CLOEXEC */
#define SOCK_NONBLOCK  04000	/* O_NONBLOCK */

#define IPPROTO_IP  0
#define IPPROTO_TCP 6
#define IPPROTO_RAW 255
#define IPPROTO_MAX 263

/* send/recv flags */
#define MSG_OOB		 0x1
#define MSG_PEEK	 0x2
#define MSG_DONTROUTE	 0x4
#define MSG_CTRUNC	 0x8
#define MSG_TRUNC	 0x20
#define MSG_DONTWAIT	 0x40
#define MSG_WAITALL	 0x100
#define MSG_CONFIRM	 0x800
#define MSG_ERRQUEUE	 0x2000
#define MSG_NOSIGNAL	 0x4000
#define MSG_MORE	 0x8000
#define MSG_CMSG_CLOEXEC 0x40000000

#define SHUT_RD	      0
#define SHUT_WR	      1
#define SHUT_RDWR     2
#define RCV_SHUTDOWN  1
#define SEND_SHUTDOWN 2

/* Option levels and the options keel knows. */
#define SOL_IP	   0
#define SOL_SOCKET 1
#define SOL_UDP	   17
#define SOL_RAW	   255

#define SO_REUSEADDR	2
#define SO_TYPE		3
#define SO_ERROR	4
#define SO_BROADCAST	6
#define SO_SNDBUF	7
#define SO_RCVBUF	8
#define SO_RCVTIMEO_OLD 20
#define SO_SNDTIMEO_OLD 21
#define SO_ACCEPTCONN	30
#define SO_PROTOCOL	38
#define SO_DOMAIN	39
#define SO_RCVTIMEO_NEW 66
#define SO_SNDTIMEO_NEW 67

#define IP_TOS		  1
#define IP_TTL		  2
#define IP_MULTICAST_IF	  32
#define IP_MULTICAST_TTL  33
#define IP_MULTICAST_LOOP 34

#define ICMP_FILTER 1 /* SOL_RAW, raw ICMP sockets */

/* Linux's limits: sysctl net.core.[rw]mem_max and the minimums. */
#define SYSCTL_RMEM_MAX	 212992
#define SYSCTL_WMEM_MAX	 212992
#define SOCK_MIN_RCVBUF	 2304
#define SOCK_MIN_SNDBUF	 4608
#define UIO_MAXIOV	 1024
#define SOCKADDR_STORAGE 128 /* sizeof(struct sockaddr_storage) */

struct sockaddr {
	u16 sa_family;
	char sa_data[14];
};

struct sockaddr_in_user {
	u16 sin_family;
	__be16 sin_port;
	__be32 sin_addr;
	u8 sin_zero[8];
};

struct iovec_user {
	void __user *iov_base;
	size_t iov_len;
};

struct user_msghdr {
	void __user *msg_name;
	int msg_namelen;
	struct iovec_user __user *msg_iov;
	size_t msg_iovlen;
	void __user *msg_control;
	size_t msg_controllen;
	unsigned int msg_flags;
};

struct timeval_user {
	long tv_sec;
	long tv_usec;
};

/* ---- interfaces: struct ifreq and the SIOC* ioctls (sockios.h) ---- */
#define IFNAMSIZ_USER 16

struct ifmap_user {
	unsigned long mem_start;
	unsigned long mem_end;
	unsigned short base_addr;
	unsigned char irq;
	unsigned char dma;
	unsigned char port;
};

struct ifreq_user {
	char ifr_name[IFNAMSIZ_USER];
	union {
		struct sockaddr ifr_addr;
		short ifr_flags;
		int ifr_ivalue; /* ifindex, metric, mtu */
		struct ifmap_user ifr_map;
		char ifr_newname[IFNAMSIZ_USER];
	};
};

struct ifconf_user {
	int ifc_len;
	void __user *ifc_buf;
};

#define FIONREAD       0x541B
#define SIOCINQ	       FIONREAD
#define SIOCOUTQ       0x5411
#define SIOCGIFNAME    0x8910
#define SIOCGIFCONF    0x8912
#define SIOCGIFFLAGS   0x8913
#define SIOCSIFFLAGS   0x8914
#define SIOCGIFADDR    0x8915
#define SIOCSIFADDR    0x8916
#define SIOCGIFDSTADDR 0x8917
#define SIOCGIFBRDADDR 0x8919
#define SIOCGIFNETMASK 0x891b
#define SIOCSIFNETMASK 0x891c
#define SIOCGIFMETRIC  0x891d
#define SIOCGIFMTU     0x8921
#define SIOCGIFHWADDR  0x8927
#define SIOCGIFINDEX   0x8933

/* ifr_flags bits (if.h) */
#define IFF_BROADCAST_USER 0x2
#define IFF_RUNNING_USER   0x40

#define ARPHRD_ETHER 1

#endif
