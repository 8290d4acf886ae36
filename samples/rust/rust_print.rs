// SPDX-License-Identifier: MIT
//! rust_print: every print macro and the formatting they accept.
#![no_std]
#![forbid(unsafe_code)]

use kernel::prelude::*;
use kernel::{dev_err, dev_info, dev_warn};

module! {
    type: RustPrint,
    name: "rust_print",
    author: "keel developers",
    description: "printing from Rust: levels, formatting, prefixes",
    license: "MIT",
}

struct RustPrint;

#[derive(Debug)]
#[allow(dead_code)] // the fields are read by the Debug output
struct Point {
    x: i32,
    y: i32,
}

/// Prints one line per level and formatting feature.
fn print_all() -> Result {
    pr_emerg!("rust_print: emergency message\n");
    pr_alert!("rust_print: alert message\n");
    pr_crit!("rust_print: critical message\n");
    pr_err!("rust_print: error message\n");
    pr_warn!("rust_print: warning message\n");
    pr_notice!("rust_print: notice message\n");
    pr_info!("rust_print: info message\n");
    pr_debug!("rust_print: debug message (hidden below loglevel=8)\n");
    pr_info!("rust_print: integers {} {} {:#x} {:08b} {:+}\n", -42, u64::MAX, 255, 5u8, 7);
    pr_info!("rust_print: padding [{:>6}] [{:<6}] [{:^6}] [{:06}]\n", "r", "l", "c", -12);
    pr_info!("rust_print: debug {:?} {:?}\n", Point { x: 1, y: -2 }, Some("x"));
    pr_info!("rust_print: error {:?}, pretty {:#?}\n", EINVAL, (1, 2));
    pr_info!("rust_print: a line");
    pr_cont!(" continued");
    pr_cont!(" and ended\n");
    let v = KVec::<u8>::with_capacity(3, GFP_KERNEL)?;
    dev_info!("rust_print", "capacity {}\n", v.capacity());
    dev_warn!("rust_print", "a prefixed warning\n");
    dev_err!("rust_print", "a prefixed error {}\n", ENODEV);
    Ok(())
}

impl Module for RustPrint {
    fn init() -> Result<Self> {
        print_all()?;
        Ok(RustPrint)
    }
}

#[kernel::ktest(rust_print_sample)]
mod tests {
    use kernel::ktest::Test;

    fn log_has(needle: &[u8]) -> bool {
        let mut tail = [0u8; 4096];
        let n = kernel::print::log_tail(&mut tail);
        tail[..n].windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn formats_as_rust_does(t: &mut Test) {
        kernel::kt_assert!(t, super::print_all().is_ok());
        let want: [&[u8]; 6] = [
            b"rust_print: integers -42 18446744073709551615 0xff 00000101 +7\n",
            b"rust_print: padding [     r] [l     ] [  c   ] [-00012]\n",
            b"rust_print: debug Point { x: 1, y: -2 } Some(\"x\")\n",
            b"rust_print: a line continued and ended\n",
            b"rust_print: capacity 4\n",
            b"rust_print: a prefixed error -ENODEV\n",
        ];
        for w in want {
            kernel::kt_expect!(t, log_has(w));
        }
    }

    #[test]
    fn module_is_running(t: &mut Test) {
        kernel::kt_expect!(t, super::this_module().is_running());
    }
}
