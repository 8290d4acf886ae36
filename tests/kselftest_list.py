"""kselftest_list.py - read tests/kselftest/list.txt (its header says the
format): the kselftests keel runs, their time limit, arguments and the
result expected with its reason."""

import collections

Entry = collections.namedtuple("Entry", "name seconds expect args reason")
EXPECTS = ("pass", "skip", "fail")


def read(path):
    out = []
    with open(path) as f:
        for n, line in enumerate(f, 1):
            text, _, reason = line.partition("#")
            words = text.split()
            if not words:
                continue
            if len(words) < 3 or words[2] not in EXPECTS or \
                    not words[1].isdigit() or "/" not in words[0]:
                raise ValueError("%s:%d: want TEST SECONDS pass|skip|fail "
                                 "[ARG...] [# reason]" % (path, n))
            if words[2] != "pass" and not reason.strip():
                raise ValueError("%s:%d: %s is expected to %s: say why "
                                 "after '#'" % (path, n, words[0], words[2]))
            out.append(Entry(words[0], int(words[1]), words[2], words[3:],
                             reason.strip()))
    return out
