// SPDX-License-Identifier: MIT
/*
 * udp.c - UDP and raw ICMP sockets and the interface ioctls
 * (net/socket.c, net/ipv4/af_inet.c, raw.c, net/core/dev_ioctl.c):
 * each call's success and error paths. The user tier boots with
 * ip=dhcp on QEMU's user network (slirp: we are 10.0.2.15, the
 * gateway 10.0.2.2) with a host UDP peer forwarded to our port 7777
 * (tests/user.py); datagrams to our own address loop back inside the
 * kernel, so most cases need no host at all.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>

#include "ktap.h"

#define CASES	    120
#define UNMAPPED    ((void *)0x1000)
#define KERNEL_PTR  ((void *)0xffffffff80100000UL)
#define HOST_PORT   7777 /* tests/user.py forwards the host peer here */
#define ICMP_FILTER 1	 /* linux/icmp.h, SOL_RAW */

static struct in_addr self; /* eth0's address, from SIOCGIFADDR */

static struct sockaddr_in sin_of(struct in_addr a, int port)
{
	struct sockaddr_in s = { .sin_family = AF_INET,
				 .sin_port = htons(port),
				 .sin_addr = a };
	return s;
}

static struct sockaddr_in sin_str(const char *a, int port)
{
	struct in_addr in;

	inet_aton(a, &in);
	return sin_of(in, port);
}

static int udp_sock(void)
{
	return socket(AF_INET, SOCK_DGRAM, 0);
}

/* A UDP socket bound to self:port (0: ephemeral); its port in *port. */
static int bound_sock(int *port)
{
	struct sockaddr_in a = sin_of(self, port ? *port : 0);
	socklen_t len = sizeof(a);
	int fd = udp_sock();

	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) ||
	    getsockname(fd, (struct sockaddr *)&a, &len)) {
		close(fd);
		return -1;
	}
	if (port)
		*port = ntohs(a.sin_port);
	return fd;
}

static void set_rcvtimeo(int fd, int ms)
{
	struct timeval tv = { ms / 1000, ms % 1000 * 1000 };

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
}

static long ms_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (t.tv_sec - t0->tv_sec) * 1000 +
	       (t.tv_nsec - t0->tv_nsec) / 1000000;
}

static int ifreq_ioctl(int fd, unsigned long cmd, const char *name,
		       struct ifreq *ifr)
{
	memset(ifr, 0, sizeof(*ifr));
	strncpy(ifr->ifr_name, name, IFNAMSIZ - 1);
	return ioctl(fd, cmd, ifr);
}

static struct in_addr ifr_in(const struct ifreq *ifr)
{
	return ((const struct sockaddr_in *)&ifr->ifr_addr)->sin_addr;
}

static void creation(void)
{
	struct stat st;
	int fd = udp_sock(), fd2;

	ktap_check(fd >= 3, "socket_udp");
	ktap_check(!fstat(fd, &st) && S_ISSOCK(st.st_mode), "fstat_is_socket");
	ktap_check(lseek(fd, 0, SEEK_SET) == -1 && errno == ESPIPE,
		   "lseek_espipe");
	close(fd);
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
		    IPPROTO_UDP);
	ktap_check(fd >= 0 && (fcntl(fd, F_GETFD) & FD_CLOEXEC) &&
			   (fcntl(fd, F_GETFL) & O_NONBLOCK),
		   "socket_cloexec_nonblock");
	close(fd);
	ktap_errno(socket(AF_INET6, SOCK_DGRAM, 0), EAFNOSUPPORT,
		   "socket_inet6_eafnosupport");
	ktap_errno(socket(AF_UNIX, SOCK_STREAM, 0), EAFNOSUPPORT,
		   "socket_unix_eafnosupport");
	ktap_errno(socket(AF_PACKET, SOCK_RAW, 0), EAFNOSUPPORT,
		   "socket_packet_eafnosupport");
	ktap_errno(socket(1000, SOCK_DGRAM, 0), EAFNOSUPPORT,
		   "socket_bad_family");
	ktap_errno(socket(AF_INET, SOCK_STREAM, 0), ESOCKTNOSUPPORT,
		   "socket_stream_not_implemented");
	ktap_errno(socket(AF_INET, SOCK_DGRAM, IPPROTO_TCP), EPROTONOSUPPORT,
		   "socket_dgram_tcp_eprotonosupport");
	ktap_errno(socket(AF_INET, SOCK_DGRAM | 0x100, 0), EINVAL,
		   "socket_bad_flags");
	ktap_errno(socket(AF_INET, 99, 0), EINVAL, "socket_bad_type");
	fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	ktap_check(fd >= 0, "socket_raw_icmp");
	close(fd);
	ktap_errno(syscall(SYS_socketpair, AF_INET, SOCK_DGRAM, 0, UNMAPPED),
		   EOPNOTSUPP, "socketpair_inet_eopnotsupp");
	fd = udp_sock();
	ktap_errno(listen(fd, 1), EOPNOTSUPP, "listen_dgram_eopnotsupp");
	ktap_errno(accept(fd, NULL, NULL), EOPNOTSUPP,
		   "accept_dgram_eopnotsupp");
	close(fd);
	fd2 = open("/", O_RDONLY);
	ktap_errno(listen(fd2, 1), ENOTSOCK, "listen_enotsock");
	ktap_errno(shutdown(fd2, SHUT_RD), ENOTSOCK, "shutdown_enotsock");
	close(fd2);
	ktap_errno(getsockname(999, NULL, NULL), EBADF, "getsockname_ebadf");
}

