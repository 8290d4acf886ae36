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
//!   runqueue lock, see [`super::PerCpu`]): no two CPUs change one queue.

use super::{TaskData, TaskRef, TaskToken};
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

/// Tasks in an order the policy chooses, linked through their nodes.
pub struct TaskQueue {
    first: *mut list_head,
    last: *mut list_head,
    len: usize,
}

// SAFETY: the queue owns the tokens of its tasks (the raw pointers are
// that ownership) and TaskToken is Send; the nodes it touches belong to it.
unsafe impl Send for TaskQueue {}

impl Default for TaskQueue {
    fn default() -> Self {
        Self::new()
    }
}

impl TaskQueue {
    /// An empty queue.
    pub const fn new() -> Self {
        TaskQueue { first: ptr::null_mut(), last: ptr::null_mut(), len: 0 }
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
        Iter { front: self.first, back: self.last, left: self.len, _q: PhantomData }
    }

    /// Queues `t` before the first task for which `before` holds (at the
    /// end if none does). Gives `t` back if its task is still linked in
    /// a queue (a token that should not exist).
    #[inline]
    pub fn insert_before(
        &mut self,
        t: TaskToken,
        mut before: impl FnMut(&TaskRef, &TaskData) -> bool,
    ) -> Result<(), TaskToken> {
        let n = node_of(t.0.as_ptr());
        // SAFETY: the token keeps the task alive; its node is read only.
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
    pub fn push_back(&mut self, t: TaskToken) -> Result<(), TaskToken> {
        self.insert_before(t, |_, _| false)
    }

    /// Takes the `i`-th task out (0: the first).
    #[inline]
    pub fn remove_at(&mut self, i: usize) -> Option<TaskToken> {
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
    pub fn remove(&mut self, t: &TaskRef) -> Option<TaskToken> {
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
    unsafe fn unlink(&mut self, n: *mut list_head) -> TaskToken {
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
            TaskToken(NonNull::new_unchecked(task_of(n)))
        }
    }
}

impl Drop for TaskQueue {
    /// Drops the tokens still queued (unlinking their tasks), so that a
    /// policy replacing a queue that was not empty lets go of them.
    fn drop(&mut self) {
        while self.remove_at(0).is_some() {}
    }
}

/// An iterator over a [`TaskQueue`]: each task, read-only, and its data.
pub struct Iter<'a> {
    front: *mut list_head,
    back: *mut list_head,
    left: usize,
    _q: PhantomData<&'a TaskQueue>,
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

    /// Stand-in tasks (zeroed, never run), each with a vruntime.
    struct Tasks(KVec<KBox<task>>);

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
            Some(Tasks(v))
        }

        /// The token of task `i`.
        ///
        /// # Safety
        ///
        /// No other token of task `i` may be alive (unless the test is
        /// about one that should not exist).
        unsafe fn token(&mut self, i: usize) -> TaskToken {
            let p: *mut task = &mut *self.0[i];
            // SAFETY: a live task (the box outlives the test's tokens).
            unsafe { TaskToken::new(p) }
        }

        fn index(&self, t: &TaskRef) -> usize {
            self.0.iter().position(|b| core::ptr::eq(&**b, t.raw())).unwrap_or(usize::MAX)
        }
    }

    fn order(ts: &Tasks, q: &TaskQueue) -> [usize; 4] {
        let mut out = [usize::MAX; 4];
        for (slot, (t, _)) in out.iter_mut().zip(q.iter()) {
            *slot = ts.index(t);
        }
        out
    }

    fn sorted_insert(q: &mut TaskQueue, t: TaskToken) -> bool {
        let v = t.data_ref().vruntime();
        q.insert_before(t, |_, d| v < d.vruntime()).is_ok()
    }

    #[test]
    fn keeps_sorted_order_both_ways(t: &mut Test) {
        let Some(mut ts) = Tasks::new(&[30, 10, 20, 10]) else {
            return crate::kt_fail!(t, "no memory for the stand-in tasks");
        };
        let mut q = TaskQueue::new();
        for i in 0..4 {
            // SAFETY: one token per task.
            let tok = unsafe { ts.token(i) };
            crate::kt_expect!(t, sorted_insert(&mut q, tok));
        }
        crate::kt_expect_eq!(t, q.len(), 4);
        // equal vruntimes keep their arrival order (1 before 3)
        crate::kt_expect_eq!(t, order(&ts, &q), [1, 3, 2, 0]);
        let mut rev = [usize::MAX; 4];
        for (slot, (task, _)) in rev.iter_mut().zip(q.iter().rev()) {
            *slot = ts.index(task);
        }
        crate::kt_expect_eq!(t, rev, [0, 2, 3, 1]);
        crate::kt_expect_eq!(t, q.front().map(|(_, d)| d.vruntime()), Some(10));
        while q.remove_at(0).is_some() {}
        crate::kt_expect!(t, q.is_empty());
    }

    #[test]
    fn removal_gives_the_token_back(t: &mut Test) {
        let Some(mut ts) = Tasks::new(&[1, 2, 3, 4]) else {
            return crate::kt_fail!(t, "no memory for the stand-in tasks");
        };
        let mut q = TaskQueue::new();
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
        crate::kt_expect_eq!(t, order(&ts, &q), [0, 3, usize::MAX, usize::MAX]);
        // a removed task can be queued again (its node is unlinked)
        // SAFETY: task 2's token went back above and was dropped.
        let again = unsafe { ts.token(2) };
        crate::kt_expect!(t, sorted_insert(&mut q, again));
        crate::kt_expect_eq!(t, order(&ts, &q), [0, 2, 3, usize::MAX]);
        while q.remove_at(0).is_some() {}
        crate::kt_expect_eq!(t, q.len(), 0);
    }

    #[test]
    fn refuses_a_task_already_queued(t: &mut Test) {
        let Some(mut ts) = Tasks::new(&[5, 6]) else {
            return crate::kt_fail!(t, "no memory for the stand-in tasks");
        };
        let (mut q, mut other) = (TaskQueue::new(), TaskQueue::new());
        // SAFETY: one token per task.
        let (a, b) = unsafe { (ts.token(0), ts.token(1)) };
        crate::kt_expect!(t, q.push_back(a).is_ok());
        crate::kt_expect!(t, q.push_back(b).is_ok());
        // SAFETY: deliberately a second token for queued task 0: what a
        // policy that kept a token it gave back would hold.
        let dup = unsafe { ts.token(0) };
        crate::kt_expect!(t, other.push_back(dup).is_err());
        crate::kt_expect!(t, other.is_empty());
        crate::kt_expect_eq!(t, order(&ts, &q), [0, 1, usize::MAX, usize::MAX]);
        while q.remove_at(0).is_some() {}
    }
}
