// SPDX-License-Identifier: MIT
//! [`TaskQueue`]: a policy's queue of tasks, linked through the tasks'
//! own `se.node`, as a C policy links its queue (fair.c's sorted list).
//!
//! Pushing a [`TaskToken`] links its task in; taking one out unlinks it
//! and gives the token back. No allocation (so queueing cannot fail for
//! lack of memory), O(1) insertion once the place is found and O(1)
//! removal at the front, where a vector of tokens pays a capacity check,
//! a shift of the tail and, now and then, a reallocation.
//!
//! Invariants (all `unsafe` below relies on them):
//!
//! * A task is linked in a queue only while that queue holds its token,
//!   and only the queue touches a linked task's `se.node`. Tokens are not
//!   `Clone`, so a task is in at most one queue; the node's memory is
//!   outside what [`TaskData`] lends to the policy, so the policy cannot
//!   overwrite it (not even with `core::mem::swap` of two `TaskData`).
//! * The list is NULL-terminated both ways: `first`/`last` point to the
//!   end nodes, a node's `prev`/`next` to its neighbours or NULL.
//! * A task in no queue has `se.node.next == &se.node` (the task_new
//!   trampoline and every removal leave it so); [`TaskQueue::insert_before`]
//!   refuses a token whose task is still linked (a token the policy
//!   should not have: the core handed the task over again while the
//!   policy still held it), so such a bug cannot corrupt another queue.
//! * A queue is reached only through its owner (per-CPU state under the
//!   runqueue lock, see [`super::PerCpu`], or a lock of the policy's
//!   own): no two CPUs change one queue.
//! * A non-empty queue's `ops` is the table its tokens were made under
//!   (all of them: [`TaskQueue::insert_before`] refuses a token of
//!   another), and the queue touches its tasks (their nodes and data)
//!   only where those tokens may be used (`super::tokens_usable`): in
//!   a callback (not `select_cpu`), `init` or `exit` of that policy.
//!   Elsewhere it panics, and dropping it leaves the tasks alone (see
//!   [`TaskToken`]: after a switch away their `se.node` is the next
//!   policy's).

use super::{check_tokens_usable, tokens_usable, InPolicy, Policy, TaskData, TaskRef, TaskToken};
use bindings::{list_head, sched_entity, task};
use core::marker::PhantomData;
use core::mem::offset_of;
use core::ptr::{self, NonNull};

const NODE_OFFSET: usize = offset_of!(task, se) + offset_of!(sched_entity, node);

/// The node of task `p`.
#[inline]
fn node_of(p: *mut task) -> *mut list_head {
    p.wrapping_byte_add(NODE_OFFSET).cast()
}

/// The task whose node `n` is.
#[inline]
fn task_of(n: *mut list_head) -> *mut task {
    n.wrapping_byte_sub(NODE_OFFSET).cast()
}

/// Marks `p` as in no queue.
///
/// # Safety
///
/// `p` is a live task that no queue holds, whose node nobody else uses
/// (the task_new contract: the policy does not hold the task yet).
#[inline]
pub(super) unsafe fn mark_unlinked(p: *mut task) {
    let n = node_of(p);
    // SAFETY: a live task's node, which no queue links (per the caller).
    unsafe { *n = list_head { next: n, prev: n } };
}

/// Tasks of policy `P` in an order the policy chooses, linked through
/// their nodes.
///
/// # Panics
///
/// Every method that reaches a queued task (all but `len` and
/// `is_empty`, when the queue is not empty) panics outside a callback
/// (other than `select_cpu`), `init` or `exit` of the policy whose
/// tokens it holds, as [`TaskToken::task`] does.
///
/// # Invariants
///
/// `first`..`last` is a doubly linked list of `len` nodes (`p->se.node`
/// of each task, `prev` of the first and `next` of the last NULL; both
/// NULL when `len` is 0), and the queue owns one [`TaskToken<P>`] of
/// each of those tasks, kept as that link. When `len` > 0, `ops` is the
/// non-NULL table all those tokens were made under (set by
/// `insert_before`). The queue touches the nodes and tasks only where
/// those tokens may be used (`check_usable`/`tokens_usable(ops)`), so
/// only while the tasks are alive and their `se` is `P`'s.
pub struct TaskQueue<P: ?Sized> {
    first: *mut list_head,
    last: *mut list_head,
    len: usize,
    /// The table the queued tokens were made under (meaningful while
    /// the queue is not empty).
    ops: *mut bindings::sched_policy_ops,
    _policy: PhantomData<fn() -> P>,
}

