"""ktap.py - parse and judge the serial log of a keel ktest run.

The kernel (kernel/ktest.c) prints KTAP version 1 on the serial port, each
line behind a printk timestamp "[    0.123456] ". A run is

    KTAP version 1
    1..N                      plan: N suites
        KTAP version 1        one indented subtest per suite
        # Subtest: suite
        1..M
        ok 1 case
        not ok 2 case         diagnostics ("    # ...") come before it
        ok 3 case # SKIP why
    # suite: pass:P fail:F skip:S total:M
    ok 1 suite

parse_ktap() turns the text into a tree of Test nodes; leaves are the test
cases. judge_ktest() adds what the QEMU exit status says and returns a
Verdict: the cases that passed, failed and were skipped, plus "run
problems" (panic, hang, missing plan, fewer results than planned, a crash)
that make the whole run fail. Other kernel output interleaved with KTAP
(warnings, backtraces) is kept as context for the failing case it falls in.
"""

import re

# QEMU exit statuses from include/keel/power.h: (value << 1) | 1.
EXIT_PASS = 33
EXIT_FAIL = 35
EXIT_PANIC = 65

TIMESTAMP_RE = re.compile(r"^\[\s*\d+\.\d+\] ?")
VERSION_RE = re.compile(r"^(\s*)KTAP version (\d+)\s*$")
PLAN_RE = re.compile(r"^(\s*)1\.\.(\d+)\s*$")
RESULT_RE = re.compile(r"^(\s*)(not ok|ok) (\d+)(?: (?:- )?([^#]*?))?"
                       r"\s*(?:# (.*))?$")
SUBTEST_RE = re.compile(r"^(\s*)# Subtest: (.*)$")
PANIC_MARKERS = ("Kernel panic - not syncing", "panic re-entered")


