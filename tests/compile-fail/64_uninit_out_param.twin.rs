// twin of 64_uninit_out_param.rs: the reply starts out as "no answer".
//! Passing twin: the reply is initialised before the helper fills it.
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

/// Asks the device for its status; 0 when it did not answer.
pub fn query_status(ready: bool) -> u32 {
    let mut reply = StatusReply { status: 0, flags: 0 };
    fill_reply(&mut reply, ready);
    reply.status
}