// SAFETY: the queue owns the tokens of its tasks (the raw pointers are
// that ownership) and TaskToken is Send; the nodes it touches belong to
// it, and it touches them only where its tokens could (invariants).
unsafe impl<P: ?Sized> Send for TaskQueue<P> {}

impl<P: ?Sized> Default for TaskQueue<P> {
    fn default() -> Self {
        Self::new()
    }
}

impl<P: ?Sized> TaskQueue<P> {
    /// An empty queue.
    pub const fn new() -> Self {
        TaskQueue {
            first: ptr::null_mut(),
            last: ptr::null_mut(),
            len: 0,
            ops: ptr::null_mut(),
            _policy: PhantomData,
        }
    }

    /// Panics unless the queued tasks may be touched here (the queue is
    /// not empty).
    #[inline(always)]
    fn check_usable(&self) {
        // SAFETY: a non-empty queue's ops is its tokens' table, non-NULL
        // (invariant, set by insert_before).
        check_tokens_usable(unsafe { NonNull::new_unchecked(self.ops) });
    }

    /// How many tasks are queued.
    #[inline]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether no task is queued.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.first.is_null()
    }

    /// The first task and its data.
    #[inline]
    pub fn front(&self) -> Option<(&TaskRef, &TaskData)> {
        self.iter().next()
    }

    /// The queued tasks, first to last (`.rev()`: last to first).
    #[inline]
    pub fn iter(&self) -> Iter<'_> {
        if self.len != 0 {
            self.check_usable(); // for the iterator's whole life: it
                                 // borrows the queue, inside this callback
        }
        self.iter_unchecked()
    }

    /// As [`TaskQueue::front`], in `P`'s context, with no run-time check.
    #[inline(always)]
    pub fn front_in<'q>(&'q self, cx: InPolicy<'q, P>) -> Option<(&'q TaskRef, &'q TaskData)> {
        self.iter_in(cx).next()
    }

    /// As [`TaskQueue::iter`], in `P`'s context, with no run-time check.
    #[inline(always)]
    pub fn iter_in<'q>(&'q self, _cx: InPolicy<'q, P>) -> Iter<'q> {
        // `_cx`: this runs in P's context (P has one table, which made
        // the queued tokens), for the iterator's whole life ('q)
        self.iter_unchecked()
    }

    /// The iterator, where the queued tasks may be touched.
    #[inline(always)]
    fn iter_unchecked(&self) -> Iter<'_> {
        Iter { front: self.first, back: self.last, left: self.len, _q: PhantomData }
    }

    /// Queues `t` before the first task for which `before` holds (at the
    /// end if none does). Gives `t` back if its task is still linked in
    /// a queue (a token that should not exist).
    #[inline]
    ///
    /// # Panics
    ///
    /// Where `t` may not be used (see [`TaskToken::task`]), or if the
    /// queue holds tokens made under another table.
    pub fn insert_before(
        &mut self,
        t: TaskToken<P>,
        before: impl FnMut(&TaskRef, &TaskData) -> bool,
    ) -> Result<(), TaskToken<P>> {
        check_tokens_usable(t.ops);
        if self.len != 0 && self.ops != t.ops.as_ptr() {
            self.check_usable(); // the queued tokens: not usable here
        }
        // SAFETY: t may be used here (checked above), and so may the
        // queued tokens: made under the same table, or checked above.
        unsafe { self.insert_unchecked(t, before) }
    }

    /// As [`TaskQueue::insert_before`], in `P`'s context, with no
    /// run-time check.
    #[inline(always)]
    pub fn insert_before_in(
        &mut self,
        t: TaskToken<P>,
        _cx: InPolicy<'_, P>,
        before: impl FnMut(&TaskRef, &TaskData) -> bool,
    ) -> Result<(), TaskToken<P>> {
        // SAFETY: `_cx` proves this runs in P's context, and P has one
        // ops table (InPolicy's invariants), which made `t` and the
        // queued tokens: all of them may be used here.
        unsafe { self.insert_unchecked(t, before) }
    }

    /// As [`TaskQueue::push_back`], in `P`'s context, with no run-time
    /// check.
    #[inline(always)]
    pub fn push_back_in(
        &mut self,
        t: TaskToken<P>,
        cx: InPolicy<'_, P>,
    ) -> Result<(), TaskToken<P>> {
        self.insert_before_in(t, cx, |_, _| false)
    }

    /// # Safety
    ///
    /// `t` and the queued tokens may be used here (`tokens_usable` of
    /// their tables holds) and were made under one table.
    #[inline(always)]
    unsafe fn insert_unchecked(
        &mut self,
        t: TaskToken<P>,
        mut before: impl FnMut(&TaskRef, &TaskData) -> bool,
    ) -> Result<(), TaskToken<P>> {
        if self.len == 0 {
            self.ops = t.ops.as_ptr();
        }
        let n = node_of(t.task.as_ptr());
        // SAFETY: the token keeps the task alive in its policy's context
        // (per the caller); its node is read only.
        if unsafe { (*n).next } != n {
            return Err(t);
        }
        let mut at = self.first;
        while !at.is_null() {
            let p = task_of(at);
            // SAFETY: a linked task is alive (its queue holds its token);
            // its data is read while the queue is borrowed mutably, so
            // no `&mut TaskData` to it exists (its token is in here).
            let (tr, d) = unsafe { (TaskRef::from_raw(p), TaskData::from_raw_ref(p)) };
            if before(tr, d) {
                break;
            }
            // SAFETY: a linked node (invariant), owned by this queue.
            at = unsafe { (*at).next };
        }
        // SAFETY: n is the unlinked node of a task whose token we hold
        // (and keep, below); at is NULL or a node of this queue.
        unsafe { self.link_before(n, at) };
        let _ = t.into_raw(); // the queue holds the token now
        Ok(())
    }

    /// Queues `t` last (see [`TaskQueue::insert_before`]).
    #[inline]
    pub fn push_back(&mut self, t: TaskToken<P>) -> Result<(), TaskToken<P>> {
        self.insert_before(t, |_, _| false)
    }

    /// Takes the `i`-th task out (0: the first).
    #[inline]
    pub fn remove_at(&mut self, i: usize) -> Option<TaskToken<P>> {
        if self.len == 0 {
            return None;
        }
        self.check_usable();
        // SAFETY: the queued tokens may be used here (checked above).
        unsafe { self.remove_at_unchecked(i) }
    }

    /// As [`TaskQueue::remove_at`], in `P`'s context, with no run-time
    /// check.
    #[inline(always)]
    pub fn remove_at_in(&mut self, i: usize, _cx: InPolicy<'_, P>) -> Option<TaskToken<P>> {
        // SAFETY: `_cx` proves this runs in P's context, and P's one
        // table made the queued tokens (InPolicy's invariants).
        unsafe { self.remove_at_unchecked(i) }
    }

    /// As [`TaskQueue::remove`], in `P`'s context, with no run-time
    /// check.
    #[inline(always)]
    pub fn remove_in(&mut self, t: &TaskRef, _cx: InPolicy<'_, P>) -> Option<TaskToken<P>> {
        // SAFETY: `_cx` proves this runs in P's context, and P's one
        // table made the queued tokens (InPolicy's invariants), so they
        // may be used here.
        unsafe { self.remove_unchecked(t) }
    }

    /// # Safety
    ///
    /// The queued tokens may be used here.
    #[inline(always)]
    unsafe fn remove_at_unchecked(&mut self, i: usize) -> Option<TaskToken<P>> {
        let mut at = self.first;
        for _ in 0..i {
            if at.is_null() {
                return None;
            }
            // SAFETY: a linked node of this queue.
            at = unsafe { (*at).next };
        }
        if at.is_null() {
            return None;
        }
        // SAFETY: at is a node of this queue.
        Some(unsafe { self.unlink(at) })
    }

    /// Takes `t` out if it is queued here.
    #[inline]
    pub fn remove(&mut self, t: &TaskRef) -> Option<TaskToken<P>> {
        if self.len == 0 {
            return None;
        }
        self.check_usable();
        // SAFETY: the queued tokens may be used here (checked above).
        unsafe { self.remove_unchecked(t) }
    }

    /// # Safety
    ///
    /// The queued tokens may be used here.
    #[inline(always)]
    unsafe fn remove_unchecked(&mut self, t: &TaskRef) -> Option<TaskToken<P>> {
        let want = node_of(t.raw());
        let mut at = self.first;
        while !at.is_null() && at != want {
            // SAFETY: a linked node of this queue.
            at = unsafe { (*at).next };
        }
        if at.is_null() {
            return None;
        }
        // SAFETY: found among this queue's nodes.
        Some(unsafe { self.unlink(at) })
    }

    /// # Safety
    ///
    /// `n` is the unlinked node of a live task whose token the caller
    /// hands to this queue; `at` is NULL or a node of this queue.
    #[inline]
    unsafe fn link_before(&mut self, n: *mut list_head, at: *mut list_head) {
        // SAFETY: per the caller, every node touched is n, at or one of
        // this queue's nodes (at's predecessor, or the last).
        unsafe {
            let prev = if at.is_null() { self.last } else { (*at).prev };
            *n = list_head { next: at, prev };
            if prev.is_null() {
                self.first = n;
            } else {
                (*prev).next = n;
            }
            if at.is_null() {
                self.last = n;
            } else {
                (*at).prev = n;
            }
        }
        self.len += 1;
    }

    /// # Safety
    ///
    /// `n` is a node of this queue.
    #[inline]
    unsafe fn unlink(&mut self, n: *mut list_head) -> TaskToken<P> {
        // SAFETY: n and its neighbours are nodes of this queue (invariant);
        // the token this queue held for n's task goes back to the caller.
        unsafe {
            let list_head { next, prev } = *n;
            if prev.is_null() {
                self.first = next;
            } else {
                (*prev).next = next;
            }
            if next.is_null() {
                self.last = prev;
            } else {
                (*next).prev = prev;
            }
            *n = list_head { next: n, prev: n };
            self.len -= 1;
            TaskToken::new(task_of(n), NonNull::new_unchecked(self.ops))
        }
    }
}

