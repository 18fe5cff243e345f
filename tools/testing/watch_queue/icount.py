# SPDX-License-Identifier: GPL-2.0
"""Instruction counts from the insn_count QEMU plugin (plugin/insn_count.c).

Pure logic, tested on the host by test_icount.py: parsing the plugin's lines
out of a QEMU log, pairing START and STOP markers into per-tag windows,
checking the known loops of insn_count_check exactly, turning windows into
instructions per operation, and comparing two runs.

The plugin prints, one per line, "insn-count start|stop TAG TOTAL KERNEL"
when a marker executes and "insn-count exit TOTAL KERNEL" when QEMU exits:
TOTAL counts the instructions executed so far (markers excepted), KERNEL the
part of them at kernel-half addresses.  insn_count_check prints, after each
window, "insn-count-check TAG N K A": the window executed A + N * K
user-space instructions."""

import re
from dataclasses import dataclass

FIELDS = ("total", "user", "kernel")

# Anything before "insn-count " is ignored (a log prefix, or a guest's output
# interleaved without a newline); what follows must be exactly a plugin line.
_PLUGIN = re.compile(r"insn-count (.*)")
_MARK = re.compile(r"(start|stop) (\d+) (\d+) (\d+)")
_EXIT = re.compile(r"exit (\d+) (\d+)")
_CHECK = re.compile(r"insn-count-check (.*)")
_CHECK_ARGS = re.compile(r"(\d+) (\d+) (\d+) (\d+)")


@dataclass(frozen=True)
class Mark:
    """One plugin line: KIND is "start", "stop" or "exit" (TAG None)."""
    kind: str
    tag: "int | None"
    total: int
    kernel: int
    line: int


@dataclass(frozen=True)
class Delta:
    """The instructions of one START..STOP window of TAG; LINE is the
    START's line in the log."""
    tag: int
    total: int
    kernel: int
    line: int

    @property
    def user(self):
        return self.total - self.kernel


@dataclass(frozen=True)
class Check:
    """One insn_count_check line: window TAG ran A + N * K user insns."""
    tag: int
    n: int
    k: int
    a: int
    line: int


@dataclass(frozen=True)
class Comparison:
    """COMPARE()'s answer: the largest relative difference of each tag
    found in both runs, and what makes the runs not agree (none if ok)."""
    max_rel: dict
    problems: list

    @property
    def ok(self):
        return not self.problems


def _lines(text):
    for number, line in enumerate(text.splitlines(), 1):
        yield number, line.rstrip()


def parse(text):
    """The plugin's marks in the log TEXT, in order, and a list of errors:
    malformed plugin lines (which are skipped) and counters that go
    backwards (two QEMU runs in one log)."""
    marks, errors = [], []
    last = None
    for number, line in _lines(text):
        m = _PLUGIN.search(line)
        if not m:
            continue
        rest = m.group(1)
        mark = None
        if (f := _MARK.fullmatch(rest)):
            kind, tag, total, kernel = f.group(1), *map(int, f.groups()[1:])
            if tag <= 255 and kernel <= total:
                mark = Mark(kind, tag, total, kernel, number)
        elif (f := _EXIT.fullmatch(rest)):
            total, kernel = map(int, f.groups())
            if kernel <= total:
                mark = Mark("exit", None, total, kernel, number)
        if mark is None:
            errors.append(f"line {number}: malformed insn-count line: {line!r}")
            continue
        if last and (mark.total < last.total or mark.kernel < last.kernel):
            errors.append(f"line {number}: counts went back from line "
                          f"{last.line}: not one QEMU run")
        marks.append(mark)
        last = mark
    return marks, errors


def pair(marks):
    """The windows of MARKS as {tag: [Delta, ...]} in order, and a list of
    errors: a STOP without a START, a START of a tag whose previous START
    is still open (the earlier one is dropped), a START never stopped.
    Windows of different tags may nest or overlap."""
    windows, errors, open_ = {}, [], {}
    for mark in marks:
        if mark.kind == "start":
            if mark.tag in open_:
                errors.append(f"line {mark.line}: START of tag {mark.tag} "
                              f"while the one at line "
                              f"{open_[mark.tag].line} is open")
            open_[mark.tag] = mark
        elif mark.kind == "stop":
            start = open_.pop(mark.tag, None)
            if start is None:
                errors.append(f"line {mark.line}: STOP of tag {mark.tag} "
                              f"without a START")
                continue
            windows.setdefault(mark.tag, []).append(
                Delta(mark.tag, mark.total - start.total,
                      mark.kernel - start.kernel, start.line))
    for start in open_.values():
        errors.append(f"line {start.line}: START of tag {start.tag} "
                      f"never stopped")
    return windows, errors


