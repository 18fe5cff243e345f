# SPDX-License-Identifier: GPL-2.0
"""Host-side tests of the harness's own logic (run by 'wq test')."""

import os
import tempfile
import unittest

import series
import wqlib


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


class Overlay(unittest.TestCase):
    def test_kernel_files_are_overlaid(self):
        for p in ("kernel/watch_queue/mod.rs", "fs/pipe.c", "MAINTAINERS",
                  "tools/testing/selftests/watch_queue/Makefile"):
            self.assertTrue(wqlib.is_overlaid(p), p)

    def test_project_files_are_not(self):
        for p in ("README.md", ".ci/run", ".gitignore", "tools/testing/watch_queue/wq"):
            self.assertFalse(wqlib.is_overlaid(p), p)


class Manifest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.base = os.path.join(self.tmp.name, "base")
        write(os.path.join(self.base, "fs/pipe.c"), "pristine\n")
        self.sha = wqlib.file_sha256(os.path.join(self.base, "fs/pipe.c"))
        self.path = os.path.join(self.tmp.name, "manifest")

    def tearDown(self):
        self.tmp.cleanup()

    def test_round_trip(self):
        wqlib.write_manifest(self.path, {"fs/pipe.c": self.sha, "kernel/x.rs": "new"})
        self.assertEqual(wqlib.read_manifest(self.path),
                         {"fs/pipe.c": self.sha, "kernel/x.rs": "new"})

    def test_clean(self):
        entries = {"fs/pipe.c": self.sha, "kernel/x.rs": "new"}
        self.assertEqual([], wqlib.check_manifest(entries, ["fs/pipe.c", "kernel/x.rs"],
                                                  self.base))

    def test_drift_names_the_file(self):
        write(os.path.join(self.base, "fs/pipe.c"), "upstream changed this\n")
        errors = wqlib.check_manifest({"fs/pipe.c": self.sha}, ["fs/pipe.c"], self.base)
        self.assertEqual(1, len(errors))
        self.assertIn("fs/pipe.c", errors[0])
        self.assertIn("drift", errors[0])

    def test_one_changed_byte_of_the_hash(self):
        bad = ("0" if self.sha[0] != "0" else "1") + self.sha[1:]
        errors = wqlib.check_manifest({"fs/pipe.c": bad}, ["fs/pipe.c"], self.base)
        self.assertTrue(errors and "fs/pipe.c" in errors[0])

    def test_new_file_appearing_in_base(self):
        write(os.path.join(self.base, "kernel/x.rs"), "upstream added it\n")
        errors = wqlib.check_manifest({"kernel/x.rs": "new"}, ["kernel/x.rs"], self.base)
        self.assertTrue(errors and "kernel/x.rs" in errors[0])

    def test_unrecorded_and_stale(self):
        errors = wqlib.check_manifest({"gone.c": "new"}, ["fs/pipe.c"], self.base)
        self.assertEqual(2, len(errors))

    def test_malformed(self):
        write(self.path, "abc fs/pipe.c\n")
        with self.assertRaises(ValueError):
            wqlib.read_manifest(self.path)


class Config(unittest.TestCase):
    def test_parse(self):
        c = wqlib.parse_config("CONFIG_A=y\n# CONFIG_B is not set\nCONFIG_C=\"x\"\n# c\n")
        self.assertEqual(c, {"CONFIG_A": "y", "CONFIG_B": "n", "CONFIG_C": '"x"'})

    def test_dropped_option_is_named(self):
        wanted = {"CONFIG_KASAN": "y", "CONFIG_SLUB_TINY": "n", "CONFIG_RUST": "y"}
        final = {"CONFIG_RUST": "y"}
        self.assertEqual([("CONFIG_KASAN", "y", "n")],
                         wqlib.config_mismatches(wanted, final))

    def test_variants(self):
        self.assertEqual(["base.config", "rust.config", "debug.config"],
                         wqlib.variant_fragments("rust-debug"))
        with self.assertRaises(ValueError):
            wqlib.variant_fragments("go")

    def test_available_variants(self):
        configs = os.path.join(os.path.dirname(os.path.abspath(__file__)), "configs")
        self.assertEqual(["c", "c-nowq", "rust", "c-debug", "rust-debug"],
                         wqlib.available_variants(configs))
        self.assertEqual(["c", "c-nowq", "rust"],
                         wqlib.available_variants(configs, debug=False))
        self.assertEqual(["base.config", "c.config", "nowq.config"],
                         wqlib.variant_fragments("c-nowq"))


