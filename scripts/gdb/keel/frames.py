"""frames.py - name keel's stack switches in backtraces.

A scheduling-policy callback runs on its CPU's policy stack, entered
through policy_guard_enter (arch/x86_64/policy_guard.S). Its CFI marks
that frame as a signal frame, because the policy stack may lie above or
below the task's stack and gdb refuses an ordinary frame whose caller's
stack address looks "inner"; gdb then prints the frame as
"<signal handler called>". This frame filter prints what it is.
"""

import gdb
from gdb.FrameDecorator import FrameDecorator


class StackSwitch(FrameDecorator):
    """A frame of policy_guard_enter, named for what it does."""

    def __init__(self, fobj):
        super().__init__(fobj)

    def function(self):
        return "policy_guard_enter [policy stack switch]"


def is_policy_guard(frame):
    """Whether frame is policy_guard_enter's (a signal frame, see above)."""
    return frame.type() == gdb.SIGTRAMP_FRAME and \
        frame.name() == "policy_guard_enter"


class StackSwitchFilter:
    """Frame filter: decorate the policy-stack switch frames."""

    def __init__(self):
        self.name = "keel-stack-switch"
        self.priority = 100
        self.enabled = True
        gdb.frame_filters[self.name] = self

    def filter(self, frame_iter):
        return (StackSwitch(f) if is_policy_guard(f.inferior_frame())
                else f for f in frame_iter)


StackSwitchFilter()