def windows(text):
    """PARSE() then PAIR() the log TEXT: ({tag: [Delta]}, errors)."""
    marks, errors = parse(text)
    paired, pair_errors = pair(marks)
    return paired, errors + pair_errors


def parse_checks(text):
    """The insn_count_check lines of the guest output TEXT, and errors for
    the malformed ones."""
    checks, errors = [], []
    for number, line in _lines(text):
        m = _CHECK.search(line)
        if not m:
            continue
        f = _CHECK_ARGS.fullmatch(m.group(1))
        if not f:
            errors.append(f"line {number}: malformed check line: {line!r}")
            continue
        checks.append(Check(*map(int, f.groups()), number))
    return checks, errors


def verify_checks(checks, windows_):
    """Problems found checking CHECKS against WINDOWS_ ({tag: [Delta]}):
    the i-th check line of a tag describes its i-th window, whose user
    instructions must be exactly A + N * K.  Tags without check lines are
    not looked at."""
    if not checks:
        return ["no insn-count-check lines"]
    problems = []
    by_tag = {}
    for check in checks:
        by_tag.setdefault(check.tag, []).append(check)
    for tag, tag_checks in by_tag.items():
        found = windows_.get(tag, [])
        if len(found) != len(tag_checks):
            problems.append(f"tag {tag}: {len(tag_checks)} check lines but "
                            f"{len(found)} windows")
        for i, (check, delta) in enumerate(zip(tag_checks, found), 1):
            want = check.a + check.n * check.k
            if delta.user != want:
                problems.append(f"tag {tag} window {i}: {delta.user} user "
                                f"instructions, expected {check.a} + "
                                f"{check.n} * {check.k} = {want}")
    return problems


def _value(delta, field):
    if field not in FIELDS:
        raise ValueError(f"field {field!r} is not one of {FIELDS}")
    return getattr(delta, field)


def per_op(deltas, ops, baseline=(), field="total"):
    """Instructions per operation of windows DELTAS that each did OPS
    operations, less windows BASELINE of the same code doing none, if
    given.  Each side is its least window: what disturbs a window (an
    interrupt, a page fault) only ever adds instructions."""
    if not deltas:
        raise ValueError("no windows")
    if ops <= 0:
        raise ValueError(f"{ops} operations")
    cost = min(_value(d, field) for d in deltas)
    if baseline:
        cost -= min(_value(d, field) for d in baseline)
    return cost / ops


def _rel(a, b):
    return abs(a - b) / max(a, b) if max(a, b) else 0.0


def compare(run_a, run_b, tolerance=0.005, field="total", per_window=True):
    """Compare two runs' windows ({tag: [Delta]}).  With PER_WINDOW, the
    i-th windows of a tag are compared and a tag's figure is its largest
    relative difference; otherwise each tag's least windows are, as
    PER_OP() would use them.  A tag in one run only, a different number of
    windows, or a figure above TOLERANCE is a problem."""
    max_rel, problems = {}, []
    for tag in sorted(set(run_a) | set(run_b)):
        a, b = run_a.get(tag, []), run_b.get(tag, [])
        if not a or not b:
            problems.append(f"tag {tag}: only in run {'a' if a else 'b'}")
            continue
        if len(a) != len(b):
            problems.append(f"tag {tag}: {len(a)} windows against {len(b)}")
        va = [_value(d, field) for d in a]
        vb = [_value(d, field) for d in b]
        if per_window:
            rel = max(_rel(x, y) for x, y in zip(va, vb))
        else:
            rel = _rel(min(va), min(vb))
        max_rel[tag] = rel
        if rel > tolerance:
            problems.append(f"tag {tag}: {field} differs by {rel:.3%}, "
                            f"more than {tolerance:.3%}")
    return Comparison(max_rel, problems)