impl<P: Policy> TaskQueue<P> {
    /// As [`TaskQueue::insert_before_in`], for a policy's queueing
    /// callbacks: a refused token (its task is still queued: the core
    /// handed the task over again) is dropped with a warning naming the
    /// policy, and the core's checks and backstop deal with the task.
    /// True if `t` was queued.
    #[inline(always)]
    pub fn insert_or_warn_in(
        &mut self,
        t: TaskToken<P>,
        cx: InPolicy<'_, P>,
        before: impl FnMut(&TaskRef, &TaskData) -> bool,
    ) -> bool {
        match self.insert_before_in(t, cx, before) {
            Ok(()) => true,
            Err(t) => {
                not_queued(P::NAME, t.task_in(cx).pid());
                false
            }
        }
    }
}

#[cold]
#[inline(never)]
fn not_queued(name: &crate::str::CStr, pid: i32) {
    let name = name.to_str().unwrap_or("?");
    crate::pr_warn!("sched {}: pid {} is queued already\n", name, pid);
}

impl<P: ?Sized> Drop for TaskQueue<P> {
    /// Drops the tokens still queued (unlinking their tasks), so that a
    /// policy replacing a queue that was not empty lets go of them.
    /// Where its tokens may not be used, it touches nothing: the tasks
    /// stay as they are, as if each token were dropped there (see
    /// [`TaskToken`]).
    fn drop(&mut self) {
        if self.len == 0 {
            return;
        }
        // SAFETY: a non-empty queue's ops is non-NULL (invariant).
        if !tokens_usable(unsafe { NonNull::new_unchecked(self.ops) }) {
            return;
        }
        while self.remove_at(0).is_some() {}
    }
}

