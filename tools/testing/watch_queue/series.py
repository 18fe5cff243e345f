# SPDX-License-Identifier: GPL-2.0
"""The series as a reviewer receives it: the patches that series.txt
describes, made from the repository's history (each change folded into the
patch that claims it) and written with `git format-patch` against the
pristine base, checked with checkpatch.  Also the other lint gates: rustfmt
and CLIPPY=1."""

import concurrent.futures
import difflib
import fnmatch
import os
import re
import shutil
import subprocess
import tempfile

import wqlib

# checkpatch --strict messages that are false positives here, and why.
FALSE_POSITIVES = [
    # kernel/watch_queue/exports.c exports functions defined in Rust (the
    # Rust core cannot use EXPORT_SYMBOL itself), so they cannot follow it.
    (r"EXPORT_SYMBOL\(foo\); should immediately follow its function/variable",
     "exports.c exports functions defined in Rust"),
    # The base is a source package, not a git tree: checkpatch can look up
    # no commit, so every upstream commit a message cites is "unknown".
    (r"Unknown commit id '[0-9a-f]+', maybe rebased or not pulled\?",
     "the base has no git history to look commits up in"),
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


# The series, as the reviewers receive it, is described by SERIES: the
# patches in review order, each with its subject, its commit message and what
# it is made of.  See parse_series() for the format.
SERIES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "series.txt")


class SeriesError(Exception):
    """The description of the series does not match the repository."""


class Patch:
    """One patch of the series: SUBJECT, BODY (its commit message without the
    subject), and its claims: FILES (paths or fnmatch patterns: every change
    to them), COMMITS (every kernel file a commit changes) and PARTS
    ((commit, path): one file of one commit)."""

    def __init__(self, subject, line):
        self.subject = subject
        self.line = line
        self.files = []
        self.commits = []
        self.parts = []
        self.checks = []
        self.body = ""

    def __repr__(self):
        return f"Patch({self.subject!r})"


def parse_series(text):
    """Parse a series description.  Lines before the first patch that start
    with '#' are comments, as are blank ones.  A patch starts with a line
    '=== SUBJECT'; then come its claims, one or more words after 'files:'
    or 'commits:' (a commit, or COMMIT:PATH for one file of it), and what
    "wq export --check" does with it besides building it ('check: boot'),
    up to a blank line; the rest, up to the next '===' line, is the commit message's
    body, in which the lines are kept as they are."""
    patches = []
    cur = None
    in_claims = False
    body = []
    for n, line in enumerate(text.splitlines(), 1):
        if line.startswith("=== "):
            if cur:
                cur.body = "\n".join(body).strip("\n") + "\n"
            cur = Patch(line[4:].strip(), n)
            patches.append(cur)
            in_claims, body = True, []
            continue
        if cur is None:
            if line.strip() and not line.startswith("#"):
                raise SeriesError(f"line {n}: text before the first patch")
            continue
        if in_claims:
            if not line.strip():
                in_claims = False
                continue
            key, _, words = line.partition(":")
            if key == "files":
                cur.files += words.split()
            elif key == "commits":
                for w in words.split():
                    if ":" in w:
                        c, _, f = w.partition(":")
                        cur.parts.append((c, f))
                    else:
                        cur.commits.append(w)
            elif key == "check":
                cur.checks += words.split()
            else:
                raise SeriesError(f"line {n}: '{key}:' is not files:, commits: or check:")
            continue
        body.append(line)
    if cur:
        cur.body = "\n".join(body).strip("\n") + "\n"
    for p in patches:
        if not p.subject:
            raise SeriesError(f"line {p.line}: a patch without a subject")
        if not p.body.strip():
            raise SeriesError(f"line {p.line}: '{p.subject}' has no commit message")
    return patches