class Seeds(unittest.TestCase):
    def test_closest_seed_first(self):
        self.assertEqual(["c", "rust"], wqlib.seed_order("c-nowq", ["rust", "c"]))
        self.assertEqual(["c", "c-nowq"], wqlib.seed_order("rust", ["c-nowq", "c"]))

    def test_never_across_heavy_flavours(self):
        self.assertEqual([], wqlib.seed_order("c-debug", ["c", "rust", "c-nowq"]))
        self.assertEqual(["rust-debug"], wqlib.seed_order("c-debug", ["c", "rust-debug"]))
        self.assertEqual([], wqlib.seed_order("rust", ["rust-debug", "c-debug"]))

    def test_not_from_itself(self):
        self.assertEqual([], wqlib.seed_order("c", ["c"]))

    def test_build_order_groups_families(self):
        self.assertEqual(["c", "rust", "c-nowq", "c-debug", "rust-debug"],
                         wqlib.build_order(["c", "c-nowq", "rust", "c-debug", "rust-debug"]))
        self.assertEqual(["c-debug", "rust-debug", "rust", "c"],
                         wqlib.build_order(["c-debug", "rust", "rust-debug", "c"]))
        self.assertEqual(["rust"], wqlib.build_order(["rust"]))

    def test_relocate_rewrites_recorded_paths(self):
        with tempfile.TemporaryDirectory() as d:
            old, tree = os.path.join(d, "c"), os.path.join(d, "c-nowq")
            os.makedirs(os.path.join(tree, "rust"))
            cmd = os.path.join(tree, "rust", ".core.o.cmd")
            other = os.path.join(d, "c-debug")
            with open(cmd, "w") as f:
                f.write(f"savedcmd_rust/core.o := OBJTREE={old} rustc x\n"
                        f"deps := {old}/rust/gen.rs {old}:\\\n {other}/x.h\n")
            obj = os.path.join(tree, "rust", "core.o")
            with open(obj, "w") as f:
                f.write(old)
            os.utime(cmd, (1000, 1000))
            self.assertEqual(1, wqlib.relocate_tree(tree, old))
            text = wqlib.read_text(cmd, "")
            self.assertEqual(f"savedcmd_rust/core.o := OBJTREE={tree} rustc x\n"
                             f"deps := {tree}/rust/gen.rs {tree}:\\\n {other}/x.h\n", text)
            self.assertEqual(1000, os.stat(cmd).st_mtime)
            # Only what Kbuild records; and a second pass finds nothing.
            self.assertEqual(old, wqlib.read_text(obj, ""))
            self.assertEqual(0, wqlib.relocate_tree(tree, old))
            # Relocated for the directory it will be renamed to.
            self.assertEqual(1, wqlib.relocate_tree(tree, tree, old))
            self.assertIn(f"OBJTREE={old} ", wqlib.read_text(cmd, ""))


class Ccache(unittest.TestCase):
    def test_stats_log(self):
        log = ("# kernel/fork.c\ncache_miss\ndirect_cache_miss\nlocal_storage_write\n"
               "# kernel/exit.c\ndirect_cache_hit\nlocal_storage_hit\n"
               "# mm/memory.c\npreprocessed_cache_hit\n# fs/pipe.c\ncache_miss\n")
        self.assertEqual("ccache 2 hits, 2 misses", wqlib.parse_ccache_stats(log))
        self.assertEqual("", wqlib.parse_ccache_stats(""))


class Timing(unittest.TestCase):
    def test_table(self):
        t = wqlib.Timings()
        t.add("setup", 108.4, start=0)
        t.add("build c", 65, "seeded from rust", start=540)
        t.add("build rust", 431.6, "from scratch", start=108)
        table = t.table(total=605)
        self.assertEqual(["Time per phase:",
                          "  phase        start    took",
                          "  setup         0:00    1:48",
                          "  build rust    1:48    7:12  from scratch",
                          "  build c       9:00    1:05  seeded from rust",
                          "  total                10:05"], table.splitlines())

    def test_start_defaults_to_now_minus_duration(self):
        t = wqlib.Timings()
        t.t0 -= 100
        t.add("guest c", 30)
        self.assertAlmostEqual(70, t.phases[0][1], delta=2)


