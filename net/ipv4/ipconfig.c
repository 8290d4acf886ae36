// SPDX-License-Identifier: MIT
/*
 * ipconfig.c - interface configuration from the command line (ip=) and
 * the monitor commands that look at or change it
 * (keel/net/ipconfig.h).
 *
 * At boot (late_initcall, after every NIC driver has probed), each
 * SPEC of ip= brings its interface up, waits up to LINK_WAIT_MS for the
 * PHY to report a link, and runs DHCP or sets the static address. Boot
 * waits for this. TODO: do it in a kernel thread, so the boot goes on
 * while the link comes up and DHCP answers.
 */
#define pr_fmt(fmt) "ipconfig: " fmt

#include <keel/cmdline.h>
#include <keel/errno.h>
#include <keel/init.h>
#include <keel/net/arp.h>
#include <keel/net/dhcp.h>
#include <keel/net/icmp.h>
#include <keel/net/ip.h>
#include <keel/net/ipconfig.h>
#include <keel/monitor.h>
#include <keel/net/snmp.h>
#include <keel/printk.h>
#include <keel/string.h>

#define LINK_WAIT_MS	 5000
#define DHCP_TIMEOUT_MS	 10000
#define IP_CMDLINE_MAX	 256
#define PING_DEFAULT_LEN 56

static char ip_cmdline[IP_CMDLINE_MAX];

static int parse_ip(const char *val)
{
	if (!val || !*val)
		return -EINVAL;
	if (strlcpy(ip_cmdline, val, sizeof(ip_cmdline)) >= sizeof(ip_cmdline))
		return -ENAMETOOLONG;
	return 0;
}
cmdline_param("ip", parse_ip);

/* "ADDR[/LEN][:GATEWAY]" */
static int apply_static(struct net_device *dev, const char *spec)
{
	char addr_part[24];
	const char *colon = strchr(spec, ':');
	size_t n = colon ? (size_t)(colon - spec) : strlen(spec);
	unsigned int prefix;
	__be32 addr, gw = 0;

	if (n >= sizeof(addr_part))
		return -EINVAL;
	memcpy(addr_part, spec, n);
	addr_part[n] = '\0';
	if (in_aton_prefix(addr_part, &addr, &prefix) ||
	    (colon && in_aton(colon + 1, &gw)))
		return -EINVAL;
	return ip_config_set(dev, addr, prefix, gw);
}

int ipconfig_apply(struct net_device *dev, const char *spec)
{
	int err = dev_open(dev);

	if (err)
		return err;
	if (!strcmp(spec, "up"))
		return 0;
	if (netif_wait_carrier(dev, LINK_WAIT_MS))
		pr_warn("%s: no link after %u ms\n", dev->name, LINK_WAIT_MS);
	if (!strcmp(spec, "dhcp"))
		return dhcp_run(dev, DHCP_TIMEOUT_MS);
	return apply_static(dev, spec);
}

/* Split "[IF:]REST" when IF names an interface. */
static struct net_device *spec_device(char **spec, unsigned int index)
{
	char *colon = strchr(*spec, ':');
	struct net_device *dev;

	if (colon) {
		*colon = '\0';
		dev = dev_get_by_name(*spec);
		if (dev) {
			*spec = colon + 1;
			return dev;
		}
		*colon = ':';
	}
	return dev_get_by_index(index);
}

#define IP_SPECS_MAX 8

/*
 * All interfaces are brought up first and configured after, so their
 * PHYs negotiate the link at the same time rather than one by one.
 */
static int ipconfig_boot(void)
{
	struct net_device *devs[IP_SPECS_MAX];
	char *specs[IP_SPECS_MAX], *p = ip_cmdline;
	unsigned int n = 0;

	while (*p && n < IP_SPECS_MAX) {
		char *spec = p, *comma = strchr(p, ',');

		if (comma)
			*comma = '\0';
		p = comma ? comma + 1 : p + strlen(p);
		devs[n] = spec_device(&spec, n);
		specs[n] = spec;
		if (!devs[n])
			pr_warn("ip=%s: no such interface\n", spec);
		else if (dev_open(devs[n]))
			devs[n] = NULL;
		n++;
	}
	for (unsigned int i = 0; i < n; i++) {
		int err = devs[i] ? ipconfig_apply(devs[i], specs[i]) : 0;

		if (err)
			pr_warn("%s: ip=%s failed: %s\n", devs[i]->name,
				specs[i], errname(err));
	}
	return 0;
}
late_initcall(ipconfig_boot);

static int cmd_ifconfig(int argc, char **argv)
{
	struct net_device *dev;
	int err;

	if (argc == 1) {
		netdev_show(NULL);
		return 0;
	}
	dev = dev_get_by_name(argv[1]);
	if (!dev) {
		pr_err("ifconfig: no interface %s\n", argv[1]);
		return -ENODEV;
	}
	if (argc == 2) {
		netdev_show(dev);
		return 0;
	}
	if (!strcmp(argv[2], "down")) {
		err = dev_close(dev);
	} else if (argc == 4) { /* ADDR/LEN GATEWAY */
		char spec[48];

		snprintf(spec, sizeof(spec), "%s:%s", argv[2], argv[3]);
		err = ipconfig_apply(dev, spec);
	} else {
		err = ipconfig_apply(dev, argv[2]);
	}
	if (err)
		pr_err("ifconfig: %s\n", errname(err));
	return err;
}
MONITOR_CMD(ifconfig, "[IF [ADDR/LEN [GW]|dhcp|up|down]]",
	    "show or configure network interfaces", 0, 3, cmd_ifconfig);

/* One "-X VALUE" option of ping; 0 or -EINVAL. */
static int ping_option(const char *opt, const char *val,
		       struct net_device **dev, unsigned int *count,
		       unsigned int *size)
{
	if (!strcmp(opt, "-I")) {
		*dev = dev_get_by_name(val);
		return *dev ? 0 : -EINVAL;
	}
	if (!strcmp(opt, "-c"))
		return kstrtouint(val, 10, count) || !*count ? -EINVAL : 0;
	if (!strcmp(opt, "-s"))
		return kstrtouint(val, 10, size) ? -EINVAL : 0;
	return -EINVAL;
}

/* ping [-I IF] [-c COUNT] [-s SIZE] ADDR */
static int cmd_ping(int argc, char **argv)
{
	struct net_device *dev = NULL;
	unsigned int count = 3, size = PING_DEFAULT_LEN;
	__be32 daddr;
	int i;

	for (i = 1; i + 1 < argc; i += 2)
		if (ping_option(argv[i], argv[i + 1], &dev, &count, &size))
			break;
	if (i != argc - 1 || in_aton(argv[i], &daddr))
		return -EINVAL; /* the monitor prints the usage */
	return ping_run(dev, daddr, count, size) ? 0 : -ETIMEDOUT;
}
MONITOR_CMD(ping, "[-I IF] [-c N] [-s SIZE] ADDR", "ICMP echo", 1, 7, cmd_ping);

static int cmd_netstat(int argc, char **argv)
{
	netstat_show();
	return 0;
}
MONITOR_CMD(netstat, NULL, "network stack counters", 0, 0, cmd_netstat);

static int cmd_arp(int argc, char **argv)
{
	arp_show();
	return 0;
}
MONITOR_CMD(arp, NULL, "the ARP cache", 0, 0, cmd_arp);
