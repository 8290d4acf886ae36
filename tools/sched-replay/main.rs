// SPDX-License-Identifier: MIT
//! sched-replay: replay a recorded scheduling trace against the host
//! build of a policy and report the first decision that differs.
//!
//! ```text
//! sched-replay [--policy NAME] FILE|-     (a serial log or a bare dump)
//! sched-replay --list                     (the policies linked in)
//! ```
//!
//! The trace comes from the monitor's `sched record dump`
//! (kernel/sched/record.c, read by trace.rs). The policies are the crates
//! in kernel/sched compiled for the host against the kernel crate's
//! host build (`make sched-replay`); each record's call is made through
//! the policy's C ops table by `kernel::sched::host::Replay`, and its
//! answer compared with the recorded one. Prints `N records, 0
//! divergences` and exits 0, or describes the first divergence and
//! exits 1; 2 for unusable input.
#![forbid(unsafe_code)]

mod trace;

use kernel::sched::host::{self, Call, HandoverState, Kind, Replay, RqState, TaskState};
use std::io::Read;
use std::process::ExitCode;
use std::sync::Once;

/// Starts the linked policy modules (their init registers each policy).
fn start_policies() {
    static START: Once = Once::new();
    START.call_once(|| {
        let _ = fair_rs::start_module();
        let _ = rr::start_module();
        let _ = eevdf::start_module();
    });
}

fn rq_state(r: &trace::RqFields) -> Option<RqState> {
    (r.cpu >= 0).then_some(RqState {
        cpu: r.cpu as u32,
        curr_pid: r.curr_pid,
        curr_idle: r.curr_idle,
        curr_runtime_ns: r.curr_runtime,
        nr_queued: r.nr_queued,
        oncpu_pids: r.oncpu,
    })
}

/// The call a record describes.
fn call_of(r: &trace::Record) -> Result<Call, String> {
    let kind = Kind::from_name(&r.kind).ok_or_else(|| format!("unknown callback `{}`", r.kind))?;
    let task = (r.pid != 0).then_some(TaskState {
        pid: r.pid,
        nice: r.nice,
        cpu: r.task_cpu,
        on_cpu: r.on_cpu,
        allowed: r.allowed,
        runtime_ns: r.runtime_ns,
    });
    Ok(Call {
        kind,
        flags: r.flags,
        prev_cpu: r.arg,
        task,
        rq: rq_state(&r.rq),
        src: rq_state(&r.src),
        online: r.online,
        idle: r.idle,
        handover: handover_of(r),
    })
}

/// The hand-over a record carries.
fn handover_of(r: &trace::Record) -> HandoverState {
    HandoverState { valid: r.h_valid, lag_ns: r.h_lag_ns, slice_left_ns: r.h_slice_left_ns }
}

/// How an answer reads in a report.
fn answer(kind: Kind, v: i64) -> String {
    match (kind, v) {
        (k, 0) if k.answers_task() => "no task".into(),
        (k, -1) if k.answers_task() => "a task not queued there".into(),
        (k, pid) if k.answers_task() => format!("pid {}", pid),
        (Kind::SelectCpu, cpu) => format!("CPU {}", cpu),
        (Kind::TaskWakeup | Kind::TaskTick, b) => format!("{} ({})", b != 0, b),
        (_, v) => v.to_string(),
    }
}

/// The outcome of a replay.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    /// every answer matched (`racy` of them once a racy read of the idle
    /// CPUs was resolved: see [`resolve_racy`])
    Same { records: usize, racy: usize },
    /// record `index` (0-based) answered `got` instead of `expected`
    Diverged { index: usize, expected: i64, got: i64 },
    /// task_export at record `index` filled in `got`, not `expected`
    HandoverDiverged { index: usize, expected: HandoverState, got: HandoverState },
    /// record `index` could not be replayed
    Failed { index: usize, why: String },
    /// the first `index` records matched; the policy panicked in the
    /// kernel at record `index` (not replayed: it was ejected there)
    Panicked { index: usize },
}

/// Most idle CPUs whose state may have changed during one call that a
/// replay tries each way (2^this calls at most).
const RACY_CPUS: u32 = 6;