def resolve_claims(patches, changes, resolve):
    """Which patch each change goes to.  CHANGES is a list of (commit, path)
    in history order, every kernel file that a commit changes; RESOLVE maps
    a commit as the description names it to the full id (KeyError if there
    is none).  A claim of one file of a commit wins over a claim of the
    whole commit, which wins over a claim of the file.  Returns {(commit,
    path): index of the patch}; raises SeriesError naming every change that
    no patch claims or two patches claim, and every claim that takes
    nothing."""
    parts, whole, files = {}, {}, []
    problems = []

    def full(c, p):
        try:
            return resolve(c)
        except KeyError:
            problems.append(f"'{p.subject}': no commit {c} in the history")
            return None

    for i, p in enumerate(patches):
        for c, f in p.parts:
            c = full(c, p)
            if c:
                parts.setdefault((c, f), []).append(i)
        for c in p.commits:
            c = full(c, p)
            if c:
                whole.setdefault(c, []).append(i)
        for f in p.files:
            files.append((f, i))
    owner = {}
    for c, path in changes:
        for level, claims in (("file of the commit", parts.get((c, path), [])),
                              ("commit", whole.get(c, [])),
                              ("file", [i for f, i in files
                                        if f == path or fnmatch.fnmatchcase(path, f)])):
            if len(claims) > 1:
                names = ", ".join(f"'{patches[i].subject}'" for i in claims)
                problems.append(f"{c[:12]} {path}: claimed twice (as a {level}), by {names}")
            if claims:
                owner[(c, path)] = claims[0]
                break
        else:
            problems.append(f"{c[:12]} {path}: no patch claims it")
    changed = set(changes)
    for (c, f), idx in parts.items():
        if (c, f) not in changed:
            problems.append(f"'{patches[idx[0]].subject}': {c[:12]} does not change {f}")
    changed_commits = {c for c, _ in changes}
    for c, idx in whole.items():
        if c not in changed_commits:
            problems.append(f"'{patches[idx[0]].subject}': {c[:12]} changes no kernel file")
    paths = {p for _, p in changes}
    for f, i in files:
        if not any(p == f or fnmatch.fnmatchcase(p, f) for p in paths):
            problems.append(f"'{patches[i].subject}': files: {f} names no file of the series")
    if problems:
        raise SeriesError("\n".join(problems))
    return owner


def merge_file(cur, new, old):
    """CUR with the change from NEW to OLD taken out of it (a three-way
    merge): (True, the result, None for no file), or (False, None) if the
    change does not come out cleanly."""
    if cur == new:
        return True, old
    if cur is None or new is None or old is None:
        return False, None
    with tempfile.TemporaryDirectory() as d:
        names = []
        for name, data in (("cur", cur), ("new", new), ("old", old)):
            path = os.path.join(d, name)
            with open(path, "wb") as fh:
                fh.write(data)
            names.append(path)
        r = subprocess.run(["git", "merge-file", "-p", "-q", *names], capture_output=True)
    if r.returncode == 0:
        return True, r.stdout
    # A change next to lines that another patch changed is a conflict to
    # a three-way merge even where the two do not overlap.
    res = revert_blocks(cur, new, old)
    return (res is not None), res


def find_unique(lines, seq):
    """The index where SEQ occurs in LINES if it occurs exactly once, else
    None."""
    hits = [i for i in range(len(lines) - len(seq) + 1) if lines[i:i + len(seq)] == seq]
    return hits[0] if len(hits) == 1 else None


def revert_blocks(cur, new, old):
    """CUR with the change from NEW to OLD taken out block by block: each
    changed block's lines as NEW has them must occur exactly once in CUR,
    and a block that only adds lines goes after the lines that precede it in
    NEW (or before those that follow), found exactly once.  None if a block
    cannot be placed so."""
    c = cur.splitlines(keepends=True)
    n = new.splitlines(keepends=True)
    o = old.splitlines(keepends=True)
    edits = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, n, o, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if i2 > i1:
            at = find_unique(c, n[i1:i2])
            if at is None:
                return None
            edits.append((at, at + i2 - i1, o[j1:j2]))
            continue
        for before in range(min(3, i1), 0, -1):
            at = find_unique(c, n[i1 - before:i1])
            if at is not None:
                edits.append((at + before, at + before, o[j1:j2]))
                break
        else:
            after = n[i1:i1 + 3]
            at = find_unique(c, after) if after else None
            if at is None:
                return None
            edits.append((at, at, o[j1:j2]))
    edits.sort()
    for (a1, a2, _), (b1, _, _) in zip(edits, edits[1:]):
        if b1 < a2:
            return None
    for a1, a2, lines in reversed(edits):
        c[a1:a2] = lines
    return b"".join(c)


