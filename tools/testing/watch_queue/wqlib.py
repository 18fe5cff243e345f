# SPDX-License-Identifier: GPL-2.0
"""Pure logic of the watch_queue harness, kept apart so that it is tested on
the host (test_wq.py): which files are overlaid, the manifest of the base
they were written against, configuration checks, and the parsing of what the
guest reports."""

import hashlib
import os
import re
import time

# Repository files that are not part of the kernel tree and so are never
# overlaid onto the base.
NOT_OVERLAID = ("README.md", ".gitignore", ".ci/", "tools/testing/watch_queue/")

KIND_FRAGMENTS = {"c": "c.config", "rust": "rust.config"}


def is_overlaid(path):
    """True if repository file PATH is copied over the base."""
    return not any(path == p or (p.endswith("/") and path.startswith(p))
                   for p in NOT_OVERLAID)


def read_text(path, default=None):
    """The text of the file at PATH, or DEFAULT if there is none."""
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except FileNotFoundError:
        return default


def file_sha256(path):
    """The sha256 of the file at PATH, or None if there is none."""
    try:
        with open(path, "rb") as f:
            return hashlib.sha256(f.read()).hexdigest()
    except FileNotFoundError:
        return None


def read_manifest(path):
    """Read the manifest: one '<sha256 of the pristine base file> <path>' a
    line, or 'new <path>' for a file the base does not have."""
    entries = {}
    if not os.path.exists(path):
        return entries
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            parts = line.split()
            if len(parts) != 2 or not (parts[0] == "new" or
                                       re.fullmatch(r"[0-9a-f]{64}", parts[0])):
                raise ValueError(f"{path}:{n}: malformed line: {line}")
            entries[parts[1]] = parts[0]
    return entries


def write_manifest(path, entries):
    with open(path, "w") as f:
        f.write("# sha256 of the pristine base file each overlaid file was written\n"
                "# against ('new' for files the base lacks).  Checked before every\n"
                "# build; update with 'wq manifest --add FILE' after a rebase.\n")
        for rel in sorted(entries):
            f.write(f"{entries[rel]}  {rel}\n")


def check_manifest(entries, overlaid, base_dir):
    """Return a list of problems: overlaid files the manifest does not know,
    manifest entries for files that are not overlaid, and base drift."""
    errors = []
    for rel in overlaid:
        if rel not in entries:
            errors.append(f"{rel}: overlaid but not in the manifest")
    for rel, want in sorted(entries.items()):
        if rel not in overlaid:
            errors.append(f"{rel}: in the manifest but not in the repository")
            continue
        got = file_sha256(os.path.join(base_dir, rel))
        if want == "new":
            if got is not None:
                errors.append(f"{rel}: recorded as new, but the base has it now (base drift)")
        elif got is None:
            errors.append(f"{rel}: the base no longer has this file (base drift)")
        elif got != want:
            errors.append(f"{rel}: base drift: written against {want[:12]}, "
                          f"the base has {got[:12]}; rebase needed")
    return errors


# --- configuration -------------------------------------------------------------

def variant_fragments(variant):
    """Config fragments for a variant name 'KIND[-FLAVOUR...]', in order."""
    parts = variant.split("-")
    if parts[0] not in KIND_FRAGMENTS:
        raise ValueError(f"unknown variant {variant}")
    return ["base.config", KIND_FRAGMENTS[parts[0]]] + [f"{p}.config" for p in parts[1:]]


def available_variants(configs_dir, debug=True):
    """The variants the test suite runs, in order: each core, the C variant
    with the feature compiled out (right after C, whose objects it shares),
    then the debug flavours."""
    kinds = [k for k in ("c", "rust")
             if os.path.exists(os.path.join(configs_dir, KIND_FRAGMENTS[k]))]
    out = list(kinds)
    if "c" in kinds and os.path.exists(os.path.join(configs_dir, "nowq.config")):
        out.insert(1, "c-nowq")
    if debug:
        out += [f"{k}-debug" for k in kinds]
    return out


# Flavours that change the compiler's flags for every object (KASAN and the
# other checkers): a tree of another flavour set rebuilds everything, so it is
# no use as a seed.
HEAVY_FLAVOURS = ("debug",)


def heavy_flavours(variant):
    """The set of HEAVY_FLAVOURS in VARIANT's name."""
    return frozenset(p for p in variant.split("-")[1:] if p in HEAVY_FLAVOURS)


