# SPDX-License-Identifier: GPL-2.0
"""The series as a reviewer receives it: export the repository's history as
`git format-patch` patches against the pristine base, check them with
checkpatch, and apply them with `git am` to a pristine tree, building after
each patch.  Also the other lint gates: rustfmt and CLIPPY=1."""

import concurrent.futures
import os
import re
import shutil
import subprocess

import wqlib

COVER = """\
Subject: [PATCH 00/{n}] watch_queue: a Rust implementation of the notification queue core

This series adds a Rust implementation of the general notification queue
(kernel/watch_queue.c: O_NOTIFICATION_PIPE pipes, their filters, keyring
notifications), selected by CONFIG_WATCH_QUEUE_RUST.  The C core stays, as
the choice for architectures without Rust and as the oracle that every
behaviour test runs against.  Userspace sees no change: same uapi, same
errnos, same bytes read.

The first patches add Rust abstractions: a bottom-half spinlock, RCU-freed
boxes and pointers, the current task's credentials and rlimits, pipes and
their ring, the watch_queue objects shared with sources, keys, and the LSM
hooks.  Then fs/pipe.c gets one helper for the loss record, the Rust core
arrives behind its Kconfig option, and the keyring's KEYCTL_WATCH_KEY moves
to Rust as a thin shim.  Selftests (the feature had none), a benchmark,
documentation and a MAINTAINERS entry follow.

Tested in virtme-ng (QEMU TCG) on both cores, with and without KASAN,
kmemleak, lockdep and Smack: kselftests under
tools/testing/selftests/watch_queue/, KUnit tests of the Rust core, keyutils'
"keyctl watch" and samples/watch_queue/watch_test, whose output is compared
between the cores.

Based on Linux 7.3.4 (Debian linux-source-7.3 7.3.4-1~bpo13+1).
"""

# checkpatch --strict messages that are false positives here, and why.
FALSE_POSITIVES = [
    # kernel/watch_queue/exports.c exports functions defined in Rust (the
    # Rust core cannot use EXPORT_SYMBOL itself), so they cannot follow it.
    (r"EXPORT_SYMBOL\(foo\); should immediately follow its function/variable",
     "exports.c exports functions defined in Rust"),
    # Patches that add files before the MAINTAINERS patch of the series.
    (r"added, moved or deleted file\(s\), does MAINTAINERS need updating\?",
     "MAINTAINERS is updated by its own patch of the series"),
]


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def out(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw).stdout


def repo_commits(repo):
    return out(["git", "-C", repo, "rev-list", "--reverse", "HEAD"]).split()


def kernel_files_at(repo, rev):
    files = out(["git", "-C", repo, "ls-tree", "-r", "--name-only", rev]).split("\n")
    return sorted(f for f in files if f and wqlib.is_overlaid(f))