def series_trees(patches, changes, owner, final, content):
    """The kernel files after each patch.  FINAL is {path: bytes or None}
    at the repository's head; CONTENT(commit, path) gives (before, after),
    the file before and after a commit (None: not in the tree).  Walks the
    series backwards from the head, taking each patch's changes out in the
    reverse order of the history, so that a change made later lands in the
    patch that claims it.  Returns trees[0..n], trees[0] what is left when
    every patch is taken out (the caller checks that it is the base)."""
    trees = [None] * (len(patches) + 1)
    tree = dict(final)
    trees[len(patches)] = dict(tree)
    by_patch = {}
    for c, path in changes:
        by_patch.setdefault(owner[(c, path)], []).append((c, path))
    problems = []
    for k in range(len(patches) - 1, -1, -1):
        for c, path in reversed(by_patch.get(k, [])):
            old, new = content(c, path)
            ok, res = merge_file(tree.get(path), new, old)
            if not ok:
                problems.append(f"'{patches[k].subject}': {c[:12]} {path}: "
                                "its change does not come out of the patches after it "
                                "(a later patch changes the same lines)")
                continue
            tree[path] = res
        trees[k] = dict(tree)
    for k in range(1, len(patches) + 1):
        if trees[k] == trees[k - 1]:
            problems.append(f"'{patches[k - 1].subject}': the patch is empty")
    if problems:
        raise SeriesError("\n".join(problems))
    return trees


def taken_back(trees, base):
    """For each patch k (1-based), the (path, line) pairs that it removes or
    replaces and that an earlier patch added (lines that BASE, {path: bytes
    or None}, does not have): what a patch of the series fixes or undoes in
    another, to be read by a person (list extensions show up too)."""
    out = {}
    for k in range(1, len(trees)):
        a, b = trees[k - 1], trees[k]
        for path in sorted(b):
            if a[path] == b[path] or a[path] is None:
                continue
            x = a[path].decode(errors="replace").splitlines()
            y = (b[path] or b"").decode(errors="replace").splitlines()
            ours = set(x) - set((base.get(path) or b"").decode(errors="replace").splitlines())
            sm = difflib.SequenceMatcher(None, x, y, autojunk=False)
            for tag, i1, i2, _, _ in sm.get_opcodes():
                if tag in ("replace", "delete"):
                    out.setdefault(k, []).extend((path, line) for line in x[i1:i2]
                                                 if line in ours and line.strip())
    return out


def git_blob(repo, rev, path):
    r = subprocess.run(["git", "-C", repo, "cat-file", "blob", f"{rev}:{path}"],
                       capture_output=True)
    return r.stdout if r.returncode == 0 else None


def base_blob(base_dir, path):
    try:
        with open(os.path.join(base_dir, path), "rb") as fh:
            return fh.read()
    except FileNotFoundError:
        return None


