// SPDX-License-Identifier: MIT
/*
 * socket.c - the socket system calls and socket files (keel/net.h).
 *
 * A socket is an open file on an anonymous inode of "sockfs" (S_IFSOCK,
 * so fstat says what it is; the dentry is named "socket:[INO]" as in
 * Linux and sits on no mount). Its file operations are read, write,
 * poll, ioctl and release; every other socket call finds the socket
 * through the fd (-EBADF, or -ENOTSOCK for a file that is not one).
 *
 * This layer checks what the program passes (lengths, address
 * families, pointers: -EINVAL, -EAFNOSUPPORT, -EFAULT), owns the
 * receive queue, blocking and the SOL_SOCKET options, and hands the
 * protocol (struct proto_ops) a datagram in a kernel buffer. Datagrams
 * are small (no fragmentation: at most the MTU), so send gathers the
 * program's iovecs into one kernel buffer and recv copies the head of
 * the queue into one and scatters it: simple and never holds a lock
 * across a user copy. Only IPv4 (AF_INET) UDP and raw sockets exist.
 * TODO: TCP (SOCK_STREAM: -ESOCKTNOSUPPORT) and AF_UNIX
 * (-EAFNOSUPPORT); ancillary data (msg_control is ignored).
 *
 * Blocking: recv sleeps on sock->wq, interruptibly (-ERESTARTSYS, or
 * -EINTR when SO_RCVTIMEO is set, as Linux), up to SO_RCVTIMEO
 * (-EAGAIN); O_NONBLOCK and MSG_DONTWAIT do not sleep. Send never
 * sleeps: a datagram leaves (or is dropped by a full ring) at once.
 */
#define pr_fmt(fmt) "socket: " fmt

#include <keel/errno.h>
#include <keel/fdtable.h>
#include <keel/init.h>
#include <keel/net.h>
#include <keel/net/ip.h>
#include <keel/net/udp.h> /* struct sockaddr_in */
#include <keel/poll.h>
#include <keel/printk.h>
#include <keel/sched.h>
#include <keel/signal.h>
#include <keel/slab.h>
#include <keel/string.h>
#include <keel/syscalls.h>
#include <keel/time.h>
#include <keel/timer.h>

#define RECV_BUF_MAX 2048 /* more than any frame keel receives */
#define SKB_CHARGE   ((unsigned int)sizeof(struct sk_buff))
#define USEC_PER_SEC 1000000L

static struct super_block *sock_sb;

/* ---- the receive queue ---- */

static unsigned int skb_charge(const struct sk_buff *skb)
{
	return skb->len + SKB_CHARGE;
}

int sock_queue_rcv_skb(struct socket *sock, struct sk_buff *skb)
{
	unsigned long flags;

	spin_lock_irqsave(&sock->lock, flags);
	if (sock->rx_bytes >= (unsigned int)sock->rcvbuf ||
	    (sock->shutdown & RCV_SHUTDOWN)) {
		sock->drops++;
		spin_unlock_irqrestore(&sock->lock, flags);
		kfree_skb(skb);
		return -ENOBUFS;
	}
	sock->rx_bytes += skb_charge(skb);
	skb_queue_tail(&sock->rxq, skb);
	spin_unlock_irqrestore(&sock->lock, flags);
	wake_up(&sock->wq);
	return 0;
}

/* The sender of a queued datagram, as the program sees it. */
static void skb_source(const struct socket *sock, const struct sk_buff *skb,
		       struct sockaddr_in_user *sin)
{
	const struct iphdr *iph = (const struct iphdr *)skb_network_header(skb);

	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_addr = iph->saddr;
	if (sock->type == SOCK_DGRAM)
		sin->sin_port = htons(get_be16(skb_transport_header(skb)));
}

static bool sock_readable(struct socket *sock)
{
	return READ_ONCE(sock->rxq.qlen) ||
	       (READ_ONCE(sock->shutdown) & RCV_SHUTDOWN);
}

/*
 * Sleep until a datagram or a shutdown, a signal or the end of *timeo
 * (jiffies, updated). 0, -EAGAIN (time), -ERESTARTSYS or -EINTR.
 */
static int sock_wait_data(struct socket *sock, long *timeo)
{
	DEFINE_WAIT(w);
	int err = 0;

	for (;;) {
		prepare_to_wait(&sock->wq, &w, TASK_INTERRUPTIBLE);
		if (sock_readable(sock))
			break;
		if (!*timeo) {
			err = -EAGAIN;
			break;
		}
		if (signal_pending(current)) {
			err = *timeo == MAX_SCHEDULE_TIMEOUT ? -ERESTARTSYS :
							       -EINTR;
			break;
		}
		*timeo = schedule_timeout(*timeo);
	}
	finish_wait(&sock->wq, &w);
	return err;
}

/*
 * Take (or with MSG_PEEK copy) the next datagram into buf (len bytes;
 * the rest of a longer one is lost, *mflags gets MSG_TRUNC). Returns
 * the bytes copied (the datagram's length with MSG_TRUNC), 0 after a
 * read shutdown, or -Exxx. from may be NULL.
 */
