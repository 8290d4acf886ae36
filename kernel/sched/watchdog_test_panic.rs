// SPDX-License-Identifier: MIT
//! sched_test_panic: a deliberately panicking policy, for the watchdog's
//! tests (kernel/sched/watchdog_test.c). Never select it for real work.
//!
//! The kernel crate's one-tick FIFO ([`FifoPolicy`]) whose `pick_next`
//! panics on its [`PANIC_AT`]-th call after being switched in. The
//! policy guard catches the panic, the core ejects the policy and falls
//! back to fair; the queues this policy held are abandoned (never freed).
#![no_std]
#![forbid(unsafe_code)]

use core::sync::atomic::{AtomicU32, Ordering::Relaxed};
use kernel::prelude::*;
use kernel::sched::{Fifo, FifoHooks, FifoPolicy, Registration, Rq, RqLock, TaskToken};

module! {
    type: TestPanicModule,
    name: "sched_test_panic",
    author: "keel developers",
    description: "deliberately panicking scheduling policy (watchdog tests)",
    license: "MIT",
}

/// The `pick_next` call (counted from `init`, all CPUs) that panics.
const PANIC_AT: u32 = 20;

type TestPanic = FifoPolicy<Panicky>;

static QUEUES: Fifo<TestPanic> = Fifo::new();
static PICKS: AtomicU32 = AtomicU32::new(0);

struct Panicky;

impl FifoHooks for Panicky {
    const NAME: &'static CStr = c"test_panic";

    fn queues() -> &'static Fifo<TestPanic> {
        &QUEUES
    }

    fn init() {
        PICKS.store(0, Relaxed);
    }

    fn pick_next(rq: &Rq<'_>, lock: &mut RqLock<'_, TestPanic>) -> Option<TaskToken<TestPanic>> {
        let n = PICKS.fetch_add(1, Relaxed) + 1;
        if n == PANIC_AT {
            panic!("test_panic: deliberate panic in pick_next (call {})", n);
        }
        QUEUES.pop_front(rq, lock)
    }
}

struct TestPanicModule {
    _reg: Registration<TestPanic>,
}

impl Module for TestPanicModule {
    fn init() -> Result<Self> {
        Ok(TestPanicModule { _reg: Registration::register()? })
    }
}
