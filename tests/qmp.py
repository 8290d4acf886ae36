"""qmp.py - a minimal client for QEMU's machine protocol (QMP) on a unix
socket, shared by the runner's tiers (screendumps, link changes).

execute() returns the command's "return" value and raises QmpError for a
QMP "error" reply; connection problems raise OSError.
"""

import json
import socket
import time


class QmpError(RuntimeError):
    """QEMU answered a command with an error."""


class Qmp:
    """Connect (retrying until QEMU listens), negotiate, run commands."""

    def __init__(self, path, timeout=10):
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX)
                self.sock.settimeout(timeout)
                self.sock.connect(path)
                break
            except OSError:
                self.sock.close()
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        self.file = self.sock.makefile("rw")
        self._reply()                   # the greeting
        self.execute("qmp_capabilities")

    def _reply(self):
        line = self.file.readline()
        if not line:
            raise OSError("QMP connection closed")
        return json.loads(line)

    def execute(self, cmd, **args):
        msg = {"execute": cmd}
        if args:
            msg["arguments"] = args
        self.file.write(json.dumps(msg) + "\n")
        self.file.flush()
        while True:                     # skip asynchronous events
            reply = self._reply()
            if "error" in reply:
                raise QmpError("QMP %s: %s" % (cmd, reply["error"]))
            if "return" in reply:
                return reply["return"]

    def close(self):
        self.sock.close()
