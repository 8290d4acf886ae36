// SPDX-License-Identifier: MIT
/*
 * dev_ioctl.c - the interface ioctls on any socket (Linux's
 * net/core/dev_ioctl.c and devinet_ioctl): what busybox ifconfig and
 * ip read and set. struct ifreq names the interface; the answer goes
 * into the same struct.
 *
 * keel's interfaces are its Ethernet devices (no loopback device:
 * ifconfig lists eth0...). Their user-visible index is keel's ifindex
 * plus one, since Linux's 0 means "no interface". An address set
 * without a netmask gets its class's (Linux's inet_abc_len); the
 * gateway stays if it is still on the subnet. Setting needs root
 * (TODO: CAP_NET_ADMIN once processes have credentials). The set
 * calls are serialised by dev_ioctl_mutex, so two programs cannot
 * interleave an address and a mask.
 */
#include <keel/errno.h>
#include <keel/mutex.h>
#include <keel/net.h>
#include <keel/net/ip.h>
#include <keel/netdevice.h>
#include <keel/string.h>
#include <keel/uaccess.h>

static DEFINE_MUTEX(dev_ioctl_mutex);

static void put_sin(struct sockaddr *sa, __be32 addr)
{
	struct sockaddr_in_user *sin = (struct sockaddr_in_user *)sa;

	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_addr = addr;
}

/* ifr_flags as Linux reports them for an Ethernet device. */
static short dev_user_flags(const struct net_device *dev)
{
	short flags = IFF_BROADCAST_USER;

	if (netif_running(dev)) {
		flags |= IFF_UP;
		if (netif_carrier_ok(dev))
			flags |= IFF_RUNNING_USER;
	}
	return flags;
}

/* SIOCGIFCONF: an ifreq with the address of each configured one. */
static long dev_ifconf(void __user *arg)
{
	struct ifconf_user ifc;
	struct net_device *dev = NULL;
	struct ifreq_user ifr;
	int done = 0;

	if (copy_from_user(&ifc, arg, sizeof(ifc)))
		return -EFAULT;
	while ((dev = dev_next(dev))) {
		if (!dev->ip.configured)
			continue;
		if (ifc.ifc_buf) {
			if (ifc.ifc_len - done < (int)sizeof(ifr))
				break;
			memset(&ifr, 0, sizeof(ifr));
			strlcpy(ifr.ifr_name, dev->name, sizeof(ifr.ifr_name));
			put_sin(&ifr.ifr_addr, dev->ip.addr);
			if (copy_to_user((u8 __user *)ifc.ifc_buf + done, &ifr,
					 sizeof(ifr)))
				return -EFAULT;
		}
		done += sizeof(ifr);
	}
	ifc.ifc_len = done;
	return copy_to_user(arg, &ifc, sizeof(ifc)) ? -EFAULT : 0;
}

static unsigned int mask_to_prefix(__be32 mask)
{
	unsigned int n = 0;

	for (u32 m = mask; m; m &= m - 1)
		n++;
	return n;
}

static bool mask_contiguous(__be32 mask)
{
	u32 m = ntohl(mask);

	return !(~m & (~m + 1));
}

/* Linux's inet_abc_len: the classful prefix of a fresh address. */
static unsigned int class_prefix(__be32 addr)
{
	u32 a = ntohl(addr);

	if (!(a & 0x80000000))
		return 8;
	if ((a & 0xc0000000) == 0x80000000)
		return 16;
	return 24;
}

static __be32 prefix_to_mask(unsigned int prefix)
{
	return prefix ? htonl(~0U << (32 - prefix)) : 0;
}

static int dev_set_addr(struct net_device *dev, __be32 addr, __be32 mask)
{
	unsigned int prefix = mask_to_prefix(mask);
	__be32 gw = dev->ip.gateway;

	if (gw && ((gw ^ addr) & mask))
		gw = 0; /* no longer on the subnet: no route through it */
	return ip_config_set(dev, addr, prefix, gw);
}

static long dev_ifsioc(struct net_device *dev, unsigned int cmd,
		       struct ifreq_user *ifr)
{
	const struct sockaddr_in_user *sin =
		(const struct sockaddr_in_user *)&ifr->ifr_addr;
	long err;

