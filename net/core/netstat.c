// SPDX-License-Identifier: MIT
/*
 * netstat.c - the stack's counters (keel/net/snmp.h) and their names.
 */
#include <keel/monitor.h>
#include <keel/net/arp.h>
#include <keel/net/snmp.h>
#include <keel/net/udp.h>
#include <keel/printk.h>
#include <keel/skbuff.h>
#include <keel/string.h>

u64 net_mib[NET_MIB_MAX];

#define NET_MIB_NAME(id, name) [NET_MIB_##id] = name,
static const char *const mib_names[NET_MIB_MAX] = { NET_MIB_LIST(
	NET_MIB_NAME) };

int net_mib_lookup(const char *name)
{
	for (int i = 0; i < NET_MIB_MAX; i++)
		if (!strcmp(mib_names[i], name))
			return i;
	return -1;
}

void netstat_show(void)
{
	for (int i = 0; i < NET_MIB_MAX; i++)
		monitor_printf("%-24s %llu\n", mib_names[i], net_mib_get(i));
	monitor_printf("%-24s %ld\n", "skb.live", skb_live_count());
	monitor_printf("%-24s %u\n", "arp.entries", arp_cache_count());
	monitor_printf("%-24s %u\n", "udp.queued", udp_queued());
}
