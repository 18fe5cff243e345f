#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The live demo, run inside the guest: readers of notification pipes (the
# kernel's sample watch_test, and keyutils' "keyctl watch" on the session
# keyring, on a key and on a keyring) print the notes they read while keys
# are added, updated, linked, unlinked, revoked and cleared; watch_test also
# watches a tmpfs mount and its superblock, in a private mount namespace,
# while a mount is added below it, made read-only and read-write again, moved
# and unmounted, and the tmpfs itself is remounted read-only.
# $1 is the variant's build tree.
OBJ=$1
set -e

cat /proc/version
if grep -q '11watch_queue5queue' /proc/kallsyms 2>/dev/null; then
	echo "watch_queue implementation: Rust (kernel/watch_queue/)"
else
	echo "watch_queue implementation: C (kernel/watch_queue.c)"
fi

exec unshare -m --propagation private keyctl session wq-demo sh -c '
	set -e
	OBJ=$1
	say() { sleep 0.3; echo; echo ">>> $*"; }
	echo "session keyring: $(keyctl show @s | sed -n 2p)"
	D=/tmp/wq-demo
	mkdir -p $D
	mount -t tmpfs demo $D
	mkdir $D/a $D/b $D/sub
	stdbuf -oL "$OBJ/samples/watch_queue/watch_test" $D | sed -u "s/^/[watch_test] /" &
	stdbuf -oL keyctl watch @s | sed -u "s/^/[keyctl watch] /" &
	sleep 1

	say "keyctl add user demo-key hello @s"
	k=$(keyctl add user demo-key hello @s)
	stdbuf -oL keyctl watch "$k" | sed -u "s/^/[keyctl watch key] /" &
	sleep 0.5
	say "keyctl update $k world"
	keyctl update "$k" world
	say "keyctl newring demo-ring @s"
	r=$(keyctl newring demo-ring @s)
	stdbuf -oL keyctl watch "$r" | sed -u "s/^/[keyctl watch ring] /" &
	sleep 0.5
	say "keyctl link $k $r"
	keyctl link "$k" "$r"
	say "keyctl unlink $k $r"
	keyctl unlink "$k" "$r"
	say "keyctl setperm $k 0x3f3f0000"
	keyctl setperm "$k" 0x3f3f0000
	say "keyctl revoke $k"
	keyctl revoke "$k"
	say "keyctl clear @s"
	keyctl clear @s
	say "mount -t tmpfs sub $D/sub"
	mount -t tmpfs sub $D/sub
	say "mount -o remount,bind,ro $D/sub"
	mount -o remount,bind,ro $D/sub
	say "mount -o remount,bind,rw $D/sub"
	mount -o remount,bind,rw $D/sub
	say "mount -t tmpfs a $D/a; mount --move $D/sub $D/a/sub"
	mount -t tmpfs a $D/a
	mkdir $D/a/sub
	mount --move $D/sub $D/a/sub
	say "umount -l $D/a"
	umount -l $D/a
	say "mount -o remount,ro $D"
	mount -o remount,ro $D
	sleep 1
	echo
	echo "demo done"
	# The readers alone: the command line of this script names them too.
	pkill -x watch_test || true
	pkill -f "^keyctl watch [@0-9]" || true
	wait
' sh "$OBJ"
