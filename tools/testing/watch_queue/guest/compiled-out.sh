#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs inside the guest of a kernel without CONFIG_WATCH_QUEUE: what
# userspace gets then.  pipe2(O_NOTIFICATION_PIPE) once leaked the inode and
# the pipe when the queue could not be set up, which a kernel without the
# feature does on every call: 4000 calls must fail with ENOPKG and leave the
# number of inodes where it was.  The mount notifications' call is then
# absent (ENOSYS).  Prints TAP.
exec /usr/bin/python3 - <<'END'
import ctypes, errno, os

O_NOTIFICATION_PIPE = os.O_EXCL
KEYCTL_WATCH_KEY = 32
KEY_SPEC_SESSION_KEYRING = -3
NR_KEYCTL = 250  # x86_64
NR_WATCH_MOUNT = 473
NR_WATCH_SB = 474

def inodes():
    with open("/proc/sys/fs/inode-nr") as f:
        return int(f.read().split()[0])

def pipe2_errno():
    try:
        fds = os.pipe2(O_NOTIFICATION_PIPE)
    except OSError as e:
        return e.errno
    for fd in fds:
        os.close(fd)
    return 0

print("1..5")
got = pipe2_errno()
print(("ok" if got == errno.ENOPKG else "not ok") +
      f" 1 pipe2(O_NOTIFICATION_PIPE) fails with ENOPKG # errno {got}")

for _ in range(100):
    pipe2_errno()
before = inodes()
for _ in range(4000):
    pipe2_errno()
grown = inodes() - before
print(("ok" if grown < 1000 else "not ok") +
      f" 2 failed pipe2() calls leak no inode # {grown} more inodes after 4000")

libc = ctypes.CDLL(None, use_errno=True)
r = libc.syscall(NR_KEYCTL, KEYCTL_WATCH_KEY, KEY_SPEC_SESSION_KEYRING, 0, 1)
got = ctypes.get_errno() if r == -1 else 0
print(("ok" if got == errno.EOPNOTSUPP else "not ok") +
      f" 3 keyctl(KEYCTL_WATCH_KEY) fails with EOPNOTSUPP # errno {got}")

r = libc.syscall(NR_WATCH_MOUNT, -100, b"/", 0, 0, 1)
got = ctypes.get_errno() if r == -1 else 0
print(("ok" if got == errno.ENOSYS else "not ok") +
      f" 4 watch_mount() fails with ENOSYS # errno {got}")

r = libc.syscall(NR_WATCH_SB, -100, b"/", 0, 0, 1)
got = ctypes.get_errno() if r == -1 else 0
print(("ok" if got == errno.ENOSYS else "not ok") +
      f" 5 watch_sb() fails with ENOSYS # errno {got}")
END