def seed_order(variant, built):
    """The variants among BUILT whose build tree can seed VARIANT's, best
    first.

    Kbuild records, per object, the options it depends on (fixdep's
    include/config/ files) and the command that built it, so a copy of a
    tree configured again rebuilds only what the changed options reach.  A
    seed must have the same heavy flavours (else every object's flags
    change); the closest is the one whose fragments differ least."""
    want = set(variant_fragments(variant))
    out = []
    for i, b in enumerate(built):
        if b == variant or heavy_flavours(b) != heavy_flavours(variant):
            continue
        out.append((len(want ^ set(variant_fragments(b))), i, b))
    return [b for _, _, b in sorted(out)]


def relocate_tree(tree, old, new=None):
    """Make the build tree TREE, a copy of the tree that was built in the
    directory OLD, fit to build in the directory NEW (by default TREE, where
    it stands): replace OLD by NEW in the commands and dependencies that
    Kbuild recorded (the .cmd and .d files).  Return the number of files
    changed.

    Kbuild rebuilds an object whose command changed.  The C commands use
    paths relative to the build tree, but every rustc command carries the
    tree's absolute path (OBJTREE=, for the generated files that the kernel
    crate includes), and so do the host tools' (objtool): without this, a
    copied tree rebuilds the whole Rust side (core alone takes a minute) and
    objtool.  The objects do not record the path, so a relocated tree builds
    the same kernel as one built where it stands ("wq verify-seed")."""
    tree = os.path.abspath(tree)
    new = os.path.abspath(new or tree).encode()
    old = os.path.abspath(old).encode()
    # OLD as a whole path component: /x/.build/c is not /x/.build/c-debug.
    pat = re.compile(re.escape(old) + rb"(?=[/\s:;'\"]|$)", re.M)
    changed = 0
    for root, _dirs, files in os.walk(tree):
        for name in files:
            if not (name.endswith(".cmd") or name.endswith(".d")):
                continue
            path = os.path.join(root, name)
            with open(path, "rb") as f:
                data = f.read()
            if old not in data:
                continue
            data, n = pat.subn(new, data)
            if n:
                st = os.stat(path)
                with open(path, "wb") as f:
                    f.write(data)
                # Kbuild compares commands, not the .cmd files' times; keep
                # them anyway, as a copy with "cp -a" would.
                os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
                changed += 1
    return changed


# Fragments whose variant is built last in its family: the feature compiled
# out (nowq.config) reaches most objects of its seed (CONFIG_WATCH_QUEUE is in
# headers that most files include), so its build is long and keeps both CPUs
# busy, beside the other family's last guests, which use one.
LATE_FRAGMENTS = ("nowq.config",)


def build_order(variants):
    """VARIANTS reordered so that each variant that can be seeded comes after
    a variant it can be seeded from; otherwise in the order given."""
    out = []
    pending = list(variants)
    while pending:
        v = pending.pop(0)
        out.append(v)
        # The variants of the same heavy flavours follow, closest first, but
        # those with LATE_FRAGMENTS last.
        same = seed_order(v, pending)
        same.sort(key=lambda s: any(f in LATE_FRAGMENTS for f in variant_fragments(s)))
        for s in same:
            pending.remove(s)
        out.extend(same)
    return out


# What the kernel prints last when it halts (kernel_halt(): "reboot: System
# halted", or "reboot: Power off not available: System halted instead" for a
# power-off without a way to power off).
HALTED = b"System halted"


def session_pids(sid, comm_prefix, proc="/proc"):
    """The pids of the processes of session SID whose command name starts
    with COMM_PREFIX."""
    out = []
    for pid in os.listdir(proc):
        if not pid.isdigit():
            continue
        try:
            with open(os.path.join(proc, pid, "stat")) as f:
                stat = f.read()
        except OSError:
            continue
        # "pid (comm) state ppid pgrp session ...": comm may hold spaces.
        comm = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[3]) == sid and comm.startswith(comm_prefix):
            out.append(int(pid))
    return out


def signal_session(sid, comm_prefix, sig, proc="/proc"):
    """Send SIG to the processes of session SID whose command name starts with
    COMM_PREFIX; return their pids."""
    hit = []
    for pid in session_pids(sid, comm_prefix, proc):
        try:
            os.kill(pid, sig)
            hit.append(pid)
        except ProcessLookupError:
            pass
    return hit


def host_tsc_khz(cpuinfo):
    """The host's TSC frequency in kHz, from /proc/cpuinfo (CPUINFO: its
    text) of a CPU whose TSC runs at a constant rate ("cpu MHz", which is
    the TSC's frequency where the kernel knows no better one); None if it
    does not say."""
    flags, mhz = "", None
    for line in cpuinfo.splitlines():
        key, _, value = line.partition(":")
        key = key.strip()
        if key == "flags" and not flags:
            flags = value
        elif key == "cpu MHz" and mhz is None:
            try:
                mhz = float(value)
            except ValueError:
                pass
    if mhz is None or "constant_tsc" not in flags.split():
        return None
    return round(mhz * 1000)


