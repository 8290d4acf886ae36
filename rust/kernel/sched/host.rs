// SPDX-License-Identifier: MIT
//! The host backend of [`crate::sched`] (`--cfg keel_host`): replaying a
//! recorded trace against a policy built for the host.
//!
//! The policy API above this module is the kernel's own source: the
//! trait, the tokens, the lock proofs and the `extern "C"` trampolines
//! of [`crate::sched`] compile unchanged, over the same `bindings`
//! (bindgen's structs have the same layout on the host, both being
//! x86_64). What the scheduling API calls in C is provided here instead:
//! `sched_policy_register` (a registry by name) and the two statics the
//! API reads, `cpu_online_mask` and `cpu_data`; the rest of the crate's
//! host back end (`kmalloc`, `errname`, the log) is [`crate::host`].
//!
//! A [`Replay`] plays the C core's part: it owns simulated tasks (one
//! per pid, kept for the whole replay so the policy's per-task data and
//! task identities persist) and runqueues, writes into them what a
//! record says the policy could read at that moment, and calls the
//! policy through its C ops table exactly as kernel/sched/policy.c does.
//! A task's fields that a record does not carry (a queued task's nice
//! and allowed mask) keep the values of the last record that named it.

use super::NR_CPUS;
use crate::error::code::{EEXIST, EINVAL};
use crate::host::lock;
use core::ffi::{c_char, c_int, c_void, CStr};
use core::ptr::{self, NonNull};
use std::boxed::Box;
use std::collections::BTreeMap;
use std::string::String;
use std::sync::{Mutex, MutexGuard};
use std::vec::Vec;

// --- the scheduler's C functions and data, for the host ---

/// The online CPUs, as the kernel's `cpu_online_mask`; set by [`Replay`]
/// before each call.
// SAFETY: the kernel's symbol and type (keel/cpumask.h); only this
// module writes it, while it holds the replay lock.
#[unsafe(no_mangle)]
#[allow(non_upper_case_globals)]
static mut cpu_online_mask: u64 = 0;

/// The per-CPU data the API reads (`current_task`, `idle`), as the
/// kernel's `cpu_data`; set by [`Replay`] before each call.
// SAFETY: the kernel's symbol and type (keel/percpu.h); only this module
// writes it, while it holds the replay lock. All-zero is a valid value
// of the C struct (integers and pointers).
#[unsafe(no_mangle)]
#[allow(non_upper_case_globals)]
static mut cpu_data: [bindings::cpu; NR_CPUS] =
    // SAFETY: all-zero is a valid value of the C struct (integers and
    // pointers).
    unsafe { core::mem::zeroed() };

/// The host's `cpu->policy_tokens` (one simulated CPU makes the calls):
/// the table whose callback (not `select_cpu`), `init` or `exit`
/// [`Replay`] is making, or NULL.
static POLICY_TOKENS: std::sync::atomic::AtomicPtr<c_void> =
    std::sync::atomic::AtomicPtr::new(ptr::null_mut());

/// `cpu->policy_tokens` on the host.
pub(super) fn policy_tokens() -> *const c_void {
    POLICY_TOKENS.load(std::sync::atomic::Ordering::Relaxed)
}

/// Sets [`POLICY_TOKENS`] for one call into the policy, NULL again after.
struct TokensFor;

impl TokensFor {
    fn new(ops: *const bindings::sched_policy_ops) -> TokensFor {
        POLICY_TOKENS.store(ops.cast_mut().cast(), std::sync::atomic::Ordering::Relaxed);
        TokensFor
    }
}

impl Drop for TokensFor {
    fn drop(&mut self) {
        POLICY_TOKENS.store(ptr::null_mut(), std::sync::atomic::Ordering::Relaxed);
    }
}