/// An iterator over a [`TaskQueue`]: each task, read-only, and its data.
pub struct Iter<'a> {
    front: *mut list_head,
    back: *mut list_head,
    left: usize,
    _q: PhantomData<&'a ()>,
}

impl<'a> Iter<'a> {
    /// # Safety
    ///
    /// `n` is a node of the borrowed queue.
    #[inline]
    unsafe fn entry(n: *mut list_head) -> (&'a TaskRef, &'a TaskData) {
        let p = task_of(n);
        // SAFETY: a queued task is alive while the queue, borrowed for
        // 'a, holds its token; nobody has its data mutably meanwhile.
        unsafe { (TaskRef::from_raw(p), TaskData::from_raw_ref(p)) }
    }
}

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a TaskRef, &'a TaskData);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let n = self.front;
        // SAFETY: left > 0, so n is a node of the queue.
        unsafe {
            self.front = (*n).next;
            Some(Self::entry(n))
        }
    }
}

impl DoubleEndedIterator for Iter<'_> {
    #[inline]
    fn next_back(&mut self) -> Option<Self::Item> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let n = self.back;
        // SAFETY: left > 0, so n is a node of the queue.
        unsafe {
            self.back = (*n).prev;
            Some(Self::entry(n))
        }
    }
}

#[crate::ktest(rust_sched_queue)]
mod tests {
    use super::*;
    use crate::alloc::{KBox, KVec, GFP_KERNEL};
    use crate::ktest::Test;
    use crate::sched::with_policy_tokens;

