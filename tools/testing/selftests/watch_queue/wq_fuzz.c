// SPDX-License-Identifier: GPL-2.0
/*
 * wq_fuzz: seeded random sequences of system calls on notification pipes,
 * ordinary pipes, keys, mounts and superblocks.
 *
 *   wq_fuzz diff FIRST COUNT OPS [SECONDS]
 *	Seeds FIRST to FIRST + COUNT - 1, OPS steps each, one at a time (and
 *	no seed started after SECONDS); exits 1 on a broken invariant.  The
 *	trace (every step's outcome and the records read, with the ids the
 *	kernel chooses replaced by their order of appearance) goes to stdout:
 *	"wq fuzz" compares it between the C and the Rust core.
 *   wq_fuzz plan FILE
 *	One case per line of FILE, "SEED OPS KEEP": the steps of SEED listed
 *	in KEEP ("all", or "3,7,10-12") and no others, each case's trace after
 *	a "case N" line.  The host reduces a difference with it.
 *   wq_fuzz conc SECONDS THREADS SEED [FAULTS]
 *	THREADS threads running random steps on shared objects for SECONDS,
 *	checking every record read (well formed, lengths and ids consistent,
 *	no loss record right after another); with FAULTS (the debug flavours),
 *	failslab and fail_page_alloc fail the threads' allocations at random.
 *	Prints a summary line; exits 1 on a broken invariant.
 *
 * A step is drawn from the seed alone, never from what earlier steps did, so
 * that leaving steps out does not change the others: steps name slots of a
 * small world (fds, keys, directories), and a slot left empty by an omitted
 * step is a bad fd or key, whose errno is part of the trace like any other.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <sys/mount.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <linux/mount.h>

#include "wq_util.h"

#ifndef __NR_watch_mount
#define __NR_watch_mount 473
#endif
#ifndef __NR_watch_sb
#define __NR_watch_sb 474
#endif
#ifndef __NR_mount_setattr
#define __NR_mount_setattr 442
#endif

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

#define ROOT "/tmp/wqfz"
#define NR_FDS 10	/* pipe slots 0-3 (read end 2i, write end 2i+1), dups 8-9 */
#define NR_KEYS 8	/* slot 0: the world's keyring */
#define NR_DIRS 5	/* ROOT/d0 .. ROOT/d3, and ROOT */
#define MAX_IDS 4096

/* --- the generator ------------------------------------------------------- */