static void binding(void)
{
	struct sockaddr_in a = sin_of(self, 40001), got;
	struct sockaddr_in any = sin_str("0.0.0.0", 40002);
	socklen_t len = sizeof(got);
	int fd = udp_sock(), fd2 = udp_sock(), one = 1;

	ktap_check(!bind(fd, (struct sockaddr *)&a, sizeof(a)), "bind");
	ktap_check(!getsockname(fd, (struct sockaddr *)&got, &len) &&
			   len == sizeof(got) && got.sin_family == AF_INET &&
			   ntohs(got.sin_port) == 40001 &&
			   got.sin_addr.s_addr == self.s_addr,
		   "getsockname_after_bind");
	ktap_errno(bind(fd, (struct sockaddr *)&any, sizeof(any)), EINVAL,
		   "bind_twice_einval");
	ktap_errno(bind(fd2, (struct sockaddr *)&a, sizeof(a)), EADDRINUSE,
		   "bind_eaddrinuse");
	close(fd);
	close(fd2);
	fd = udp_sock();
	fd2 = udp_sock();
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	setsockopt(fd2, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	ktap_check(!bind(fd, (struct sockaddr *)&any, sizeof(any)) &&
			   !bind(fd2, (struct sockaddr *)&any, sizeof(any)),
		   "bind_so_reuseaddr_shares");
	close(fd);
	close(fd2);
	fd = udp_sock();
	a = sin_str("192.0.2.1", 0);
	ktap_errno(bind(fd, (struct sockaddr *)&a, sizeof(a)), EADDRNOTAVAIL,
		   "bind_eaddrnotavail");
	ktap_errno(bind(fd, (struct sockaddr *)&any, 8), EINVAL,
		   "bind_short_addrlen");
	any.sin_family = AF_INET6;
	ktap_errno(bind(fd, (struct sockaddr *)&any, sizeof(any)), EAFNOSUPPORT,
		   "bind_wrong_family");
	ktap_errno(bind(fd, UNMAPPED, sizeof(any)), EFAULT, "bind_efault");
	ktap_errno(bind(fd, KERNEL_PTR, sizeof(any)), EFAULT,
		   "bind_kernel_pointer");
	ktap_errno(getpeername(fd, (struct sockaddr *)&got, &len), ENOTCONN,
		   "getpeername_enotconn");
	a = sin_str("0.0.0.0", 0);
	len = sizeof(got);
	ktap_check(!bind(fd, (struct sockaddr *)&a, sizeof(a)) &&
			   !getsockname(fd, (struct sockaddr *)&got, &len) &&
			   ntohs(got.sin_port) >= 32768,
		   "bind_ephemeral_port");
	len = 4;
	ktap_check(!getsockname(fd, (struct sockaddr *)&got, &len) &&
			   len == sizeof(got),
		   "getsockname_short_len_reports_full");
	ktap_errno(getsockname(fd, (struct sockaddr *)&got, UNMAPPED), EFAULT,
		   "getsockname_efault");
	close(fd);
}

static void exchange(void)
{
	int pa = 0, pb = 0, a = bound_sock(&pa), b = bound_sock(&pb);
	struct sockaddr_in to = sin_of(self, pb), from;
	socklen_t flen = sizeof(from);
	char buf[64] = { 0 }, p1[8] = { 0 }, p2[8] = { 0 };
	struct iovec iov[2] = { { p1, 3 }, { p2, 8 } };
	struct msghdr msg = { .msg_name = &from,
			      .msg_namelen = sizeof(from),
			      .msg_iov = iov,
			      .msg_iovlen = 2 };
	int n;

	set_rcvtimeo(b, 3000);
	ktap_check(sendto(a, "hello", 5, 0, (struct sockaddr *)&to,
			  sizeof(to)) == 5,
		   "sendto_own_address");
	ktap_check(recv(b, buf, sizeof(buf), MSG_PEEK) == 5 &&
			   !memcmp(buf, "hello", 5),
		   "recv_msg_peek");
	ioctl(b, FIONREAD, &n);
	ktap_check(n == 5, "fionread_next_datagram");
	memset(buf, 0, sizeof(buf));
	ktap_check(recvfrom(b, buf, sizeof(buf), 0, (struct sockaddr *)&from,
			    &flen) == 5 &&
			   !strcmp(buf, "hello") && flen == sizeof(from) &&
			   ntohs(from.sin_port) == pa &&
			   from.sin_addr.s_addr == self.s_addr,
		   "recvfrom_data_and_sender");
	ktap_errno(recv(b, buf, sizeof(buf), MSG_DONTWAIT), EAGAIN,
		   "recv_msg_dontwait_eagain");
	struct iovec siov[2] = { { "abc", 3 }, { "defgh", 5 } };
	struct msghdr smsg = { .msg_name = &to,
			       .msg_namelen = sizeof(to),
			       .msg_iov = siov,
			       .msg_iovlen = 2 };
	ktap_check(sendmsg(a, &smsg, 0) == 8, "sendmsg_iovecs");
	ktap_check(recvmsg(b, &msg, 0) == 8 && !memcmp(p1, "abc", 3) &&
			   !memcmp(p2, "defgh", 5) && !msg.msg_flags &&
			   msg.msg_namelen == sizeof(from) &&
			   ntohs(from.sin_port) == pa,
		   "recvmsg_scatter_and_name");
	sendto(a, "0123456789", 10, 0, (struct sockaddr *)&to, sizeof(to));
	iov[0].iov_len = 4;
	msg.msg_iovlen = 1;
	ktap_check(recvmsg(b, &msg, 0) == 4 && (msg.msg_flags & MSG_TRUNC),
		   "recvmsg_msg_trunc_flag");
	sendto(a, "0123456789", 10, 0, (struct sockaddr *)&to, sizeof(to));
	ktap_check(recv(b, buf, 2, MSG_TRUNC) == 10, "recv_msg_trunc_length");
	ktap_errno(sendto(a, "x", 1, 0, (struct sockaddr *)&to, 8), EINVAL,
		   "sendto_short_addrlen");
	ktap_errno(sendto(a, UNMAPPED, 1, 0, (struct sockaddr *)&to,
			  sizeof(to)),
		   EFAULT, "sendto_efault");
	ktap_errno(sendto(a, KERNEL_PTR, 1, 0, (struct sockaddr *)&to,
			  sizeof(to)),
		   EFAULT, "sendto_kernel_pointer");
	static char big[1473];
	ktap_errno(sendto(a, big, sizeof(big), 0, (struct sockaddr *)&to,
			  sizeof(to)),
		   EMSGSIZE, "sendto_emsgsize");
	ktap_check(sendto(a, big, 1472, 0, (struct sockaddr *)&to,
			  sizeof(to)) == 1472 &&
			   recv(b, big, sizeof(big), 0) == 1472,
		   "sendto_1472_bytes");
	struct sockaddr_in p0 = sin_of(self, 0);
	ktap_errno(sendto(a, "x", 1, 0, (struct sockaddr *)&p0, sizeof(p0)),
		   EINVAL, "sendto_port_zero");
	ktap_errno(send(a, "x", 1, 0), EDESTADDRREQ, "send_edestaddrreq");
	ktap_errno(write(a, "x", 1), EDESTADDRREQ, "write_edestaddrreq");
	sendto(a, "x", 1, 0, (struct sockaddr *)&to, sizeof(to));
	ktap_errno(recv(b, UNMAPPED, 8, 0), EFAULT, "recv_efault");
	flen = -1;
	ktap_errno(recvfrom(b, buf, 8, MSG_DONTWAIT, (struct sockaddr *)&from,
			    &flen),
		   EINVAL, "recvfrom_negative_addrlen");
	msg.msg_iovlen = 2000;
	ktap_errno(recvmsg(b, &msg, 0), EMSGSIZE, "recvmsg_too_many_iovecs");
	ktap_errno(syscall(SYS_sendmsg, a, UNMAPPED, 0), EFAULT,
		   "sendmsg_efault");
	close(a);
	close(b);
}

static void connected(void)
{
	int pa = 0, pb = 0, pc = 0, a = bound_sock(&pa), b = bound_sock(&pb);
	int c = bound_sock(&pc);
	struct sockaddr_in tb = sin_of(self, pb), ta = sin_of(self, pa), got;
	struct sockaddr unspec = { .sa_family = AF_UNSPEC };
	socklen_t len = sizeof(got);
	char buf[16] = { 0 };

	set_rcvtimeo(a, 3000);
	set_rcvtimeo(b, 3000);
	ktap_check(!connect(a, (struct sockaddr *)&tb, sizeof(tb)), "connect");
	ktap_check(!getpeername(a, (struct sockaddr *)&got, &len) &&
			   ntohs(got.sin_port) == pb,
		   "getpeername_after_connect");
	ktap_check(write(a, "w1", 2) == 2 && read(b, buf, sizeof(buf)) == 2 &&
			   !memcmp(buf, "w1", 2),
		   "write_read_connected");
	ktap_check(send(a, "s2", 2, 0) == 2 &&
			   recv(b, buf, sizeof(buf), 0) == 2,
		   "send_connected");
	/* a connected socket takes only its peer's datagrams */
	sendto(c, "no", 2, 0, (struct sockaddr *)&ta, sizeof(ta));
	sendto(b, "yes", 3, 0, (struct sockaddr *)&ta, sizeof(ta));
	memset(buf, 0, sizeof(buf));
	ktap_check(read(a, buf, sizeof(buf)) == 3 && !strcmp(buf, "yes"),
		   "connected_filters_other_senders");
	ktap_check(!connect(a, &unspec, sizeof(unspec)), "connect_af_unspec");
	ktap_errno(getpeername(a, (struct sockaddr *)&got, &len), ENOTCONN,
		   "getpeername_after_disconnect");
	ktap_errno(connect(a, (struct sockaddr *)&tb, 1), EINVAL,
		   "connect_short_addrlen");
	ktap_errno(connect(a, UNMAPPED, sizeof(tb)), EFAULT, "connect_efault");
	struct sockaddr_in bc = sin_str("255.255.255.255", 9);
	int one = 1;
	ktap_errno(connect(c, (struct sockaddr *)&bc, sizeof(bc)), EACCES,
		   "connect_broadcast_eacces");
	setsockopt(c, SOL_SOCKET, SO_BROADCAST, &one, sizeof(one));
	ktap_check(!connect(c, (struct sockaddr *)&bc, sizeof(bc)) ||
			   errno == ENETUNREACH,
		   "connect_broadcast_so_broadcast");
	/* shutdown */
	connect(b, (struct sockaddr *)&ta, sizeof(ta));
	ktap_errno(shutdown(b, 7), EINVAL, "shutdown_bad_how");
	ktap_check(!shutdown(b, SHUT_RD) && recv(b, buf, sizeof(buf), 0) == 0,
		   "shutdown_rd_recv_returns_0");
	ktap_check(!shutdown(b, SHUT_WR), "shutdown_wr");
	ktap_errno(send(b, "x", 1, MSG_NOSIGNAL), EPIPE,
		   "send_after_shutdown_epipe");
	close(c);
	c = udp_sock();
	ktap_errno(shutdown(c, SHUT_RDWR), ENOTCONN,
		   "shutdown_unconnected_enotconn");
	close(a);
	close(b);
	close(c);
}

static void options(void)
{
	int fd = udp_sock(), v = 0;
	socklen_t len = sizeof(v);
	struct timeval tv = { 1, 500000 }, tv2;

	ktap_check(!getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, &len) &&
			   v == SOCK_DGRAM && len == sizeof(int),
		   "so_type");
	ktap_check(!getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &v, &len) &&
			   v == AF_INET,
		   "so_domain");
	ktap_check(!getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &v, &len) &&
			   v == IPPROTO_UDP,
		   "so_protocol");
	ktap_check(!getsockopt(fd, SOL_SOCKET, SO_ERROR, &v, &len) && v == 0,
		   "so_error");
	v = 4096;
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v));
	ktap_check(!getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, &len) &&
			   v == 8192,
		   "so_rcvbuf_doubled");
	ktap_check(!setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)),
		   "so_rcvtimeo_set");
	len = sizeof(tv2);
	ktap_check(!getsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv2, &len) &&
			   tv2.tv_sec == 1 && tv2.tv_usec == 500000,
		   "so_rcvtimeo_get");
	tv.tv_usec = 2000000;
	ktap_errno(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)),
		   EDOM, "so_rcvtimeo_edom");
	v = 5;
	len = sizeof(v);
	ktap_check(!setsockopt(fd, IPPROTO_IP, IP_TTL, &v, sizeof(v)) &&
			   !getsockopt(fd, IPPROTO_IP, IP_TTL, &v, &len) &&
			   v == 5,
		   "ip_ttl");
	v = 0;
	ktap_errno(setsockopt(fd, IPPROTO_IP, IP_TTL, &v, sizeof(v)), EINVAL,
		   "ip_ttl_zero_einval");
	ktap_errno(setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &v, sizeof(v)),
		   ENOPROTOOPT, "ip_multicast_ttl_enoprotoopt");
	ktap_errno(setsockopt(fd, SOL_SOCKET, 9999, &v, sizeof(v)), ENOPROTOOPT,
		   "so_unknown_enoprotoopt");
	ktap_errno(setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &v, 2), EINVAL,
		   "setsockopt_short_optlen");
	ktap_errno(setsockopt(fd, SOL_SOCKET, SO_BROADCAST, UNMAPPED, 4),
		   EFAULT, "setsockopt_efault");
	ktap_errno(getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, UNMAPPED), EFAULT,
		   "getsockopt_efault");
	ktap_errno(setsockopt(fd, SOL_RAW, 1, &v, sizeof(v)), ENOPROTOOPT,
		   "icmp_filter_on_udp_enoprotoopt");
	close(fd);
}

