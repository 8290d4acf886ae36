// SPDX-License-Identifier: MIT
/*
 * e1000_impl.c - choose which e1000 driver, C or Rust, binds each NIC.
 *
 * Both drivers claim 8086:100e. The command line option
 *
 *	e1000.impl=c | rust | LIST        e.g. e1000.impl=c,rust
 *
 * gives one choice per 82540EM in PCI scan order (the last choice
 * repeats for the rest); the default is c. This runs before the
 * drivers register and sets each device's driver_override, so the driver
 * core offers the NIC to that driver only.
 */
#define pr_fmt(fmt) "e1000: " fmt

#include <keel/cmdline.h>
#include <keel/init.h>
#include <keel/pci.h>
#include <keel/printk.h>
#include <keel/string.h>

#define E1000_IMPL_MAX 8

static const char *choice[E1000_IMPL_MAX] = { "e1000" };
static unsigned int nr_choices = 1;

static int parse_impl(const char *val)
{
	const char *p = val;
	unsigned int n = 0;

	if (!val || !*val)
		return -EINVAL;
	while (*p && n < E1000_IMPL_MAX) {
		size_t len = strchr(p, ',') ? (size_t)(strchr(p, ',') - p) :
					      strlen(p);

		if (len == 1 && !strncmp(p, "c", 1))
			choice[n++] = "e1000";
		else if (len == 4 && !strncmp(p, "rust", 4))
			choice[n++] = "e1000_rs";
		else
			return -EINVAL;
		p += len + (p[len] == ',');
	}
	nr_choices = n;
	return 0;
}
cmdline_param("e1000.impl", parse_impl);

static int e1000_impl_assign(void)
{
	struct pci_dev *d = NULL;
	unsigned int i = 0;

	while ((d = pci_get_device(0x8086, 0x100e, d))) {
		d->dev.driver_override = choice[min(i, nr_choices - 1)];
		pr_info("%s: for driver %s\n", d->dev.name,
			d->dev.driver_override);
		i++;
	}
	return 0;
}
subsys_initcall(e1000_impl_assign);