static inline uint64_t rnd(uint64_t *s)
{
	/* splitmix64 */
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static inline unsigned int below(uint64_t *s, unsigned int n)
{
	return rnd(s) % n;
}

enum op {
	OP_PIPE, OP_CLOSE, OP_DUP, OP_SET_SIZE, OP_SET_FILTER, OP_IOCTL,
	OP_READ, OP_WRITE, OP_SPLICE, OP_PIPE_SZ, OP_POLL,
	OP_ADD_KEY, OP_UPDATE, OP_LINK, OP_UNLINK, OP_SETPERM, OP_REVOKE,
	OP_CLEAR, OP_WATCH_KEY,
	OP_MOUNT, OP_BIND, OP_UMOUNT, OP_REMOUNT, OP_SETATTR, OP_PROPAGATION,
	OP_MOVE, OP_WATCH_MOUNT, OP_WATCH_SB,
	NR_OPS
};

static const char *const op_names[NR_OPS] = {
	"pipe", "close", "dup", "set_size", "set_filter", "ioctl",
	"read", "write", "splice", "pipe_sz", "poll",
	"add_key", "update", "link", "unlink", "setperm", "revoke",
	"clear", "watch_key",
	"mount", "bind", "umount", "remount", "setattr", "propagation",
	"move", "watch_mount", "watch_sb",
};

/* How often each step is drawn, out of the sum. */
static const unsigned char weights[NR_OPS] = {
	[OP_PIPE] = 6, [OP_CLOSE] = 3, [OP_DUP] = 2, [OP_SET_SIZE] = 6,
	[OP_SET_FILTER] = 5, [OP_IOCTL] = 3, [OP_READ] = 16, [OP_WRITE] = 2,
	[OP_SPLICE] = 2, [OP_PIPE_SZ] = 2, [OP_POLL] = 2,
	[OP_ADD_KEY] = 6, [OP_UPDATE] = 5, [OP_LINK] = 4, [OP_UNLINK] = 3,
	[OP_SETPERM] = 2, [OP_REVOKE] = 1, [OP_CLEAR] = 1, [OP_WATCH_KEY] = 10,
	[OP_MOUNT] = 3, [OP_BIND] = 2, [OP_UMOUNT] = 3, [OP_REMOUNT] = 3,
	[OP_SETATTR] = 2, [OP_PROPAGATION] = 1, [OP_MOVE] = 2,
	[OP_WATCH_MOUNT] = 4, [OP_WATCH_SB] = 3,
};

struct step {
	enum op op;
	unsigned int a, b, c;	/* slots, kinds */
	long v;			/* a size, an id, a command */
	uint64_t r;		/* more randomness, for the step's own use */
};

/* An fd slot: mostly the read ends of the queues the world starts with. */
static unsigned int pick_fd(uint64_t *s)
{
	unsigned int x = below(s, 16);

	return x < 6 ? (x % 3) * 2 : x < 10 ? (x & 3) * 2 :
		x < 14 ? (x & 3) * 2 + 1 : 8 + (x & 1);
}

static long pick_size(uint64_t *s)
{
	static const long sizes[] = {
		0, 1, 7, 8, 9, 15, 16, 17, 23, 24, 25, 31, 32, 40, 48, 127,
		128, 433, 4096,
	};

	return sizes[below(s, ARRAY_SIZE(sizes))];
}

/* A watch id: mostly good ones, then removal, then bad ones. */
static long pick_id(uint64_t *s)
{
	static const long bad[] = { 255, 256, -2, 0x10001 };
	unsigned int x = below(s, 16);

	return x < 10 ? x % 4 : x < 14 ? -1 : bad[below(s, 4)];
}

/* A key slot, mostly one of those the world starts with. */
static unsigned int pick_key(uint64_t *s)
{
	return below(s, 4) ? below(s, 4) : below(s, NR_KEYS);
}

static void gen_step(uint64_t *s, struct step *st, unsigned int total)
{
	unsigned int w = below(s, total), op;

	for (op = 0; op < NR_OPS - 1 && w >= weights[op]; op++)
		w -= weights[op];
	st->op = op;
	st->a = below(s, 64);
	st->b = below(s, 64);
	st->c = below(s, 64);
	st->r = rnd(s);
	switch (op) {
	case OP_PIPE:
		st->a %= 4;
		break;
	case OP_READ:
	case OP_WRITE:
		st->a = pick_fd(s);
		st->v = pick_size(s);
		break;
	case OP_SET_SIZE: {
		static const long n[] = {
			1, 2, 16, 31, 32, 33, 64, 256, 512, 0, -1, 16384, 16385,
			1L << 31,
		};

		st->a = pick_fd(s);
		st->v = n[below(s, ARRAY_SIZE(n))];
		break;
	}
	case OP_CLOSE:
	case OP_DUP:
	case OP_SET_FILTER:
	case OP_IOCTL:
	case OP_SPLICE:
	case OP_PIPE_SZ:
	case OP_POLL:
		st->a = pick_fd(s);
		st->b = pick_fd(s);
		break;
	case OP_WATCH_KEY:
	case OP_WATCH_MOUNT:
	case OP_WATCH_SB:
		st->a = pick_key(s);
		st->b = pick_fd(s);
		st->v = pick_id(s);
		break;
	case OP_UPDATE:
	case OP_LINK:
	case OP_UNLINK:
	case OP_SETPERM:
	case OP_REVOKE:
	case OP_CLEAR:
		st->a = pick_key(s);
		st->b = pick_key(s);
		break;
	default:
		break;
	}
}

static unsigned int total_weight(void)
{
	unsigned int i, t = 0;

	for (i = 0; i < NR_OPS; i++)
		t += weights[i];
	return t;
}

/* --- the world ------------------------------------------------------------ */

struct world {
	int fd[NR_FDS];
	bool notes[NR_FDS];	/* the fd of the slot is of a notification pipe */
	key_serial_t key[NR_KEYS];
	unsigned int anchors;	/* keyrings made by hold() */
	/* Kernel-chosen ids, by order of appearance (not in the conc mode). */
	uint64_t ids[MAX_IDS];
	unsigned int nr_ids;
	int file;		/* a regular file, for sendfile() */
	bool conc;
	/* Output: the trace (diff, plan) or nothing (conc). */
	FILE *out;
	/* The concurrent mode's counters. */
	unsigned long ops, reads, records, bad;
};

static const char *dir_path(unsigned int i)
{
	static const char *const p[NR_DIRS] = {
		ROOT "/d0", ROOT "/d1", ROOT "/d2", ROOT "/d3", ROOT,
	};

	return p[i % NR_DIRS];
}

/*
 * The order of appearance of ID in this seed's trace, or -1 when the table
 * is full (and in the concurrent mode, which prints no trace).
 */
static int id_index(struct world *w, uint64_t id)
{
	unsigned int i;

	if (w->conc)
		return -1;
	for (i = 0; i < w->nr_ids; i++)
		if (w->ids[i] == id)
			return i;
	if (w->nr_ids == MAX_IDS)
		return -1;
	w->ids[w->nr_ids] = id;
	return w->nr_ids++;
}

/* The key serials the concurrent mode created: an open-addressed set. */
#define KNOWN_SIZE 262144
static uint32_t known[KNOWN_SIZE];

static void known_add(uint32_t serial)
{
	unsigned int i = serial * 2654435761U % KNOWN_SIZE, n;

	for (n = 0; n < KNOWN_SIZE; n++, i = (i + 1) % KNOWN_SIZE) {
		uint32_t old = 0;

		if (__atomic_compare_exchange_n(&known[i], &old, serial, false,
						__ATOMIC_RELEASE, __ATOMIC_RELAXED) ||
		    old == serial)
			return;
	}
}

static bool known_has(uint32_t serial)
{
	unsigned int i = serial * 2654435761U % KNOWN_SIZE, n;

	for (n = 0; n < KNOWN_SIZE; n++, i = (i + 1) % KNOWN_SIZE) {
		uint32_t v = __atomic_load_n(&known[i], __ATOMIC_ACQUIRE);

		if (v == serial)
			return true;
		if (!v)
			return false;
	}
	return false;
}

static void say(struct world *w, const char *fmt, ...)
{
	va_list ap;

	if (!w->out)
		return;
	va_start(ap, fmt);
	vfprintf(w->out, fmt, ap);
	va_end(ap);
}

/* A return value and errno as the trace has them. */
static void outcome(struct world *w, long ret, int err)
{
	if (ret < 0)
		say(w, " = -1 %s\n", strerrorname_np(err) ?: "E?");
	else
		say(w, " = %ld\n", ret);
}

static int get_fd(struct world *w, unsigned int slot)
{
	return __atomic_load_n(&w->fd[slot % NR_FDS], __ATOMIC_RELAXED);
}

static int take_fd(struct world *w, unsigned int slot)
{
	return __atomic_exchange_n(&w->fd[slot % NR_FDS], -1, __ATOMIC_RELAXED);
}

static void put_fd(struct world *w, unsigned int slot, int fd, bool notes)
{
	int old = __atomic_exchange_n(&w->fd[slot % NR_FDS], fd, __ATOMIC_RELAXED);

	w->notes[slot % NR_FDS] = notes;
	if (old >= 0)
		close(old);
}

static key_serial_t get_key(struct world *w, unsigned int slot)
{
	return __atomic_load_n(&w->key[slot % NR_KEYS], __ATOMIC_RELAXED);
}

/*
 * Keep key K from the collector for the rest of the world's life, however
 * the steps unlink it: a keyring of its own in the session keyring links
 * it.  (One keyring for all would not do: a keyring links one key of a type
 * and description, and the steps reuse a few descriptions.)  The collector
 * runs asynchronously: a key it took would make the trace depend on its
 * timing.
 */
static int hold(struct world *w, key_serial_t k)
{
	char desc[32];
	key_serial_t a;

	snprintf(desc, sizeof(desc), "anchor.%u",
		 __atomic_fetch_add(&w->anchors, 1, __ATOMIC_RELAXED));
	a = wq_add_key("keyring", desc, NULL, 0, KEY_SPEC_SESSION_KEYRING);
	if (a < 0 || wq_keyctl(KEYCTL_LINK, k, a, 0, 0))
		return -1;
	return 0;
}

/* Whether FD is ready for EVENTS now: a step must never block. */
static bool ready(int fd, short events)
{
	struct pollfd p = { .fd = fd, .events = events };
	int fl = fcntl(fd, F_GETFL);

	if (fl >= 0 && (fl & O_NONBLOCK))
		return true;
	return poll(&p, 1, 0) == 1;
}

/* --- the records read ------------------------------------------------------ */

static void bad(struct world *w, const char *what, unsigned int info)
{
	__atomic_add_fetch(&w->bad, 1, __ATOMIC_RELAXED);
	fprintf(stderr, "# broken invariant: %s (info %#x)\n", what, info);
}

/* Print (diff) or check (conc) the LEN bytes of records read into BUF. */
static void decode(struct world *w, const unsigned char *buf, long len)
{
	bool after_loss = false;
	long pos = 0;

	while (pos < len) {
		const struct watch_notification *n = (const void *)(buf + pos);
		unsigned int l, id, expect = 0;

		if (len - pos < (long)sizeof(*n)) {
			say(w, "  tail %ld\n", len - pos);
			bad(w, "a partial record", 0);
			return;
		}
		l = n->info & WATCH_INFO_LENGTH;
		id = (n->info & WATCH_INFO_ID) >> WATCH_INFO_ID__SHIFT;
		say(w, "  %u.%u len %u id %u flags %#x", n->type, n->subtype, l,
		    id, n->info & ~(WATCH_INFO_LENGTH | WATCH_INFO_ID));
		if (l < sizeof(*n) || l > len - pos) {
			say(w, "\n");
			bad(w, "a record's length", n->info);
			return;
		}
		switch (n->type) {
		case WATCH_TYPE_META:
			/*
			 * A loss record comes after the note that was last in
			 * the ring when notes were lost: at the start of the
			 * next read if this one ended with that note, but never
			 * right after another loss record.
			 */
			if (n->subtype == WATCH_META_LOSS_NOTIFICATION) {
				expect = 8;
				if (after_loss)
					bad(w, "two loss records in a row", n->info);
				after_loss = true;
				break;
			}
			after_loss = false;
			if (n->subtype != WATCH_META_REMOVAL_NOTIFICATION) {
				bad(w, "an unknown meta record", n->info);
				break;
			}
			if (l == 16) {
				uint64_t rid = ((const struct watch_notification_removal *)n)->id;

				say(w, " removal #%d", id_index(w, rid));
				expect = 16;
			} else {
				expect = 8;
			}
			break;
		case WATCH_TYPE_KEY_NOTIFY: {
			const struct key_notification *k = (const void *)n;

			after_loss = false;
			expect = sizeof(*k);
			if (n->subtype > NOTIFY_KEY_SETATTR)
				bad(w, "an unknown key record", n->info);
			if (l != expect)
				break;
			if (w->conc) {
				if (!known_has(k->key_id))
					bad(w, "a key record of an unknown key", n->info);
				break;
			}
			say(w, " key #%d", id_index(w, (uint32_t)k->key_id));
			if (n->subtype == NOTIFY_KEY_LINKED || n->subtype == NOTIFY_KEY_UNLINKED)
				say(w, " aux #%d", id_index(w, (uint32_t)k->aux));
			else
				say(w, " aux %u", k->aux);
			break;
		}
		case WATCH_TYPE_MOUNT_NOTIFY: {
			const struct mount_notification *m = (const void *)n;

			after_loss = false;
			expect = sizeof(*m);
			if (n->subtype > NOTIFY_MOUNT_MOVE_TO)
				bad(w, "an unknown mount record", n->info);
			if (l != expect)
				break;
			say(w, " on #%d aux", id_index(w, m->triggered_on));
			if (m->auxiliary_mount)
				say(w, " #%d", id_index(w, m->auxiliary_mount));
			else
				say(w, " 0");
			break;
		}
		case WATCH_TYPE_SB_NOTIFY: {
			const struct superblock_error_notification *e = (const void *)n;

			after_loss = false;
			expect = n->subtype == NOTIFY_SUPERBLOCK_ERROR ?
				sizeof(*e) : sizeof(e->s);
			if (n->subtype > NOTIFY_SUPERBLOCK_NETWORK)
				bad(w, "an unknown superblock record", n->info);
			if (l != expect)
				break;
			say(w, " sb #%d", id_index(w, e->s.sb_id));
			if (l == sizeof(*e))
				say(w, " error %u cookie %u", e->error_number, e->error_cookie);
			break;
		}
		default:
			bad(w, "a record of an unknown type", n->info);
			expect = l;
		}
		if (l != expect)
			bad(w, "a record's length for its type", n->info);
		say(w, "\n");
		__atomic_add_fetch(&w->records, 1, __ATOMIC_RELAXED);
		pos += l;
	}
}

/* --- the steps ------------------------------------------------------------- */

static void do_filter(struct world *w, const struct step *st, int fd)
{
	static const unsigned int types[] = {
		WATCH_TYPE_KEY_NOTIFY, WATCH_TYPE_META, WATCH_TYPE_MOUNT_NOTIFY,
		WATCH_TYPE_SB_NOTIFY, 4, 31, 32, 255, 0x80000000,
	};
	static const unsigned int counts[] = { 0, 1, 1, 2, 3, 16, 17, 1000 };
	struct {
		struct watch_notification_filter f;
		struct watch_notification_type_filter t[17];
	} buf;
	uint64_t s = st->r;
	unsigned int nr = counts[st->b % 8], i, j;
	void *arg = &buf;
	long ret;

	memset(&buf, 0, sizeof(buf));
	buf.f.nr_filters = nr;
	for (i = 0; i < 17; i++) {
		struct watch_notification_type_filter *t = &buf.t[i];

		t->type = types[below(&s, 9) % (below(&s, 2) ? 4 : 9)];
		for (j = 0; j < 8; j++)
			t->subtype_filter[j] = below(&s, 2) ? ~0U : rnd(&s);
		switch (below(&s, 8)) {
		case 0:
			/* the IN_SUBTREE or IS_NOW_RO flags */
			t->info_mask = WATCH_INFO_FLAG_0 | WATCH_INFO_FLAG_1;
			t->info_filter = rnd(&s) & t->info_mask;
			break;
		case 1:
			/* a watch id */
			t->info_mask = WATCH_INFO_ID;
			t->info_filter = (below(&s, 3) << WATCH_INFO_ID__SHIFT);
			break;
		case 2:
			/* anything, mostly invalid */
			t->info_mask = rnd(&s);
			t->info_filter = rnd(&s);
			break;
		}
	}
	if (below(&s, 16) == 0)
		buf.f.__reserved = 1;
	if (st->c % 10 == 0)
		arg = NULL;
	else if (st->c % 10 == 1)
		arg = (void *)16;
	say(w, "set_filter(fd%u, nr %u%s)", st->a, nr,
	    !arg ? ", NULL" : arg == (void *)16 ? ", bad address" : "");
	ret = ioctl(fd, IOC_WATCH_QUEUE_SET_FILTER, arg);
	outcome(w, ret, errno);
}

static void do_splice(struct world *w, const struct step *st, int fd, int src)
{
	static const char data[] = "vmsplice";
	struct iovec iov = { .iov_base = (void *)data, .iov_len = 8 };
	long ret = -1;

	switch (st->c % 4) {
	case 0:
		say(w, "splice(fd%u -> fd%u)", st->b, st->a);
		ret = splice(src, NULL, fd, NULL, 8, SPLICE_F_NONBLOCK);
		break;
	case 1:
		say(w, "tee(fd%u -> fd%u)", st->b, st->a);
		ret = tee(src, fd, 8, SPLICE_F_NONBLOCK);
		break;
	case 2:
		say(w, "vmsplice(fd%u)", st->a);
		ret = vmsplice(fd, &iov, 1, SPLICE_F_NONBLOCK);
		break;
	case 3:
		say(w, "sendfile(fd%u)", st->a);
		if (!ready(fd, POLLOUT)) {
			say(w, " not ready\n");
			return;
		}
		ret = sendfile(fd, w->file, &(off_t){0}, 8);
		break;
	}
	outcome(w, ret, errno);
}

/* Add a key or keyring to a slot, and hold it (hold()) if it is new. */
static void do_add_key(struct world *w, const struct step *st)
{
	static const char *const descs[] = { "a", "b", "c", "d" };
	bool ring = st->c % 3 == 0;
	char payload[32];
	unsigned int slot = 1 + st->a % (NR_KEYS - 1);
	unsigned int n;
	key_serial_t k;

	snprintf(payload, sizeof(payload), "p%u", st->b);
	say(w, "add_key(k%u, %s %s, in k%u)", slot, ring ? "keyring" : "user",
	    descs[st->c % 4], st->b % NR_KEYS);
	k = wq_add_key(ring ? "keyring" : "user", descs[st->c % 4],
		       ring ? NULL : payload, ring ? 0 : strlen(payload),
		       get_key(w, st->b));
	if (k < 0) {
		outcome(w, -1, errno);
		return;
	}
	n = w->nr_ids;
	say(w, " = #%d\n", id_index(w, (uint32_t)k));
	if (w->nr_ids != n && hold(w, k))
		say(w, "  hold: %s\n", strerrorname_np(errno) ?: "E?");
	__atomic_store_n(&w->key[slot], k, __ATOMIC_RELAXED);
}

static int umount_flags(unsigned int x)
{
	static const int f[] = { 0, MNT_DETACH, MNT_EXPIRE, MNT_DETACH };

	return f[x % 4];
}

static void step(struct world *w, unsigned int n, const struct step *st)
{
	unsigned char buf[4096 + 64];
	int fd = get_fd(w, st->a), fd2 = get_fd(w, st->b), err;
	const char *da = dir_path(st->a);
	long ret = 0;

	__atomic_add_fetch(&w->ops, 1, __ATOMIC_RELAXED);
	say(w, "%u ", n);
	switch (st->op) {
	case OP_PIPE: {
		static const int flags[] = {
			O_NOTIFICATION_PIPE | O_NONBLOCK, O_NOTIFICATION_PIPE,
			O_NONBLOCK, 0, O_NOTIFICATION_PIPE | O_NONBLOCK | O_CLOEXEC,
		};
		/*
		 * The concurrent mode reads any fd as records (the slot of an
		 * fd may change under a read): notification pipes only there.
		 */
		int f = w->conc ? flags[st->b % 2 ? 0 : 4] : flags[st->b % 5];
		int fds[2];

		say(w, "pipe(%u, %#x)", st->a, f);
		ret = pipe2(fds, f);
		err = errno;
		if (!ret) {
			put_fd(w, 2 * st->a, fds[0], f & O_NOTIFICATION_PIPE);
			put_fd(w, 2 * st->a + 1, fds[1], f & O_NOTIFICATION_PIPE);
		}
		outcome(w, ret, err);
		return;
	}
	case OP_CLOSE:
		say(w, "close(fd%u)", st->a);
		fd = take_fd(w, st->a);
		ret = close(fd);
		break;
	case OP_DUP:
		say(w, "dup(fd%u, fd%u)", st->a, 8 + st->b % 2);
		ret = dup(fd);
		err = errno;
		if (ret >= 0)
			put_fd(w, 8 + st->b % 2, ret, w->notes[st->a % NR_FDS]);
		outcome(w, ret < 0 ? ret : 0, err);
		return;
	case OP_SET_SIZE:
		say(w, "set_size(fd%u, %ld)", st->a, st->v);
		ret = ioctl(fd, IOC_WATCH_QUEUE_SET_SIZE, st->v);
		break;
	case OP_SET_FILTER:
		do_filter(w, st, fd);
		return;
	case OP_IOCTL: {
		static const unsigned long cmds[] = {
			FIONREAD, FIONREAD, _IO('W', 0x62), _IO('W', 0x60),
			_IOW('W', 0x61, int), TCGETS,
		};
		unsigned long cmd = cmds[st->c % 6];
		int v = -7;

		say(w, "ioctl(fd%u, %#lx)", st->a, cmd);
		ret = ioctl(fd, cmd, &v);
		err = errno;
		if (ret >= 0 && cmd == FIONREAD)
			say(w, " nread %d", v);
		outcome(w, ret, err);
		return;
	}
	case OP_READ:
		say(w, "read(fd%u, %ld)", st->a, st->v);
		if (fd >= 0 && !ready(fd, POLLIN)) {
			say(w, " not ready\n");
			return;
		}
		ret = read(fd, buf, st->v);
		err = errno;
		outcome(w, ret, err);
		if (ret > 0 && (w->conc || w->notes[st->a % NR_FDS])) {
			__atomic_add_fetch(&w->reads, 1, __ATOMIC_RELAXED);
			decode(w, buf, ret);
		} else if (ret > 0) {
			say(w, "  data %.*s\n", (int)ret, buf);
		}
		return;
	case OP_WRITE:
		say(w, "write(fd%u, %ld)", st->a, st->v);
		if (fd >= 0 && !ready(fd, POLLOUT)) {
			say(w, " not ready\n");
			return;
		}
		memset(buf, 'x', st->v);
		ret = write(fd, buf, st->v);
		break;
	case OP_SPLICE:
		do_splice(w, st, fd, fd2);
		return;
	case OP_PIPE_SZ:
		if (st->c % 2) {
			say(w, "getpipe_sz(fd%u)", st->a);
			ret = fcntl(fd, F_GETPIPE_SZ);
		} else {
			say(w, "setpipe_sz(fd%u, %d)", st->a, 4096 << (st->c % 5));
			ret = fcntl(fd, F_SETPIPE_SZ, 4096 << (st->c % 5));
		}
		break;
	case OP_POLL: {
		struct pollfd p = { .fd = fd, .events = POLLIN | POLLOUT };

		say(w, "poll(fd%u)", st->a);
		ret = poll(&p, 1, 0);
		err = errno;
		if (ret >= 0)
			say(w, " revents %#x", fd < 0 ? 0 : p.revents);
		outcome(w, ret, err);
		return;
	}
	case OP_ADD_KEY:
		do_add_key(w, st);
		return;
	case OP_UPDATE: {
		char p[16];

		snprintf(p, sizeof(p), "u%u", st->b);
		say(w, "update(k%u)", st->a % NR_KEYS);
		ret = wq_keyctl(KEYCTL_UPDATE, get_key(w, st->a), (unsigned long)p,
				strlen(p), 0);
		break;
	}
	case OP_LINK:
	case OP_UNLINK:
		say(w, "%s(k%u, k%u)", op_names[st->op], st->a % NR_KEYS, st->b % NR_KEYS);
		ret = wq_keyctl(st->op == OP_LINK ? KEYCTL_LINK : KEYCTL_UNLINK,
				get_key(w, st->a), get_key(w, st->b), 0, 0);
		break;
	case OP_SETPERM: {
		static const unsigned int perms[] = {
			0x3f3f0000, 0x3f010000, 0x3f3f3f3f, 0x3e3f0000, 0x3f000000,
		};

		say(w, "setperm(k%u, %#x)", st->a % NR_KEYS, perms[st->b % 5]);
		ret = wq_keyctl(KEYCTL_SETPERM, get_key(w, st->a), perms[st->b % 5], 0, 0);
		break;
	}
	case OP_REVOKE:
		/* Not the world's keyring: it holds the rest. */
		say(w, "revoke(k%u)", 1 + st->a % (NR_KEYS - 1));
		ret = wq_keyctl(KEYCTL_REVOKE, get_key(w, 1 + st->a % (NR_KEYS - 1)), 0, 0, 0);
		break;
	case OP_CLEAR:
		say(w, "clear(k%u)", st->a % NR_KEYS);
		ret = wq_keyctl(KEYCTL_CLEAR, get_key(w, st->a), 0, 0, 0);
		break;
	case OP_WATCH_KEY:
		say(w, "watch_key(k%u, fd%u, %ld)", st->a % NR_KEYS, st->b, st->v);
		ret = wq_watch_key(get_key(w, st->a), fd2, st->v);
		break;
	/* Nothing is mounted on ROOT: the world's directories are on it. */
	case OP_MOUNT:
		say(w, "mount(d%u%s)", st->a % 4, st->b % 4 ? "" : ", ro");
		ret = mount("wqfz", dir_path(st->a % 4), "tmpfs",
			    st->b % 4 ? 0 : MS_RDONLY, NULL);
		break;
	case OP_BIND:
		say(w, "bind(d%u, d%u%s)", st->a % NR_DIRS, st->b % 4,
		    st->c % 2 ? ", rec" : "");
		ret = mount(da, dir_path(st->b % 4), NULL,
			    MS_BIND | (st->c % 2 ? MS_REC : 0), NULL);
		break;
	case OP_UMOUNT:
		say(w, "umount(d%u, %#x)", st->a % 4, umount_flags(st->b));
		ret = umount2(dir_path(st->a % 4), umount_flags(st->b));
		break;
	case OP_REMOUNT: {
		unsigned long f = MS_REMOUNT | (st->b % 2 ? MS_RDONLY : 0) |
				  (st->c % 2 ? MS_BIND : 0);

		say(w, "remount(d%u, %#lx)", st->a % NR_DIRS, f);
		ret = mount(NULL, da, NULL, f, NULL);
		break;
	}
	case OP_SETATTR: {
		struct mount_attr attr = {};

		if (st->b % 2)
			attr.attr_set = st->c % 2 ? MOUNT_ATTR_NOSUID : MOUNT_ATTR_RDONLY;
		else
			attr.attr_clr = st->c % 2 ? MOUNT_ATTR_NOSUID : MOUNT_ATTR_RDONLY;
		say(w, "mount_setattr(d%u, set %#llx, clr %#llx)", st->a % NR_DIRS,
		    (unsigned long long)attr.attr_set, (unsigned long long)attr.attr_clr);
		ret = syscall(__NR_mount_setattr, AT_FDCWD, da, 0, &attr, sizeof(attr));
		break;
	}
	case OP_PROPAGATION: {
		static const unsigned long f[] = { MS_SHARED, MS_PRIVATE, MS_SLAVE };

		say(w, "propagation(d%u, %#lx)", st->a % NR_DIRS, f[st->b % 3]);
		ret = mount(NULL, da, NULL, f[st->b % 3], NULL);
		break;
	}
	case OP_MOVE:
		say(w, "move(d%u, d%u)", st->a % 4, st->b % 4);
		ret = mount(dir_path(st->a % 4), dir_path(st->b % 4), NULL, MS_MOVE, NULL);
		break;
	case OP_WATCH_MOUNT:
	case OP_WATCH_SB:
		say(w, "%s(d%u, fd%u, %ld)", op_names[st->op], st->a % NR_DIRS, st->b, st->v);
		ret = syscall(st->op == OP_WATCH_MOUNT ? __NR_watch_mount : __NR_watch_sb,
			      AT_FDCWD, da, 0, fd2, st->v);
		break;
	default:
		return;
	}
	outcome(w, ret, errno);
}

/* --- a world per seed ---------------------------------------------------- */

/*
 * What every seed starts from, so that its first steps find something: a
 * queue of 16 notes, one never sized, a blocking queue of 4 notes, an
 * ordinary pipe; a key and a keyring in the world's keyring, a key in that
 * keyring; a tmpfs on d0; watches on the world's keyring and ROOT's mount
 * (on the first queue) and on the first key and d0's superblock (on the
 * blocking one).
 */
static int world_populate(struct world *w)
{
	static const int flags[] = {
		O_NOTIFICATION_PIPE | O_NONBLOCK, O_NOTIFICATION_PIPE | O_NONBLOCK,
		O_NOTIFICATION_PIPE, O_NONBLOCK,
	};
	static const int sizes[] = { 16, 0, 4, 0 };
	int i, fds[2];

	for (i = 0; i < 4; i++) {
		if (pipe2(fds, flags[i]))
			return -1;
		w->fd[2 * i] = fds[0];
		w->fd[2 * i + 1] = fds[1];
		w->notes[2 * i] = flags[i] & O_NOTIFICATION_PIPE;
		w->notes[2 * i + 1] = w->notes[2 * i];
		if (sizes[i] && ioctl(fds[0], IOC_WATCH_QUEUE_SET_SIZE, sizes[i]))
			return -1;
	}
	w->key[1] = wq_add_key("user", "a", "p", 1, w->key[0]);
	w->key[2] = wq_add_key("keyring", "r", NULL, 0, w->key[0]);
	w->key[3] = wq_add_key("user", "b", "q", 1, w->key[2]);
	for (i = 1; i < 4; i++) {
		if (w->key[i] < 0 || hold(w, w->key[i]))
			return -1;
		id_index(w, (uint32_t)w->key[i]);
	}
	if (mount("wqfz", dir_path(0), "tmpfs", 0, NULL))
		return -1;
	/* Watches: the world's keyring, a key, ROOT's mount, d0's superblock. */
	if (wq_watch_key(w->key[0], w->fd[0], 0) || wq_watch_key(w->key[1], w->fd[4], 1) ||
	    syscall(__NR_watch_mount, AT_FDCWD, ROOT, 0, w->fd[0], 2) ||
	    syscall(__NR_watch_sb, AT_FDCWD, dir_path(0), 0, w->fd[4], 3))
		return -1;
	return 0;
}

static int world_open(struct world *w)
{
	int i;

	for (i = 0; i < NR_FDS; i++)
		w->fd[i] = -1;
	memset(w->notes, 0, sizeof(w->notes));
	memset(w->key, 0, sizeof(w->key));
	w->nr_ids = 0;
	w->file = -1;
	if (wq_new_session() < 0)
		return perror("a session keyring"), -1;
	w->anchors = 0;
	w->key[0] = wq_add_key("keyring", "world", NULL, 0, KEY_SPEC_SESSION_KEYRING);
	if (w->key[0] < 0)
		return perror("the world's keyring"), -1;
	id_index(w, (uint32_t)w->key[0]);
	if (mount("wqfz", ROOT, "tmpfs", 0, NULL))
		return perror("mount " ROOT), -1;
	for (i = 0; i < 4; i++)
		if (mkdir(dir_path(i), 0755))
			return perror("mkdir"), -1;
	w->file = open(ROOT "/file", O_CREAT | O_RDWR, 0644);
	if (w->file < 0 || write(w->file, "01234567", 8) != 8)
		return perror(ROOT "/file"), -1;
	if (!w->conc && world_populate(w))
		return perror("the world's pipes, keys and watches"), -1;
	return 0;
}

static void world_close(struct world *w)
{
	int i;

	/* The queues first: nothing is posted to them afterwards. */
	for (i = 0; i < NR_FDS; i++)
		if (w->fd[i] >= 0)
			close(w->fd[i]);
	close(w->file);
	umount2(ROOT, MNT_DETACH);
	wq_keyctl(KEYCTL_CLEAR, KEY_SPEC_SESSION_KEYRING, 0, 0, 0);
}

/* Whether step N is in KEEP ("all", "none", or "1,4-9"). */
static bool kept(const char *keep, unsigned int n)
{
	const char *p = keep;

	if (!strcmp(keep, "all"))
		return true;
	while (*p) {
		char *end;
		unsigned long a = strtoul(p, &end, 10), b = a;

		if (end == p)
			break;
		if (*end == '-')
			b = strtoul(end + 1, &end, 10);
		if (n >= a && n <= b)
			return true;
		if (*end != ',')
			break;
		p = end + 1;
	}
	return false;
}

/* A private mount namespace, for the world's mounts. */
static int setup_namespace(void)
{
	if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL)) {
		perror("unshare");
		return -1;
	}
	return 0;
}