/* SO_RCVTIMEO, O_NONBLOCK, poll and the bounded receive queue. */
static void blocking(void)
{
	int pb = 0, a = udp_sock(), b = bound_sock(&pb), v = 1, got = 0;
	struct sockaddr_in to = sin_of(self, pb);
	struct pollfd pfd = { .fd = b, .events = POLLIN | POLLOUT };
	struct timespec t0;
	char buf[1100];
	long ms;

	char why[96];
	long r;
	int e;

	set_rcvtimeo(b, 300);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	errno = 0;
	r = recv(b, buf, sizeof(buf), 0);
	e = errno;
	ms = ms_since(&t0);
	/*
	 * At least the timeout (the socket sleeps one tick more than the
	 * jiffies the timeout rounds to); no upper bound but "it ends":
	 * the machine may be slow, a hang is the harness's.
	 */
	snprintf(why, sizeof(why), "recv %ld errno %d after %ld ms", r, e, ms);
	ktap_result(r == -1 && e == EAGAIN && ms >= 300,
		    "so_rcvtimeo_times_out_eagain", why);
	fcntl(b, F_SETFL, O_NONBLOCK);
	ktap_errno(read(b, buf, sizeof(buf)), EAGAIN, "nonblock_read_eagain");
	if (poll(&pfd, 1, 0) < 0 && errno == ENOSYS) {
		ktap_line("    ok %d poll_empty_pollout # SKIP no poll(2) yet",
			  ++ktap_case);
		ktap_line("    ok %d poll_data_pollin # SKIP no poll(2) yet",
			  ++ktap_case);
	} else {
		ktap_check(poll(&pfd, 1, 0) == 1 && pfd.revents == POLLOUT,
			   "poll_empty_pollout");
		sendto(a, "p", 1, 0, (struct sockaddr *)&to, sizeof(to));
		ktap_check(poll(&pfd, 1, 2000) == 1 &&
				   pfd.revents == (POLLIN | POLLOUT),
			   "poll_data_pollin");
		recv(b, buf, sizeof(buf), 0);
	}
	/* the smallest buffer holds two 1000-byte datagrams; the rest drop */
	setsockopt(b, SOL_SOCKET, SO_RCVBUF, &v, sizeof(v));
	for (int i = 0; i < 50; i++)
		sendto(a, buf, 1000, 0, (struct sockaddr *)&to, sizeof(to));
	usleep(200000);
	while (recv(b, buf, sizeof(buf), 0) == 1000)
		got++;
	ktap_check(got >= 1 && got <= 3, "receive_queue_bounded");
	close(a);
	close(b);
}