def plan(repo, base_dir, series_file=SERIES):
    """Read the description and compute the series: returns (patches,
    trees, owner, changes); raises SeriesError if the description and the
    history disagree."""
    with open(series_file) as fh:
        patches = parse_series(fh.read())
    commits = repo_commits(repo)
    changes = []
    for c in commits:
        files = out(["git", "-C", repo, "diff-tree", "--root", "--no-commit-id", "-r",
                     "--name-only", "-z", c]).split("\0")
        for f in sorted(x for x in files if x and wqlib.is_overlaid(x)):
            changes.append((c, f))
    short = {}

    def resolve(name):
        if name not in short:
            r = subprocess.run(["git", "-C", repo, "rev-parse", "-q", "--verify",
                                f"{name}^{{commit}}"], capture_output=True, text=True)
            full_id = r.stdout.strip()
            if r.returncode != 0 or full_id not in commit_set:
                raise KeyError(name)
            short[name] = full_id
        return short[name]

    commit_set = set(commits)
    owner = resolve_claims(patches, changes, resolve)
    parent = {c: (commits[i - 1] if i else None) for i, c in enumerate(commits)}

    def state(rev, path):
        blob = git_blob(repo, rev, path) if rev else None
        return blob if blob is not None else base_blob(base_dir, path)

    def content(c, path):
        return state(parent[c], path), state(c, path)

    touched = sorted({f for _, f in changes})
    final = {f: state(commits[-1], f) for f in touched}
    trees = series_trees(patches, changes, owner, final, content)
    left = [f for f in touched if trees[0][f] != base_blob(base_dir, f)]
    if left:
        raise SeriesError("with every patch taken out, these differ from the base: "
                          + ", ".join(left))
    return patches, trees, owner, changes


COVER_FILE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "cover.txt")

# Fixed identities and dates, so that the same series gives the same commits.
GIT_IDENTITY = {"GIT_AUTHOR_NAME": "Linus Torvalds",
                "GIT_AUTHOR_EMAIL": "torvalds@linux-foundation.org",
                "GIT_AUTHOR_DATE": "2026-11-10T00:00:00Z",
                "GIT_COMMITTER_NAME": "Linus Torvalds",
                "GIT_COMMITTER_EMAIL": "torvalds@linux-foundation.org",
                "GIT_COMMITTER_DATE": "2026-11-10T00:00:00Z"}
BASE_MESSAGE = "Linux 7.3.4\n\nDebian linux-source-7.3 7.3.4-1~bpo13+1, pristine.\n"


def base_repo(base_dir, git_dir):
    """A bare git repository at GIT_DIR whose one commit is the whole
    pristine base, made once (a commit of fixed identity and date: the same
    base gives the same id on every machine); returns its id."""
    stamp = os.path.join(git_dir, "wq-base")
    key = os.path.realpath(base_dir)
    if os.path.exists(stamp):
        with open(stamp) as fh:
            saved, commit = fh.read().split()
        if saved == key:
            return commit
    shutil.rmtree(git_dir, ignore_errors=True)
    run(["git", "init", "-q", "--bare", git_dir])
    g = ["git", f"--git-dir={git_dir}", f"--work-tree={base_dir}"]
    # -f: Debian's linux-source appends "/*" (ignore everything at the top
    # level) to the kernel's .gitignore.
    run(g + ["add", "-A", "-f"])
    tree = out(g + ["write-tree"]).strip()
    commit = out(g + ["commit-tree", tree], input=BASE_MESSAGE,
                 env=dict(os.environ, **GIT_IDENTITY)).strip()
    os.unlink(os.path.join(git_dir, "index"))
    with open(stamp, "w") as fh:
        fh.write(f"{key} {commit}\n")
    return commit


def small_base(repo, base_dir, git_dir, paths):
    """A bare repository at GIT_DIR whose one commit holds only PATHS, as the
    base has them: enough to write and check the patches quickly (the lint
    gate).  Returns the commit's id."""
    shutil.rmtree(git_dir, ignore_errors=True)
    run(["git", "init", "-q", "--bare", git_dir])
    tree = write_tree(repo, base_dir, git_dir, None,
                      {p: base_blob(base_dir, p) for p in paths})
    return out(["git", f"--git-dir={git_dir}", "commit-tree", tree], input=BASE_MESSAGE,
               env=dict(os.environ, **GIT_IDENTITY)).strip()


