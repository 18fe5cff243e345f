#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The LSM hooks of the notification queue, with Smack (the debug flavour has
# it): a key update by a task labelled Poster reaches a watcher labelled
# Watcher only once a rule lets Poster write to Watcher
# (smack_post_notification()); and KEYCTL_WATCH_KEY of a key labelled Poster
# by a task labelled Watcher (smack_watch_key(), which once read out of the
# key's security blob: syzbot, September 2024) needs a rule letting Watcher
# read Poster.  Prints TAP; skips without Smack.
echo "1..3"
if ! grep -qw smack /sys/kernel/security/lsm 2>/dev/null &&
   ! grep -q smackfs /proc/filesystems; then
	echo "ok 1 post_refused # SKIP no Smack in this kernel"
	echo "ok 2 post_allowed # SKIP no Smack in this kernel"
	echo "ok 3 watch_key # SKIP no Smack in this kernel"
	exit 0
fi
S=/sys/fs/smackfs
mountpoint -q $S || mount -t smackfs smackfs $S || exit 1
W=$(mktemp -d)

# Watcher and Poster may use the floor ("_") objects: files, keys.
printf '%s\n' "Watcher _ rwxa" "Poster _ rwxa" "_ Watcher rwxa" >$S/load2

keyctl session wq-lsm sh -c '
	W=$1 S=$2
	k=$(keyctl add user lsm-key v0 @s)
	sh -c "echo Watcher >/proc/self/attr/current && exec stdbuf -oL keyctl watch $k" \
		>"$W/watch.out" 2>&1 &
	p=$!
	sleep 1
	sh -c "echo Poster >/proc/self/attr/current && keyctl update $k v1"
	sleep 1
	cp "$W/watch.out" "$W/denied.out"
	keyctl print "$k" >"$W/value1"
	echo "Poster Watcher w" >"$S/load2"
	sh -c "echo Poster >/proc/self/attr/current && keyctl update $k v2"
	sleep 1
	kill $p
	wait
	cp "$W/watch.out" "$W/allowed.out"
' sh "$W" "$S"

if [ "$(cat "$W/value1")" = v1 ] && ! grep -q upd "$W/denied.out"; then
	echo "ok 1 post refused without a Poster->Watcher rule"
else
	echo "not ok 1 post refused without a Poster->Watcher rule"
	sed 's/^/# /' "$W/value1" "$W/denied.out"
fi
if [ "$(grep -c upd "$W/allowed.out")" = 1 ]; then
	echo "ok 2 post delivered with the rule"
else
	echo "not ok 2 post delivered with the rule"
	sed 's/^/# /' "$W/allowed.out"
fi

# KEYCTL_WATCH_KEY ("keyctl watch" makes the queue and watches, then waits
# for records: still running after 2 seconds means the watch was taken).
# The watcher runs without CAP_MAC_OVERRIDE, which would pass every check.
keyctl session wq-lsm-watch sh -c '
	W=$1 S=$2
	k=$(sh -c "echo Poster >/proc/self/attr/current && keyctl add user lsm-w v @s")
	watch() {
		sh -c "echo Watcher >/proc/self/attr/current && exec setpriv \
			--bounding-set -mac_override,-mac_admin -- timeout 2 keyctl watch $k"
	}
	watch >"$W/w1.out" 2>&1
	echo $? >"$W/w1.rc"
	echo "Watcher Poster r" >"$S/load2"
	watch >"$W/w2.out" 2>&1
	echo $? >"$W/w2.rc"
' sh "$W" "$S"
if [ "$(cat "$W/w1.rc")" = 1 ] && grep -q "Permission denied" "$W/w1.out" &&
   [ "$(cat "$W/w2.rc")" = 124 ]; then
	echo "ok 3 watch_key refused without a Watcher->Poster rule, taken with it"
else
	echo "not ok 3 watch_key refused without a Watcher->Poster rule, taken with it"
	sed 's/^/# /' "$W/w1.rc" "$W/w1.out" "$W/w2.rc" "$W/w2.out"
fi
rm -rf "$W"