static int alarmed;
static void on_alarm(int sig)
{
	(void)sig;
	alarmed = 1;
}

/*
 * A blocked recv is interrupted by a signal: -EINTR without SA_RESTART
 * (a child sends it, so no timer is needed).
 */
static void interrupted(void)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	int fd = bound_sock(NULL);
	pid_t child;
	char c;

	if (sigaction(SIGALRM, &sa, NULL)) {
		ktap_line("    ok %d recv_interrupted_eintr # SKIP no signals "
			  "yet (sigaction: errno %d)",
			  ++ktap_case, errno);
		close(fd);
		return;
	}
	child = fork();
	if (child == 0) {
		usleep(300000);
		kill(getppid(), SIGALRM);
		_exit(0);
	}
	ktap_errno(recv(fd, &c, 1, 0), EINTR, "recv_interrupted_eintr");
	waitpid(child, NULL, 0);
	close(fd);
}

static unsigned short csum(const void *p, int len)
{
	const unsigned short *w = p;
	unsigned int sum = 0;

	for (; len > 1; len -= 2)
		sum += *w++;
	if (len)
		sum += *(const unsigned char *)w;
	sum = (sum >> 16) + (sum & 0xffff);
	sum += sum >> 16;
	return ~sum;
}

/*
 * Send an echo request with id to dst on the raw socket fd; wait up to
 * wait_ms for a packet of the given ICMP type with that id from dst. Returns
 * the packet's length (whole IP packet in pkt) or -1.
 */