def file_mode(repo, base_dir, path):
    """The mode a series file has: the repository's, else the base's."""
    ls = out(["git", "-C", repo, "ls-tree", "HEAD", "--", path]).split()
    if ls:
        return ls[0]
    try:
        return "100755" if os.stat(os.path.join(base_dir, path)).st_mode & 0o111 else "100644"
    except FileNotFoundError:
        return "100644"


def write_tree(repo, base_dir, git_dir, parent, files):
    """The tree of commit PARENT (None: empty) with FILES ({path: bytes, or
    None to remove}) changed; returns its id."""
    g = ["git", f"--git-dir={git_dir}"]
    with tempfile.TemporaryDirectory() as d:
        env = dict(os.environ, GIT_INDEX_FILE=os.path.join(d, "index"))
        if parent:
            run(g + ["read-tree", parent], env=env)
        info = []
        for path, data in sorted(files.items()):
            if data is None:
                info.append(f"0 {'0' * 40}\t{path}")
                continue
            sha = subprocess.run(g + ["hash-object", "-w", "--stdin"], input=data,
                                 check=True, capture_output=True).stdout.decode().strip()
            info.append(f"{file_mode(repo, base_dir, path)} {sha}\t{path}")
        run(g + ["update-index", "--index-info"], input="\n".join(info) + "\n",
            text=True, env=env)
        return out(g + ["write-tree"], env=env).strip()


def author_of(repo):
    return out(["git", "-C", repo, "log", "-1", "--format=%an <%ae>"]).strip()


def commit_series(repo, base_dir, git_dir, base, patches, trees):
    """Commit each patch of the series on BASE in GIT_DIR; returns the last
    commit."""
    author = author_of(repo)
    name, _, email = author.partition(" <")
    env = dict(os.environ, **GIT_IDENTITY)
    env.update(GIT_AUTHOR_NAME=name, GIT_AUTHOR_EMAIL=email.rstrip(">"))
    head = base
    for k, p in enumerate(patches, 1):
        changed = {f: trees[k][f] for f in trees[k] if trees[k][f] != trees[k - 1][f]}
        tree = write_tree(repo, base_dir, git_dir, head, changed)
        msg = f"{p.subject}\n\n{p.body}"
        if "Signed-off-by:" not in msg:
            msg += f"\nSigned-off-by: {author}\n"
        head = out(["git", f"--git-dir={git_dir}", "commit-tree", tree, "-p", head],
                   input=msg, env=env).strip()
    return head


def recipients(base_dir, maintainers, patch):
    """(To, Cc) of PATCH by scripts/get_maintainer.pl, with the series'
    MAINTAINERS: the maintainers, then the reviewers and the lists."""
    def ask(*roles):
        r = subprocess.run(["perl", "scripts/get_maintainer.pl", "--no-git", "--no-git-fallback",
                            "--no-rolestats", "--no-s", *roles, "--mpath", maintainers, patch],
                           cwd=base_dir, capture_output=True, text=True)
        return [line.strip() for line in r.stdout.splitlines() if line.strip()]
    to = ask("--m", "--no-r", "--no-l")
    # A maintainer of one entry may review another: once is enough.
    return to, [a for a in ask("--no-m", "--r", "--l") if a not in to]


def add_headers(path, to, cc):
    """Put To: and Cc: into the mail headers of the patch at PATH."""
    with open(path) as fh:
        text = fh.read()
    head, sep, rest = text.partition("\n\n")
    for name, who in (("To", to), ("Cc", cc)):
        if who:
            head += f"\n{name}: " + ",\n    ".join(who)
    with open(path, "w") as fh:
        fh.write(head + sep + rest)