class Guest(unittest.TestCase):
    def test_signal_session_ends_only_the_named_process(self):
        import signal
        import subprocess
        p = subprocess.Popen(["sleep", "60"], start_new_session=True)
        try:
            self.assertEqual(wqlib.signal_session(p.pid, "qemu-system", signal.SIGTERM), [])
            self.assertIsNone(p.poll())
            self.assertEqual(wqlib.signal_session(p.pid, "sleep", signal.SIGTERM), [p.pid])
            self.assertEqual(p.wait(timeout=10), -signal.SIGTERM)
        finally:
            p.kill()
            p.wait()


    def test_qemu_ret_path(self):
        argv = ["qemu-system-x86_64", "-chardev", "file,id=stdout,path=/dev/null",
                "-chardev", "file,id=ret,path=/tmp/virtme_retab12", "-device",
                "virtserialport,name=virtme.ret,chardev=ret"]
        self.assertEqual(wqlib.qemu_ret_path(argv), "/tmp/virtme_retab12")
        self.assertIsNone(wqlib.qemu_ret_path(argv[:3]))


    def test_host_tsc_khz(self):
        info = ("processor\t: 0\nflags\t\t: fpu tsc constant_tsc nonstop_tsc\n"
                "cpu MHz\t\t: 2596.134\n\nprocessor\t: 1\ncpu MHz\t\t: 1200.000\n")
        self.assertEqual(wqlib.host_tsc_khz(info), 2596134)
        self.assertIsNone(wqlib.host_tsc_khz(info.replace(" constant_tsc", "")))
        self.assertIsNone(wqlib.host_tsc_khz("flags\t: constant_tsc\n"))


class Families(unittest.TestCase):
    def test_split_by_heavy_flavours(self):
        self.assertEqual([["c", "c-nowq", "rust"], ["c-debug", "rust-debug"]],
                         wqlib.families(["c", "c-nowq", "rust", "c-debug", "rust-debug"]))
        self.assertEqual([["rust"]], wqlib.families(["rust"]))


KSFT = """TAP version 13
1..3
# Starting 3 tests from 1 test cases.
#  RUN           keyring.a ...
#            OK  keyring.a
ok 1 keyring.a
#  RUN           keyring.b ...
# t.c:56:b:Expected -1 (-1) == read() (0)
# b: Test failed
#          FAIL  keyring.b
not ok 2 keyring.b
ok 3 keyring.c # SKIP no keys
# FAILED: 1 / 3 tests passed.
"""

DMESG = """[    0.512345] KTAP version 1
[    0.512346] 1..2
[    0.512347]     KTAP version 1
[    0.512348]     # Subtest: wq_filter
[    0.512349]     # module: watch_queue
[    0.512350]     1..2
[    0.512351]     ok 1 matches_subtype
[    0.512352]     not ok 2 rejects_type
[    0.512353] not ok 1 wq_filter
[    0.512354]     KTAP version 1
[    0.512355]     # Subtest: empty
[    0.512356]     1..0
[    0.512357] not ok 2 empty
[    1.000000] ------------[ cut here ]------------
[    1.000001] WARNING: CPU: 0 PID: 1 at kernel/x.c:1 f+0x1/0x2
[    1.000002] Call Trace:
[    2.000000] BUG: KASAN: slab-use-after-free in g+0x1/0x2
"""


class Parse(unittest.TestCase):
    def test_tap(self):
        self.assertEqual(wqlib.parse_tap(KSFT, "k:"),
                         [("k:keyring.a", "pass", ""), ("k:keyring.b", "fail",
                           "t.c:56:b:Expected -1 (-1) == read() (0) | b: Test failed"),
                          ("k:keyring.c", "skip", "SKIP no keys")])

    def test_kunit(self):
        got = wqlib.parse_kunit(wqlib.strip_dmesg(DMESG))
        self.assertEqual(got, [("wq_filter.matches_subtype", "pass", ""),
                               ("wq_filter.rejects_type", "fail", ""),
                               ("empty", "fail", "suite failed")])

    def test_reports(self):
        self.assertEqual(wqlib.find_reports(DMESG),
                         ["WARNING: CPU: 0 PID: 1 at kernel/x.c:1 f+0x1/0x2",
                          "BUG: KASAN: slab-use-after-free in g+0x1/0x2"])
        self.assertEqual([], wqlib.find_reports("[ 0.1] Linux version 7.3.4\n"))


