# SPDX-License-Identifier: GPL-2.0
"""Host-side tests of icount.py, on synthetic plugin and guest output.

Run: cd tools/testing/watch_queue && python3 -m unittest test_icount -v"""

import unittest

import icount
from icount import Delta


def log(*lines):
    return "\n".join(lines) + "\n"


# A clean log of two windows of tag 1 and one of tag 2 nested in the second.
CLEAN = log(
    "insn-count start 1 100 40",
    "insn-count stop 1 103 40",
    "insn-count start 1 200 50",
    "insn-count start 2 210 50",
    "insn-count stop 2 250 80",
    "insn-count stop 1 300 90",
    "insn-count exit 400 100",
)


class Parse(unittest.TestCase):
    def test_clean_log(self):
        marks, errors = icount.parse(CLEAN)
        self.assertEqual(errors, [])
        self.assertEqual([(m.kind, m.tag, m.total, m.kernel, m.line)
                          for m in marks],
                         [("start", 1, 100, 40, 1), ("stop", 1, 103, 40, 2),
                          ("start", 1, 200, 50, 3), ("start", 2, 210, 50, 4),
                          ("stop", 2, 250, 80, 5), ("stop", 1, 300, 90, 6),
                          ("exit", None, 400, 100, 7)])

    def test_other_lines_and_prefixes(self):
        text = log(
            "qemu-system-x86_64: terminating on signal 15",
            "[    1.234] guest says insn-count-check 1 0 5 3",
            "some console textinsn-count start 7 10 0\r",
            "Trace 0: 0x7f00 [00000000/ffffffff81000000/0x0/0x0]",
            "insn-count stop 7 15 2",
        )
        marks, errors = icount.parse(text)
        self.assertEqual(errors, [])
        self.assertEqual([(m.kind, m.tag, m.total, m.line) for m in marks],
                         [("start", 7, 10, 3), ("stop", 7, 15, 5)])

    def test_malformed_lines_are_reported_and_skipped(self):
        text = log(
            "insn-count start 1 10 0",
            "insn-count start 1 1",          # truncated
            "insn-count stop x 12 0",        # tag not a number
            "insn-count stop 256 12 0",      # tag out of range
            "insn-count stop 1 12 13",       # kernel above total
            "insn-count stop 1 12 0 extra",  # trailing garbage
            "insn-count exit 5",             # truncated exit
            "insn-count stop 1 12 0",
        )
        marks, errors = icount.parse(text)
        self.assertEqual([m.line for m in marks], [1, 8])
        self.assertEqual([e.split(":")[0] for e in errors],
                         ["line 2", "line 3", "line 4", "line 5", "line 6",
                          "line 7"])
        self.assertTrue(all("malformed" in e for e in errors))

    def test_counts_going_back_are_an_error(self):
        text = log("insn-count start 1 100 10", "insn-count stop 1 300 20",
                   "insn-count start 1 50 30", "insn-count stop 1 60 30")
        _, errors = icount.parse(text)
        self.assertEqual(len(errors), 1)
        self.assertIn("line 3", errors[0])

    def test_kernel_count_going_back_is_an_error(self):
        _, errors = icount.parse(log("insn-count start 1 100 10",
                                     "insn-count stop 1 300 9"))
        self.assertEqual(len(errors), 1)


class Pair(unittest.TestCase):
    def test_windows_in_order_and_nested(self):
        windows, errors = icount.windows(CLEAN)
        self.assertEqual(errors, [])
        self.assertEqual(windows, {
            1: [Delta(1, 3, 0, 1), Delta(1, 100, 40, 3)],
            2: [Delta(2, 40, 30, 4)],
        })
        self.assertEqual(windows[1][1].user, 60)

    def test_stop_without_start(self):
        windows, errors = icount.windows(log(
            "insn-count stop 3 10 0",
            "insn-count start 3 20 0", "insn-count stop 3 25 0"))
        self.assertEqual(windows, {3: [Delta(3, 5, 0, 2)]})
        self.assertEqual(len(errors), 1)
        self.assertIn("line 1: STOP of tag 3 without a START", errors[0])

    def test_start_twice_drops_the_first(self):
        windows, errors = icount.windows(log(
            "insn-count start 3 10 0", "insn-count start 3 20 0",
            "insn-count stop 3 25 0"))
        self.assertEqual(windows, {3: [Delta(3, 5, 0, 2)]})
        self.assertEqual(len(errors), 1)
        self.assertIn("line 2", errors[0])
        self.assertIn("line 1", errors[0])

    def test_start_never_stopped(self):
        windows, errors = icount.windows(log(
            "insn-count start 4 10 0", "insn-count start 5 11 0",
            "insn-count stop 5 12 0"))
        self.assertEqual(windows, {5: [Delta(5, 1, 0, 2)]})
        self.assertEqual(errors, ["line 1: START of tag 4 never stopped"])

    def test_empty_log(self):
        self.assertEqual(icount.windows(""), ({}, []))


# What insn_count_check prints, and plugin output that matches it.
CHECK_OUT = log(
    "insn-count-check 1 0 5 3",
    "insn-count-check 2 1000 5 3",
    "insn-count-check 1 0 5 3",
    "insn-count-check 20 0 0 1",
)