static long sock_recv(struct socket *sock, void *buf, size_t len, int flags,
		      bool nonblock, struct sockaddr_in_user *from,
		      unsigned int *mflags)
{
	long timeo = nonblock || (flags & MSG_DONTWAIT) ? 0 : sock->rcvtimeo;
	struct sk_buff *skb;
	unsigned long irqf;
	size_t n, dlen;
	int err;

	/*
	 * The current tick is already partly over: one tick more, so the
	 * wait lasts at least SO_RCVTIMEO (a 300 ms timeout ended after
	 * 289 ms of CLOCK_MONOTONIC).
	 */
	if (timeo > 0 && timeo < MAX_SCHEDULE_TIMEOUT - 1)
		timeo++;
	if (flags & MSG_ERRQUEUE)
		return -EAGAIN; /* no error queue: nothing is ever on it */
	if (flags & MSG_OOB)
		return -EOPNOTSUPP;
	for (;;) {
		spin_lock_irqsave(&sock->lock, irqf);
		skb = sock->rxq.first;
		if (skb)
			break;
		if (sock->shutdown & RCV_SHUTDOWN) {
			spin_unlock_irqrestore(&sock->lock, irqf);
			return 0;
		}
		spin_unlock_irqrestore(&sock->lock, irqf);
		err = sock_wait_data(sock, &timeo);
		if (err)
			return err;
	}
	dlen = skb->len;
	n = min(len, dlen);
	memcpy(buf, skb->data, n);
	if (from)
		skb_source(sock, skb, from);
	if (!(flags & MSG_PEEK)) {
		skb_dequeue(&sock->rxq);
		sock->rx_bytes -= skb_charge(skb);
	} else {
		skb = NULL;
	}
	spin_unlock_irqrestore(&sock->lock, irqf);
	if (skb)
		kfree_skb(skb);
	if (dlen > len)
		*mflags |= MSG_TRUNC;
	return flags & MSG_TRUNC ? (long)dlen : (long)n;
}

/* ---- addresses ---- */

/* Linux's move_addr_to_kernel: 0, -EINVAL (length) or -EFAULT. */
static int move_addr_to_kernel(const void __user *uaddr, int ulen, void *kaddr)
{
	if (ulen < 0 || ulen > SOCKADDR_STORAGE)
		return -EINVAL;
	if (ulen && copy_from_user(kaddr, uaddr, ulen))
		return -EFAULT;
	return 0;
}

/*
 * Copy the address out as Linux's move_addr_to_user: at most *ulen
 * bytes of it, and its full length into *ulen. NULL uaddr: nothing.
 */
static int move_addr_to_user(const struct sockaddr_in_user *sin,
			     void __user *uaddr, int __user *ulen)
{
	int len;

	if (!uaddr)
		return 0;
	if (get_user(len, ulen))
		return -EFAULT;
	if (len < 0)
		return -EINVAL;
	if (len > (int)sizeof(*sin))
		len = sizeof(*sin);
	if (len && copy_to_user(uaddr, sin, len))
		return -EFAULT;
	return put_user((int)sizeof(*sin), ulen);
}

/* An AF_INET address of len bytes: 0, -EINVAL or -EAFNOSUPPORT. */
static int inet_addr_from(const void *kaddr, int len, struct sockaddr_in *sin)
{
	const struct sockaddr_in_user *u = kaddr;

	if (len < (int)sizeof(*u))
		return -EINVAL;
	if (u->sin_family != AF_INET)
		return -EAFNOSUPPORT;
	sin->addr = u->sin_addr;
	sin->port = ntohs(u->sin_port);
	return 0;
}

static void inet_addr_to(__be32 addr, u16 port, struct sockaddr_in_user *u)
{
	memset(u, 0, sizeof(*u));
	u->sin_family = AF_INET;
	u->sin_addr = addr;
	u->sin_port = htons(port);
}

/* Whether addr is a broadcast on any interface. */
static bool addr_is_broadcast(__be32 addr)
{
	struct net_device *dev = NULL;

	if (addr == INADDR_BROADCAST)
		return true;
	while ((dev = dev_next(dev)))
		if (ip_addr_is_broadcast(dev, addr))
			return true;
	return false;
}

/* Whether a socket may bind to addr: ours, any, or a broadcast. */
static bool addr_bindable(__be32 addr)
{
	struct net_device *dev = NULL;

	if (addr == INADDR_ANY || addr_is_broadcast(addr))
		return true;
	while ((dev = dev_next(dev)))
		if (ip_addr_is_local(dev, addr))
			return true;
	return false;
}

/* ---- socket files ---- */

static ssize_t sock_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct socket *sock = iocb->ki_filp->private_data;
	size_t len = min(iov_iter_count(to), (size_t)RECV_BUF_MAX);
	unsigned int mflags = 0;
	void *buf = kmalloc(RECV_BUF_MAX, GFP_KERNEL);
	long n;

	if (!buf)
		return -ENOMEM;
	n = sock_recv(sock, buf, len, 0, iocb->ki_flags & IOCB_NOWAIT, NULL,
		      &mflags);
	if (n > 0 && copy_to_iter(buf, n, to) != (size_t)n)
		n = -EFAULT;
	kfree(buf);
	return n;
}