class Differential(unittest.TestCase):
    def test_pairs(self):
        self.assertEqual(wqlib.differential_pairs(["c", "rust", "c-debug", "rust-debug"]),
                         [("c", "rust"), ("c-debug", "rust-debug")])
        self.assertEqual(wqlib.differential_pairs(["c", "c-debug"]), [])

    def test_difference(self):
        self.assertIsNone(wqlib.first_difference("a\nb\n", "a\nb\n"))
        self.assertEqual(wqlib.first_difference("a\nb\n", "a\nc\n"), "line 2: 'b' != 'c'")
        self.assertEqual(wqlib.first_difference("a\n", "a\nb\n"), "line 2: '<end>' != 'b'")

    def test_compare(self):
        with tempfile.TemporaryDirectory() as d:
            write(os.path.join(d, "c", "transcript.txt"), "KEY <key> change=1\n")
            write(os.path.join(d, "rust", "transcript.txt"), "KEY <key> change=2\n")
            r = wqlib.Results(echo=False)
            wqlib.compare_results(d, ("c", "rust"), r)
            self.assertEqual(r.failed, 1)
            write(os.path.join(d, "rust", "transcript.txt"), "KEY <key> change=1\n")
            r = wqlib.Results(echo=False)
            wqlib.compare_results(d, ("c", "rust"), r)
            self.assertEqual((r.failed, r.count("pass")), (0, 1))


class Fuzz(unittest.TestCase):
    A = "seed 1\n0 pipe(0, 0) = 0\n1 read(fd0, 16) = 16\n  4.0 len 16 id 1 flags 0 key #0 aux 0\n" \
        "seed 2\n0 close(fd1) = 0\n"

    def test_same(self):
        self.assertIsNone(wqlib.fuzz_first_difference(self.A, self.A))
        self.assertEqual(3, wqlib.fuzz_operations(self.A))

    def test_record_difference_names_the_read(self):
        b = self.A.replace("key #0", "key #1")
        self.assertEqual((1, 1, "  4.0 len 16 id 1 flags 0 key #0 aux 0",
                          "  4.0 len 16 id 1 flags 0 key #1 aux 0"),
                         wqlib.fuzz_first_difference(self.A, b))

    def test_missing_line_and_seed(self):
        b = self.A.replace("  4.0 len 16 id 1 flags 0 key #0 aux 0\n", "")
        self.assertEqual((1, 1, "  4.0 len 16 id 1 flags 0 key #0 aux 0", "<end>"),
                         wqlib.fuzz_first_difference(self.A, b))
        self.assertEqual((2, None, "<seed>", "<no seed>"),
                         wqlib.fuzz_first_difference(self.A, self.A.split("seed 2")[0]))

    def test_keep_spec(self):
        self.assertEqual("0-3,7,9-10", wqlib.keep_spec([0, 1, 2, 3, 7, 9, 10]))
        self.assertEqual("5", wqlib.keep_spec([5]))
        self.assertEqual("none", wqlib.keep_spec([]))

    def test_cases(self):
        self.assertEqual([["seed 3", "0 x = 0"], ["seed 3"]],
                         wqlib.fuzz_cases("case 0\nseed 3\n0 x = 0\ncase 1\nseed 3\n"))

    def test_reducer_finds_the_two_steps(self):
        # The difference needs steps 3 and 17 both.
        red = wqlib.Reducer(range(40))
        rounds = 0
        while True:
            cands = red.candidates()
            if not cands:
                break
            rounds += 1
            if not red.feed(cands, [3 in c and 17 in c for c in cands]):
                break
        self.assertEqual([3, 17], red.steps)
        self.assertLess(rounds, 20)

    def test_reducer_one_step(self):
        red = wqlib.Reducer(range(10))
        while red.feed(red.candidates(), [6 in c for c in red.candidates()]):
            pass
        self.assertEqual([6], red.steps)


