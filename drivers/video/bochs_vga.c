// SPDX-License-Identifier: MIT
/*
 * bochs_vga.c - QEMU's standard VGA (PCI 1234:1111, "-vga std") as a
 * linear 32-bpp framebuffer, through the Bochs VBE "dispi" registers.
 *
 * The dispi interface is an index/data port pair (0x1ce/0x1cf) in front
 * of 16-bit registers: ID, XRES, YRES, BPP, ENABLE, BANK, VIRT_WIDTH,
 * VIRT_HEIGHT, X_OFFSET, Y_OFFSET. Setting a mode is: disable, write the
 * geometry, enable with the linear-framebuffer bit; the pixels are then
 * BAR0 (16 MiB of VRAM on QEMU), row after row, VIRT_WIDTH pixels apart.
 * QEMU blanks the screen unless the VGA attribute controller's palette
 * address source bit is set, so probe sets it as Linux's bochs driver
 * does (reset the 0x3c0 flip-flop by reading 0x3da, write 0x20).
 *
 * The mode is video=WxH (default 1024x768). The framebuffer is mapped
 * uncached with ioremap(): write-combining would need PAT, which keel
 * does not program (every CPU's PAT would have to agree), and under QEMU
 * the memory type makes no difference. Without the device the kernel
 * says so and runs with the serial console only.
 */
#include <asm/io.h>
#include <keel/cmdline.h>
#include <keel/errno.h>
#include <keel/fb.h>
#include <keel/init.h>
#include <keel/ioport.h>
#include <keel/pci.h>
#include <keel/printk.h>
#include <keel/string.h>
#include <keel/vmalloc.h>

#define DISPI_INDEX	  0x1ce /* data at 0x1cf, 16 bits wide */
#define DISPI_ID	  0
#define DISPI_XRES	  1
#define DISPI_YRES	  2
#define DISPI_BPP	  3
#define DISPI_ENABLE	  4
#define DISPI_BANK	  5
#define DISPI_VIRT_WIDTH  6
#define DISPI_VIRT_HEIGHT 7
#define DISPI_X_OFFSET	  8
#define DISPI_Y_OFFSET	  9
#define DISPI_ID0	  0xb0c0 /* ..0xb0c5: interface versions */
#define DISPI_ID5	  0xb0c5
#define DISPI_ENABLED	  0x01
#define DISPI_LFB	  0x40

#define VGA_ATTR_W   0x3c0
#define VGA_IS1_R    0x3da
#define VGA_ATTR_PAS 0x20 /* palette address source: display on */

#define MIN_RES 320
#define MAX_RES 4096

static u32 want_width = 1024, want_height = 768;
static struct fb_info bochs_fb = { .name = "bochs-vga" };

/* video=WxH: the mode to set (width a multiple of 8). */
static int parse_video(const char *val)
{
	char buf[32], *x;
	unsigned int w, h;
	int err;

	if (!val || strlcpy(buf, val, sizeof(buf)) >= sizeof(buf))
		return -EINVAL;
	x = strchr(buf, 'x');
	if (!x)
		return -EINVAL;
	*x = '\0';
	err = kstrtouint(buf, 10, &w);
	if (!err)
		err = kstrtouint(x + 1, 10, &h);
	if (err)
		return err;
	if (w < MIN_RES || h < MIN_RES / 2 || w > MAX_RES || h > MAX_RES ||
	    w % 8)
		return -ERANGE;
	want_width = w;
	want_height = h;
	return 0;
}
cmdline_param("video", parse_video);

static void dispi_write(u16 reg, u16 val)
{
	outw(DISPI_INDEX, reg);
	outw(DISPI_INDEX + 1, val);
}

static u16 dispi_read(u16 reg)
{
	outw(DISPI_INDEX, reg);
	return inw(DISPI_INDEX + 1);
}

/* Program w x h x 32 with the linear framebuffer; 0 or -EIO. */
static int set_mode(u32 w, u32 h)
{
	inb(VGA_IS1_R); /* attribute flip-flop to "index" */
	outb(VGA_ATTR_W, VGA_ATTR_PAS);
	dispi_write(DISPI_ENABLE, 0);
	dispi_write(DISPI_BPP, 32);
	dispi_write(DISPI_XRES, w);
	dispi_write(DISPI_YRES, h);
	dispi_write(DISPI_BANK, 0);
	dispi_write(DISPI_VIRT_WIDTH, w);
	dispi_write(DISPI_VIRT_HEIGHT, h);
	dispi_write(DISPI_X_OFFSET, 0);
	dispi_write(DISPI_Y_OFFSET, 0);
	dispi_write(DISPI_ENABLE, DISPI_ENABLED | DISPI_LFB);
	if (dispi_read(DISPI_XRES) != w || dispi_read(DISPI_YRES) != h ||
	    dispi_read(DISPI_BPP) != 32)
		return -EIO;
	return 0;
}

static int bochs_probe(struct pci_dev *dev, const struct pci_device_id *id)
{
	struct fb_info *fb = &bochs_fb;
	u16 ver;
	int err;

	if (dev->bar_is_io[0] || !dev->bar_size[0])
		return -ENODEV;
	err = request_region(DISPI_INDEX, 2, "bochs-vga dispi");
	if (err)
		return err;
	err = pci_enable_device(dev);
	if (err)
		goto err_release;
	ver = dispi_read(DISPI_ID);
	if (ver < DISPI_ID0 || ver > DISPI_ID5) {
		pr_warn("bochs-vga: no dispi interface (id %#x)\n", ver);
		err = -ENODEV;
		goto err_release;
	}
	fb->width = want_width;
	fb->height = want_height;
	fb->pitch = want_width * 4;
	fb->size = (size_t)fb->pitch * fb->height;
	if (fb->size > dev->bar_size[0]) {
		pr_warn("bochs-vga: %ux%u needs %zu KiB, VRAM has %llu\n",
			fb->width, fb->height, fb->size >> 10,
			dev->bar_size[0] >> 10);
		err = -ENOSPC;
		goto err_release;
	}
	err = set_mode(fb->width, fb->height);
	if (err) {
		pr_warn("bochs-vga: the device refused %ux%ux32\n", fb->width,
			fb->height);
		goto err_disable;
	}
	fb->pitch = dispi_read(DISPI_VIRT_WIDTH) * 4;
	fb->phys = dev->bar[0];
	fb->format = FB_FORMAT_XRGB8888;
	fb->base = ioremap(fb->phys, fb->size);
	if (!fb->base) {
		err = -ENOMEM;
		goto err_disable;
	}
	fb_fill_rect(fb, 0, 0, fb->width, fb->height, 0);
	err = fb_register(fb);
	if (err)
		goto err_unmap;
	fbcon_init(fb); /* a console failure leaves the framebuffer usable */
	return 0;

err_unmap:
	iounmap(fb->base);
	fb->base = NULL;
err_disable:
	dispi_write(DISPI_ENABLE, 0);
err_release:
	release_region(DISPI_INDEX, 2);
	return err;
}

static const struct pci_device_id bochs_ids[] = {
	{ .vendor = 0x1234, .device = 0x1111, .class_mask = 0 },
	{ 0 }
};

static struct pci_driver bochs_driver = {
	.name = "bochs-vga",
	.id_table = bochs_ids,
	.probe = bochs_probe,
};

static int bochs_vga_init(void)
{
	int err = pci_register_driver(&bochs_driver);

	if (err)
		return err;
	if (!fb_get_primary())
		pr_info("fb: no display device; console on serial only\n");
	return 0;
}
device_initcall(bochs_vga_init);