static int raw_ping_ms(int fd, struct in_addr dst, int id, int want_type,
		       unsigned char *pkt, int size, int wait_ms)
{
	struct sockaddr_in to = sin_of(dst, 0), from;
	struct icmphdr req = { .type = ICMP_ECHO };
	struct timespec t0;
	socklen_t flen;
	int n;

	req.un.echo.id = htons(id);
	req.un.echo.sequence = htons(1);
	req.checksum = csum(&req, sizeof(req));
	if (sendto(fd, &req, sizeof(req), 0, (struct sockaddr *)&to,
		   sizeof(to)) != sizeof(req))
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	set_rcvtimeo(fd, 500);
	while (ms_since(&t0) < wait_ms) {
		const struct iphdr *ip = (const void *)pkt;
		const struct icmphdr *ic;

		flen = sizeof(from);
		n = recvfrom(fd, pkt, size, 0, (struct sockaddr *)&from, &flen);
		if (n < (int)(sizeof(*ip) + sizeof(*ic)))
			continue;
		ic = (const void *)(pkt + ip->ihl * 4);
		if (ip->version == 4 && ip->protocol == IPPROTO_ICMP &&
		    ip->saddr == dst.s_addr &&
		    from.sin_addr.s_addr == dst.s_addr &&
		    ic->type == want_type && ntohs(ic->un.echo.id) == id)
			return n;
	}
	return -1;
}