static long sock_send(struct socket *sock, const void *buf, size_t len,
		      const struct sockaddr_in *to, int flags);

static ssize_t sock_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	struct socket *sock = iocb->ki_filp->private_data;
	size_t len = iov_iter_count(from);
	void *buf;
	long n;

	if (len > sock->ops->max_payload)
		return -EMSGSIZE;
	buf = kmalloc(len, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	if (copy_from_iter(buf, len, from) != len)
		n = -EFAULT;
	else
		n = sock_send(sock, buf, len, NULL, 0);
	kfree(buf);
	return n;
}

static __poll_t sock_poll(struct file *file, poll_table *pt)
{
	struct socket *sock = file->private_data;
	__poll_t mask = EPOLLOUT | EPOLLWRNORM | EPOLLWRBAND;
	u8 shut = READ_ONCE(sock->shutdown);

	poll_wait(file, &sock->wq, pt);
	if (READ_ONCE(sock->rxq.qlen))
		mask |= EPOLLIN | EPOLLRDNORM;
	if (shut & RCV_SHUTDOWN)
		mask |= EPOLLRDHUP | EPOLLIN | EPOLLRDNORM;
	if (shut == (RCV_SHUTDOWN | SEND_SHUTDOWN))
		mask |= EPOLLHUP;
	if (READ_ONCE(sock->err))
		mask |= EPOLLERR;
	return mask;
}

/* FIONREAD: the next datagram's length (raw: with its IP header). */
static int sock_inq(struct socket *sock)
{
	unsigned long flags;
	int n;

	spin_lock_irqsave(&sock->lock, flags);
	n = sock->rxq.first ? (int)sock->rxq.first->len : 0;
	spin_unlock_irqrestore(&sock->lock, flags);
	return n;
}

static long sock_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct socket *sock = file->private_data;
	int __user *p = (int __user *)arg;

	switch (cmd) {
	case SIOCINQ: return put_user(sock_inq(sock), p);
	case SIOCOUTQ: return put_user(0, p); /* sent at once */
	default: return dev_ioctl(cmd, (void __user *)arg);
	}
}

static void sock_free(struct socket *sock)
{
	if (sock->ops && sock->ops->release)
		sock->ops->release(sock);
	skb_queue_purge(&sock->rxq);
	kfree(sock);
}

static int sock_close(struct inode *inode, struct file *file)
{
	(void)inode;
	sock_free(file->private_data);
	return 0;
}

static const struct file_operations socket_file_ops = {
	.llseek = no_llseek,
	.read_iter = sock_read_iter,
	.write_iter = sock_write_iter,
	.poll = sock_poll,
	.unlocked_ioctl = sock_ioctl,
	.release = sock_close,
};

struct socket *sock_from_file(struct file *file)
{
	return file->f_op == &socket_file_ops ? file->private_data : NULL;
}

/* A new socket of family/type/protocol (checked as Linux's order). */
static int sock_create(int family, int type, int protocol, struct socket **res)
{
	struct socket *sock;
	int err;

	if (family < 0 || family >= AF_MAX)
		return -EAFNOSUPPORT;
	if (type < 0 || type >= SOCK_MAX)
		return -EINVAL;
	if (family != AF_INET)
		return -EAFNOSUPPORT; /* TODO: AF_UNIX */
	sock = kzalloc(sizeof(*sock), GFP_KERNEL);
	if (!sock)
		return -ENOMEM;
	sock->family = family;
	sock->type = type;
	sock->protocol = protocol;
	mutex_init(&sock->mutex, "socket");
	spin_lock_init(&sock->lock);
	skb_queue_head_init(&sock->rxq);
	init_waitqueue_head(&sock->wq);
	sock->rcvbuf = SYSCTL_RMEM_MAX;
	sock->sndbuf = SYSCTL_WMEM_MAX;
	sock->rcvtimeo = MAX_SCHEDULE_TIMEOUT;
	sock->sndtimeo = MAX_SCHEDULE_TIMEOUT;
	err = inet_create(sock, protocol);
	if (err) {
		kfree(sock);
		return err;
	}
	*res = sock;
	return 0;
}

/* The file for sock (O_RDWR | nonblock), or ERR_PTR; frees on error. */
static struct file *sock_alloc_file(struct socket *sock, int nonblock)
{
	struct inode *inode = new_inode(sock_sb);
	char name[32];
	struct qstr q = { name, 0 };
	struct path path = { NULL, NULL };
	struct file *f;

