// SPDX-License-Identifier: MIT
//! trace.rs - read a `sched record dump` out of a serial log.
//!
//! The kernel prints (kernel/sched/record.c, format 2):
//!
//! ```text
//! sched-record begin format=2 policy=fair_rs records=N capacity=C truncated=0 switched=0
//! SR <seq> <kind> <cpu> <flags> <arg> <pid> <nice> <task_cpu> <on_cpu>
//!    <allowed:hex> <runtime_ns> <online:hex> <idle:hex> <rq...> <src...> <result>
//!    <failed> <h_valid:hex> <h_lag_ns> <h_slice_left_ns> <idle_after:hex>
//! sched-record end records=N fnv1a=<8 hex digits>
//! ```
//!
//! (one line per record; `<rq...>` and `<src...>` are seven fields each:
//! cpu, curr pid, curr runtime, nr_queued, curr is idle, two pids of
//! queued tasks still on a CPU; cpu -1 when there is no such argument;
//! `failed` is 1 if the callback panicked, `h_*` the hand-over task_adopt
//! received or task_export filled in, `idle_after` the idle CPUs read
//! again after the call).
//! Each line may carry a printk timestamp (`[    1.234567] `) and other
//! output may come between them. The checksum is FNV-1a (32 bits) over
//! the record lines, each followed by a newline; the sequence numbers
//! must run 0..N. The last complete dump in the text is used.
//!
//! Pure logic, std only: it also builds alone for its host tests.

use std::collections::BTreeMap;

/// A runqueue argument as dumped.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RqFields {
    pub cpu: i32,
    pub curr_pid: i32,
    pub curr_runtime: u64,
    pub nr_queued: u32,
    pub curr_idle: bool,
    pub oncpu: [i32; 2],
}

/// One record as dumped.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Record {
    pub seq: u32,
    pub kind: String,
    pub cpu: u32,
    pub flags: u32,
    pub arg: u32,
    pub pid: i32,
    pub nice: i32,
    pub task_cpu: u32,
    pub on_cpu: bool,
    pub allowed: u64,
    pub runtime_ns: u64,
    pub online: u64,
    pub idle: u64,
    pub rq: RqFields,
    pub src: RqFields,
    pub result: i64,
    /// the callback panicked (the guard unwound it)
    pub failed: bool,
    /// the hand-over (`SH_*` bits, lag, slice left)
    pub h_valid: u32,
    pub h_lag_ns: i64,
    pub h_slice_left_ns: u64,
    /// the idle CPUs after the call (`idle` is before it)
    pub idle_after: u64,
}

/// A whole dump.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Trace {
    pub policy: String,
    pub capacity: usize,
    /// the ring filled up and recording stopped: a prefix
    pub truncated: bool,
    /// a policy switch ended the recording
    pub switched: bool,
    pub records: Vec<Record>,
}

const FORMAT: u32 = 2;
const FIELDS: usize = 34;
const FNV_OFFSET: u32 = 2_166_136_261;

/// FNV-1a over `bytes`, continuing from `h`.
pub fn fnv1a(mut h: u32, bytes: &[u8]) -> u32 {
    for &b in bytes {
        h ^= u32::from(b);
        h = h.wrapping_mul(16_777_619);
    }
    h
}

/// The line without a printk timestamp and trailing blanks.
fn strip(line: &str) -> &str {
    let line = line.trim_end();
    if let Some(rest) = line.strip_prefix('[') {
        if let Some(end) = rest.find(']') {
            let stamp = rest[..end].trim();
            if !stamp.is_empty() && stamp.chars().all(|c| c.is_ascii_digit() || c == '.') {
                return rest[end + 1..].strip_prefix(' ').unwrap_or(&rest[end + 1..]);
            }
        }
    }
    line
}

/// `key=value` pairs after a marker.
fn pairs(s: &str) -> BTreeMap<&str, &str> {
    s.split_whitespace().filter_map(|kv| kv.split_once('=')).collect()
}

fn num<T: std::str::FromStr>(m: &BTreeMap<&str, &str>, k: &str) -> Result<T, String> {
    m.get(k).and_then(|v| v.parse().ok()).ok_or_else(|| format!("bad or missing `{}`", k))
}

fn field<T: std::str::FromStr>(f: &[&str], i: usize) -> Result<T, String> {
    f[i].parse().map_err(|_| format!("field {} is `{}`", i + 1, f[i]))
}

fn hex(f: &[&str], i: usize) -> Result<u64, String> {
    u64::from_str_radix(f[i], 16).map_err(|_| format!("field {} is `{}`, not hex", i + 1, f[i]))
}

fn rq_fields(f: &[&str], at: usize) -> Result<RqFields, String> {
    Ok(RqFields {
        cpu: field(f, at)?,
        curr_pid: field(f, at + 1)?,
        curr_runtime: field(f, at + 2)?,
        nr_queued: field(f, at + 3)?,
        curr_idle: field::<u32>(f, at + 4)? != 0,
        oncpu: [field(f, at + 5)?, field(f, at + 6)?],
    })
}