static int raw_ping(int fd, struct in_addr dst, int id, int want_type,
		    unsigned char *pkt, int size)
{
	return raw_ping_ms(fd, dst, id, want_type, pkt, size, 3000);
}

static void raw_icmp(void)
{
	int fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP), ttl = 9;
	struct in_addr gw;
	unsigned char pkt[256];
	unsigned int filter = 1u << ICMP_ECHO;
	socklen_t len = sizeof(filter);

	inet_aton("10.0.2.2", &gw);
	ktap_check(raw_ping(fd, self, 0x4b01, ICMP_ECHOREPLY, pkt,
			    sizeof(pkt)) == 28,
		   "raw_icmp_ping_own_address");
	ktap_check(raw_ping(fd, self, 0x4b02, ICMP_ECHO, pkt, sizeof(pkt)) ==
			   28,
		   "raw_icmp_sees_echo_request");
	ktap_check(!setsockopt(fd, SOL_RAW, ICMP_FILTER, &filter,
			       sizeof(filter)),
		   "icmp_filter_set");
	filter = 0;
	ktap_check(!getsockopt(fd, SOL_RAW, ICMP_FILTER, &filter, &len) &&
			   filter == 1u << ICMP_ECHO,
		   "icmp_filter_get");
	ktap_check(raw_ping_ms(fd, self, 0x4b03, ICMP_ECHO, pkt, sizeof(pkt),
			       500) < 0,
		   "icmp_filter_drops_echo_requests");
	setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl));
	ktap_check(raw_ping(fd, gw, 0x4b04, ICMP_ECHOREPLY, pkt, sizeof(pkt)) >=
			   28,
		   "raw_icmp_ping_gateway");
	close(fd);
	/* IP_TTL and IP_TOS reach the header: a raw UDP socket sees it */
	int r = socket(AF_INET, SOCK_RAW, IPPROTO_UDP), pb = 0;
	int u = udp_sock(), b = bound_sock(&pb), tos = 0x20;
	struct sockaddr_in to = sin_of(self, pb);
	const struct iphdr *ip = (const void *)pkt;
	set_rcvtimeo(r, 2000);
	setsockopt(u, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl));
	setsockopt(u, IPPROTO_IP, IP_TOS, &tos, sizeof(tos));
	sendto(u, "ttl", 3, 0, (struct sockaddr *)&to, sizeof(to));
	ktap_check(recv(r, pkt, sizeof(pkt), 0) == 20 + 8 + 3 && ip->ttl == 9 &&
			   ip->tos == 0x20 && ip->protocol == IPPROTO_UDP,
		   "ip_ttl_tos_in_header");
	close(r);
	close(u);
	close(b);
}