/*
 * One seed, in a child of its own, in a mount namespace of its own: what a
 * seed leaves (mounts, keys, watches) goes with the child, and W's counters
 * (shared memory) add up.
 */
static int run_seed(struct world *w, uint64_t seed, unsigned int ops, const char *keep)
{
	unsigned int total = total_weight(), n;
	uint64_t s = seed;
	struct step st;
	int status;
	pid_t pid;

	fflush(w->out);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid) {
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
		    WEXITSTATUS(status))
			return -1;
		return 0;
	}
	if (setup_namespace() || world_open(w))
		_exit(1);
	say(w, "seed %llu\n", (unsigned long long)seed);
	for (n = 0; n < ops; n++) {
		gen_step(&s, &st, total);
		if (kept(keep, n))
			step(w, n, &st);
	}
	world_close(w);
	fflush(w->out);
	_exit(0);
}

/* --- the concurrent mode --------------------------------------------------- */

struct thread {
	struct world *w;
	uint64_t seed;
	time_t end;
	bool faults;
	/* The slowest step, and how long it took. */
	enum op slowest;
	double slowest_ms;
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void put(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY);

	if (fd >= 0) {
		if (write(fd, val, strlen(val)) < 0)
			perror(path);
		close(fd);
	}
}

static void *conc_thread(void *arg)
{
	struct thread *t = arg;
	unsigned int total = total_weight(), i;
	uint64_t s = t->seed;
	struct step st;

	if (t->faults)
		put("/proc/thread-self/make-it-fail", "1");
	while (time(NULL) < t->end) {
		for (i = 0; i < 8; i++) {
			double t0 = now_ms(), ms;

			gen_step(&s, &st, total);
			/*
			 * One description: a key is new only when its keyring
			 * lost the last one, and the run does not make keys
			 * without end.
			 */
			if (st.op == OP_ADD_KEY) {
				key_serial_t k;

				__atomic_add_fetch(&t->w->ops, 1, __ATOMIC_RELAXED);
				k = wq_add_key("user", "c", "x", 1, get_key(t->w, st.b));

				if (k > 0 && !known_has(k)) {
					known_add(k);
					hold(t->w, k);
					__atomic_store_n(&t->w->key[1 + st.a % (NR_KEYS - 1)], k,
							 __ATOMIC_RELAXED);
				}
			} else {
				step(t->w, 0, &st);
			}
			ms = now_ms() - t0;
			if (ms > t->slowest_ms) {
				t->slowest_ms = ms;
				t->slowest = st.op;
			}
		}
	}
	if (t->faults)
		put("/proc/thread-self/make-it-fail", "0");
	return NULL;
}