/// A registered ops table (a promoted constant of [`super::Ops`]).
struct Table(&'static bindings::sched_policy_ops);

// SAFETY: the table is immutable and lives forever; its raw pointers
// are to a static name and to functions.
unsafe impl Send for Table {}

static POLICIES: Mutex<Vec<Table>> = Mutex::new(Vec::new());

fn table_name(t: &bindings::sched_policy_ops) -> String {
    // SAFETY: a registered table's name is a static NUL-terminated
    // string (`Policy::NAME`).
    unsafe { CStr::from_ptr(t.name) }.to_string_lossy().into_owned()
}

/// `sched_policy_register`: remember the table by its name.
///
/// # Safety
///
/// `ops` points to an ops table that lives forever.
// SAFETY: sched_policy_register's C signature, declared by the bindings.
#[unsafe(no_mangle)]
unsafe extern "C" fn sched_policy_register(ops: *const bindings::sched_policy_ops) -> c_int {
    // SAFETY: per the caller's contract (Registration passes a promoted
    // constant).
    let ops: &'static bindings::sched_policy_ops = unsafe { &*ops };
    let mut all = lock(&POLICIES);
    if all.iter().any(|t| table_name(t.0) == table_name(ops)) {
        return EEXIST.to_errno();
    }
    all.push(Table(ops));
    0
}

/// `sched_policy_switch_to`: there is nothing to switch on the host.
// SAFETY: sched_policy_switch_to's C signature, declared by the bindings.
#[unsafe(no_mangle)]
extern "C" fn sched_policy_switch_to(_name: *const c_char) -> c_int {
    EINVAL.to_errno()
}

/// The names of the policies registered so far (by their modules' init).
pub fn policies() -> Vec<String> {
    lock(&POLICIES).iter().map(|t| table_name(t.0)).collect()
}

// --- replay ---

/// A policy callback, as recorded (enum sched_rec_kind in
/// include/keel/sched_record.h, by the names the dump prints).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `init`
    Init,
    /// `task_new`
    TaskNew,
    /// `task_dead`
    TaskDead,
    /// `task_wakeup`
    TaskWakeup,
    /// `task_blocked`
    TaskBlocked,
    /// `task_preempt`
    TaskPreempt,
    /// `task_yield`
    TaskYield,
    /// `task_dequeue`
    TaskDequeue,
    /// `task_tick`
    TaskTick,
    /// `pick_next`
    PickNext,
    /// `select_cpu`
    SelectCpu,
    /// `balance`
    Balance,
    /// `task_export` (at a switch away)
    TaskExport,
    /// `task_adopt` (at the switch in)
    TaskAdopt,
}

const KINDS: [(Kind, &str); 14] = [
    (Kind::Init, "init"),
    (Kind::TaskNew, "task_new"),
    (Kind::TaskDead, "task_dead"),
    (Kind::TaskWakeup, "task_wakeup"),
    (Kind::TaskBlocked, "task_blocked"),
    (Kind::TaskPreempt, "task_preempt"),
    (Kind::TaskYield, "task_yield"),
    (Kind::TaskDequeue, "task_dequeue"),
    (Kind::TaskTick, "task_tick"),
    (Kind::PickNext, "pick_next"),
    (Kind::SelectCpu, "select_cpu"),
    (Kind::Balance, "balance"),
    (Kind::TaskExport, "task_export"),
    (Kind::TaskAdopt, "task_adopt"),
];

impl Kind {
    /// The kind called `name` in a dump.
    pub fn from_name(name: &str) -> Option<Kind> {
        KINDS.iter().find(|(_, n)| *n == name).map(|(k, _)| *k)
    }

    /// Its name in a dump.
    pub fn name(self) -> &'static str {
        KINDS.iter().find(|(k, _)| *k == self).map_or("?", |(_, n)| n)
    }

    /// Whether its answer names a task (by pid).
    pub fn answers_task(self) -> bool {
        matches!(self, Kind::PickNext | Kind::Balance)
    }
}

/// A task argument's fields, as recorded.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TaskState {
    /// pid (the task's identity in a trace)
    pub pid: i32,
    /// nice
    pub nice: i32,
    /// the CPU it is queued on or last ran on
    pub cpu: u32,
    /// still executing
    pub on_cpu: bool,
    /// allowed CPUs
    pub allowed: u64,
    /// CPU time so far
    pub runtime_ns: u64,
}

/// A runqueue argument, as recorded.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RqState {
    /// its CPU
    pub cpu: u32,
    /// pid of `rq->curr`
    pub curr_pid: i32,
    /// `rq->curr` is the CPU's idle task
    pub curr_idle: bool,
    /// `rq->curr->runtime_ns`
    pub curr_runtime_ns: u64,
    /// `rq->nr_queued`
    pub nr_queued: u32,
    /// tasks queued on it that are still on a CPU (0: none)
    pub oncpu_pids: [i32; 2],
}