/* The host peer (tests/user.py) sends to our port 7777 and echoes. */
static void host_peer(void)
{
	struct sockaddr_in me = sin_str("0.0.0.0", HOST_PORT), host;
	socklen_t hlen = sizeof(host);
	char buf[128] = { 0 };
	const char *msg = "keel says hello to the host";
	int fd = udp_sock(), n, ok = 0;

	set_rcvtimeo(fd, 20000);
	bind(fd, (struct sockaddr *)&me, sizeof(me));
	n = recvfrom(fd, buf, sizeof(buf) - 1, 0, (struct sockaddr *)&host,
		     &hlen);
	ktap_check(n > 0 && !strncmp(buf, "keel-host-hello", 15) &&
			   host.sin_addr.s_addr == inet_addr("10.0.2.2"),
		   "udp_from_host");
	set_rcvtimeo(fd, 2000);
	for (int tries = 0; tries < 10 && !ok; tries++) {
		sendto(fd, msg, strlen(msg), 0, (struct sockaddr *)&host,
		       sizeof(host));
		for (;;) {
			memset(buf, 0, sizeof(buf));
			n = recv(fd, buf, sizeof(buf) - 1, 0);
			if (n < 0)
				break;
			if (n == (int)strlen(msg) && !strcmp(buf, msg)) {
				ok = 1;
				break;
			}
		}
	}
	ktap_check(ok, "udp_echo_through_host");
	close(fd);
}