    /// The brand of the stand-in policy.
    struct Stand;
    type Queue = TaskQueue<Stand>;
    type Token = TaskToken<Stand>;

    /// The stand-in policy's table: only its address is used, as the
    /// identity its tokens record.
    const TABLE: bindings::sched_policy_ops = bindings::sched_policy_ops {
        name: c"stand_in".as_ptr(),
        init: None,
        exit: None,
        task_new: None,
        task_dead: None,
        task_wakeup: None,
        task_blocked: None,
        task_preempt: None,
        task_yield: None,
        task_dequeue: None,
        task_tick: None,
        pick_next: None,
        select_cpu: None,
        balance: None,
        task_export: None,
        task_adopt: None,
    };

    /// Stand-in tasks (zeroed, never run), each with a vruntime.
    struct Tasks(KVec<KBox<task>>, NonNull<bindings::sched_policy_ops>);

    impl Tasks {
        fn new(vruntimes: &[i64]) -> Option<Tasks> {
            let mut v = KVec::new();
            for &vr in vruntimes {
                // SAFETY: struct task is plain C data (integers, raw
                // pointers, nullable function pointers): all-zero is valid.
                let mut b = KBox::new(unsafe { core::mem::zeroed::<task>() }, GFP_KERNEL).ok()?;
                b.se.vruntime = vr;
                let p: *mut task = &mut *b;
                // SAFETY: a fresh task nobody else knows.
                unsafe { mark_unlinked(p) };
                v.push(b, GFP_KERNEL).ok()?;
            }
            Some(Tasks(v, NonNull::from(&TABLE)))
        }

        /// Runs `f` as inside a callback of the stand-in policy.
        fn run<R>(&mut self, f: impl FnOnce(&mut Self) -> R) -> R {
            let ops = self.1;
            with_policy_tokens(ops, || f(self))
        }

        /// The token of task `i`.
        ///
        /// # Safety
        ///
        /// No other token of task `i` may be alive (unless the test is
        /// about one that should not exist).
        unsafe fn token(&mut self, i: usize) -> Token {
            let p: *mut task = &mut *self.0[i];
            // SAFETY: a live task (the box outlives the test's tokens);
            // the tokens are used inside `run`, as the stand-in's.
            unsafe { TaskToken::new(p, self.1) }
        }

        fn index(&self, t: &TaskRef) -> usize {
            self.0.iter().position(|b| core::ptr::eq(&**b, t.raw())).unwrap_or(usize::MAX)
        }
    }

    fn order(ts: &Tasks, q: &Queue) -> [usize; 4] {
        let mut out = [usize::MAX; 4];
        for (slot, (t, _)) in out.iter_mut().zip(q.iter()) {
            *slot = ts.index(t);
        }
        out
    }

    fn sorted_insert(q: &mut Queue, t: Token) -> bool {
        let v = t.data_ref().vruntime();
        q.insert_before(t, |_, d| v < d.vruntime()).is_ok()
    }

    #[test]
    fn keeps_sorted_order_both_ways(t: &mut Test) {
        let Some(mut ts) = Tasks::new(&[30, 10, 20, 10]) else {
            return crate::kt_fail!(t, "no memory for the stand-in tasks");
        };
        ts.run(|ts| {
            let mut q = Queue::new();
            for i in 0..4 {
                // SAFETY: one token per task.
                let tok = unsafe { ts.token(i) };
                crate::kt_expect!(t, sorted_insert(&mut q, tok));
            }
            crate::kt_expect_eq!(t, q.len(), 4);
            // equal vruntimes keep their arrival order (1 before 3)
            crate::kt_expect_eq!(t, order(ts, &q), [1, 3, 2, 0]);
            let mut rev = [usize::MAX; 4];
            for (slot, (task, _)) in rev.iter_mut().zip(q.iter().rev()) {
                *slot = ts.index(task);
            }
            crate::kt_expect_eq!(t, rev, [0, 2, 3, 1]);
            crate::kt_expect_eq!(t, q.front().map(|(_, d)| d.vruntime()), Some(10));
            while q.remove_at(0).is_some() {}
            crate::kt_expect!(t, q.is_empty());
        });
    }