def export(repo, base_dir, dest, work, full=True, series_file=SERIES, trees_out=None):
    """Write the series that SERIES_FILE describes as patches with a cover
    letter into DEST, through the git repositories under WORK.  FULL: on a
    commit of the whole pristine base (kept in WORK/base.git), with
    base-commit: and the recipients of get_maintainer.pl; else on a commit
    of only the files the series touches (the lint gate).  Returns the
    patch paths, the cover letter first; the trees of the patches (see
    plan()) are appended to the list TREES_OUT if one is given."""
    patches, trees, _, _ = plan(repo, base_dir, series_file)
    if trees_out is not None:
        trees_out.extend(trees)
    os.makedirs(work, exist_ok=True)
    if full:
        git_dir = os.path.join(work, "base.git")
        base = base_repo(base_dir, git_dir)
    else:
        git_dir = os.path.join(work, "small.git")
        base = small_base(repo, base_dir, git_dir, trees[0].keys())
    head = commit_series(repo, base_dir, git_dir, base, patches, trees)
    shutil.rmtree(dest, ignore_errors=True)
    os.makedirs(dest)
    with open(COVER_FILE) as fh:
        cover_subject, _, cover_body = fh.read().partition("\n\n")
    run(["git", f"--git-dir={git_dir}", "format-patch", "-q", "--cover-letter",
         "--no-signature", "--subject-prefix=PATCH v2", "-o", dest,
         *([f"--base={base}"] if full else []), f"{base}..{head}"])
    paths = sorted(os.path.join(dest, p) for p in os.listdir(dest) if p.endswith(".patch"))
    cover = paths[0]
    with open(cover) as fh:
        text = fh.read()
    text = text.replace("*** SUBJECT HERE ***", cover_subject.strip())
    text = text.replace("*** BLURB HERE ***", cover_body.strip())
    with open(cover, "w") as fh:
        fh.write(text)
    if full:
        with tempfile.NamedTemporaryFile("wb", suffix="MAINTAINERS") as m:
            m.write(trees[-1]["MAINTAINERS"])
            m.flush()
            with concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 2) as pool:
                rcpt = list(pool.map(lambda p: recipients(base_dir, m.name, p), paths[1:]))
        every_to = sorted({a for to, _ in rcpt for a in to})
        every_cc = sorted({a for _, cc in rcpt for a in cc} - set(every_to))
        add_headers(cover, every_to, every_cc)
        for p, (to, cc) in zip(paths[1:], rcpt):
            add_headers(p, to, cc)
    return paths


def checkpatch(base_dir, patches):
    """Run checkpatch --strict on each patch, one per CPU at a time; returns
    {patch: [problems]} for the errors, warnings and checks that are not
    known false positives."""
    def check(p):
        r = subprocess.run(["perl", os.path.join(base_dir, "scripts/checkpatch.pl"), "--strict",
                            "--no-tree", "--showfile", "--terse", p],
                           capture_output=True, text=True, cwd=base_dir)
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


def rustfmt_diff(path, base_dir):
    """True if rustfmt, with the kernel's settings, would change the file at
    PATH."""
    r = subprocess.run(["rustfmt", "--edition", "2021", "--check", "--config-path",
                        os.path.join(base_dir, ".rustfmt.toml"), path],
                       capture_output=True, text=True)
    # rustfmt follows `mod` items into other files; only the diff of the
    # file itself counts.
    return r.returncode != 0 and f"Diff in {path}" in r.stdout


def rustfmt_check(repo, base_dir):
    """Files of the repository that rustfmt (the kernel's settings) would
    change."""
    files = [f for f in out(["git", "-C", repo, "ls-files", "*.rs"]).split() if f]
    files += [f for f in out(["git", "-C", repo, "ls-files", "-o", "--exclude-standard",
                              "*.rs"]).split() if f]
    return [f for f in sorted(set(files)) if rustfmt_diff(os.path.join(repo, f), base_dir)]


def clippy_warnings(log_text):
    """The warnings and errors of a CLIPPY=1 build log."""
    return [line for line in log_text.splitlines()
            if re.match(r"^(warning|error)(\[\w+\])?: ", line)
            and not re.match(r"^warning: \d+ warnings? emitted", line)]