/// A hand-over as recorded (C's `struct sched_handover`): what
/// task_adopt received, or what task_export filled in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HandoverState {
    /// which fields are set (`SH_*`)
    pub valid: u32,
    /// `lag_ns`
    pub lag_ns: i64,
    /// `slice_left_ns`
    pub slice_left_ns: u64,
}

impl HandoverState {
    fn to_c(self) -> bindings::sched_handover {
        bindings::sched_handover {
            valid: self.valid,
            lag_ns: self.lag_ns,
            slice_left_ns: self.slice_left_ns,
        }
    }

    fn from_c(h: &bindings::sched_handover) -> Self {
        HandoverState { valid: h.valid, lag_ns: h.lag_ns, slice_left_ns: h.slice_left_ns }
    }
}

/// One recorded call: the callback, its arguments and what the policy
/// could read when it was made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Call {
    /// the callback
    pub kind: Kind,
    /// `WF_*` (task_wakeup, select_cpu, task_export, task_adopt)
    pub flags: u32,
    /// select_cpu's `prev_cpu`
    pub prev_cpu: u32,
    /// the task argument
    pub task: Option<TaskState>,
    /// the runqueue argument (balance: dst)
    pub rq: Option<RqState>,
    /// balance's src
    pub src: Option<RqState>,
    /// `cpu_online_mask`
    pub online: u64,
    /// CPUs running their idle task
    pub idle: u64,
    /// task_adopt: the hand-over it receives (task_export fills one in:
    /// see [`Replay::exported`])
    pub handover: HandoverState,
}

/// Why a call could not be replayed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReplayError {
    /// The host build's table has no such callback, but it was called.
    Missing(Kind),
    /// The call lacks an argument its callback takes.
    NoArgument(Kind),
    /// A CPU number outside `0..NR_CPUS`.
    BadCpu(u32),
}

impl core::fmt::Display for ReplayError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            ReplayError::Missing(k) => write!(f, "the policy has no {} callback", k.name()),
            ReplayError::NoArgument(k) => write!(f, "{} record without its argument", k.name()),
            ReplayError::BadCpu(c) => write!(f, "CPU {} out of range", c),
        }
    }
}

/// Only one replay at a time: the policy's statics and the backend's
/// `cpu_data` are global.
static REPLAY: Mutex<()> = Mutex::new(());

/// The C core's part in a replay: simulated tasks and runqueues, and the
/// calls into one policy's ops table. One exists at a time (`new` waits
/// for the previous one to be dropped).
pub struct Replay {
    ops: &'static bindings::sched_policy_ops,
    tasks: BTreeMap<i32, NonNull<bindings::task>>,
    rqs: NonNull<bindings::rq>,
    idle_marker: NonNull<bindings::task>,
    busy_marker: NonNull<bindings::task>,
    exported: HandoverState,
    _only: MutexGuard<'static, ()>,
}

fn new_task() -> NonNull<bindings::task> {
    // SAFETY: all-zero is a valid struct task (integers, pointers, arrays
    // of them); the core's own fields start zeroed in the kernel too.
    let t: Box<bindings::task> = Box::new(unsafe { core::mem::zeroed() });
    NonNull::from(Box::leak(t))
}

impl Replay {
    /// A replay of the registered policy `name` (registered by its
    /// module's init), with no tasks yet.
    pub fn new(name: &str) -> Result<Replay, String> {
        let found = lock(&POLICIES).iter().find(|t| table_name(t.0) == name).map(|t| t.0);
        let ops =
            found.ok_or_else(|| std::format!("no policy `{}` (have: {:?})", name, policies()))?;
        let only = lock(&REPLAY);
        // SAFETY: all-zero is a valid array of struct rq (a zero spinlock
        // is unlocked; pointers NULL, lists unused on the host).
        let rqs: Box<[bindings::rq; NR_CPUS]> = Box::new(unsafe { core::mem::zeroed() });
        let rqs = NonNull::from(Box::leak(rqs)).cast::<bindings::rq>();
        for cpu in 0..NR_CPUS {
            // SAFETY: rqs holds NR_CPUS runqueues, owned by this replay.
            unsafe { (*rqs.as_ptr().add(cpu)).cpu = cpu as u32 };
        }
        Ok(Replay {
            ops,
            tasks: BTreeMap::new(),
            rqs,
            idle_marker: new_task(),
            busy_marker: new_task(),
            exported: HandoverState::default(),
            _only: only,
        })
    }