	if (!inode)
		goto err_free_sock;
	inode->i_mode = S_IFSOCK | 0777;
	inode->i_fop = &socket_file_ops;
	inode->i_private = sock;
	q.len = snprintf(name, sizeof(name), "socket:[%lu]", inode->i_ino);
	path.dentry = d_alloc(NULL, &q);
	if (!path.dentry) {
		iput(inode);
		goto err_free_sock;
	}
	path.dentry->d_sb = sock_sb;
	path.dentry->d_inode = inode;
	f = dentry_open(&path, O_RDWR | nonblock);
	dput(path.dentry); /* the file holds its own reference */
	if (IS_ERR(f))
		goto err_free_sock;
	f->private_data = sock;
	sock->file = f;
	return f;
err_free_sock:
	sock_free(sock);
	return ERR_PTR(-ENOMEM);
}

static int sock_map_fd(struct socket *sock, int flags)
{
	int fd = get_unused_fd_flags(flags & SOCK_CLOEXEC ? O_CLOEXEC : 0);
	struct file *f;

	if (fd < 0) {
		sock_free(sock);
		return fd;
	}
	f = sock_alloc_file(sock, flags & SOCK_NONBLOCK ? O_NONBLOCK : 0);
	if (IS_ERR(f)) {
		put_unused_fd(fd);
		return PTR_ERR(f);
	}
	fd_install(fd, f);
	return fd;
}

/* The socket at fd (its file referenced in *filep), or ERR_PTR. */
static struct socket *sockfd_lookup(int fd, struct file **filep)
{
	struct file *f = fd < 0 ? NULL : fget(fd);
	struct socket *sock;

	if (!f)
		return ERR_PTR(-EBADF);
	sock = sock_from_file(f);
	if (!sock) {
		fput(f);
		return ERR_PTR(-ENOTSOCK);
	}
	*filep = f;
	return sock;
}

static int sockfs_init(void)
{
	static struct file_system_type sock_fs_type = { .name = "sockfs" };

	sock_sb = sget_anon(&sock_fs_type);
	return sock_sb ? 0 : -ENOMEM;
}
core_initcall(sockfs_init);

/* ---- the system calls ---- */

SYSCALL_DEFINE3(socket, int, family, int, type, int, protocol)
{
	int flags = type & ~SOCK_TYPE_MASK;
	struct socket *sock;
	int err;

	if (flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK))
		return -EINVAL;
	err = sock_create(family, type & SOCK_TYPE_MASK, protocol, &sock);
	if (err)
		return err;
	return sock_map_fd(sock, flags);
}

SYSCALL_DEFINE4(socketpair, int, family, int, type, int, protocol, int __user *,
		usockvec)
{
	int flags = type & ~SOCK_TYPE_MASK;
	struct socket *sock;
	int err;

	(void)usockvec;
	if (flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK))
		return -EINVAL;
	err = sock_create(family, type & SOCK_TYPE_MASK, protocol, &sock);
	if (err)
		return err;
	sock_free(sock);
	return -EOPNOTSUPP; /* inet sockets come in pairs only for TCP */
}

SYSCALL_DEFINE3(bind, int, fd, struct sockaddr __user *, umyaddr, int, addrlen)
{
	u8 kaddr[SOCKADDR_STORAGE];
	struct sockaddr_in sin;
	struct socket *sock;
	struct file *f;
	int err;

	sock = sockfd_lookup(fd, &f);
	if (IS_ERR(sock))
		return PTR_ERR(sock);
	err = move_addr_to_kernel(umyaddr, addrlen, kaddr);
	if (!err)
		err = inet_addr_from(kaddr, addrlen, &sin);
	if (err)
		goto out_put;
	mutex_lock(&sock->mutex);
	if (!addr_bindable(sin.addr)) {
		err = -EADDRNOTAVAIL;
		goto out_unlock;
	}
	err = sock->ops->bind(sock, sin.addr, sin.port);
	if (!err) {
		sock->saddr = sin.addr;
		sock->bound = true;
	}
out_unlock:
	mutex_unlock(&sock->mutex);
out_put:
	fput(f);
	return err;
}

/* connect() to sin (NULL: AF_UNSPEC, forget the peer). */
static int sock_connect(struct socket *sock, const struct sockaddr_in *sin)
{
	struct net_device *dev;
	__be32 nexthop;
	int err;

	if (!sin) {
		err = sock->ops->connect(sock, NULL);
		sock->connected = false;
		sock->daddr = 0;
		sock->dport = 0;
		if (!sock->bound)
			sock->saddr = INADDR_ANY;
		return err;
	}
	if (addr_is_broadcast(sin->addr) && !sock->broadcast)
		return -EACCES;
	err = ip_route(sin->addr, &dev, &nexthop);
	if (err)
		return err;
	err = sock->ops->connect(sock, sin);
	if (err)
		return err;
	if (!sock->saddr)
		sock->saddr = dev->ip.addr; /* getsockname shows the route's */
	sock->daddr = sin->addr;
	sock->dport = sin->port;
	sock->connected = true;
	return 0;
}