def qemu_ret_path(argv):
    """The file behind the "ret" chardev of a QEMU started by virtme-ng
    (ARGV: its command line), where the guest's init writes the script's
    exit status: "-chardev file,id=ret,path=FILE"; None if there is none."""
    for arg in argv:
        opts = dict(o.split("=", 1) for o in arg.split(",") if "=" in o)
        if arg.startswith("file,") and opts.get("id") == "ret" and "path" in opts:
            return opts["path"]
    return None


def parse_ccache_stats(text):
    """"N hits, N misses" from a ccache stats log (CCACHE_STATSLOG: a "# "
    line per compilation, then one counter name a line), or "" if it
    records no compilation."""
    counts = {}
    for line in text.splitlines():
        counts[line.strip()] = counts.get(line.strip(), 0) + 1
    hits = counts.get("direct_cache_hit", 0) + counts.get("preprocessed_cache_hit", 0)
    misses = counts.get("cache_miss", 0)
    if not hits and not misses:
        return ""
    return f"ccache {hits} hits, {misses} misses"


def families(variants):
    """VARIANTS (in build order) split into families: the variants of the
    same heavy flavours, which seed one another's trees and so are built one
    after the other, while the families are independent."""
    out = {}
    for v in variants:
        out.setdefault(heavy_flavours(v), []).append(v)
    return list(out.values())


class Timings:
    """Wall-clock time of each phase of a run, printed as a table at its end
    so that every CI log shows where the budget went.  Each phase is shown
    with the time it started, since phases of different families overlap."""

    def __init__(self):
        self.phases = []
        self.t0 = time.monotonic()

    def add(self, phase, seconds, detail="", start=None):
        """Record PHASE, which took SECONDS and ended now (or started at
        START seconds into the run)."""
        if start is None:
            start = max(0.0, time.monotonic() - self.t0 - seconds)
        self.phases.append((phase, start, seconds, detail))

    def table(self, total=None):
        total = time.monotonic() - self.t0 if total is None else total
        width = max([len(p) for p, _, _, _ in self.phases] + [5])
        lines = ["Time per phase:", f"  {'phase':<{width}} {'start':>7} {'took':>7}"]
        for phase, start, secs, detail in sorted(self.phases, key=lambda p: p[1]):
            lines.append(f"  {phase:<{width}} {_mmss(start):>7} {_mmss(secs):>7}" +
                         (f"  {detail}" if detail else ""))
        lines.append(f"  {'total':<{width}} {'':>7} {_mmss(total):>7}")
        return "\n".join(lines)