    /// The simulated task with this pid (made on first use: nice 0,
    /// allowed everywhere, like a new kernel thread).
    fn task(&mut self, pid: i32) -> NonNull<bindings::task> {
        *self.tasks.entry(pid).or_insert_with(|| {
            let t = new_task();
            // SAFETY: just made, owned by this replay, not shared yet.
            unsafe {
                (*t.as_ptr()).pid = pid;
                (*t.as_ptr()).allowed = u64::MAX;
            }
            t
        })
    }

    fn rq(&mut self, s: &RqState) -> Result<*mut bindings::rq, ReplayError> {
        if s.cpu as usize >= NR_CPUS {
            return Err(ReplayError::BadCpu(s.cpu));
        }
        // idle tasks have no pid (0): one per CPU, keyed below every pid
        let key = if s.curr_idle { i32::MIN + s.cpu as i32 } else { s.curr_pid };
        let curr = self.task(key).as_ptr();
        let oncpu: Vec<_> =
            s.oncpu_pids.iter().filter(|&&p| p != 0).map(|&p| self.task(p)).collect();
        // SAFETY: in range; the runqueue and the tasks are owned by this
        // replay, and no policy callback runs while they are written.
        unsafe {
            let rq = self.rqs.as_ptr().add(s.cpu as usize);
            (*curr).runtime_ns = s.curr_runtime_ns;
            (*curr).on_cpu = 1;
            (*rq).curr = curr;
            if s.curr_idle {
                (*curr).pid = s.curr_pid;
                (*curr).flags |= bindings::PF_IDLE;
                (*rq).idle = curr;
            }
            (*rq).nr_queued = s.nr_queued;
            for t in oncpu {
                (*t.as_ptr()).on_cpu = 1;
            }
            Ok(rq)
        }
    }

    /// Writes what the call says the policy can read; returns its task
    /// and runqueue arguments.
    #[allow(clippy::type_complexity)]
    fn set_world(
        &mut self,
        c: &Call,
    ) -> Result<(*mut bindings::task, *mut bindings::rq, *mut bindings::rq), ReplayError> {
        let (idle, busy) = (self.idle_marker.as_ptr(), self.busy_marker.as_ptr());
        // SAFETY: the statics are written only here, under the replay
        // lock this Replay holds; no callback runs meanwhile. Every task
        // is owned by this replay.
        unsafe {
            ptr::addr_of_mut!(cpu_online_mask).write(c.online);
            let data = ptr::addr_of_mut!(cpu_data).cast::<bindings::cpu>();
            for cpu in 0..NR_CPUS {
                let d = data.add(cpu);
                (*d).idle = idle;
                (*d).current_task = if c.idle & (1 << cpu) != 0 { idle } else { busy };
            }
            for t in self.tasks.values() {
                (*t.as_ptr()).on_cpu = 0;
            }
        }
        let rq = match &c.rq {
            Some(s) => self.rq(s)?,
            None => ptr::null_mut(),
        };
        let src = match &c.src {
            Some(s) => self.rq(s)?,
            None => ptr::null_mut(),
        };
        let p = match &c.task {
            Some(s) => {
                let p = self.task(s.pid).as_ptr();
                // SAFETY: owned by this replay; no callback runs.
                unsafe {
                    (*p).nice = s.nice;
                    (*p).cpu = s.cpu;
                    (*p).on_cpu = c_int::from(s.on_cpu);
                    (*p).allowed = s.allowed;
                    (*p).runtime_ns = s.runtime_ns;
                }
                p
            }
            None => ptr::null_mut(),
        };
        Ok((p, rq, src))
    }

