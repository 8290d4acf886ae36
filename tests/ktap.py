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
    # Totals: pass:P fail:F xfail:0 xpass:0 skip:S error:0

parse_ktap() turns the text into a tree of Test nodes; leaves are the test
cases. judge_ktest() adds what the QEMU exit status says and returns a
Verdict: the cases that passed, failed and were skipped, plus "run
problems" (panic, hang, missing plan, fewer results than planned, a crash)
that make the whole run fail. Other kernel output interleaved with KTAP
(warnings, backtraces) is kept as context for the failing case it falls in.

kunit_check() reads the same tree the way Linux's kunit_parser.py
(tools/testing/kunit) would: the counts it would print (passed, failed,
crashed, skipped, errors) and the places where its stricter line rules
would read keel's output differently from parse_ktap(). tools/ktest.py is
the command-line front end to all of this.
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
TOTALS_RE = re.compile(r"^# Totals: pass:(\d+) fail:(\d+) xfail:(\d+) "
                       r"xpass:(\d+) skip:(\d+) error:(\d+)$")
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
        self.header_line = None   # its "# Subtest:" and plan lines
        self.plan_line = None
        self.totals = None        # root only: the "# Totals:" figures
        self.number = None        # the number on its result line

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
    test.number = int(m.group(3))
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
            node.header_line = i
        m = PLAN_RE.match(line)
        if m and _indent_width(m.group(1)) == node.indent and \
                node.plan is None:
            node.plan = int(m.group(2))
            node.plan_line = i
        m = TOTALS_RE.match(line)
        if m and node.parent is None and node.totals is None:
            node.totals = dict(zip(("pass", "fail", "xfail", "xpass",
                                    "skip", "error"),
                                   map(int, m.groups())))
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


FINISHED_RE = re.compile(r"^ktest: run finished, (\d+) failed$")
SAVED_LOG = "saved log"


def judge_ktest(text, exit_status, timed_out=False):
    """Judge a whole ktest run: its serial log and QEMU's exit status.

    exit_status is QEMU's return code (None if it had to be killed), or
    SAVED_LOG for a log read back without one: the status is then the
    one the kernel's "ktest: run finished, N failed" line stands for.
    """
    v = Verdict()
    v.lines = strip_timestamps(text)
    if exit_status == SAVED_LOG:
        found = [FINISHED_RE.match(line) for line in v.lines]
        found = [m for m in found if m]
        if found:
            exit_status = EXIT_FAIL if int(found[-1].group(1)) else EXIT_PASS
        elif any(m in line for line in v.lines for m in PANIC_MARKERS):
            exit_status = EXIT_PANIC
        else:
            v.problems.append("the log ends before 'ktest: run finished' "
                              "(a crash, a hang or a cut log)")
            exit_status = EXIT_FAIL
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


# ------------------------------------------------------- kunit_parser rules
#
# Linux's tools/testing/kunit/kunit_parser.py reads a log differently from
# parse_ktap(): it starts at the first line *containing* "KTAP version N"
# and cuts that line's prefix length (here the printk timestamp) off every
# later line; it ignores indentation; it wants "# Subtest:" on the line
# right after a subtest's version line and the plan before the first
# result; its "# SKIP" is case-sensitive; a result must be spelled
# "ok|not ok N [- ]name[ # directive]"; and it counts every result it
# expected but never saw as crashed. The patterns below are its line forms.

KUNIT_START_RE = re.compile(r"\s*K?TAP version ([0-9]+)$")
KUNIT_END_RE = re.compile(r"\s*(List of all partitions:|"
                          r"Kernel panic - not syncing: VFS:|"
                          r"reboot: System halted)")
KUNIT_HEADER_RE = re.compile(r"^\s*# Subtest: (.*)$")
KUNIT_PLAN_RE = re.compile(r"^\s*1\.\.([0-9]+)")
KUNIT_RESULT_RE = re.compile(r"^\s*(ok|not ok) ([0-9]+) (- )?([^#]*)"
                             r"( # .*)?$")
KUNIT_SKIP_RE = re.compile(r"^\s*(ok|not ok) ([0-9]+) (- )?(.*) # SKIP(.*)$")
KUNIT_KINDS = (("version", KUNIT_START_RE), ("header", KUNIT_HEADER_RE),
               ("plan", KUNIT_PLAN_RE), ("result", KUNIT_RESULT_RE))
KUNIT_COUNTS = ("passed", "failed", "crashed", "skipped", "errors")


def _zero_counts():
    return dict.fromkeys(KUNIT_COUNTS, 0)


def kunit_counts(test, top=True):
    """The counts kunit_parser.py would give test (a parse_ktap() tree).

    A dict with passed, failed, crashed, skipped and errors, summed over
    the leaves as kunit_parser's TestCounts: every result that a plan
    promised but the log never printed is one crashed test and one error;
    a subtest without its result line, a misnumbered result and a subtest
    with no results are one error each.
    """
    counts = _zero_counts()
    parent = top or bool(test.children) or test.plan is not None \
        or test.header_line is not None
    if not parent:
        if test.skip_reason is not None:
            counts["skipped"] += 1
        elif test.ok:
            counts["passed"] += 1
        else:
            counts["failed"] += 1
        return counts
    for i, child in enumerate(test.children):
        for key, n in kunit_counts(child, False).items():
            counts[key] += n
        if child.number is not None and child.number != i + 1:
            counts["errors"] += 1
    missing = max(0, (test.plan or 0) - len(test.children))
    counts["crashed"] += missing
    counts["errors"] += missing
    if not top and test.last_line is None and test.header_line is not None:
        counts["errors"] += 1           # "missing subtest result line!"
    if not test.children and not missing:
        counts["errors"] += 1           # "0 tests run!"
    return counts


