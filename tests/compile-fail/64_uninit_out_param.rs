// expect: E0381
// class: reading a value that is written on one path only
// c-bug: a reply struct on the stack that a helper fills only when the device is ready, read on the other path: stale stack contents (or, under -ftrivial-auto-var-init=zero, a silent 0)
// rule: a binding must be definitely initialised on every path before it is borrowed or read; there is no way to pass uninitialised memory to a safe function
//! Compile-fail case: a status reply read although nothing filled it.
#![no_std]
#![forbid(unsafe_code)]

/// A device's answer to a status query.
pub struct StatusReply {
    /// The status register.
    pub status: u32,
    /// Flags that came with it.
    pub flags: u32,
}

/// Fills the reply when the device answered.
pub fn fill_reply(reply: &mut StatusReply, ready: bool) {
    if ready {
        reply.status = 0x80;
        reply.flags = 1;
    }
}

/// Asks the device for its status.
pub fn query_status(ready: bool) -> u32 {
    let mut reply: StatusReply;
    fill_reply(&mut reply, ready);
    reply.status
}