    /// The pid of a task the policy returned (0: NULL, -1: not a task of
    /// this replay), as the recorder encodes it.
    fn pid_of(&self, p: *mut bindings::task) -> i64 {
        if p.is_null() {
            return 0;
        }
        let found = self.tasks.iter().find(|(_, t)| t.as_ptr() == p);
        // SAFETY: a task of this replay, alive; the pid is only read.
        found.map_or(-1, |(_, t)| i64::from(unsafe { (*t.as_ptr()).pid }))
    }

    /// What the last task_export call filled in.
    pub fn exported(&self) -> HandoverState {
        self.exported
    }

    /// Makes the recorded call into the policy and returns its answer,
    /// encoded as the recorder does (see `struct sched_rec`).
    pub fn call(&mut self, c: &Call) -> Result<i64, ReplayError> {
        let (p, rq, src) = self.set_world(c)?;
        let mut h = c.handover.to_c();
        let o = self.ops;
        let k = c.kind;
        let missing = ReplayError::Missing(k);
        let need_task = c.task.is_some();
        let need_rq = c.rq.is_some();
        let args = |task: bool, rq: bool, src: bool| {
            if (task && !need_task) || (rq && !need_rq) || (src && c.src.is_none()) {
                Err(ReplayError::NoArgument(k))
            } else {
                Ok(())
            }
        };
        // Every call below passes tasks and runqueues this replay owns and
        // keeps alive, written as the record says, one call at a time
        // (`&mut self` and the replay lock), after `args` checked that the
        // record has each argument the callback takes (so none is NULL).
        // As policy_guarded_tok(): the policy's tokens work in its
        // callbacks (and init), not in select_cpu.
        let table: *const bindings::sched_policy_ops = o;
        let _tokens = TokensFor::new(if k == Kind::SelectCpu { ptr::null() } else { table });
        Ok(match k {
            Kind::Init => {
                let f = o.init.ok_or(missing)?;
                // SAFETY: `f` is the policy's init from its registered ops
                // table (include/keel/sched.h); it takes no argument, and
                // no other callback of the policy runs during it (calls
                // are made one at a time under the replay lock).
                i64::from(unsafe { f() })
            }
            Kind::TaskNew => {
                args(true, false, false)?;
                let f = o.task_new.ok_or(missing)?;
                // SAFETY: `f` is the policy's task_new from its registered
                // ops table; `p` is non-NULL (checked by `args`) and a live
                // task owned by this replay, which no one else touches
                // during the call (one call at a time, replay lock held).
                i64::from(unsafe { f(p) })
            }
            Kind::TaskDead => {
                args(true, false, false)?;
                let f = o.task_dead.ok_or(missing)?;
                // SAFETY: `f` is the policy's task_dead from its registered
                // ops table; `p` is non-NULL (checked by `args`) and a live
                // task owned by this replay (never freed, so a token the
                // policy kept cannot dangle), untouched by others meanwhile.
                unsafe { f(p) };
                0
            }
            Kind::TaskWakeup => {
                args(true, true, false)?;
                let f = o.task_wakeup.ok_or(missing)?;
                // SAFETY: `f` is the policy's task_wakeup from its
                // registered ops table; `rq` and `p` are non-NULL (checked
                // by `args`), a live runqueue and task owned by this
                // replay, and only this call uses them while it runs.
                i64::from(unsafe { f(rq, p, c.flags) })
            }
            Kind::TaskBlocked => {
                args(true, true, false)?;
                let f = o.task_blocked.ok_or(missing)?;
                // SAFETY: `f` is the policy's task_blocked from its
                // registered ops table; `rq` and `p` are non-NULL (checked
                // by `args`), a live runqueue and task owned by this
                // replay, and only this call uses them while it runs.
                unsafe { f(rq, p) };
                0
            }
            Kind::TaskPreempt => {
                args(true, true, false)?;
                let f = o.task_preempt.ok_or(missing)?;
                // SAFETY: `f` is the policy's task_preempt from its
                // registered ops table; `rq` and `p` are non-NULL (checked
                // by `args`), a live runqueue and task owned by this
                // replay, and only this call uses them while it runs.
                unsafe { f(rq, p) };
                0
            }
            Kind::TaskYield => {
                args(true, true, false)?;
                let f = o.task_yield.ok_or(missing)?;
                // SAFETY: `f` is the policy's task_yield from its
                // registered ops table; `rq` and `p` are non-NULL (checked
                // by `args`), a live runqueue and task owned by this
                // replay, and only this call uses them while it runs.
                unsafe { f(rq, p) };
                0
            }
            Kind::TaskDequeue => {
                args(true, true, false)?;
                let f = o.task_dequeue.ok_or(missing)?;
                // SAFETY: `f` is the policy's task_dequeue from its
                // registered ops table; `rq` and `p` are non-NULL (checked
                // by `args`), a live runqueue and task owned by this
                // replay, and only this call uses them while it runs.
                unsafe { f(rq, p) };
                0
            }
            Kind::TaskTick => {
                args(true, true, false)?;
                let f = o.task_tick.ok_or(missing)?;
                // SAFETY: `f` is the policy's task_tick from its registered
                // ops table; `rq` and `p` are non-NULL (checked by `args`),
                // a live runqueue and task owned by this replay, and only
                // this call uses them while it runs.
                i64::from(unsafe { f(rq, p) })
            }
            Kind::PickNext => {
                args(false, true, false)?;
                let f = o.pick_next.ok_or(missing)?;
                // SAFETY: `f` is the policy's pick_next from its registered
                // ops table; `rq` is non-NULL (checked by `args`), a live
                // runqueue owned by this replay, used only by this call
                // while it runs. The task it returns is only compared.
                let next = unsafe { f(rq) };
                self.pid_of(next)
            }
            Kind::SelectCpu => {
                args(true, false, false)?;
                let f = o.select_cpu.ok_or(missing)?;
                // SAFETY: `f` is the policy's select_cpu from its
                // registered ops table; `p` is non-NULL (checked by `args`)
                // and a live task owned by this replay, used only by this
                // call; the policy's tokens are off (`_tokens` is NULL
                // here), as select_cpu runs without a runqueue lock.
                i64::from(unsafe { f(p, c.prev_cpu, c.flags) })
            }
            Kind::Balance => {
                args(false, true, true)?;
                let f = o.balance.ok_or(missing)?;
                // SAFETY: `f` is the policy's balance from its registered
                // ops table; `rq` and `src` are non-NULL (checked by
                // `args`), live runqueues owned by this replay, used only
                // by this call. The task it returns is only compared.
                let pulled = unsafe { f(rq, src) };
                self.pid_of(pulled)
            }
            Kind::TaskExport => {
                args(true, true, false)?;
                let f = o.task_export.ok_or(missing)?;
                // as policy.c: the hand-over starts empty
                h = HandoverState::default().to_c();
                // SAFETY: `f` is the policy's task_export from its
                // registered ops table; `rq` and `p` are non-NULL (checked
                // by `args`), a live runqueue and task owned by this
                // replay, and `&mut h` is a local hand-over, valid and
                // exclusively borrowed for the call.
                unsafe { f(rq, p, &mut h, c.flags) };
                self.exported = HandoverState::from_c(&h);
                0
            }
            Kind::TaskAdopt => {
                args(true, true, false)?;
                let f = o.task_adopt.ok_or(missing)?;
                // SAFETY: `f` is the policy's task_adopt from its
                // registered ops table; `rq` and `p` are non-NULL (checked
                // by `args`), a live runqueue and task owned by this
                // replay, and `&h` is the recorded hand-over, a local that
                // outlives the call and that the callback only reads.
                i64::from(unsafe { f(rq, p, &h, c.flags) })
            }
        })
    }
}

impl Drop for Replay {
    fn drop(&mut self) {
        if let Some(exit) = self.ops.exit {
            let _tokens = TokensFor::new(self.ops);
            // SAFETY: exit's contract is that no callback of the policy
            // runs or can start. On the host only a Replay calls the
            // policy, one Replay exists at a time (the REPLAY lock it
            // holds until this drop ends), and this one, being dropped,
            // makes no further call; `_tokens` lets exit use its tokens,
            // as policy_tokens does around exit in the kernel.
            unsafe { exit() };
        }
        // The tasks and runqueues stay allocated (a few KiB per replay):
        // a policy without exit may still hold tokens that point to them.
    }
}