SYSCALL_DEFINE3(connect, int, fd, struct sockaddr __user *, uservaddr, int,
		addrlen)
{
	u8 kaddr[SOCKADDR_STORAGE];
	struct sockaddr_in sin;
	struct socket *sock;
	struct file *f;
	int err;

	sock = sockfd_lookup(fd, &f);
	if (IS_ERR(sock))
		return PTR_ERR(sock);
	err = move_addr_to_kernel(uservaddr, addrlen, kaddr);
	if (err)
		goto out_put;
	if (addrlen < (int)sizeof(u16)) {
		err = -EINVAL;
		goto out_put;
	}
	mutex_lock(&sock->mutex);
	if (((struct sockaddr *)kaddr)->sa_family == AF_UNSPEC) {
		err = sock_connect(sock, NULL);
	} else {
		err = inet_addr_from(kaddr, addrlen, &sin);
		if (!err)
			err = sock_connect(sock, &sin);
	}
	mutex_unlock(&sock->mutex);
out_put:
	fput(f);
	return err;
}

SYSCALL_DEFINE2(listen, int, fd, int, backlog)
{
	struct socket *sock;
	struct file *f;

	(void)backlog;
	sock = sockfd_lookup(fd, &f);
	if (IS_ERR(sock))
		return PTR_ERR(sock);
	fput(f);
	return -EOPNOTSUPP; /* datagram sockets do not listen */
}

SYSCALL_DEFINE4(accept4, int, fd, struct sockaddr __user *, upeer, int __user *,
		upeer_len, int, flags)
{
	struct socket *sock;
	struct file *f;

	(void)upeer;
	(void)upeer_len;
	if (flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK))
		return -EINVAL;
	sock = sockfd_lookup(fd, &f);
	if (IS_ERR(sock))
		return PTR_ERR(sock);
	fput(f);
	return -EOPNOTSUPP;
}

SYSCALL_DEFINE3(accept, int, fd, struct sockaddr __user *, upeer, int __user *,
		upeer_len)
{
	struct socket *sock;
	struct file *f;

	(void)upeer;
	(void)upeer_len;
	sock = sockfd_lookup(fd, &f);
	if (IS_ERR(sock))
		return PTR_ERR(sock);
	fput(f);
	return -EOPNOTSUPP;
}

/*
 * Send buf to `to` (NULL: the connected peer). len or -EDESTADDRREQ,
 * -EPIPE (shut down for writing), -EMSGSIZE, -EACCES (a broadcast
 * without SO_BROADCAST) or the protocol's error.
 */
static long sock_send(struct socket *sock, const void *buf, size_t len,
		      const struct sockaddr_in *to, int flags)
{
	struct sockaddr_in peer;
	long ret;

	mutex_lock(&sock->mutex);
	if (READ_ONCE(sock->shutdown) & SEND_SHUTDOWN) {
		if (!(flags & MSG_NOSIGNAL))
			send_sig(SIGPIPE, current, 0);
		ret = -EPIPE;
		goto out_unlock;
	}
	if (!to) {
		ret = -EDESTADDRREQ;
		if (!sock->connected)
			goto out_unlock;
		peer.addr = sock->daddr;
		peer.port = sock->dport;
		to = &peer;
	}
	ret = -EMSGSIZE;
	if (len > sock->ops->max_payload)
		goto out_unlock;
	ret = -EACCES;
	if (addr_is_broadcast(to->addr) && !sock->broadcast)
		goto out_unlock;
	ret = sock->ops->sendmsg(sock, buf, len, to);
out_unlock:
	mutex_unlock(&sock->mutex);
	return ret;
}

/* The destination of a sendto/sendmsg: 0 with *to set or NULL, -Exxx. */
static int send_dest(const void __user *uaddr, int addrlen,
		     struct sockaddr_in *sin, struct sockaddr_in **to)
{
	u8 kaddr[SOCKADDR_STORAGE];
	int err;

	*to = NULL;
	if (!uaddr)
		return 0;
	err = move_addr_to_kernel(uaddr, addrlen, kaddr);
	if (!err)
		err = inet_addr_from(kaddr, addrlen, sin);
	if (!err)
		*to = sin;
	return err;
}

SYSCALL_DEFINE6(sendto, int, fd, void __user *, buff, size_t, len, unsigned int,
		flags, struct sockaddr __user *, addr, int, addr_len)
{
	struct sockaddr_in sin, *to;
	struct socket *sock;
	struct file *f;
	void *buf = NULL;
	long ret;

	sock = sockfd_lookup(fd, &f);
	if (IS_ERR(sock))
		return PTR_ERR(sock);
	ret = send_dest(addr, addr_len, &sin, &to);
	if (ret)
		goto out_put;
	ret = -EMSGSIZE;
	if (len > sock->ops->max_payload)
		goto out_put;
	ret = -ENOMEM;
	buf = kmalloc(len ? len : 1, GFP_KERNEL);
	if (!buf)
		goto out_put;
	ret = -EFAULT;
	if (copy_from_user(buf, buff, len))
		goto out_put;
	ret = sock_send(sock, buf, len, to, flags);
out_put:
	kfree(buf);
	fput(f);
	return ret;
}