class Bench(unittest.TestCase):
    @staticmethod
    def delta(*args):
        """An icount.Delta: a window of TAG, TOTAL, KERNEL, LINE."""
        import icount
        return icount.Delta(*args)

    def test_parse(self):
        self.assertEqual(wqlib.parse_bench("kernel 7.3.4 c\nresult post_1_queue 812.5 ns/note\n"
                                           "result broken x y\nnoise\n"
                                           "insn-window post_1_queue 64 256 40\n"),
                         {"post_1_queue": (812.5, "ns/note")})

    def test_mounts_table(self):
        variants = ["c-nowq", "c", "rust"]
        insns = {"c-nowq": {"mount_bind_umount": 10000.0},
                 "c": {"mount_bind_umount": 10010.0, "mount_watched_per_event": 900.0},
                 "rust": {"mount_bind_umount": 10020.0, "mount_watched_per_event": 800.0}}
        samples = {"c-nowq": {"mount_bind_umount": [100.0, 300.0, 200.0]},
                   "c": {"mount_bind_umount": [110.0]},
                   "rust": {"mount_bind_umount": [120.0], "mount_watched_per_event": [50.0]}}
        lines = wqlib.bench_mounts_table(variants, insns, samples).splitlines()
        self.assertEqual(len(lines), 4)
        self.assertEqual(lines[2], "| mount_bind_umount | 10000.0 | 200 | 10010.0 | 110 | "
                         "10020.0 | 120 | 1.001 | 0.55 | 1.002 | 0.60 |")
        self.assertEqual(lines[3], "| mount_watched_per_event | - | - | 900.0 | - | 800.0 | 50 "
                         "| - | - | - | - |")

    def test_parse_windows(self):
        text = ("result read_433 220.4 ns/note\n"
                "insn-window post_1_queue 64 256 40\n"
                "insn-window read_433 80 512 40\n"
                "insn-window broken x 512 1\n"
                "insn-window zero 81 0 1\n"
                "insn-window none 81 1 0\n"
                "insn-window big 256 1 1\n"
                "insn-window short 82 1\n")
        got = wqlib.parse_bench_windows(text)
        self.assertEqual(got, {"post_1_queue": (64, 256, 40), "read_433": (80, 512, 40)})
        self.assertEqual(list(got), ["post_1_queue", "read_433"])

    def test_workloads_share_a_tag_in_order(self):
        d = self.delta
        windows = {64: [d(64, 100, 100, 1), d(64, 90, 90, 2), d(64, 800, 800, 3)],
                   80: [d(80, 51200, 40960, 4)]}
        described = {"one": (64, 1, 2), "eight": (64, 8, 1), "read": (80, 512, 1)}
        by_name, problems = wqlib.workload_windows(windows, described)
        self.assertEqual(problems, [])
        self.assertEqual(by_name, {"one": windows[64][:2], "eight": windows[64][2:],
                                   "read": windows[80]})
        self.assertEqual(wqlib.bench_insns(by_name, described),
                         {"one": 90.0, "eight": 100.0, "read": 100.0})

    def test_workload_windows_problems(self):
        d = self.delta
        windows = {64: [d(64, 10, 10, 1), d(64, 10, 10, 2), d(64, 10, 10, 3)]}
        by_name, problems = wqlib.workload_windows(windows, {"a": (64, 1, 2), "c": (65, 1, 1)})
        self.assertEqual(by_name, {"a": windows[64][:2]})
        self.assertEqual(problems, ["c: 0 windows of tag 65, expected 1",
                                    "tag 64: 1 windows no workload ran"])
        by_name, problems = wqlib.workload_windows(windows, {"a": (64, 1, 4)})
        self.assertEqual(problems, ["a: 3 windows of tag 64, expected 4"])
        self.assertEqual(wqlib.workload_windows({}, {})[1], ["no insn-window lines"])

    def test_merge_windows(self):
        a = {"x": [self.delta(1, 5, 0, 1)]}
        b = {"x": [self.delta(1, 4, 0, 1)], "y": [self.delta(2, 9, 0, 2)]}
        self.assertEqual(wqlib.merge_windows([a, b]),
                         {"x": [self.delta(1, 5, 0, 1), self.delta(1, 4, 0, 1)],
                          "y": [self.delta(2, 9, 0, 2)]})

    def test_spread(self):
        d = self.delta
        described = {"a": (1, 10, 2), "b": (2, 10, 1)}
        run1 = {"a": [d(1, 1000, 0, 1), d(1, 3000, 0, 2)], "b": [d(2, 500, 0, 3)]}
        run2 = {"a": [d(1, 1002, 0, 1), d(1, 1001, 0, 2)], "b": [d(2, 500, 0, 3)]}
        spread, problems = wqlib.count_spread([run1, run2], described, 0.005)
        self.assertEqual(problems, [])
        self.assertAlmostEqual(spread["a"], 1 / 1001)
        self.assertEqual(spread["b"], 0.0)
        run3 = {"a": [d(1, 1010, 0, 1), d(1, 1010, 0, 2)]}
        spread, problems = wqlib.count_spread([run1, run2, run3], described, 0.005)
        self.assertAlmostEqual(spread["a"], 10 / 1010)
        self.assertEqual(len(problems), 2, problems)   # a above 0.5%; b missing in boot 3
        self.assertTrue(problems[0].startswith("boots 1 and 3: a: 100.0 against 101.0"))
        self.assertEqual(problems[1], "boots 1 and 3: b: not counted in boot 3")

    def test_count_table(self):
        t = wqlib.bench_count_table([{"a": 300.0, "b": 10.0}, {"a": 303.0, "b": 10.0}],
                                    [{"a": 400.0}, {"a": 400.0}])
        self.assertEqual(t.splitlines(), [
            "| workload | C boot 1 | C boot 2 | Rust boot 1 | Rust boot 2 | largest difference |",
            "|---|---:|---:|---:|---:|---:|",
            "| a | 300.0 | 303.0 | 400.0 | 400.0 | 0.990% |",
            "| b | 10.0 | 10.0 | - | - | 0.000% |"])
        self.assertIn("| a | 1.0 | - |", wqlib.bench_count_table([{"a": 1.0}], []))

    def test_table(self):
        t = wqlib.bench_table({"a": [10.0, 12.0, 11.0]}, {"a": [11.0, 13.0, 12.0]},
                              {"a": "ns/note"})
        self.assertIn("| a | ns/note | 10.0 | 11.0 | 11.0 | 12.0 | 1.09 | 1.10 | - | - | - |", t)

    def test_table_with_insns(self):
        t = wqlib.bench_table({"a": [10.0], "m": [4.0]}, {"a": [11.0], "m": [4.0]},
                              {"a": "ns/note", "m": "KiB"},
                              {"a": 300.0}, {"a": 412.5})
        lines = t.splitlines()
        self.assertEqual(lines[0].count("|"), lines[1].count("|"))
        self.assertTrue(lines[0].endswith("| C insns/note | Rust insns/note | Rust/C insns |"))
        self.assertEqual(lines[2], "| a | ns/note | 10.0 | 10.0 | 11.0 | 11.0 | 1.10 | 1.10 "
                                   "| 300.0 | 412.5 | 1.38 |")
        self.assertTrue(lines[3].endswith("| 1.00 | 1.00 | - | - | - |"))

    def test_table_with_layout_control(self):
        t = wqlib.bench_table({"a": [10.0], "m": [4.0]}, {"a": [11.0], "m": [4.0]},
                              {"a": "ns/note", "m": "KiB"}, {"a": 300.0}, {"a": 412.5},
                              {"a": [12.5]})
        lines = t.splitlines()
        self.assertEqual(lines[0].count("|"), lines[1].count("|"))
        self.assertEqual(lines[0].count("|"), lines[2].count("|"))
        self.assertIn("| Rust/C min | C shifted/C median | Rust/C shifted median |", lines[0])
        self.assertEqual(lines[2], "| a | ns/note | 10.0 | 10.0 | 11.0 | 11.0 | 1.10 | 1.10 "
                                   "| 1.25 | 0.88 | 300.0 | 412.5 | 1.38 |")
        self.assertIn("| 1.00 | 1.00 | - | - | - | - | - |", lines[3])

    def test_layout_shift(self):
        c = ("ffffffff81101b00 T watch_queue_init\nffffffff81178cf0 t anon_pipe_read\n"
             "ffffffff81178cf0 t anon_pipe_read\nffffffff81200000 D some_data\n")
        rust = "ffffffff8117a750 t anon_pipe_read\nffffffff81000000 T early\n"
        self.assertEqual(wqlib.text_symbols(c), {"watch_queue_init": 0xffffffff81101b00,
                                                 "anon_pipe_read": 0xffffffff81178cf0})
        self.assertEqual(wqlib.layout_shift(c, rust, "anon_pipe_read"), 0x1a60)
        # The Rust kernel's lower: the same offset in a page.
        self.assertEqual(wqlib.layout_shift(rust, c, "anon_pipe_read"), 4096 - 0xa60)
        self.assertEqual(wqlib.layout_shift(c, c, "anon_pipe_read"), 0)
        self.assertIsNone(wqlib.layout_shift(c, rust, "early"))

    def test_round_order(self):
        v = ["c", "rust", "c-shifted"]
        orders = [wqlib.round_order(v, r) for r in range(3)]
        self.assertEqual(orders[0], v)
        for i in range(3):
            self.assertEqual(sorted(o[i] for o in orders), sorted(v))
        self.assertEqual(wqlib.round_order(["c", "rust"], 1), ["rust", "c"])

    def test_header(self):
        self.assertIn("No instruction counts.", wqlib.bench_header(4, 40))
        h = wqlib.bench_header(4, 40, 2, 10)
        self.assertIn("4 boots of each, in rotating order; a boot's figure for a workload is "
                      "the median of its batches (40 posting or read batches, 400 windows "
                      "of 10 keyctl round trips, 640 of 16 plain pipe blocks)", h)
        self.assertIn("2 more boots of each with 1 vCPU under -icount shift=0", h)
        self.assertIn("10 batches per workload per boot", h)
        self.assertNotIn("Layout control", h)
        self.assertIn("moved by 6752 bytes", wqlib.bench_header(4, 40, shift=6752))