/// A `select_cpu` answer that differs, when some CPUs switched to or
/// from their idle task during the call (`idle` before, `idle_after`
/// after): the policy read those CPUs' state racily at some moment in
/// between, so each may have looked either way. Replays the call with
/// every such combination; true if one gives the recorded answer.
/// select_cpu only reads the policy's state (in fair_rs and eevdf), so
/// calling it again changes nothing.
fn resolve_racy(r: &mut Replay, call: &Call, rec: &trace::Record) -> bool {
    let diff = rec.idle ^ rec.idle_after;
    if call.kind != Kind::SelectCpu || diff == 0 || diff.count_ones() > RACY_CPUS {
        return false;
    }
    let bits: Vec<u64> = (0..64).map(|b| 1u64 << b).filter(|b| diff & b != 0).collect();
    (1..1u64 << bits.len()).any(|set| {
        let flip = bits.iter().enumerate().filter(|(i, _)| set & (1 << i) != 0);
        let idle = flip.fold(rec.idle, |m, (_, b)| m ^ b);
        r.call(&Call { idle, ..*call }) == Ok(rec.result)
    })
}

/// Replays `records` against policy `name`.
fn replay(name: &str, records: &[trace::Record]) -> Result<Outcome, String> {
    start_policies();
    let mut r = Replay::new(name)?;
    let mut racy = 0;
    for (index, rec) in records.iter().enumerate() {
        let call = call_of(rec).map_err(|e| format!("record {}: {}", index, e))?;
        if rec.failed {
            return Ok(Outcome::Panicked { index });
        }
        match r.call(&call) {
            Ok(got) if got == rec.result => {}
            Ok(_) if resolve_racy(&mut r, &call, rec) => racy += 1,
            Ok(got) => return Ok(Outcome::Diverged { index, expected: rec.result, got }),
            Err(e) => return Ok(Outcome::Failed { index, why: e.to_string() }),
        }
        if call.kind == Kind::TaskExport && r.exported() != call.handover {
            let (expected, got) = (call.handover, r.exported());
            return Ok(Outcome::HandoverDiverged { index, expected, got });
        }
    }
    Ok(Outcome::Same { records: records.len(), racy })
}

fn describe(rec: &trace::Record) -> String {
    let mut s = format!("{} on CPU {}", rec.kind, rec.cpu);
    if rec.rq.cpu >= 0 {
        s += &format!(
            ", rq {} (curr pid {}, {} queued)",
            rec.rq.cpu, rec.rq.curr_pid, rec.rq.nr_queued
        );
    }
    if rec.src.cpu >= 0 {
        s += &format!(", src rq {} ({} queued)", rec.src.cpu, rec.src.nr_queued);
    }
    if rec.pid != 0 {
        s += &format!(", task pid {}", rec.pid);
    }
    if rec.flags != 0 {
        s += &format!(", flags {:#x}", rec.flags);
    }
    s
}