static void faults(bool on)
{
	static const char *const dirs[] = {
		"/sys/kernel/debug/failslab", "/sys/kernel/debug/fail_page_alloc",
	};
	char path[128];
	unsigned int i;

	for (i = 0; i < 2; i++) {
#define SET(attr, val) do {						\
		snprintf(path, sizeof(path), "%s/%s", dirs[i], attr);	\
		put(path, val);						\
	} while (0)
		SET("task-filter", "Y");
		SET("verbose", "0");
		SET("interval", "1");
		SET("times", "-1");
		SET("space", "0");
		SET("probability", on ? "1" : "0");
#undef SET
	}
}

static int run_conc(unsigned int seconds, unsigned int nr, uint64_t seed, bool fault)
{
	struct world w = { .conc = true };
	struct thread t[16];
	pthread_t tid[16];
	time_t t0 = time(NULL);
	unsigned int i, slow = 0;

	if (nr > 16)
		nr = 16;
	if (setup_namespace() || world_open(&w)) {
		perror("world");
		return 2;
	}
	/* Keys and keyrings to share, before the threads start. */
	for (i = 1; i < NR_KEYS; i++) {
		w.key[i] = wq_add_key(i % 3 ? "user" : "keyring", i % 2 ? "x" : "y",
				      i % 3 ? "v" : NULL, i % 3 ? 1 : 0, w.key[0]);
		known_add(w.key[i]);
		hold(&w, w.key[i]);
	}
	known_add(w.key[0]);
	if (fault)
		faults(true);
	for (i = 0; i < nr; i++) {
		t[i] = (struct thread){
			.w = &w, .seed = seed * 1000 + i, .end = t0 + seconds, .faults = fault,
		};
		pthread_create(&tid[i], NULL, conc_thread, &t[i]);
	}
	for (i = 0; i < nr; i++) {
		pthread_join(tid[i], NULL);
		if (t[i].slowest_ms > t[slow].slowest_ms)
			slow = i;
	}
	if (fault)
		faults(false);
	world_close(&w);
	printf("conc: %u threads, %lu operations, %lu reads, %lu records, %ld s, %lu broken;"
	       " slowest step %s, %.0f ms\n",
	       nr, w.ops, w.reads, w.records, (long)(time(NULL) - t0), w.bad,
	       op_names[t[slow].slowest], t[slow].slowest_ms);
	return w.bad ? 1 : 0;
}