class Collect(unittest.TestCase):
    def run_collect(self, files, rc, console=""):
        with tempfile.TemporaryDirectory() as d:
            for name, text in files.items():
                write(os.path.join(d, name), text)
            r = wqlib.Results(echo=False)
            wqlib.collect_guest_results("c", d, rc, console, r)
            return r

    def test_clean_run(self):
        r = self.run_collect({"status": "done\n", "t.tap": "1..1\nok 1 a\n",
                              "dmesg.txt": "[ 0.1] hello\n"}, 0)
        self.assertEqual((2, 0), (r.count("pass"), r.failed))

    def test_panic_is_a_failure(self):
        r = self.run_collect({"t.tap": "1..2\nok 1 a\n"}, 255,
                             "Kernel panic - not syncing: boom\n")
        names = [i[1] for i in r.items if i[2] == "fail"]
        self.assertIn("guest", names)
        self.assertIn("kernel-log", names)
        self.assertIn("t", names)  # planned 2, ran 1

    def test_hang_is_a_failure(self):
        r = self.run_collect({}, None)
        self.assertTrue(r.failed)

    def test_leak_is_a_failure(self):
        r = self.run_collect({"status": "done", "dmesg.txt": "",
                              "kmemleak.txt": "unreferenced object 0xffff (size 64):\n"}, 0)
        self.assertEqual(1, r.failed)

    def test_empty_tap_is_a_failure(self):
        r = self.run_collect({"status": "done", "dmesg.txt": "", "t.tap": "crashed\n"}, 0)
        self.assertEqual(1, r.failed)

    def test_summary_line(self):
        r = wqlib.Results(echo=False)
        r.add("g", "a", "pass")
        r.add("g", "b", "fail")
        r.add("g", "c", "skip")
        self.assertEqual("1 passed, 1 failed, 1 skipped", r.summary())