static void ifioctls(void)
{
	int fd = udp_sock(), idx;
	struct ifreq ifr, reqs[8];
	struct ifconf ifc = { .ifc_len = 0, .ifc_buf = NULL };
	static const unsigned char qemu_mac[6] = { 0x52, 0x54, 0,
						   0x12, 0x34, 0x56 };

	ktap_check(!ioctl(fd, SIOCGIFCONF, &ifc) &&
			   ifc.ifc_len == sizeof(struct ifreq),
		   "siocgifconf_length");
	ifc.ifc_len = sizeof(reqs);
	ifc.ifc_req = reqs;
	ktap_check(!ioctl(fd, SIOCGIFCONF, &ifc) &&
			   ifc.ifc_len == sizeof(struct ifreq) &&
			   !strcmp(reqs[0].ifr_name, "eth0") &&
			   ifr_in(&reqs[0]).s_addr == inet_addr("10.0.2.15"),
		   "siocgifconf_eth0");
	ktap_check(!ifreq_ioctl(fd, SIOCGIFFLAGS, "eth0", &ifr) &&
			   (ifr.ifr_flags &
			    (IFF_UP | IFF_RUNNING | IFF_BROADCAST)) ==
				   (IFF_UP | IFF_RUNNING | IFF_BROADCAST),
		   "siocgifflags_up_running");
	ktap_check(!ifreq_ioctl(fd, SIOCGIFADDR, "eth0", &ifr) &&
			   ifr_in(&ifr).s_addr == inet_addr("10.0.2.15"),
		   "siocgifaddr_dhcp_lease");
	ktap_check(!ifreq_ioctl(fd, SIOCGIFNETMASK, "eth0", &ifr) &&
			   ifr_in(&ifr).s_addr == inet_addr("255.255.255.0"),
		   "siocgifnetmask");
	ktap_check(!ifreq_ioctl(fd, SIOCGIFBRDADDR, "eth0", &ifr) &&
			   ifr_in(&ifr).s_addr == inet_addr("10.0.2.255"),
		   "siocgifbrdaddr");
	ktap_check(!ifreq_ioctl(fd, SIOCGIFHWADDR, "eth0", &ifr) &&
			   ifr.ifr_hwaddr.sa_family == 1 &&
			   !memcmp(ifr.ifr_hwaddr.sa_data, qemu_mac, 6),
		   "siocgifhwaddr");
	ktap_check(!ifreq_ioctl(fd, SIOCGIFMTU, "eth0", &ifr) &&
			   ifr.ifr_mtu == 1500,
		   "siocgifmtu");
	ktap_check(!ifreq_ioctl(fd, SIOCGIFMETRIC, "eth0", &ifr) &&
			   ifr.ifr_metric == 0,
		   "siocgifmetric");
	ifreq_ioctl(fd, SIOCGIFINDEX, "eth0", &ifr);
	idx = ifr.ifr_ifindex;
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_ifindex = idx;
	ktap_check(idx >= 1 && !ioctl(fd, SIOCGIFNAME, &ifr) &&
			   !strcmp(ifr.ifr_name, "eth0"),
		   "siocgifindex_siocgifname");
	ktap_errno(ifreq_ioctl(fd, SIOCGIFFLAGS, "nosuch0", &ifr), ENODEV,
		   "siocgifflags_enodev");
	ktap_errno(ioctl(fd, SIOCGIFFLAGS, UNMAPPED), EFAULT,
		   "siocgifflags_efault");
	ktap_errno(ioctl(fd, 0x12345678, &ifr), ENOTTY, "unknown_ioctl_enotty");
	/* set: a new address gets its class's mask until told otherwise */
	struct sockaddr_in *sa = (struct sockaddr_in *)&ifr.ifr_addr;
	ifreq_ioctl(fd, 0, "eth0", &ifr);
	*sa = sin_str("10.0.2.16", 0);
	ktap_check(!ioctl(fd, SIOCSIFADDR, &ifr) &&
			   !ifreq_ioctl(fd, SIOCGIFNETMASK, "eth0", &ifr) &&
			   ifr_in(&ifr).s_addr == inet_addr("255.0.0.0"),
		   "siocsifaddr_classful_mask");
	*sa = sin_str("255.0.255.0", 0);
	ktap_errno(ioctl(fd, SIOCSIFNETMASK, &ifr), EINVAL,
		   "siocsifnetmask_noncontiguous");
	*sa = sin_str("10.0.2.15", 0);
	ioctl(fd, SIOCSIFADDR, &ifr);
	*sa = sin_str("255.255.255.0", 0);
	ktap_check(!ioctl(fd, SIOCSIFNETMASK, &ifr) &&
			   !ifreq_ioctl(fd, SIOCGIFBRDADDR, "eth0", &ifr) &&
			   ifr_in(&ifr).s_addr == inet_addr("10.0.2.255"),
		   "siocsifaddr_siocsifnetmask_restore");
	close(fd);
}

/* Down and up again through SIOCSIFFLAGS; last: the link renegotiates. */
static void ifupdown(void)
{
	int fd = udp_sock(), running = 0;
	struct sockaddr_in gw = sin_str("10.0.2.2", 9);
	struct ifreq ifr;

	ifreq_ioctl(fd, SIOCGIFFLAGS, "eth0", &ifr);
	ifr.ifr_flags &= ~IFF_UP;
	ktap_check(!ioctl(fd, SIOCSIFFLAGS, &ifr) &&
			   !ifreq_ioctl(fd, SIOCGIFFLAGS, "eth0", &ifr) &&
			   !(ifr.ifr_flags & IFF_UP),
		   "siocsifflags_down");
	ktap_errno(sendto(fd, "x", 1, 0, (struct sockaddr *)&gw, sizeof(gw)),
		   ENETUNREACH, "sendto_interface_down_enetunreach");
	ifr.ifr_flags |= IFF_UP;
	ioctl(fd, SIOCSIFFLAGS, &ifr);
	for (int i = 0; i < 50 && !running; i++) {
		usleep(100000);
		ifreq_ioctl(fd, SIOCGIFFLAGS, "eth0", &ifr);
		running = (ifr.ifr_flags & (IFF_UP | IFF_RUNNING)) ==
			  (IFF_UP | IFF_RUNNING);
	}
	ktap_check(running, "siocsifflags_up_link_returns");
	close(fd);
}

int main(void)
{
	struct ifreq ifr;
	int fd;

	ktap_begin("udp", CASES);
	fd = udp_sock();
	ifreq_ioctl(fd, SIOCGIFADDR, "eth0", &ifr);
	self = ifr_in(&ifr);
	close(fd);
	creation();
	binding();
	exchange();
	connected();
	options();
	blocking();
	interrupted();
	raw_icmp();
	host_peer();
	ifioctls();
	ifupdown();
	return ktap_end();
}