fn read_input(path: &str) -> Result<String, String> {
    let mut bytes = Vec::new();
    let res = if path == "-" {
        std::io::stdin().read_to_end(&mut bytes).map(|_| ())
    } else {
        std::fs::File::open(path).and_then(|mut f| f.read_to_end(&mut bytes)).map(|_| ())
    };
    res.map_err(|e| format!("{}: {}", path, e))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn usage() -> ExitCode {
    eprintln!("usage: sched-replay [--policy NAME] FILE|-\n       sched-replay --list");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut policy = None;
    let mut file = None;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "--list" => {
                start_policies();
                println!("{}", host::policies().join("\n"));
                return ExitCode::SUCCESS;
            }
            "--policy" => policy = it.next().cloned(),
            _ if file.is_none() => file = Some(a.clone()),
            _ => return usage(),
        }
    }
    let Some(file) = file else {
        return usage();
    };
    let trace = match read_input(&file).and_then(|t| trace::parse(&t)) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("sched-replay: {}", e);
            return ExitCode::from(2);
        }
    };
    let name = policy.unwrap_or_else(|| trace.policy.clone());
    if trace.truncated {
        println!("note: the trace is truncated (the ring filled up); replaying the prefix");
    }
    let n = trace.records.len();
    match replay(&name, &trace.records) {
        Ok(Outcome::Same { records, racy }) => {
            println!("{} records, 0 divergences (policy {})", records, name);
            if racy > 0 {
                println!(
                    "note: {} select_cpu answers matched once racy idle reads were resolved",
                    racy
                );
            }
            ExitCode::SUCCESS
        }
        Ok(Outcome::Diverged { index, expected, got }) => {
            let rec = &trace.records[index];
            let kind = Kind::from_name(&rec.kind).unwrap_or(Kind::Init);
            println!("divergence at record {} of {} (policy {}):", index, n, name);
            println!("  {}", describe(rec));
            println!("  record: {}", trace::format_record(rec));
            println!("  expected: {}", answer(kind, expected));
            println!("  got:      {}", answer(kind, got));
            ExitCode::from(1)
        }
        Ok(Outcome::HandoverDiverged { index, expected, got }) => {
            println!("divergence at record {} of {} (policy {}):", index, n, name);
            println!("  {}", describe(&trace.records[index]));
            println!("  record: {}", trace::format_record(&trace.records[index]));
            println!("  expected hand-over: {:?}", expected);
            println!("  got:                {:?}", got);
            ExitCode::from(1)
        }
        Ok(Outcome::Panicked { index }) => {
            println!(
                "{} records, 0 divergences (policy {}); it panicked in the kernel at record {} of {}, not replayed",
                index, name, index, n
            );
            ExitCode::SUCCESS
        }
        Ok(Outcome::Failed { index, why }) => {
            println!("replay failed at record {} of {}: {}", index, n, why);
            println!("  {}", describe(&trace.records[index]));
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("sched-replay: {}", e);
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod host_tests {
    use super::*;
    use trace::{Record, RqFields};

    const MS: u64 = 1_000_000;
    const WF_NEW: u32 = 1;

    /// A record on CPU 0 of a one-CPU machine; idle pid 2.
    fn rec(kind: &str, pid: i32, runtime: u64, curr: i32, queued: u32, result: i64) -> Record {
        let has_rq = !matches!(kind, "init" | "task_new" | "task_dead" | "select_cpu");
        Record {
            kind: kind.into(),
            pid,
            allowed: 1,
            runtime_ns: runtime,
            online: 1,
            idle: u64::from(curr == 2),
            idle_after: u64::from(curr == 2),
            rq: if has_rq {
                RqFields {
                    cpu: 0,
                    curr_pid: curr,
                    curr_runtime: if curr == pid { runtime } else { 0 },
                    nr_queued: queued,
                    curr_idle: curr == 2,
                    oncpu: [0, 0],
                }
            } else {
                RqFields { cpu: -1, ..Default::default() }
            },
            src: RqFields { cpu: -1, ..Default::default() },
            result,
            ..Default::default()
        }
    }

    /// Two tasks on one CPU under fair_rs, with the answers fair.c's
    /// rules give: FIFO among equals, preemption once the 10 ms slice
    /// (20 ms latency / 2 equal weights) is used, then the other task.
    fn fair_two_tasks() -> Vec<Record> {
        let mut v = vec![
            rec("init", 0, 0, 2, 0, 0),
            rec("task_new", 10, 0, 2, 0, 0),
            rec("task_new", 11, 0, 2, 0, 0),
            rec("select_cpu", 10, 0, 2, 0, 0),
            rec("task_wakeup", 10, 0, 2, 1, 0),
            rec("task_wakeup", 11, 0, 2, 2, 0),
            rec("pick_next", 0, 0, 2, 2, 10),
            rec("task_tick", 10, 5 * MS, 10, 1, 0),
            rec("task_tick", 10, 12 * MS, 10, 1, 1),
            rec("task_preempt", 10, 12 * MS, 10, 2, 0),
            rec("pick_next", 0, 0, 10, 2, 11),
        ];
        v[10].rq.curr_runtime = 12 * MS;
        for (i, r) in v.iter_mut().enumerate() {
            r.seq = i as u32;
            if r.kind == "select_cpu" || r.kind == "task_wakeup" {
                r.flags = WF_NEW;
            }
        }
        v
    }

    #[test]
    fn fair_rs_replays_its_own_answers() {
        assert_eq!(
            replay("fair_rs", &fair_two_tasks()),
            Ok(Outcome::Same { records: 11, racy: 0 })
        );
    }

    #[test]
    fn a_different_answer_is_the_divergence_point() {
        let mut t = fair_two_tasks();
        t[10].result = 10; // as if the preempted task had run again
        assert_eq!(
            replay("fair_rs", &t),
            Ok(Outcome::Diverged { index: 10, expected: 10, got: 11 })
        );
        let mut t = fair_two_tasks();
        t[7].result = 1; // preempted after 5 ms: too early for fair_rs
        assert_eq!(replay("fair_rs", &t), Ok(Outcome::Diverged { index: 7, expected: 1, got: 0 }));
    }

    #[test]
    fn rr_gives_its_own_answers() {
        // rr has no init or select_cpu (the kernel records only
        // callbacks it invokes; task_new is always invoked: its
        // trampoline marks the task as in no TaskQueue, which rr's
        // Fifo needs); it preempts after two ticks whatever the
        // runtime, and its FIFO gives the same picks here
        let rr: Vec<Record> = fair_two_tasks()
            .into_iter()
            .filter(|r| !matches!(r.kind.as_str(), "init" | "select_cpu"))
            .collect();
        assert_eq!(replay("rr", &rr), Ok(Outcome::Same { records: 9, racy: 0 }));
        let mut early = rr.clone();
        early[5].result = 1; // first tick: rr says no
        assert_eq!(replay("rr", &early), Ok(Outcome::Diverged { index: 5, expected: 1, got: 0 }));
    }

    #[test]
    fn a_callback_the_policy_lacks_is_reported() {
        // rr has no init
        let t = fair_two_tasks();
        match replay("rr", &t[..1]) {
            Ok(Outcome::Failed { index: 0, why }) => assert!(why.contains("no init"), "{}", why),
            other => panic!("{:?}", other),
        }
    }

    #[test]
    fn unknown_policy_and_callback() {
        assert!(replay("nope", &[]).unwrap_err().contains("no policy `nope`"));
        let mut t = fair_two_tasks();
        t[1].kind = "task_frob".into();
        assert!(replay("fair_rs", &t).unwrap_err().contains("unknown callback `task_frob`"));
    }

    #[test]
    fn all_policies_register() {
        start_policies();
        let names = host::policies();
        for p in ["fair_rs", "rr", "eevdf"] {
            assert!(names.contains(&p.to_string()), "{} not in {:?}", p, names);
        }
    }

    /// fair_rs adopts two queued tasks, the second with a lag, runs
    /// nothing, and exports the second again: the export is checked
    /// field by field.
    fn adopt_then_export(lag_ns: i64) -> Vec<Record> {
        const SH_LAG: u32 = 1;
        const WF_SWITCH: u32 = 8;
        let mut v = vec![
            rec("init", 0, 0, 2, 0, 0),
            rec("task_new", 10, 0, 2, 0, 0),
            rec("task_new", 11, 0, 2, 0, 0),
            rec("task_adopt", 11, 0, 2, 2, 0),
            rec("task_adopt", 10, 0, 2, 2, 0),
            rec("task_export", 10, 0, 2, 2, 0),
        ];
        v[3].h_valid = SH_LAG;
        v[4].h_valid = SH_LAG;
        v[4].h_lag_ns = lag_ns;
        for (i, r) in v.iter_mut().enumerate() {
            r.seq = i as u32;
            if i >= 3 {
                r.flags = WF_SWITCH;
            }
        }
        v
    }

    #[test]
    fn an_export_is_compared_with_the_record() {
        let t = adopt_then_export(3 * MS as i64);
        let got = match replay("fair_rs", &t) {
            Ok(Outcome::HandoverDiverged { index: 5, expected, got }) => {
                assert_eq!(expected, HandoverState::default());
                got
            }
            other => panic!("{:?}", other),
        };
        assert!(got.valid & 1 != 0, "fair_rs exports a lag: {:?}", got);
        let mut t = t;
        t[5].h_valid = got.valid;
        t[5].h_lag_ns = got.lag_ns;
        t[5].h_slice_left_ns = got.slice_left_ns;
        assert_eq!(replay("fair_rs", &t), Ok(Outcome::Same { records: 6, racy: 0 }));
        // the policy must have used the lag it adopted
        let other = adopt_then_export(-3 * MS as i64);
        match replay("fair_rs", &other) {
            Ok(Outcome::HandoverDiverged { got: g2, .. }) => assert_ne!(g2.lag_ns, got.lag_ns),
            x => panic!("{:?}", x),
        }
    }

    #[test]
    fn a_racy_idle_read_is_resolved_only_if_it_explains_the_answer() {
        // two CPUs, both busy, nothing queued: fair_rs puts a new task
        // on prev_cpu (0), the first of the least loaded
        let mut t = fair_two_tasks()[..2].to_vec();
        let mut sel = rec("select_cpu", 10, 0, 11, 0, 0);
        sel.seq = 2;
        sel.online = 3;
        sel.allowed = 3;
        sel.flags = WF_NEW;
        sel.idle = 0;
        sel.idle_after = 0;
        t.push(sel);
        assert_eq!(replay("fair_rs", &t), Ok(Outcome::Same { records: 3, racy: 0 }));
        // recorded CPU 1: only explained if CPU 1 went idle during the
        // call (then it is the first idle CPU)
        t[2].result = 1;
        assert_eq!(replay("fair_rs", &t), Ok(Outcome::Diverged { index: 2, expected: 1, got: 0 }));
        t[2].idle_after = 2;
        assert_eq!(replay("fair_rs", &t), Ok(Outcome::Same { records: 3, racy: 1 }));
        // no race explains CPU 2, which is offline
        t[2].result = 2;
        t[2].idle_after = 6;
        assert_eq!(replay("fair_rs", &t), Ok(Outcome::Diverged { index: 2, expected: 2, got: 0 }));
    }

    #[test]
    fn a_panicked_record_ends_the_replay() {
        let mut t = fair_two_tasks();
        t[6].failed = true;
        t[6].result = 0;
        assert_eq!(replay("fair_rs", &t), Ok(Outcome::Panicked { index: 6 }));
    }
}