/// Parses one `SR ...` line (without timestamp).
pub fn parse_record(line: &str) -> Result<Record, String> {
    let f: Vec<&str> = line.split_whitespace().collect();
    if f.len() != FIELDS || f[0] != "SR" {
        return Err(format!("{} fields, expected {}", f.len(), FIELDS));
    }
    Ok(Record {
        seq: field(&f, 1)?,
        kind: f[2].to_string(),
        cpu: field(&f, 3)?,
        flags: field(&f, 4)?,
        arg: field(&f, 5)?,
        pid: field(&f, 6)?,
        nice: field(&f, 7)?,
        task_cpu: field(&f, 8)?,
        on_cpu: field::<u32>(&f, 9)? != 0,
        allowed: hex(&f, 10)?,
        runtime_ns: field(&f, 11)?,
        online: hex(&f, 12)?,
        idle: hex(&f, 13)?,
        rq: rq_fields(&f, 14)?,
        src: rq_fields(&f, 21)?,
        result: field(&f, 28)?,
        failed: field::<u32>(&f, 29)? != 0,
        h_valid: hex(&f, 30)? as u32,
        h_lag_ns: field(&f, 31)?,
        h_slice_left_ns: field(&f, 32)?,
        idle_after: hex(&f, 33)?,
    })
}

fn format_rq(r: &RqFields) -> String {
    format!(
        "{} {} {} {} {} {} {}",
        r.cpu,
        r.curr_pid,
        r.curr_runtime,
        r.nr_queued,
        u32::from(r.curr_idle),
        r.oncpu[0],
        r.oncpu[1]
    )
}

/// A record as the kernel prints it (for tests and messages).
pub fn format_record(r: &Record) -> String {
    format!(
        "SR {} {} {} {} {} {} {} {} {} {:x} {} {:x} {:x} {} {} {} {} {:x} {} {} {:x}",
        r.seq,
        r.kind,
        r.cpu,
        r.flags,
        r.arg,
        r.pid,
        r.nice,
        r.task_cpu,
        u32::from(r.on_cpu),
        r.allowed,
        r.runtime_ns,
        r.online,
        r.idle,
        format_rq(&r.rq),
        format_rq(&r.src),
        r.result,
        u32::from(r.failed),
        r.h_valid,
        r.h_lag_ns,
        r.h_slice_left_ns,
        r.idle_after
    )
}

/// A dump being read.
struct Open {
    trace: Trace,
    declared: usize,
    sum: u32,
}

fn begin(rest: &str) -> Result<Open, String> {
    let m = pairs(rest);
    let format: u32 = num(&m, "format")?;
    if format != FORMAT {
        return Err(format!("dump format {}, this tool reads {}", format, FORMAT));
    }
    Ok(Open {
        trace: Trace {
            policy: m.get("policy").ok_or("no policy= in the begin line")?.to_string(),
            capacity: num(&m, "capacity")?,
            truncated: num::<u32>(&m, "truncated")? != 0,
            switched: num::<u32>(&m, "switched")? != 0,
            records: Vec::new(),
        },
        declared: num(&m, "records")?,
        sum: FNV_OFFSET,
    })
}

fn end(open: Open, rest: &str) -> Result<Trace, String> {
    let m = pairs(rest);
    let n: usize = num(&m, "records")?;
    let want = m
        .get("fnv1a")
        .and_then(|v| u32::from_str_radix(v, 16).ok())
        .ok_or("bad or missing `fnv1a`")?;
    let got = open.trace.records.len();
    if n != got || open.declared != got {
        return Err(format!("{} records announced, {} read", n.max(open.declared), got));
    }
    if want != open.sum {
        return Err(format!("checksum {:08x}, the kernel's is {:08x}", open.sum, want));
    }
    Ok(open.trace)
}

/// The last complete dump in `text`, checked (count, order, checksum).
pub fn parse(text: &str) -> Result<Trace, String> {
    let mut open: Option<Open> = None;
    let mut last: Option<Trace> = None;
    let mut error = None;
    for (no, raw) in text.lines().enumerate() {
        let line = strip(raw);
        let at = |e: String| format!("line {}: {}", no + 1, e);
        if let Some(rest) = line.strip_prefix("sched-record begin") {
            open = Some(begin(rest).map_err(at)?);
        } else if let Some(rest) = line.strip_prefix("sched-record end") {
            match open.take().map(|o| end(o, rest)) {
                Some(Ok(t)) => last = Some(t),
                Some(Err(e)) => error = Some(at(e)),
                None => error = Some(at("end without begin".into())),
            }
        } else if line.starts_with("SR ") {
            let Some(o) = open.as_mut() else {
                continue;
            };
            let r = parse_record(line).map_err(at)?;
            if r.seq as usize != o.trace.records.len() {
                return Err(at(format!(
                    "record {} where {} was due (lines lost?)",
                    r.seq,
                    o.trace.records.len()
                )));
            }
            o.sum = fnv1a(fnv1a(o.sum, line.as_bytes()), b"\n");
            o.trace.records.push(r);
        }
    }
    match (last, error, open) {
        (Some(t), _, _) => Ok(t),
        (None, Some(e), _) => Err(e),
        (None, None, Some(o)) => {
            Err(format!("dump not finished: {} records, no end line", o.trace.records.len()))
        }
        (None, None, None) => Err("no `sched-record begin` line".into()),
    }
}