SYSCALL_DEFINE6(recvfrom, int, fd, void __user *, ubuf, size_t, size,
		unsigned int, flags, struct sockaddr __user *, addr,
		int __user *, addr_len)
{
	struct sockaddr_in_user from;
	unsigned int mflags = 0;
	struct socket *sock;
	struct file *f;
	void *buf;
	long ret;
	int ulen;

	sock = sockfd_lookup(fd, &f);
	if (IS_ERR(sock))
		return PTR_ERR(sock);
	ret = -EFAULT;
	if (addr && get_user(ulen, addr_len))
		goto out_put;
	ret = -EINVAL;
	if (addr && ulen < 0)
		goto out_put;
	ret = -ENOMEM;
	buf = kmalloc(RECV_BUF_MAX, GFP_KERNEL);
	if (!buf)
		goto out_put;
	size = min(size, (size_t)RECV_BUF_MAX);
	ret = sock_recv(sock, buf, size, flags, f->f_flags & O_NONBLOCK, &from,
			&mflags);
	if (ret > 0 && copy_to_user(ubuf, buf, min((size_t)ret, size)))
		ret = -EFAULT;
	if (ret >= 0 && move_addr_to_user(&from, addr, addr_len))
		ret = -EFAULT;
	kfree(buf);
out_put:
	fput(f);
	return ret;
}

/* ---- sendmsg/recvmsg: a msghdr and its iovecs ---- */

/* The iovecs of msg (kmalloc'd in *iovp) and their total length. */
static long copy_msghdr_iov(const struct user_msghdr *msg,
			    struct iovec_user **iovp)
{
	struct iovec_user *iov;
	size_t total = 0;

	*iovp = NULL;
	if (msg->msg_iovlen > UIO_MAXIOV)
		return -EMSGSIZE;
	if (!msg->msg_iovlen)
		return 0;
	iov = kmalloc(msg->msg_iovlen * sizeof(*iov), GFP_KERNEL);
	if (!iov)
		return -ENOMEM;
	if (copy_from_user(iov, msg->msg_iov, msg->msg_iovlen * sizeof(*iov))) {
		kfree(iov);
		return -EFAULT;
	}
	for (size_t i = 0; i < msg->msg_iovlen; i++) {
		if ((long)iov[i].iov_len < 0 ||
		    total + iov[i].iov_len > (size_t)LONG_MAX) {
			kfree(iov);
			return -EINVAL;
		}
		total += iov[i].iov_len;
	}
	*iovp = iov;
	return total;
}

/* Gather (to_user false) or scatter len bytes of buf over iov. */
static int iov_copy(struct iovec_user *iov, size_t nr, void *buf, size_t len,
		    bool to_user)
{
	u8 *p = buf;

	for (size_t i = 0; i < nr && len; i++) {
		size_t n = min(len, iov[i].iov_len);
		unsigned long left;

		if (to_user)
			left = copy_to_user(iov[i].iov_base, p, n);
		else
			left = copy_from_user(p, iov[i].iov_base, n);
		if (left)
			return -EFAULT;
		p += n;
		len -= n;
	}
	return 0;
}

SYSCALL_DEFINE3(sendmsg, int, fd, struct user_msghdr __user *, umsg,
		unsigned int, flags)
{
	struct sockaddr_in sin, *to;
	struct user_msghdr msg;
	struct iovec_user *iov = NULL;
	struct socket *sock;
	struct file *f;
	void *buf = NULL;
	long ret, len;

	sock = sockfd_lookup(fd, &f);
	if (IS_ERR(sock))
		return PTR_ERR(sock);
	ret = -EFAULT;
	if (copy_from_user(&msg, umsg, sizeof(msg)))
		goto out_put;
	ret = send_dest(msg.msg_name, msg.msg_namelen, &sin, &to);
	if (ret)
		goto out_put;
	len = copy_msghdr_iov(&msg, &iov);
	ret = len;
	if (len < 0)
		goto out_put;
	ret = -EMSGSIZE;
	if ((size_t)len > sock->ops->max_payload)
		goto out_free;
	ret = -ENOMEM;
	buf = kmalloc(len ? len : 1, GFP_KERNEL);
	if (!buf)
		goto out_free;
	ret = iov_copy(iov, msg.msg_iovlen, buf, len, false);
	if (!ret)
		ret = sock_send(sock, buf, len, to, flags);
out_free:
	kfree(buf);
	kfree(iov);
out_put:
	fput(f);
	return ret;
}

