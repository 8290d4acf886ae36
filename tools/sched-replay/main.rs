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
//! of sched/policies compiled for the host against the kernel crate's
//! host build (`make sched-replay`); each record's call is made through
//! the policy's C ops table by `kernel::sched::host::Replay`, and its
//! answer compared with the recorded one. Prints `N records, 0
//! divergences` and exits 0, or describes the first divergence and
//! exits 1; 2 for unusable input.
#![forbid(unsafe_code)]

mod trace;

use kernel::sched::host::{self, Call, Kind, Replay, RqState, TaskState};
use std::io::Read;
use std::process::ExitCode;
use std::sync::Once;

/// Starts the linked policy modules (their init registers each policy).
fn start_policies() {
    static START: Once = Once::new();
    START.call_once(|| {
        let _ = fair_rs::start_module();
        let _ = rr::start_module();
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
    })
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
    /// every answer matched
    Same(usize),
    /// record `index` (0-based) answered `got` instead of `expected`
    Diverged { index: usize, expected: i64, got: i64 },
    /// record `index` could not be replayed
    Failed { index: usize, why: String },
}

/// Replays `records` against policy `name`.
fn replay(name: &str, records: &[trace::Record]) -> Result<Outcome, String> {
    start_policies();
    let mut r = Replay::new(name)?;
    for (index, rec) in records.iter().enumerate() {
        let call = call_of(rec).map_err(|e| format!("record {}: {}", index, e))?;
        match r.call(&call) {
            Ok(got) if got == rec.result => {}
            Ok(got) => return Ok(Outcome::Diverged { index, expected: rec.result, got }),
            Err(e) => return Ok(Outcome::Failed { index, why: e.to_string() }),
        }
    }
    Ok(Outcome::Same(records.len()))
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
        Ok(Outcome::Same(n)) => {
            println!("{} records, 0 divergences (policy {})", n, name);
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
        assert_eq!(replay("fair_rs", &fair_two_tasks()), Ok(Outcome::Same(11)));
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
        // rr has no init, task_new or select_cpu (the kernel records
        // only callbacks it invokes); it preempts after two ticks
        // whatever the runtime, and its FIFO gives the same picks here
        let rr: Vec<Record> = fair_two_tasks()
            .into_iter()
            .filter(|r| !matches!(r.kind.as_str(), "init" | "task_new" | "select_cpu"))
            .collect();
        assert_eq!(replay("rr", &rr), Ok(Outcome::Same(7)));
        let mut early = rr.clone();
        early[3].result = 1; // first tick: rr says no
        assert_eq!(replay("rr", &early), Ok(Outcome::Diverged { index: 3, expected: 1, got: 0 }));
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
    fn both_policies_register() {
        start_policies();
        let names = host::policies();
        assert!(names.contains(&"fair_rs".to_string()) && names.contains(&"rr".to_string()));
    }
}