def _structural_lines(test, out):
    """Map line index -> (kind, node) for every KTAP line of the tree."""
    if test.parent is None or test.children or test.plan is not None or \
            test.header_line is not None or test.last_line is None:
        if test.first_line is not None:
            out[test.first_line] = ("version", test)
    if test.header_line is not None:
        out[test.header_line] = ("header", test)
    if test.plan_line is not None:
        out[test.plan_line] = ("plan", test)
    if test.last_line is not None and test.parent is not None:
        out[test.last_line] = ("result", test)
    for child in test.children:
        _structural_lines(child, out)
    return out


def _kunit_reads_result(seen, test):
    """Problems where kunit_parser's result regexes disagree with test."""
    m = KUNIT_RESULT_RE.match(seen)
    if not m:
        return ["'%s' is not a result line to kunit_parser" % seen.strip()]
    skip = KUNIT_SKIP_RE.match(seen)
    name = (skip or m).group(4)
    problems = []
    if name != test.name:
        problems.append("kunit_parser reads the name as %r, not %r"
                        % (name, test.name))
    if bool(skip) != (test.skip_reason is not None):
        problems.append("kunit_parser reads '%s' as %s" % (
            seen.strip(), "skipped" if skip else "not skipped (its "
            "directive is '# SKIP', upper case)"))
    return problems


def _kunit_order(test, problems):
    """kunit_parser's order: version, '# Subtest:' next, plan, results."""
    for child in test.children:
        if child.children or child.plan is not None:
            if child.header_line != child.first_line + 1:
                problems.append("%s: '# Subtest:' is not the line right "
                                "after its 'KTAP version'" % child.path)
            _kunit_order(child, problems)
    first = [c.first_line for c in test.children
             if c.children or c.plan is not None] + \
        [c.last_line for c in test.children if c.last_line is not None]
    if test.plan_line is not None and first and test.plan_line > min(first):
        problems.append("%s: plan comes after the first result"
                        % (test.path or "top level"))


def kunit_check(text):
    """Read a serial log as Linux's kunit_parser.py would.

    Returns (counts, problems): counts as kunit_counts() gives them, and
    problems, each a place where kunit_parser would read the log
    differently from parse_ktap() or a "# Totals:" line that disagrees
    with the cases. A well-formed keel log has no problems.
    """
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if raw and raw[-1] == "":
        raw.pop()
    lines = [TIMESTAMP_RE.sub("", line, count=1) for line in raw]
    root, _ = parse_ktap(lines)
    problems = []
    start = next((i for i, line in enumerate(raw)
                  if KUNIT_START_RE.search(line)), None)
    if start is None or root.first_line is None:
        return _zero_counts(), ["no KTAP version line"]
    if start != root.first_line:
        problems.append("kunit_parser starts at line %d (%r), not at the "
                        "run's 'KTAP version' on line %d"
                        % (start + 1, raw[start], root.first_line + 1))
    tag = "KTAP version" if "KTAP version" in raw[start] else "TAP version"
    prefix = len(raw[start].split(tag)[0])
    ours = _structural_lines(root, {})
    end = max(ours)
    for i in range(start + 1, len(raw)):
        seen = raw[i].rstrip()[prefix:]
        if KUNIT_END_RE.search(raw[i]) and i < end:
            problems.append("line %d: %r ends kunit_parser's input before "
                            "the run ends" % (i + 1, raw[i]))
        kind = next((k for k, r in KUNIT_KINDS if r.match(seen)), None)
        if i not in ours:
            if kind is not None and i <= end:
                problems.append("line %d: kunit_parser reads %r as a KTAP "
                                "%s line" % (i + 1, seen, kind))
            continue
        want, node = ours[i]
        if seen != lines[i].rstrip():
            problems.append("line %d: with the first line's prefix of %d "
                            "characters cut, kunit_parser sees %r"
                            % (i + 1, prefix, seen))
        elif want == "result":
            problems += ["line %d: %s" % (i + 1, p)
                         for p in _kunit_reads_result(seen, node)]
    _kunit_order(root, problems)
    counts = kunit_counts(root)
    complete = root.plan is not None and len(root.children) >= root.plan \
        and all(c.last_line is not None for c in root.children)
    if root.totals is None:
        if complete:
            problems.append("no '# Totals:' line after the run")
    elif (root.totals["pass"], root.totals["fail"], root.totals["skip"]) != \
            (counts["passed"], counts["failed"], counts["skipped"]):
        problems.append("'# Totals:' says pass:%d fail:%d skip:%d, the cases "
                        "say pass:%d fail:%d skip:%d" % (
                            root.totals["pass"], root.totals["fail"],
                            root.totals["skip"], counts["passed"],
                            counts["failed"], counts["skipped"]))
    return counts, problems