SYSCALL_DEFINE3(recvmsg, int, fd, struct user_msghdr __user *, umsg,
		unsigned int, flags)
{
	struct sockaddr_in_user from;
	struct user_msghdr msg;
	struct iovec_user *iov = NULL;
	unsigned int mflags = 0;
	struct socket *sock;
	struct file *f;
	void *buf = NULL;
	long ret, len;
	int nlen;

	sock = sockfd_lookup(fd, &f);
	if (IS_ERR(sock))
		return PTR_ERR(sock);
	ret = -EFAULT;
	if (copy_from_user(&msg, umsg, sizeof(msg)))
		goto out_put;
	ret = -EINVAL;
	if (msg.msg_name && msg.msg_namelen < 0)
		goto out_put;
	len = copy_msghdr_iov(&msg, &iov);
	ret = len;
	if (len < 0)
		goto out_put;
	ret = -ENOMEM;
	buf = kmalloc(RECV_BUF_MAX, GFP_KERNEL);
	if (!buf)
		goto out_free;
	len = min((size_t)len, (size_t)RECV_BUF_MAX);
	ret = sock_recv(sock, buf, len, flags, f->f_flags & O_NONBLOCK, &from,
			&mflags);
	if (ret < 0)
		goto out_free;
	if (iov_copy(iov, msg.msg_iovlen, buf, min(ret, len), true))
		goto out_fault;
	if (msg.msg_name) {
		nlen = min(msg.msg_namelen, (int)sizeof(from));
		if (copy_to_user(msg.msg_name, &from, nlen))
			goto out_fault;
		nlen = sizeof(from);
	} else {
		nlen = 0;
	}
	if (put_user(nlen, &umsg->msg_namelen) ||
	    put_user((size_t)0, &umsg->msg_controllen) ||
	    put_user(mflags, &umsg->msg_flags))
		goto out_fault;
	goto out_free;
out_fault:
	ret = -EFAULT;
out_free:
	kfree(buf);
	kfree(iov);
out_put:
	fput(f);
	return ret;
}

static int sock_getname(int fd, struct sockaddr __user *uaddr, int __user *ulen,
			bool peer)
{
	struct sockaddr_in_user sin;
	struct socket *sock;
	struct file *f;
	int err = 0;

	sock = sockfd_lookup(fd, &f);
	if (IS_ERR(sock))
		return PTR_ERR(sock);
	if (!uaddr) {
		fput(f);
		return -EFAULT;
	}
	mutex_lock(&sock->mutex);
	if (peer && !sock->connected)
		err = -ENOTCONN;
	else if (peer)
		inet_addr_to(sock->daddr, sock->dport, &sin);
	else
		inet_addr_to(sock->saddr, sock->sport, &sin);
	mutex_unlock(&sock->mutex);
	if (!err)
		err = move_addr_to_user(&sin, uaddr, ulen);
	fput(f);
	return err;
}

SYSCALL_DEFINE3(getsockname, int, fd, struct sockaddr __user *, usockaddr,
		int __user *, usockaddr_len)
{
	return sock_getname(fd, usockaddr, usockaddr_len, false);
}

SYSCALL_DEFINE3(getpeername, int, fd, struct sockaddr __user *, usockaddr,
		int __user *, usockaddr_len)
{
	return sock_getname(fd, usockaddr, usockaddr_len, true);
}

SYSCALL_DEFINE2(shutdown, int, fd, int, how)
{
	struct socket *sock;
	struct file *f;
	unsigned long flags;
	int err;

	sock = sockfd_lookup(fd, &f);
	if (IS_ERR(sock))
		return PTR_ERR(sock);
	err = -EINVAL;
	if (how < SHUT_RD || how > SHUT_RDWR)
		goto out_put;
	mutex_lock(&sock->mutex);
	/* as Linux: an unconnected socket says so, but is shut down */
	err = sock->connected ? 0 : -ENOTCONN;
	spin_lock_irqsave(&sock->lock, flags);
	sock->shutdown |= how + 1; /* SHUT_RD..RDWR -> the mask bits */
	spin_unlock_irqrestore(&sock->lock, flags);
	mutex_unlock(&sock->mutex);
	wake_up(&sock->wq);
out_put:
	fput(f);
	return err;
}

/* ---- socket options ---- */

static long timeval_to_timeo(const struct timeval_user *tv, long *timeo)
{
	u64 ms;

	if (tv->tv_usec < 0 || tv->tv_usec >= USEC_PER_SEC)
		return -EDOM;
	if (tv->tv_sec < 0) {
		*timeo = 0; /* Linux: a negative time is "do not wait" */
		return 0;
	}
	if (!tv->tv_sec && !tv->tv_usec) {
		*timeo = MAX_SCHEDULE_TIMEOUT;
		return 0;
	}
	if (tv->tv_sec > 86400L * 365) {
		*timeo = MAX_SCHEDULE_TIMEOUT - 1;
		return 0;
	}
	ms = tv->tv_sec * 1000ULL + (tv->tv_usec + 999) / 1000;
	*timeo = ms > UINT_MAX ? MAX_SCHEDULE_TIMEOUT - 1 :
				 (long)msecs_to_jiffies(ms);
	return 0;
}

static void timeo_to_timeval(long timeo, struct timeval_user *tv)
{
	u64 us;

	if (timeo == MAX_SCHEDULE_TIMEOUT) {
		tv->tv_sec = tv->tv_usec = 0;
		return;
	}
	us = (u64)timeo * (USEC_PER_SEC / HZ);
	tv->tv_sec = us / USEC_PER_SEC;
	tv->tv_usec = us % USEC_PER_SEC;
}

static int buf_size(int v, int max, int min)
{
	if (v < 0 || v > max)
		v = max; /* Linux caps at net.core.[rw]mem_max */
	v *= 2;		 /* and doubles, for bookkeeping overhead */
	return v < min ? min : v;
}