    #[test]
    fn removal_gives_the_token_back(t: &mut Test) {
        let Some(mut ts) = Tasks::new(&[1, 2, 3, 4]) else {
            return crate::kt_fail!(t, "no memory for the stand-in tasks");
        };
        ts.run(|ts| {
            let mut q = Queue::new();
            for i in 0..4 {
                // SAFETY: one token per task.
                let tok = unsafe { ts.token(i) };
                crate::kt_expect!(t, q.push_back(tok).is_ok());
            }
            // the second, then a middle one by task, then the last
            let second = q.remove_at(1).map(|tok| ts.index(tok.task()));
            crate::kt_expect_eq!(t, second, Some(1));
            let p2: *mut task = &mut *ts.0[2];
            // SAFETY: task 2 is alive; only its identity is used.
            let t2 = unsafe { TaskRef::from_raw(p2) };
            crate::kt_expect_eq!(t, q.remove(t2).map(|tok| ts.index(tok.task())), Some(2));
            crate::kt_expect!(t, q.remove(t2).is_none()); // not queued any more
            crate::kt_expect_eq!(t, q.remove_at(2).map(|_| ()), None);
            crate::kt_expect_eq!(t, order(ts, &q), [0, 3, usize::MAX, usize::MAX]);
            // a removed task can be queued again (its node is unlinked)
            // SAFETY: task 2's token went back above and was dropped.
            let again = unsafe { ts.token(2) };
            crate::kt_expect!(t, sorted_insert(&mut q, again));
            crate::kt_expect_eq!(t, order(ts, &q), [0, 2, 3, usize::MAX]);
            while q.remove_at(0).is_some() {}
            crate::kt_expect_eq!(t, q.len(), 0);
        });
    }

    #[test]
    fn refuses_a_task_already_queued(t: &mut Test) {
        let Some(mut ts) = Tasks::new(&[5, 6]) else {
            return crate::kt_fail!(t, "no memory for the stand-in tasks");
        };
        ts.run(|ts| {
            let (mut q, mut other) = (Queue::new(), Queue::new());
            // SAFETY: one token per task.
            let (a, b) = unsafe { (ts.token(0), ts.token(1)) };
            crate::kt_expect!(t, q.push_back(a).is_ok());
            crate::kt_expect!(t, q.push_back(b).is_ok());
            // SAFETY: deliberately a second token for queued task 0: what
            // a policy that kept a token it gave back would hold.
            let dup = unsafe { ts.token(0) };
            crate::kt_expect!(t, other.push_back(dup).is_err());
            crate::kt_expect!(t, other.is_empty());
            crate::kt_expect_eq!(t, order(ts, &q), [0, 1, usize::MAX, usize::MAX]);
            while q.remove_at(0).is_some() {}
        });
    }

    /// A stand-in task that is never freed (the case below ends in a
    /// panic, which leaks what its frames own).
    struct Lone(core::cell::UnsafeCell<task>);
    // SAFETY: used by one test case at a time (the runner's task).
    unsafe impl Sync for Lone {}
    static LONE: Lone = Lone(core::cell::UnsafeCell::new(
        // SAFETY: struct task is plain C data: all-zero is valid.
        unsafe { core::mem::zeroed() },
    ));

    /// Outside its policy's callbacks a queue that holds tasks refuses
    /// to reach them (a queue kept in a static and used by a kernel
    /// thread, or after its policy was switched away).
    #[test]
    fn refuses_outside_its_policy(t: &mut Test) {
        let p = LONE.0.get();
        // SAFETY: a task nobody else uses (this case runs once per boot).
        unsafe { mark_unlinked(p) };
        let ops = NonNull::from(&TABLE);
        let mut q = with_policy_tokens(ops, || {
            let mut q = Queue::new();
            // SAFETY: the one token of LONE, used as the stand-in's.
            let tok = unsafe { Token::new(p, ops) };
            crate::kt_expect!(t, q.push_back(tok).is_ok());
            q
        });
        crate::kt_expect_eq!(t, q.len(), 1); // no task reached
        t.expect_panic(c"TaskToken used outside its policy");
        let _ = q.remove_at(0);
    }
}