#[cfg(test)]
mod host_tests {
    use super::*;

    fn rec(seq: u32, kind: &str, pid: i32, result: i64) -> Record {
        Record {
            seq,
            kind: kind.into(),
            pid,
            allowed: u64::MAX,
            online: 3,
            idle: 0xfffe,
            rq: RqFields { cpu: 0, curr_pid: 1, curr_runtime: 5, ..Default::default() },
            src: RqFields { cpu: -1, ..Default::default() },
            result,
            ..Default::default()
        }
    }

    /// A dump as the kernel prints it, with timestamps and other lines.
    fn dump(records: &[Record]) -> String {
        let mut sum = FNV_OFFSET;
        let mut out = String::from("keel> sched record dump\n");
        out += &format!(
            "[    1.000000] sched-record begin format=2 policy=fair_rs records={} capacity=64 truncated=0 switched=0\n",
            records.len()
        );
        for (i, r) in records.iter().enumerate() {
            let line = format_record(r);
            sum = fnv1a(fnv1a(sum, line.as_bytes()), b"\n");
            out += &format!("[    1.{:06}] {}\r\n", i, line);
            if i == 1 {
                out += "[    1.5] some other CPU's message\n";
            }
        }
        out += &format!(
            "[    2.000000] sched-record end records={} fnv1a={:08x}\n",
            records.len(),
            sum
        );
        out
    }

    fn sample() -> Vec<Record> {
        vec![rec(0, "init", 0, 0), rec(1, "task_new", 7, 0), rec(2, "pick_next", 0, 7)]
    }

    #[test]
    fn reads_a_dump_between_other_output() {
        let t = parse(&dump(&sample())).unwrap();
        assert_eq!(t.policy, "fair_rs");
        assert_eq!(t.capacity, 64);
        assert!(!t.truncated && !t.switched);
        assert_eq!(t.records, sample());
    }

    #[test]
    fn format_and_parse_agree() {
        let mut r = rec(9, "balance", 0, -1);
        r.src = RqFields {
            cpu: 1,
            curr_pid: 3,
            curr_runtime: 99,
            nr_queued: 4,
            curr_idle: true,
            oncpu: [5, 0],
        };
        r.allowed = 0x5;
        assert_eq!(parse_record(&format_record(&r)).unwrap(), r);
        let mut a = rec(10, "task_adopt", 7, 0);
        a.failed = true;
        a.h_valid = 0x3;
        a.h_lag_ns = -1_500_000;
        a.h_slice_left_ns = 2_000_000;
        a.idle_after = 0xfffd;
        assert_eq!(parse_record(&format_record(&a)).unwrap(), a);
    }

    #[test]
    fn a_changed_line_fails_the_checksum() {
        let text = dump(&sample()).replace(" pick_next 0 0 0 0 ", " pick_next 1 0 0 0 ");
        let e = parse(&text).unwrap_err();
        assert!(e.contains("checksum"), "{}", e);
    }

    #[test]
    fn a_lost_line_is_reported() {
        let text: String = dump(&sample())
            .lines()
            .filter(|l| !l.contains(" task_new "))
            .map(|l| format!("{}\n", l))
            .collect();
        let e = parse(&text).unwrap_err();
        assert!(e.contains("record 2 where 1 was due"), "{}", e);
    }

    #[test]
    fn an_unfinished_dump_is_refused() {
        let text: String = dump(&sample())
            .lines()
            .filter(|l| !l.contains("end"))
            .map(|l| l.to_string() + "\n")
            .collect();
        let e = parse(&text).unwrap_err();
        assert!(e.contains("not finished: 3 records"), "{}", e);
    }

    #[test]
    fn the_last_complete_dump_counts() {
        let first = dump(&sample()[..1]);
        let second = dump(&sample());
        let t = parse(&(first + &second)).unwrap();
        assert_eq!(t.records.len(), 3);
    }

    #[test]
    fn no_dump_at_all() {
        assert!(parse("keel> help\n").unwrap_err().contains("no `sched-record begin`"));
    }

    #[test]
    fn other_formats_are_refused() {
        let text = dump(&sample()).replace("format=2", "format=1");
        assert!(parse(&text).unwrap_err().contains("format 1"));
    }
}