static int sock_setsockopt(struct socket *sock, int name, const void *val,
			   unsigned int len)
{
	struct timeval_user tv;
	int v = 0;

	if (name == SO_RCVTIMEO_OLD || name == SO_RCVTIMEO_NEW ||
	    name == SO_SNDTIMEO_OLD || name == SO_SNDTIMEO_NEW) {
		if (len < sizeof(tv))
			return -EINVAL;
		memcpy(&tv, val, sizeof(tv));
		if (name == SO_RCVTIMEO_OLD || name == SO_RCVTIMEO_NEW)
			return timeval_to_timeo(&tv, &sock->rcvtimeo);
		return timeval_to_timeo(&tv, &sock->sndtimeo);
	}
	if (len < sizeof(int))
		return -EINVAL;
	memcpy(&v, val, sizeof(v));
	switch (name) {
	case SO_REUSEADDR: sock->reuseaddr = v; return 0;
	case SO_BROADCAST: sock->broadcast = v; return 0;
	case SO_RCVBUF:
		sock->rcvbuf = buf_size(v, SYSCTL_RMEM_MAX, SOCK_MIN_RCVBUF);
		return 0;
	case SO_SNDBUF:
		sock->sndbuf = buf_size(v, SYSCTL_WMEM_MAX, SOCK_MIN_SNDBUF);
		return 0;
	default: return -ENOPROTOOPT; /* SO_TYPE, SO_ERROR... read-only */
	}
}

/* An option's value into val (*len: room in, bytes out). */
static int sock_getsockopt(struct socket *sock, int name, void *val,
			   unsigned int *len)
{
	struct timeval_user tv;
	const void *src = &tv;
	unsigned int size = sizeof(int);
	int v;

	switch (name) {
	case SO_REUSEADDR: v = sock->reuseaddr; break;
	case SO_BROADCAST: v = sock->broadcast; break;
	case SO_RCVBUF: v = sock->rcvbuf; break;
	case SO_SNDBUF: v = sock->sndbuf; break;
	case SO_TYPE: v = sock->type; break;
	case SO_DOMAIN: v = sock->family; break;
	case SO_PROTOCOL: v = sock->protocol; break;
	case SO_ACCEPTCONN: v = 0; break;
	case SO_ERROR:
		v = -__atomic_exchange_n(&sock->err, 0, __ATOMIC_RELAXED);
		break;
	case SO_RCVTIMEO_OLD:
	case SO_RCVTIMEO_NEW:
		timeo_to_timeval(sock->rcvtimeo, &tv);
		size = sizeof(tv);
		break;
	case SO_SNDTIMEO_OLD:
	case SO_SNDTIMEO_NEW:
		timeo_to_timeval(sock->sndtimeo, &tv);
		size = sizeof(tv);
		break;
	default: return -ENOPROTOOPT;
	}
	if (size == sizeof(int))
		src = &v;
	if (*len > size)
		*len = size;
	memcpy(val, src, *len);
	return 0;
}

#define OPT_MAX 64 /* the largest option value keel takes or gives */

SYSCALL_DEFINE5(setsockopt, int, fd, int, level, int, optname, char __user *,
		optval, int, optlen)
{
	u8 val[OPT_MAX] = { 0 };
	unsigned int len;
	struct socket *sock;
	struct file *f;
	int err;

	sock = sockfd_lookup(fd, &f);
	if (IS_ERR(sock))
		return PTR_ERR(sock);
	err = -EINVAL;
	if (optlen < 0)
		goto out_put;
	len = min((unsigned int)optlen, (unsigned int)OPT_MAX);
	err = -EFAULT;
	if (copy_from_user(val, optval, len))
		goto out_put;
	mutex_lock(&sock->mutex);
	if (level == SOL_SOCKET)
		err = sock_setsockopt(sock, optname, val, len);
	else
		err = sock->ops->setsockopt(sock, level, optname, val, len);
	mutex_unlock(&sock->mutex);
out_put:
	fput(f);
	return err;
}

SYSCALL_DEFINE5(getsockopt, int, fd, int, level, int, optname, char __user *,
		optval, int __user *, optlen)
{
	u8 val[OPT_MAX];
	unsigned int len;
	struct socket *sock;
	struct file *f;
	int err, ulen;

	sock = sockfd_lookup(fd, &f);
	if (IS_ERR(sock))
		return PTR_ERR(sock);
	err = -EFAULT;
	if (get_user(ulen, optlen))
		goto out_put;
	err = -EINVAL;
	if (ulen < 0)
		goto out_put;
	len = min((unsigned int)ulen, (unsigned int)OPT_MAX);
	mutex_lock(&sock->mutex);
	if (level == SOL_SOCKET)
		err = sock_getsockopt(sock, optname, val, &len);
	else
		err = sock->ops->getsockopt(sock, level, optname, val, &len);
	mutex_unlock(&sock->mutex);
	if (err)
		goto out_put;
	err = -EFAULT;
	if (copy_to_user(optval, val, len) || put_user((int)len, optlen))
		goto out_put;
	err = 0;
out_put:
	fput(f);
	return err;
}