	switch (cmd) {
	case SIOCSIFFLAGS:
		if (ifr->ifr_flags & IFF_UP)
			return dev_open(dev);
		return dev_close(dev);
	case SIOCSIFADDR:
		if (sin->sin_family != AF_INET)
			return -EINVAL;
		if (!sin->sin_addr) {
			ip_config_clear(dev);
			return 0;
		}
		if (dev->ip.configured && dev->ip.addr == sin->sin_addr)
			return 0;
		mutex_lock(&dev_ioctl_mutex);
		/* as Linux: a new address gets its class's mask */
		err = dev_set_addr(dev, sin->sin_addr,
				   prefix_to_mask(class_prefix(sin->sin_addr)));
		mutex_unlock(&dev_ioctl_mutex);
		return err;
	case SIOCSIFNETMASK:
		if (!mask_contiguous(sin->sin_addr))
			return -EINVAL;
		mutex_lock(&dev_ioctl_mutex);
		err = dev->ip.configured ?
			      dev_set_addr(dev, dev->ip.addr, sin->sin_addr) :
			      -EADDRNOTAVAIL;
		mutex_unlock(&dev_ioctl_mutex);
		return err;
	}
	return -ENOTTY;
}

/* The read-only SIOCGIF* answers into ifr. 0 or -Exxx. */
static long dev_ifget(struct net_device *dev, unsigned int cmd,
		      struct ifreq_user *ifr)
{
	struct in_device ip = dev->ip;

	switch (cmd) {
	case SIOCGIFFLAGS: ifr->ifr_flags = dev_user_flags(dev); return 0;
	case SIOCGIFMTU: ifr->ifr_ivalue = dev->mtu; return 0;
	case SIOCGIFMETRIC: ifr->ifr_ivalue = 0; return 0;
	case SIOCGIFINDEX: ifr->ifr_ivalue = dev->ifindex + 1; return 0;
	case SIOCGIFHWADDR:
		memset(&ifr->ifr_addr, 0, sizeof(ifr->ifr_addr));
		ifr->ifr_addr.sa_family = ARPHRD_ETHER;
		memcpy(ifr->ifr_addr.sa_data, dev->dev_addr, ETH_ALEN);
		return 0;
	}
	if (!ip.configured)
		return -EADDRNOTAVAIL;
	switch (cmd) {
	case SIOCGIFADDR: put_sin(&ifr->ifr_addr, ip.addr); return 0;
	case SIOCGIFNETMASK: put_sin(&ifr->ifr_addr, ip.mask); return 0;
	case SIOCGIFBRDADDR:
		put_sin(&ifr->ifr_addr, ip.addr | ~ip.mask);
		return 0;
	case SIOCGIFDSTADDR: put_sin(&ifr->ifr_addr, ip.addr); return 0;
	}
	return -ENOTTY;
}

static bool is_set_cmd(unsigned int cmd)
{
	return cmd == SIOCSIFFLAGS || cmd == SIOCSIFADDR ||
	       cmd == SIOCSIFNETMASK;
}

static bool is_if_cmd(unsigned int cmd)
{
	switch (cmd) {
	case SIOCGIFNAME:
	case SIOCGIFFLAGS:
	case SIOCSIFFLAGS:
	case SIOCGIFADDR:
	case SIOCSIFADDR:
	case SIOCGIFDSTADDR:
	case SIOCGIFBRDADDR:
	case SIOCGIFNETMASK:
	case SIOCSIFNETMASK:
	case SIOCGIFMETRIC:
	case SIOCGIFMTU:
	case SIOCGIFHWADDR:
	case SIOCGIFINDEX: return true;
	}
	return false;
}

long dev_ioctl(unsigned int cmd, void __user *arg)
{
	struct ifreq_user ifr;
	struct net_device *dev;
	long err;

	if (cmd == SIOCGIFCONF)
		return dev_ifconf(arg);
	if (!is_if_cmd(cmd))
		return -ENOTTY;
	if (copy_from_user(&ifr, arg, sizeof(ifr)))
		return -EFAULT;
	if (cmd == SIOCGIFNAME) {
		dev = dev_get_by_index(ifr.ifr_ivalue - 1);
		if (!dev || ifr.ifr_ivalue < 1)
			return -ENODEV;
		strlcpy(ifr.ifr_name, dev->name, sizeof(ifr.ifr_name));
		return copy_to_user(arg, &ifr, sizeof(ifr)) ? -EFAULT : 0;
	}
	ifr.ifr_name[IFNAMSIZ_USER - 1] = '\0';
	dev = dev_get_by_name(ifr.ifr_name);
	if (!dev)
		return -ENODEV;
	if (is_set_cmd(cmd))
		return dev_ifsioc(dev, cmd, &ifr);
	err = dev_ifget(dev, cmd, &ifr);
	if (!err && copy_to_user(arg, &ifr, sizeof(ifr)))
		err = -EFAULT;
	return err;
}