/* --- main ------------------------------------------------------------------ */

/*
 * Binds of shared mounts multiply under propagation: a few dozen random
 * steps can make the namespace's mounts grow without bound, and one step
 * then takes a minute (on a debug kernel under TCG).  The fuzzer lowers the
 * limit of mounts per namespace (fs.mount-max) for its run: past it, a
 * mount fails with ENOSPC at once, on either core alike.
 */
#define MOUNT_MAX "/proc/sys/fs/mount-max"
static char mount_max[32];

static void restore_mount_max(void)
{
	if (*mount_max)
		put(MOUNT_MAX, mount_max);
}

static void limit_mounts(void)
{
	int fd = open(MOUNT_MAX, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, mount_max, sizeof(mount_max) - 1);

	if (fd >= 0)
		close(fd);
	if (n <= 0) {
		*mount_max = 0;
		return;
	}
	mount_max[n] = 0;
	put(MOUNT_MAX, "400");
	atexit(restore_mount_max);
}

int main(int argc, char **argv)
{
	/* Shared with the children that run the seeds, for the counters. */
	struct world *w = mmap(NULL, sizeof(*w), PROT_READ | PROT_WRITE,
			       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (w == MAP_FAILED)
		return 2;
	w->out = stdout;
	/* A write to a pipe without readers is EPIPE, not death. */
	signal(SIGPIPE, SIG_IGN);
	mkdir(ROOT, 0755);
	limit_mounts();
	if (argc >= 5 && !strcmp(argv[1], "diff")) {
		uint64_t first = strtoull(argv[2], NULL, 0);
		unsigned long count = strtoul(argv[3], NULL, 0), i;
		unsigned int ops = strtoul(argv[4], NULL, 0);
		time_t end = argc > 5 ? time(NULL) + strtol(argv[5], NULL, 0) : 0;

		for (i = 0; i < count && (!end || time(NULL) < end); i++)
			if (run_seed(w, first + i, ops, "all"))
				return 2;
		fprintf(stderr, "# seeds %llu-%llu, %lu operations, %lu broken\n",
			(unsigned long long)first, (unsigned long long)(first + i - 1),
			w->ops, w->bad);
		return w->bad ? 1 : 0;
	}
	if (argc == 3 && !strcmp(argv[1], "plan")) {
		FILE *f = fopen(argv[2], "r");
		unsigned long long seed;
		unsigned int ops, n = 0;
		static char keep[65536];

		if (!f)
			return 2;
		while (fscanf(f, "%llu %u %65535s", &seed, &ops, keep) == 3) {
			printf("case %u\n", n++);
			if (run_seed(w, seed, ops, keep))
				return 2;
		}
		fclose(f);
		return 0;
	}
	if (argc >= 5 && !strcmp(argv[1], "conc"))
		return run_conc(strtoul(argv[2], NULL, 0), strtoul(argv[3], NULL, 0),
			    strtoull(argv[4], NULL, 0), argc > 5 && !strcmp(argv[5], "faults"));
	fputs("usage: wq_fuzz diff FIRST COUNT OPS [SECONDS]\n", stderr);
	fputs("       wq_fuzz plan FILE\n", stderr);
	fputs("       wq_fuzz conc SECONDS THREADS SEED [faults]\n", stderr);
	return 2;
}
