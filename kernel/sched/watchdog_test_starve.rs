// SPDX-License-Identifier: MIT
//! sched_test_starve: a deliberately starving policy, for the watchdog's
//! tests (kernel/sched/watchdog_test.c). Never select it for real work.
//!
//! The kernel crate's one-tick FIFO ([`FifoPolicy`]), except that it
//! never picks a task of nice 19 while another task waits on the same
//! CPU. Every answer it gives is valid, so only the starvation watchdog
//! (`sched.watchdog_ms`) can catch it: a nice-19 task pinned next to a
//! busy one waits forever, and the core ejects the policy.
#![no_std]
#![forbid(unsafe_code)]

use kernel::prelude::*;
use kernel::sched::{Fifo, FifoHooks, FifoPolicy, Registration, Rq, RqLock, TaskToken};

module! {
    type: TestStarveModule,
    name: "sched_test_starve",
    author: "keel developers",
    description: "deliberately starving scheduling policy (watchdog tests)",
    license: "MIT",
}

/// The nice value of the tasks this policy starves.
const VICTIM_NICE: i32 = 19;

type TestStarve = FifoPolicy<Starve>;

static QUEUES: Fifo<TestStarve> = Fifo::new();

struct Starve;

impl FifoHooks for Starve {
    const NAME: &'static CStr = c"test_starve";

    fn queues() -> &'static Fifo<TestStarve> {
        &QUEUES
    }

    fn pick_next(rq: &Rq<'_>, lock: &mut RqLock<'_, TestStarve>) -> Option<TaskToken<TestStarve>> {
        // the first task that is not a victim; a victim only when alone
        let pick = QUEUES.pop_first(rq, lock, |t| t.nice() != VICTIM_NICE);
        pick.or_else(|| QUEUES.pop_front(rq, lock))
    }
}

struct TestStarveModule {
    _reg: Registration<TestStarve>,
}

impl Module for TestStarveModule {
    fn init() -> Result<Self> {
        Ok(TestStarveModule { _reg: Registration::register()? })
    }
}