def _mmss(seconds):
    seconds = int(round(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


def parse_config(text):
    """Map CONFIG_ names to values; 'n' for '# CONFIG_X is not set'."""
    values = {}
    for line in text.splitlines():
        line = line.strip()
        m = re.match(r"^(CONFIG_\w+)=(.*)$", line)
        if m:
            values[m.group(1)] = m.group(2)
            continue
        m = re.match(r"^# (CONFIG_\w+) is not set$", line)
        if m:
            values[m.group(1)] = "n"
    return values


def config_mismatches(wanted, final):
    """Options asked for that the final .config does not have as asked."""
    out = []
    for name, want in sorted(wanted.items()):
        got = final.get(name, "n")
        if got != want:
            out.append((name, want, got))
    return out


# --- results -----------------------------------------------------------------------

class Results:
    """Test results, printed one a line as they come when ECHO."""

    def __init__(self, echo=True):
        self.items = []
        self.echo = echo

    def add(self, group, name, status, detail=""):
        assert status in ("pass", "fail", "skip")
        self.items.append((group, name, status, detail))  # atomic: safe from threads
        mark = {"pass": "ok", "fail": "FAIL", "skip": "skip"}[status]
        if self.echo:
            print(f"{mark:4} {group}/{name}" + (f": {detail}" if detail and status != "pass" else ""),
              flush=True)

    def count(self, status):
        return sum(1 for i in self.items if i[2] == status)

    @property
    def failed(self):
        return self.count("fail")

    def print_failures(self):
        fails = [i for i in self.items if i[2] == "fail"]
        if fails:
            print("\nFailures:")
            for group, name, _, detail in fails:
                print(f"  {group}/{name}: {detail}")

    def summary(self):
        return f"{self.count('pass')} passed, {self.count('fail')} failed, " \
               f"{self.count('skip')} skipped"


TAP_LINE = re.compile(r"^(not ok|ok)\s+\d+\s*-?\s*([^#]*?)\s*(?:#\s*(.*))?$")


def parse_tap(text, prefix=""):
    """Parse the top level of a TAP/KTAP stream.  Returns [(name, status,
    detail)]; a 'not ok' with a SKIP directive, or an 'ok' with one, is a
    skip.  A failure's detail is its directive, else the diagnostics ('#'
    lines) printed since the previous result."""
    out = []
    diags = []
    for line in text.splitlines():
        m = TAP_LINE.match(line.rstrip())
        if not m:
            d = re.match(r"^#\s+(.*\S)", line)
            if d and not re.match(r"^(RUN|OK|FAIL|SKIP)\b", d.group(1)):
                diags.append(d.group(1))
            continue
        ok, name, directive = m.group(1) == "ok", m.group(2), (m.group(3) or "")
        if directive.upper().startswith("SKIP"):
            out.append((prefix + name, "skip", directive))
        elif directive.upper().startswith("XFAIL"):
            out.append((prefix + name, "pass", directive))
        elif ok:
            out.append((prefix + name, "pass", ""))
        else:
            out.append((prefix + name, "fail", directive or " | ".join(diags[-3:])))
        diags = []
    return out


DMESG_PREFIX = re.compile(r"^(?:<\d+>)?\[\s*\d+\.\d+\]\s?")


def strip_dmesg(text):
    return "\n".join(DMESG_PREFIX.sub("", line) for line in text.splitlines())


def parse_kunit(dmesg):
    """Test cases of the KUnit suites in a (prefix-stripped) kernel log: one
    result per case, named 'suite.case'; a failing suite with no case
    results counts once."""
    out = []
    suite = None
    cases = 0
    in_ktap = False
    for line in dmesg.splitlines():
        if line.startswith("KTAP version"):
            in_ktap = True
            continue
        if not in_ktap:
            continue
        m = re.match(r"^    # Subtest: (\S+)", line)
        if m:
            suite, cases = m.group(1), 0
            continue
        m = TAP_LINE.match(line[4:]) if line.startswith("    ") and \
            not line.startswith("        ") else None
        if m and suite:
            ok, name, directive = m.group(1) == "ok", m.group(2), m.group(3) or ""
            cases += 1
            if directive.upper().startswith("SKIP"):
                out.append((f"{suite}.{name}", "skip", directive))
            else:
                out.append((f"{suite}.{name}", "pass" if ok else "fail", directive))
            continue
        m = TAP_LINE.match(line)
        if m and suite:
            if m.group(1) == "not ok" and cases == 0 and \
                    not (m.group(3) or "").upper().startswith("SKIP"):
                out.append((suite, "fail", "suite failed"))
            suite = None
    return out


# Kernel reports that fail a run: the first line of each.
REPORT_PATTERNS = [
    r"BUG: ", r"WARNING: ", r"Kernel panic", r"Oops", r"general protection fault",
    r"KASAN: ", r"UBSAN: ", r"kernel BUG at", r"unreferenced object 0x",
    r"possible circular locking dependency", r"inconsistent lock state",
    r"possible recursive locking", r"suspicious RCU usage", r"INFO: task .* blocked",
    r"rcu: INFO: .* detected stalls", r"Call Trace:", r"kmemleak: .* new suspected",
]
REPORT_RE = re.compile("|".join(f"(?:{p})" for p in REPORT_PATTERNS))


def find_reports(log):
    """Distinct report lines (first lines of splats) in a kernel log."""
    seen = []
    for line in log.splitlines():
        if REPORT_RE.search(line):
            key = DMESG_PREFIX.sub("", line).strip()
            if key not in seen:
                seen.append(key)
    # "Call Trace:" alone says a splat printed; keep it only if nothing named it.
    named = [s for s in seen if s != "Call Trace:"]
    return named or seen


def collect_guest_results(variant, res_dir, rc, console, results):
    """Turn what a guest left in RES_DIR into results of group VARIANT."""
    status_path = os.path.join(res_dir, "status")
    status = read_text(status_path, "").strip()
    if rc is None:
        results.add(variant, "guest", "fail", "the guest hung (timed out); see console.log")
    elif status != "done":
        tail = " | ".join(console.strip().splitlines()[-5:])
        results.add(variant, "guest", "fail",
                    f"the guest did not finish (panic or crash, vng exit {rc}): {tail}")
    for name in sorted(os.listdir(res_dir)):
        if name.endswith(".tap"):
            text = read_text(os.path.join(res_dir, name))
            tests = parse_tap(text, prefix=name[:-4] + ":")
            if not tests:
                results.add(variant, name[:-4], "fail", "no test results")
            for tname, st, detail in tests:
                results.add(variant, tname, st, detail)
            plan = re.search(r"^1\.\.(\d+)", text, re.M)
            if plan and int(plan.group(1)) != len(tests):
                results.add(variant, name[:-4], "fail",
                            f"planned {plan.group(1)} tests, ran {len(tests)}")
    dmesg_path = os.path.join(res_dir, "dmesg.txt")
    log = read_text(dmesg_path, console)
    kunit = parse_kunit(strip_dmesg(log))
    for tname, st, detail in kunit:
        results.add(variant, "kunit:" + tname, st, detail)
    reports = find_reports(log)
    leaks = read_text(os.path.join(res_dir, "kmemleak.txt"), "").strip()
    if leaks:
        reports.append("kmemleak: " + leaks.splitlines()[0])
    if reports:
        for r in reports:
            results.add(variant, "kernel-log", "fail", r)
    elif status == "done":
        results.add(variant, "kernel-log", "pass")


# --- differential ----------------------------------------------------------------

def differential_pairs(variants):
    """(C variant, Rust variant) pairs of the same flavour among VARIANTS."""
    out = []
    for v in variants:
        if v == "c" or v.startswith("c-"):
            twin = "rust" + v[1:]
            if twin in variants:
                out.append((v, twin))
    return out


def first_difference(a, b):
    """None if texts A and B are the same, else a description of the first
    line where they differ."""
    la, lb = a.splitlines(), b.splitlines()
    for i in range(max(len(la), len(lb))):
        x = la[i] if i < len(la) else "<end>"
        y = lb[i] if i < len(lb) else "<end>"
        if x != y:
            return f"line {i + 1}: {x!r} != {y!r}"
    return None


def compare_results(res_root, pair, results, names=("transcript.txt",)):
    """Compare what the two variants of PAIR printed (files NAMES in their
    results directories): a difference is a failure."""
    a, b = pair
    for name in names:
        pa = os.path.join(res_root, a, name)
        pb = os.path.join(res_root, b, name)
        if not (os.path.exists(pa) and os.path.exists(pb)):
            results.add("diff", f"{a}-vs-{b}:{name}", "fail", "missing on one side")
            continue
        diff = first_difference(read_text(pa), read_text(pb))
        results.add("diff", f"{a}-vs-{b}:{name}", "fail" if diff else "pass", diff or "")


# --- the fuzzer (wq_fuzz) -------------------------------------------------------

def fuzz_seeds(text):
    """{seed: [lines]} of a trace of "wq_fuzz diff", in order."""
    out, cur = {}, None
    for line in text.splitlines():
        if line.startswith("seed "):
            cur = out.setdefault(int(line.split()[1]), [])
        elif cur is not None:
            cur.append(line)
    return out


def fuzz_step_of(lines, i):
    """The step number of line I of a seed's trace (a record belongs to the
    read before it), or None."""
    for line in reversed(lines[:i + 1]):
        m = re.match(r"(\d+) ", line)
        if m:
            return int(m.group(1))
    return None


def fuzz_first_difference(a, b):
    """The first difference between two traces of "wq_fuzz diff" of the same
    seeds: None, or (seed, step, line of A, line of B), step None when it is
    before the first step; a seed that only one trace has is a difference
    at its start."""
    sa, sb = fuzz_seeds(a), fuzz_seeds(b)
    for seed in sorted(set(sa) | set(sb)):
        la, lb = sa.get(seed), sb.get(seed)
        if la is None or lb is None:
            return (seed, None, "<no seed>" if la is None else "<seed>",
                    "<no seed>" if lb is None else "<seed>")
        for i in range(max(len(la), len(lb))):
            x = la[i] if i < len(la) else "<end>"
            y = lb[i] if i < len(lb) else "<end>"
            if x != y:
                return (seed, fuzz_step_of(la if i < len(la) else lb, i), x, y)
    return None


def fuzz_operations(text):
    """The steps a trace ran (its lines that start with a step number)."""
    return sum(1 for line in text.splitlines() if re.match(r"\d+ ", line))


def fuzz_cases(text):
    """[lines] per case of "wq_fuzz plan" output."""
    out = []
    for line in text.splitlines():
        if re.match(r"case \d+$", line):
            out.append([])
        elif out:
            out[-1].append(line)
    return out


def keep_spec(steps):
    """STEPS (sorted step numbers) as wq_fuzz's KEEP: "0-3,7"."""
    if not steps:
        return "none"
    parts, start, prev = [], steps[0], steps[0]
    for n in steps[1:] + [None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        parts.append(str(start) if start == prev else f"{start}-{prev}")
        if n is not None:
            start = prev = n
    return ",".join(parts)


class Reducer:
    """Delta debugging (ddmin) over the steps of one seed, in rounds: each
    round proposes candidates (the current steps less one chunk), all of
    which one boot per variant can run ("wq_fuzz plan"); the round's result
    is which candidates still show the difference.  Done when no chunk of
    one step can go."""

    def __init__(self, steps):
        self.steps = list(steps)
        self.n = 2

    def candidates(self):
        if len(self.steps) <= 1:
            return []
        n = min(self.n, len(self.steps))
        size = -(-len(self.steps) // n)
        return [self.steps[:i] + self.steps[i + size:]
                for i in range(0, len(self.steps), size)]

    def feed(self, candidates, differs):
        """DIFFERS[i]: candidate I still shows the difference.  Returns
        whether another round is needed."""
        for cand, d in zip(candidates, differs):
            if d:
                # The first candidate that still differs (they are all
                # about as long).
                self.steps = cand
                self.n = max(self.n - 1, 2)
                return len(self.steps) > 1
        if self.n >= len(self.steps):
            return False
        self.n = min(self.n * 2, len(self.steps))
        return True


def compare_fuzz(res_root, pair, results):
    """Compare the fuzzer's traces (fuzz.txt, guest/tests/fuzz.sh) of the two
    variants of PAIR: the first difference, as fuzz_first_difference(), is
    a failure and is returned.  Nothing when neither ran the differential
    mode (the debug flavours run the concurrent one)."""
    a, b = pair
    pa = os.path.join(res_root, a, "fuzz.txt")
    pb = os.path.join(res_root, b, "fuzz.txt")
    if not (os.path.exists(pa) or os.path.exists(pb)):
        return None
    name = f"{a}-vs-{b}:fuzz"
    if not (os.path.exists(pa) and os.path.exists(pb)):
        results.add("diff", name, "fail", "missing on one side")
        return None
    ta, tb = read_text(pa), read_text(pb)
    d = fuzz_first_difference(ta, tb)
    if d is None:
        results.add("diff", name, "pass",
                    f"{fuzz_operations(ta)} operations, {len(fuzz_seeds(ta))} seeds")
        return None
    seed, step, x, y = d
    results.add("diff", name, "fail", f"seed {seed}, step {step}: {x!r} != {y!r}")
    return d


# --- benchmark -------------------------------------------------------------------

def parse_bench(text):
    """{name: (value, unit)} from the 'result NAME VALUE UNIT' lines of
    wq_bench."""
    out = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[0] == "result":
            try:
                out[parts[1]] = (float(parts[2]), parts[3])
            except ValueError:
                pass
    return out


def parse_bench_windows(text):
    """{name: (tag, notes, windows)}, in order, from the 'insn-window NAME
    TAG NOTES WINDOWS' lines of wq_bench: workload NAME ran the next WINDOWS
    windows of marker TAG, each over NOTES notes.  Malformed lines are left
    out."""
    out = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 5 and parts[0] == "insn-window":
            try:
                tag, notes, count = map(int, parts[2:])
            except ValueError:
                continue
            if 0 <= tag <= 255 and notes > 0 and count > 0:
                out[parts[1]] = (tag, notes, count)
    return out


def workload_windows(windows, described):
    """The windows of one counting boot ({tag: [icount.Delta]}, in order)
    shared among the workloads of DESCRIBED (parse_bench_windows()): each
    takes the next WINDOWS windows of its tag, so that workloads may share
    one (the kernel's posting loop).  Returns ({name: [Delta]}, problems):
    no insn-window lines, a workload short of windows, windows of a
    workload's tag left over."""
    out, problems, taken = {}, [], {}
    if not described:
        problems.append("no insn-window lines")
    for name, (tag, _, count) in described.items():
        start = taken.get(tag, 0)
        got = windows.get(tag, [])[start:start + count]
        taken[tag] = start + count
        if len(got) != count:
            problems.append(f"{name}: {len(got)} windows of tag {tag}, expected {count}")
            continue
        out[name] = got
    for tag, n in taken.items():
        if len(windows.get(tag, [])) > n:
            problems.append(f"tag {tag}: {len(windows[tag]) - n} windows no workload ran")
    return out, problems


def bench_insns(by_name, described):
    """Instructions per note of each workload of DESCRIBED from its windows
    in one or more counting boots ({name: [icount.Delta]},
    workload_windows()): the least window, user and kernel instructions,
    divided by the notes in a window.  Workloads without windows are left
    out."""
    import icount
    return {name: icount.per_op(by_name[name], notes)
            for name, (_, notes, _) in described.items() if by_name.get(name)}


def bench_mounts_table(variants, insns, samples):
    """The markdown table of "wq bench --mounts": per workload, instructions
    per operation (or per event) and the median TCG time of each variant of
    VARIANTS (the first is the base), with the ratios to the base."""
    base = variants[0]
    names = sorted({n for v in variants for n in list(insns[v]) + list(samples[v])})
    head = "| workload | " + " | ".join(f"{v} insns | {v} ns" for v in variants) + \
        " | " + " | ".join(f"{v}/{base} insns | {v}/{base} ns" for v in variants[1:]) + " |"
    lines = [head, "|" + "---|" * (1 + 2 * len(variants) + 2 * (len(variants) - 1))]
    for name in names:
        cells = []
        med = {}
        for v in variants:
            i = insns[v].get(name)
            t = samples[v].get(name)
            med[v] = _median(t) if t else None
            cells += [f"{i:.1f}" if i is not None else "-",
                      f"{med[v]:.0f}" if med[v] is not None else "-"]
        for v in variants[1:]:
            bi, vi = insns[base].get(name), insns[v].get(name)
            cells += [f"{vi / bi:.3f}" if bi and vi else "-",
                      f"{med[v] / med[base]:.2f}" if med[base] and med[v] else "-"]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def merge_windows(runs):
    """The windows of several runs ({name: [Delta]} each) as one such map,
    each workload's windows in run order."""
    out = {}
    for run in runs:
        for name, deltas in run.items():
            out.setdefault(name, []).extend(deltas)
    return out


def count_spread(runs, described, tolerance):
    """How far apart the counting boots RUNS ({name: [Delta]} each) of one
    variant are: per workload of DESCRIBED, the largest relative difference
    between the instructions per note of the first boot and of any other
    (as bench_insns() counts them), and the problems: a difference above
    TOLERANCE, a workload missing in a boot.  Returns ({name: fraction},
    problems)."""
    counts = [bench_insns(run, described) for run in runs]
    spread, problems = {}, []
    for i, got in enumerate(counts[1:], 2):
        for name in described:
            a, b = counts[0].get(name), got.get(name)
            if a is None or b is None:
                problems.append(f"boots 1 and {i}: {name}: not counted in boot "
                                f"{1 if a is None else i}")
                continue
            rel = abs(a - b) / max(a, b) if max(a, b) else 0.0
            spread[name] = max(spread.get(name, 0.0), rel)
            if rel > tolerance:
                problems.append(f"boots 1 and {i}: {name}: {a:.1f} against {b:.1f} "
                                f"instructions per note, {rel:.3%} apart, more than "
                                f"{tolerance:.3%}")
    return spread, problems


def bench_count_table(c_runs, rust_runs):
    """A Markdown table of the instructions per note that each counting boot
    found ({name: count} per boot, bench_insns()), C's boots then Rust's,
    and the largest relative difference between two boots of a core."""
    boots = [("C", r) for r in c_runs] + [("Rust", r) for r in rust_runs]
    heads = [f"{core} boot {i}" for core, runs in (("C", c_runs), ("Rust", rust_runs))
             for i in range(1, len(runs) + 1)]
    rows = ["| workload | " + " | ".join(heads) + " | largest difference |",
            "|---|" + "---:|" * (len(heads) + 1)]
    names = []
    for _, run in boots:
        names += [n for n in run if n not in names]
    for name in names:
        cells, worst = [], None
        for runs in (c_runs, rust_runs):
            got = [r[name] for r in runs if name in r]
            if len(got) == len(runs) and len(got) > 1:
                rel = (max(got) - min(got)) / max(got) if max(got) else 0.0
                worst = rel if worst is None else max(worst, rel)
        for _, run in boots:
            cells.append(f"{run[name]:.1f}" if name in run else "-")
        rows.append(f"| {name} | " + " | ".join(cells) +
                    f" | {'-' if worst is None else f'{worst:.3%}'} |")
    return "\n".join(rows) + "\n"


def _median(xs):
    xs = sorted(xs)
    n = len(xs)
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2


def text_symbols(system_map):
    """{name: address} of the text symbols of a System.map's TEXT (the
    first address of a name that occurs more than once)."""
    out = {}
    for line in system_map.splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[1] in "tTwW":
            try:
                out.setdefault(parts[2], int(parts[0], 16))
            except ValueError:
                pass
    return out


def layout_shift(c_map, rust_map, anchor):
    """The padding, in bytes, that moves the text symbol ANCHOR from where
    the System.map C_MAP has it to where RUST_MAP has it: the difference of
    the addresses, or, if RUST_MAP's is lower, that difference modulo a
    page (the same offsets within pages, which is what TCG's translation
    sees).  None if either map lacks ANCHOR."""
    c, rust = text_symbols(c_map).get(anchor), text_symbols(rust_map).get(anchor)
    if c is None or rust is None:
        return None
    return rust - c if rust >= c else (rust - c) % 4096


def round_order(variants, r):
    """The order in which round R (from 0) boots VARIANTS: rotated by one
    each round, so that each variant boots in each position as often."""
    k = r % len(variants)
    return variants[k:] + variants[:k]


def bench_table(c, rust, units, c_insns=None, rust_insns=None, shifted=None):
    """A Markdown table: per workload, C and Rust minimum and median over the
    rounds, the Rust/C ratio of the medians (and of the minimums), with
    SHIFTED (the times of the layout control, the C kernel with the Rust
    kernel's layout) the ratios of its median to C's and of Rust's to its,
    and, if counted (C_INSNS, RUST_INSNS: {name: instructions per note}),
    the instructions per note of each core and their Rust/C ratio ("-"
    where a workload has no count)."""
    c_insns, rust_insns = c_insns or {}, rust_insns or {}
    head = ("| workload | unit | C min | C median | Rust min | Rust median | Rust/C median "
            "| Rust/C min |")
    rule = "|---|---|---:|---:|---:|---:|---:|---:|"
    if shifted is not None:
        head += " C shifted/C median | Rust/C shifted median |"
        rule += "---:|---:|"
    rows = [head + " C insns/note | Rust insns/note | Rust/C insns |", rule + "---:|---:|---:|"]
    for name in sorted(set(c) | set(rust), key=lambda n: (list(units).index(n) if n in units else 0)):
        if name not in c or name not in rust:
            continue
        cmin, cmed = min(c[name]), _median(c[name])
        rmin, rmed = min(rust[name]), _median(rust[name])
        ratio_med = f"{rmed / cmed:.2f}" if cmed else "-"
        ratio_min = f"{rmin / cmin:.2f}" if cmin else "-"
        control = ""
        if shifted is not None:
            smed = _median(shifted[name]) if shifted.get(name) else None
            control = (f"{smed / cmed:.2f} | " if smed and cmed else "- | ") + \
                (f"{rmed / smed:.2f} | " if smed else "- | ")
        ci, ri = c_insns.get(name), rust_insns.get(name)
        insns = (f"{ci:.1f}" if ci is not None else "-",
                 f"{ri:.1f}" if ri is not None else "-",
                 f"{ri / ci:.2f}" if ci and ri is not None else "-")
        rows.append(f"| {name} | {units.get(name, '')} | {cmin:.1f} | {cmed:.1f} | "
                    f"{rmin:.1f} | {rmed:.1f} | {ratio_med} | {ratio_min} | {control}"
                    f"{insns[0]} | {insns[1]} | {insns[2]} |")
    return "\n".join(rows) + "\n"


def bench_header(rounds, iterations, count_runs=0, count_iterations=0, shift=None):
    """The paragraph above the table: host, guest, and how the times (and,
    with COUNT_RUNS, the instruction counts; with SHIFT, the layout
    control's) were taken."""
    import platform
    cpu = ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    counts = (f"Instructions: {count_runs} more boots of each with 1 vCPU under "
              f"-icount shift=0 and the insn_count plugin, {count_iterations} batches per "
              f"workload per boot; the least window of a workload, kernel and user "
              f"instructions, divided by the notes (4 KiB blocks) in it. "
              if count_runs else "No instruction counts. ")
    control = (f"Layout control: \"C shifted\" is the c kernel with everything linked after "
               f"its core moved by {shift} bytes (int3 padding after the core's last "
               f"function) to where the rust kernel has it: the same instructions as c, the "
               f"rust kernel's layout; booted as often, in turn with the others. "
               f"\"C shifted/C\" is what the layout alone changes in a TCG time. "
               if shift is not None else "")
    return (f"Host: {cpu} ({os.cpu_count()} CPUs), {platform.system()} {platform.release()}. "
            f"Guest: the c and rust variants of the 7.3.4 base (same configuration but "
            f"CONFIG_WATCH_QUEUE_RUST). Times: 2 vCPUs under QEMU TCG (no KVM: times are "
            f"emulated and only comparable with each other), "
            f"{rounds} boots of each, in rotating order; a boot's figure for a workload is the "
            f"median of its batches ({iterations} posting or read batches, "
            f"{iterations * 10} windows of 10 keyctl round trips, {iterations * 16} of 16 "
            f"plain pipe blocks). "
            f"{control}{counts}Lower is better.\n")