def strip_timestamps(text):
    """Return the log's lines with the printk timestamp prefix removed."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [TIMESTAMP_RE.sub("", line, count=1) for line in lines]


class Test:
    """One KTAP test: a suite (with children) or a case (a leaf)."""

    def __init__(self, name, indent, parent=None):
        self.name = name
        self.indent = indent
        self.parent = parent
        self.plan = None          # planned number of children
        self.children = []        # finished child tests, in order
        self.ok = None            # None until its result line is seen
        self.skip_reason = None
        self.first_line = None    # log line span, for failure context
        self.last_line = None

    @property
    def path(self):
        names = []
        node = self
        while node is not None and node.name is not None:
            names.append(node.name)
            node = node.parent
        return ".".join(reversed(names))

    def leaves(self):
        if not self.children:
            return [self]
        out = []
        for child in self.children:
            out.extend(child.leaves())
        return out


class Verdict:
    """What one ktest run amounts to."""

    def __init__(self):
        self.passed = []      # leaf Tests
        self.failed = []
        self.skipped = []
        self.problems = []    # strings: reasons the run as a whole failed
        self.lines = []       # the stripped log

    @property
    def ok(self):
        return not self.failed and not self.problems


def _indent_width(s):
    return len(s.expandtabs(8))


def parse_ktap(lines):
    """Parse stripped log lines. Returns (root, problems).

    root is a Test whose children are the top-level results; root.plan is
    None when no plan was printed. problems lists structural errors.
    """
    problems = []
    root = Test(None, 0)
    for i, line in enumerate(lines):
        m = VERSION_RE.match(line)
        if m and _indent_width(m.group(1)) == 0:
            if m.group(2) != "1":
                problems.append("unsupported KTAP version %s" % m.group(2))
            root.first_line = i
            _parse_doc(lines, i + 1, root, problems)
            break
    else:
        problems.append("no KTAP output (no 'KTAP version 1' line)")
        return root, problems
    _check_plans(root, problems)
    return root, problems


def _add_result(node, test, m, i, problems):
    """Attach result line m (line i) for test, a child of node."""
    test.ok = m.group(2) == "ok"
    test.last_line = i
    name = (m.group(4) or "").strip()
    directive = (m.group(5) or "").strip()
    if test.name is None:
        test.name = name
    elif name and name != test.name:
        problems.append("subtest '%s' ended by a result named '%s'"
                        % (test.path, name))
    if directive.upper().startswith("SKIP"):
        test.skip_reason = directive[4:].strip() or "skipped"
    expected = len(node.children) + 1
    if int(m.group(3)) != expected:
        problems.append("%s: result '%s' numbered %s, expected %d"
                        % (node.path or "top level", test.name,
                           m.group(3), expected))
    node.children.append(test)


def _parse_doc(lines, i, node, problems):
    """Parse the body of node's KTAP document from line i.

    The body's lines sit at node.indent. Returns the index of the first
    line that belongs to an outer level (or len(lines)).
    """
    last_end = i - 1        # a leaf's context starts after the last result
    sub = None              # finished subtest waiting for its result line
    while i < len(lines):
        line = lines[i]
        m = VERSION_RE.match(line)
        if m:
            depth = _indent_width(m.group(1))
            if depth <= node.indent:
                if depth == 0:
                    problems.append("KTAP output restarted at log line %d "
                                    "(reboot or second run?)" % (i + 1))
                    return len(lines)
                return i
            _lost_result(sub, problems)
            sub = Test(None, depth, node)
            sub.first_line = i
            i = _parse_doc(lines, i + 1, sub, problems)
            continue
        m = RESULT_RE.match(line)
        if m:
            depth = _indent_width(m.group(1))
            if depth < node.indent:
                break
            if depth == node.indent:
                if sub is None:
                    sub = Test(None, depth + 4, node)
                    sub.first_line = last_end + 1
                _add_result(node, sub, m, i, problems)
                sub = None
                last_end = i
            i += 1
            continue
        m = SUBTEST_RE.match(line)
        if m and _indent_width(m.group(1)) == node.indent and \
                node.name is None:
            node.name = m.group(2).strip()
        m = PLAN_RE.match(line)
        if m and _indent_width(m.group(1)) == node.indent and \
                node.plan is None:
            node.plan = int(m.group(2))
        i += 1
    _lost_result(sub, problems)
    return i


def _lost_result(sub, problems):
    """A subtest ended without a result line: the run was cut short."""
    if sub is None:
        return
    if sub.name is None:
        sub.name = "(unnamed subtest)"
    problems.append("subtest '%s' has no result line (run cut short)"
                    % sub.path)
    sub.ok = False
    sub.last_line = None
    sub.parent.children.append(sub)


def _check_plans(test, problems):
    where = test.path or "top level"
    if test.plan is None:
        problems.append("%s: missing test plan ('1..N' line)" % where)
    elif len(test.children) < test.plan:
        problems.append("%s: %d results for %d planned (run cut short)"
                        % (where, len(test.children), test.plan))
    elif len(test.children) > test.plan:
        problems.append("%s: %d results for %d planned"
                        % (where, len(test.children), test.plan))
    for child in test.children:
        if not child.children and child.plan is None:
            continue
        _check_plans(child, problems)
        if child.last_line is None or child.skip_reason is not None:
            continue
        failed_leaf = any(c.ok is False and c.skip_reason is None
                          for c in child.leaves())
        if child.ok is False and not failed_leaf:
            problems.append("%s: reported not ok but none of its cases "
                            "failed" % child.path)
        if child.ok and failed_leaf:
            problems.append("%s: reported ok but a case failed"
                            % child.path)


def judge_ktest(text, exit_status, timed_out=False):
    """Judge a whole ktest run: its serial log and QEMU's exit status.

    exit_status is QEMU's return code (None if it had to be killed).
    """
    v = Verdict()
    v.lines = strip_timestamps(text)
    root, problems = parse_ktap(v.lines)
    for leaf in root.leaves() if root.children else []:
        if leaf.last_line is None:
            continue        # never reported: counted as a run problem
        if leaf.skip_reason is not None:
            v.skipped.append(leaf)
        elif leaf.ok:
            v.passed.append(leaf)
        else:
            v.failed.append(leaf)

    panicked = any(m in line for line in v.lines for m in PANIC_MARKERS)
    if timed_out:
        v.problems.append("timeout: the kernel hung (QEMU killed)")
    elif exit_status == EXIT_PANIC or panicked:
        v.problems.append("kernel panic (exit status %s)" % exit_status)
    elif exit_status == EXIT_PASS:
        if v.failed:
            v.problems.append("kernel reported success (exit 33) but "
                              "cases failed")
    elif exit_status == EXIT_FAIL:
        if not v.failed and not problems:
            v.problems.append("kernel reported failures (exit 35) but "
                              "no case failed in the KTAP output")
    elif exit_status is None:
        v.problems.append("QEMU did not exit")
    elif exit_status < 0:
        v.problems.append("QEMU killed by signal %d" % -exit_status)
    else:
        v.problems.append("QEMU exited with status %d, not a ktest verdict "
                          "(33/35): crash, reboot or power off before "
                          "the run ended" % exit_status)
    v.problems.extend(problems)
    return v


def case_context(verdict, test, before=2):
    """The log lines of one case: its diagnostics and the result line."""
    first = test.first_line if test.first_line is not None else 0
    last = test.last_line if test.last_line is not None else first
    first = max(0, min(first, last) - before)
    return verdict.lines[first:last + 1]
