/* SPDX-License-Identifier: MIT */
/*
 * bindings_helper.h - every C header Rust may use. bindgen turns this
 * into build/rust/bindings_generated.rs (the `bindings` crate). Static
 * inline functions and macros are reached through rust/helpers/.
 */
#include <keel/types.h>
#include <keel/bug.h>
#include <keel/completion.h>
#include <keel/device.h>
#include <keel/dma.h>
#include <keel/errno.h>
#include <keel/fb.h>
#include <keel/init.h>
#include <keel/ioport.h>
#include <keel/irq.h>
#include <keel/kallsyms.h>
#include <keel/kasan.h>
#include <keel/lockdep.h>
#include <keel/kthread.h>
#include <keel/ktest.h>
#include <keel/mm.h>
#include <keel/mutex.h>
#include <keel/panic.h>
#include <keel/netdevice.h>
#include <keel/pci.h>
#include <keel/phy.h>
#include <keel/printk.h>
#include <keel/refcount.h>
#include <keel/sched.h>
#include <keel/slab.h>
#include <keel/spinlock.h>
#include <keel/stackprotector.h>
#include <keel/string.h>
#include <keel/time.h>
#include <keel/timer.h>
#include <keel/wait.h>
#include <keel/vmalloc.h>
#include "helpers/helpers.h"

/* Constants bindgen cannot see through macros. */
const gfp_t RUST_GFP_KERNEL = GFP_KERNEL;
const gfp_t RUST_GFP_ATOMIC = GFP_ATOMIC;
const gfp_t RUST_GFP_ZERO = __GFP_ZERO;
const gfp_t RUST_GFP_NOFAIL_INJECT = __GFP_NOFAIL_INJECT;