def check_windows():
    return {1: [Delta(1, 3, 0, 1), Delta(1, 3, 0, 5)],
         2: [Delta(2, 5003 + 700, 700, 3)],   # a timer tick: kernel only
         20: [Delta(20, 1 + 900, 900, 7)],
         9: [Delta(9, 12345, 0, 9)]}          # no check line: ignored


class Checks(unittest.TestCase):
    def test_parse(self):
        checks, errors = icount.parse_checks(
            "[ 0.5] insn-count-check 4 1000000 5 3\r\nnoise\n"
            "insn-count-check 4 x 5 3\n")
        self.assertEqual(checks, [icount.Check(4, 1000000, 5, 3, 1)])
        self.assertEqual(len(errors), 1)
        self.assertIn("line 3", errors[0])

    def test_exact_counts_pass(self):
        checks, _ = icount.parse_checks(CHECK_OUT)
        self.assertEqual(icount.verify_checks(checks, check_windows()), [])

    def test_one_instruction_off_fails(self):
        checks, _ = icount.parse_checks(CHECK_OUT)
        w = check_windows()
        w[2] = [Delta(2, 5004, 0, 3)]
        self.assertEqual(icount.verify_checks(checks, w), [
            "tag 2 window 1: 5004 user instructions, "
            "expected 3 + 1000 * 5 = 5003"])

    def test_missing_window_fails(self):
        checks, _ = icount.parse_checks(CHECK_OUT)
        w = check_windows()
        w[1] = w[1][:1]
        self.assertEqual(icount.verify_checks(checks, w),
                         ["tag 1: 2 check lines but 1 windows"])

    def test_tag_without_windows_fails(self):
        checks, _ = icount.parse_checks(CHECK_OUT)
        w = check_windows()
        del w[20]
        self.assertEqual(icount.verify_checks(checks, w),
                         ["tag 20: 1 check lines but 0 windows"])

    def test_no_check_lines_fails(self):
        self.assertEqual(icount.verify_checks([], check_windows()),
                         ["no insn-count-check lines"])


class PerOp(unittest.TestCase):
    def test_op_count(self):
        d = [Delta(1, 5200, 5000, 0), Delta(1, 5000, 4800, 0)]
        self.assertEqual(icount.per_op(d, 100), 50.0)
        self.assertEqual(icount.per_op(d, 100, field="kernel"), 48.0)
        self.assertEqual(icount.per_op(d, 100, field="user"), 2.0)

    def test_against_baseline(self):
        n = [Delta(1, 1500, 0, 0), Delta(1, 1300, 0, 0)]
        zero = [Delta(2, 400, 0, 0), Delta(2, 300, 0, 0)]
        self.assertEqual(icount.per_op(n, 10, zero), 100.0)

    def test_bad_arguments(self):
        with self.assertRaises(ValueError):
            icount.per_op([], 10)
        with self.assertRaises(ValueError):
            icount.per_op([Delta(1, 1, 0, 0)], 0)
        with self.assertRaises(ValueError):
            icount.per_op([Delta(1, 1, 0, 0)], 1, field="cycles")


def run(*totals_by_tag):
    return {tag: [Delta(tag, t, 0, 0) for t in totals]
            for tag, totals in totals_by_tag}


class Compare(unittest.TestCase):
    def test_identical(self):
        a = run((1, [1000, 2000]), (2, [0, 0]))
        c = icount.compare(a, a)
        self.assertTrue(c.ok)
        self.assertEqual(c.max_rel, {1: 0.0, 2: 0.0})

    def test_within_tolerance(self):
        c = icount.compare(run((1, [1000, 2000])), run((1, [1004, 2002])))
        self.assertTrue(c.ok, c.problems)
        self.assertAlmostEqual(c.max_rel[1], 4 / 1004)

    def test_outside_tolerance(self):
        c = icount.compare(run((1, [1000, 2000])), run((1, [1000, 2020])))
        self.assertFalse(c.ok)
        self.assertAlmostEqual(c.max_rel[1], 20 / 2020)
        self.assertEqual(len(c.problems), 1)
        self.assertIn("tag 1", c.problems[0])

    def test_tolerance_is_a_parameter(self):
        a, b = run((1, [1000])), run((1, [1020]))
        self.assertFalse(icount.compare(a, b).ok)
        self.assertTrue(icount.compare(a, b, tolerance=0.02).ok)

    def test_least_windows(self):
        # One window of b took an interrupt; the least windows agree.
        a, b = run((1, [1000, 1000])), run((1, [1000, 1900]))
        self.assertFalse(icount.compare(a, b).ok)
        c = icount.compare(a, b, per_window=False)
        self.assertTrue(c.ok)
        self.assertEqual(c.max_rel, {1: 0.0})

    def test_field(self):
        a = {1: [Delta(1, 1000, 900, 0)]}
        b = {1: [Delta(1, 1100, 900, 0)]}
        self.assertTrue(icount.compare(a, b, field="kernel").ok)
        self.assertFalse(icount.compare(a, b, field="user").ok)

    def test_structure_differs(self):
        c = icount.compare(run((1, [10, 10]), (2, [5])),
                           run((1, [10]), (3, [5])))
        self.assertFalse(c.ok)
        self.assertEqual(sorted(c.problems), [
            "tag 1: 2 windows against 1", "tag 2: only in run a",
            "tag 3: only in run b"])


if __name__ == "__main__":
    unittest.main()