def export(repo, base_dir, dest, work):
    """Replay the repository's commits that touch kernel files onto the
    pristine base files in a scratch git repository WORK, then write the
    patches with a cover letter to DEST.  Returns the patch paths."""
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    env = dict(os.environ, GIT_COMMITTER_NAME="wq export", GIT_COMMITTER_EMAIL="wq@localhost",
               GIT_COMMITTER_DATE="2026-11-22T00:00:00Z")
    g = ["git", "-C", work]
    run(g + ["init", "-q"])
    commits = repo_commits(repo)
    touched = set()
    for c in commits:
        touched.update(kernel_files_at(repo, c))
    # The base: the pristine version of every file the series touches.
    for f in sorted(touched):
        src = os.path.join(base_dir, f)
        if os.path.exists(src):
            os.makedirs(os.path.dirname(os.path.join(work, f)) or work, exist_ok=True)
            shutil.copyfile(src, os.path.join(work, f))
    run(g + ["add", "-A"])
    run(g + ["commit", "-q", "--allow-empty", "-m", "Linux 7.3.4",
             "--author", "Linus Torvalds <torvalds@linux-foundation.org>"], env=env)
    base = out(g + ["rev-parse", "HEAD"]).strip()
    for c in commits:
        files = kernel_files_at(repo, c)
        for f in sorted(touched):
            dst = os.path.join(work, f)
            if f in files:
                os.makedirs(os.path.dirname(dst), exist_ok=True)
                with open(dst, "wb") as fh:
                    fh.write(subprocess.run(["git", "-C", repo, "show", f"{c}:{f}"],
                                            check=True, capture_output=True).stdout)
            elif os.path.exists(os.path.join(base_dir, f)):
                shutil.copyfile(os.path.join(base_dir, f), dst)
            elif os.path.exists(dst):
                os.unlink(dst)
        run(g + ["add", "-A"])
        if not out(g + ["status", "--porcelain"]).strip():
            continue
        author = out(["git", "-C", repo, "log", "-1", "--format=%an <%ae>", c]).strip()
        date = out(["git", "-C", repo, "log", "-1", "--format=%aI", c]).strip()
        msg = out(["git", "-C", repo, "log", "-1", "--format=%B", c]).rstrip() + "\n"
        if "Signed-off-by:" not in msg:
            msg += f"\nSigned-off-by: {author}\n"
        run(g + ["commit", "-q", "--author", author, "--date", date, "-F", "-"],
            input=msg.encode(), env=env)
    shutil.rmtree(dest, ignore_errors=True)
    os.makedirs(dest)
    run(g + ["format-patch", "-q", "--cover-letter", "--no-signature", "-o", dest,
             f"{base}..HEAD"])
    patches = sorted(os.path.join(dest, p) for p in os.listdir(dest) if p.endswith(".patch"))
    cover = [p for p in patches if os.path.basename(p).startswith("0000-")]
    n = len(patches) - len(cover)
    if cover:
        text = open(cover[0]).read()
        head = text.split("\n\n", 1)[0]
        head = re.sub(r"Subject: .*\*\*\* SUBJECT HERE \*\*\*",
                      "Subject: " + COVER.splitlines()[0][len("Subject: "):].format(n=n), head)
        body = COVER.split("\n", 2)[2]
        stat = text.split("*** BLURB HERE ***", 1)[1] if "*** BLURB HERE ***" in text else ""
        with open(cover[0], "w") as fh:
            fh.write(head + "\n\n" + body + stat)
    return patches


def checkpatch(base_dir, patches):
    """Run checkpatch --strict on each patch, one per CPU at a time; returns
    {patch: [problems]} for the errors, warnings and checks that are not
    known false positives."""
    def check(p):
        r = subprocess.run(["perl", os.path.join(base_dir, "scripts/checkpatch.pl"), "--strict",
                            "--no-tree", "--showfile", "--terse", p],
                           capture_output=True, text=True)
        bad = []
        for line in r.stdout.splitlines():
            if not re.search(r": (ERROR|WARNING|CHECK):", line):
                continue
            if any(re.search(rx, line) for rx, _ in FALSE_POSITIVES):
                continue
            bad.append(line)
        return p, bad

    todo = [p for p in patches if not os.path.basename(p).startswith("0000-")]
    problems = {}
    with concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 2) as pool:
        for p, bad in pool.map(check, todo):
            if bad:
                problems[os.path.basename(p)] = bad
    return problems


def rustfmt_check(repo, base_dir):
    """Files of the repository that rustfmt (the kernel's settings) would
    change."""
    files = [f for f in out(["git", "-C", repo, "ls-files", "*.rs"]).split() if f]
    files += [f for f in out(["git", "-C", repo, "ls-files", "-o", "--exclude-standard",
                              "*.rs"]).split() if f]
    bad = []
    for f in sorted(set(files)):
        r = subprocess.run(["rustfmt", "--edition", "2021", "--check", "--config-path",
                            os.path.join(base_dir, ".rustfmt.toml"), os.path.join(repo, f)],
                           capture_output=True, text=True)
        # rustfmt follows `mod` items into files of the base; only the diff
        # of the file itself counts.
        if r.returncode != 0 and f"Diff in {os.path.join(repo, f)}" in r.stdout:
            bad.append(f)
    return bad


def clippy_warnings(log_text):
    """The warnings and errors of a CLIPPY=1 build log."""
    return [line for line in log_text.splitlines()
            if re.match(r"^(warning|error)(\[\w+\])?: ", line)
            and not re.match(r"^warning: \d+ warnings? emitted", line)]