class Series(unittest.TestCase):
    """The description of the series (series.txt) and the folding of the
    history into its patches."""

    TEXT = """# a comment
=== rust: add a thing
files: rust/kernel/thing.rs
commits: c3:include/x.h
check: boot

The thing.

Its details.
=== thing: use it
commits: c2

Uses the thing.
"""

    @staticmethod
    def resolve(name):
        if name not in ("c1", "c2", "c3"):
            raise KeyError(name)
        return name

    def test_parse(self):
        a, b = series.parse_series(self.TEXT)
        self.assertEqual("rust: add a thing", a.subject)
        self.assertEqual(["rust/kernel/thing.rs"], a.files)
        self.assertEqual([("c3", "include/x.h")], a.parts)
        self.assertEqual(["boot"], a.checks)
        self.assertEqual("The thing.\n\nIts details.\n", a.body)
        self.assertEqual(["c2"], b.commits)

    def test_parse_refuses_a_patch_without_a_message(self):
        with self.assertRaisesRegex(series.SeriesError, "no commit message"):
            series.parse_series("=== a: b\nfiles: x\n")
        with self.assertRaisesRegex(series.SeriesError, "is not files:"):
            series.parse_series("=== a: b\nfile: x\n\nbody\n")

    def test_claims_most_precise_first(self):
        patches = series.parse_series(self.TEXT)
        changes = [("c1", "rust/kernel/thing.rs"), ("c2", "rust/kernel/thing.rs"),
                   ("c2", "include/x.h"), ("c3", "include/x.h")]
        owner = series.resolve_claims(patches, changes, self.resolve)
        self.assertEqual({("c1", "rust/kernel/thing.rs"): 0, ("c2", "rust/kernel/thing.rs"): 1,
                          ("c2", "include/x.h"): 1, ("c3", "include/x.h"): 0}, owner)

    def test_unclaimed_and_twice_claimed(self):
        patches = series.parse_series(self.TEXT + "=== more\nfiles: rust/kernel/*\n\nb\n")
        changes = [("c1", "rust/kernel/thing.rs"), ("c1", "fs/new.c")]
        with self.assertRaises(series.SeriesError) as e:
            series.resolve_claims(patches, changes, self.resolve)
        text = str(e.exception)
        self.assertIn("c1 fs/new.c: no patch claims it", text)
        self.assertIn("claimed twice (as a file)", text)

    def test_stale_claims(self):
        patches = series.parse_series("=== a\nfiles: gone.c\ncommits: c9 c1:x.c\n\nb\n")
        with self.assertRaises(series.SeriesError) as e:
            series.resolve_claims(patches, [("c2", "y.c")], self.resolve)
        text = str(e.exception)
        self.assertIn("no commit c9", text)
        self.assertIn("c1 does not change x.c", text)
        self.assertIn("gone.c names no file", text)

    def fold(self, history, text):
        """HISTORY: [(commit, {path: content})] in order, from the base
        (commit "base"); returns the contents of each patch's tree."""
        states = dict(history)
        order = [c for c, _ in history]

        def content(c, path):
            prev = states[order[order.index(c) - 1]].get(path)
            return (prev.encode() if prev is not None else None,
                    states[c][path].encode() if states[c].get(path) is not None else None)

        changes = [(c, f) for i, (c, files) in enumerate(history) if i
                   for f in files if files[f] != history[i - 1][1].get(f)]
        patches = series.parse_series(text)
        owner = series.resolve_claims(patches, changes, lambda n: n)
        final = {f: (v.encode() if v is not None else None) for f, v in history[-1][1].items()}
        trees = series.series_trees(patches, changes, owner, final, content)
        return [{f: (v.decode() if v is not None else None) for f, v in t.items()}
                for t in trees]

    def test_a_later_fix_lands_in_the_patch_it_fixes(self):
        history = [("base", {"a.c": "1\n2\n3\n4\n5\n6\n7\n8\n", "new.rs": None}),
                   ("add", {"a.c": "1\n2\nA\n4\n5\n6\n7\n8\n", "new.rs": "x\n"}),
                   ("feat", {"a.c": "1\n2\nA\n4\n5\n6\n7\nF\n", "new.rs": "x\n"}),
                   ("fix", {"a.c": "1\n2\nA2\n4\n5\n6\n7\nF\n", "new.rs": "x2\n"})]
        trees = self.fold(history, "=== add\ncommits: add fix\n\nb\n"
                                   "=== feat\ncommits: feat\n\nb\n")
        self.assertEqual(history[0][1], trees[0])
        self.assertEqual({"a.c": "1\n2\nA2\n4\n5\n6\n7\n8\n", "new.rs": "x2\n"},
                         trees[1])
        self.assertEqual(history[-1][1], trees[2])

    def test_the_same_lines_later_is_an_error(self):
        history = [("base", {"a.c": "1\n2\n3\n"}),
                   ("add", {"a.c": "1\nA\n3\n"}),
                   ("feat", {"a.c": "1\nB\n3\n"})]
        with self.assertRaisesRegex(series.SeriesError, "does not come out"):
            self.fold(history, "=== feat\ncommits: feat\n\nb\n"
                               "=== add\ncommits: add\n\nb\n")

    def test_taken_back_names_what_a_later_patch_removes(self):
        trees = [{"a.c": b"1\n"}, {"a.c": b"1\nA\n"}, {"a.c": b"1\nB\n"}]
        self.assertEqual({2: [("a.c", "A")]}, series.taken_back(trees, trees[0]))
        self.assertEqual({}, series.taken_back(trees[:2], trees[0]))

    def test_an_empty_patch_is_an_error(self):
        history = [("base", {"a.c": "1\n"}), ("add", {"a.c": "2\n"}),
                   ("undo", {"a.c": "1\n"})]
        with self.assertRaisesRegex(series.SeriesError, "empty"):
            self.fold(history, "=== add\ncommits: add undo\n\nb\n")


if __name__ == "__main__":
    unittest.main()
