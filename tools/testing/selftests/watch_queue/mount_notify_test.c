// SPDX-License-Identifier: GPL-2.0
/*
 * watch_mount(): the records of mount topology changes, checked against the
 * ids statx(STATX_MNT_ID_UNIQUE) gives, and the system call's errors.
 *
 * Every test runs in a private mount namespace, on a tmpfs over /tmp.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/fanotify.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include "wq_util.h"
#include "../kselftest_harness.h"

#ifndef __NR_watch_mount
#define __NR_watch_mount 473
#endif
#ifndef STATX_MNT_ID_UNIQUE
#define STATX_MNT_ID_UNIQUE 0x00004000U
#endif
#ifndef MOUNT_ATTR_NOSUID
#define MOUNT_ATTR_NOSUID 0x00000002
#endif
#ifndef __NR_mount_setattr
#define __NR_mount_setattr 442
#endif

#define MNT_NOTE_SIZE ((int)sizeof(struct mount_notification))
#define REMOVAL_SIZE ((int)sizeof(struct watch_notification_removal))
#define BASE "/tmp"

struct mount_attr_arg {
	uint64_t attr_set, attr_clr, propagation, userns_fd;
};

static long watch_mount(int dfd, const char *path, unsigned int at_flags,
			int fd, int id)
{
	return syscall(__NR_watch_mount, dfd, path, at_flags, fd, id);
}

/* The unique id of the mount PATH is on. */
static uint64_t mnt_id(const char *path)
{
	/* struct statx of the uapi: stx_mask at 0, stx_mnt_id at 0x90. */
	unsigned char buf[256] = {};
	uint32_t mask;
	uint64_t id;

	if (syscall(__NR_statx, AT_FDCWD, path, 0, STATX_MNT_ID_UNIQUE, buf))
		return 0;
	memcpy(&mask, buf, sizeof(mask));
	if (!(mask & STATX_MNT_ID_UNIQUE))
		return 0;
	memcpy(&id, buf + 0x90, sizeof(id));
	return id;
}

static int mount_tmpfs(const char *path)
{
	mkdir(path, 0755);
	return mount("wqm", path, "tmpfs", 0, NULL);
}

/* Records read at once from FD, parsed one by one. */
struct records {
	unsigned char buf[4096];
	int len, pos;
};

static int read_records(int fd, struct records *r)
{
	r->pos = 0;
	r->len = read(fd, r->buf, sizeof(r->buf));
	return r->len < 0 ? -errno : r->len;
}

static struct watch_notification *next_record(struct records *r)
{
	struct watch_notification *n;
	int len;

	if (r->pos + (int)sizeof(*n) > r->len)
		return NULL;
	n = (void *)(r->buf + r->pos);
	len = n->info & WATCH_INFO_LENGTH;
	if (len < (int)sizeof(*n) || r->pos + len > r->len)
		return NULL;
	r->pos += len;
	return n;
}

/* The next record must be a mount record with these fields. */
#define EXPECT_MOUNT_RECORD(r, _subtype, _trigger, _aux, _flags, _id) do {	\
	struct mount_notification *_m = (void *)next_record(r);		\
	ASSERT_NE(NULL, _m);						\
	EXPECT_EQ(WATCH_TYPE_MOUNT_NOTIFY, (int)_m->watch.type);		\
	EXPECT_EQ(_subtype, (int)_m->watch.subtype);				\
	EXPECT_EQ(MNT_NOTE_SIZE | ((_id) << WATCH_INFO_ID__SHIFT) | (_flags), \
		  _m->watch.info);					\
	EXPECT_EQ(_trigger, _m->triggered_on);				\
	EXPECT_EQ(_aux, _m->auxiliary_mount);				\
} while (0)

FIXTURE(mnt) {
	int fd, wfd;
	uint64_t base;
	struct records r;
};

FIXTURE_SETUP(mnt)
{
	ASSERT_EQ(0, unshare(CLONE_NEWNS));
	ASSERT_EQ(0, mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL));
	ASSERT_EQ(0, mount_tmpfs(BASE));
	self->base = mnt_id(BASE);
	ASSERT_NE(0, self->base);
	self->fd = wq_open(64, O_NONBLOCK, &self->wfd);
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(mnt)
{
	close(self->fd);
	close(self->wfd);
}

/* Nothing to read. */
#define EXPECT_NO_RECORD(fd) do {					\
	char _b[128];							\
	EXPECT_EQ(-1, read(fd, _b, sizeof(_b)));			\
	EXPECT_EQ(EAGAIN, errno);					\
} while (0)

TEST_F(mnt, new_mount_and_unmount)
{
	uint64_t a;

	ASSERT_EQ(0, watch_mount(AT_FDCWD, BASE, 0, self->fd, 7));
	ASSERT_EQ(0, mount_tmpfs(BASE "/a"));
	a = mnt_id(BASE "/a");
	ASSERT_NE(self->base, a);
	ASSERT_EQ(0, umount(BASE "/a"));

	ASSERT_EQ(2 * MNT_NOTE_SIZE, read_records(self->fd, &self->r));
	EXPECT_MOUNT_RECORD(&self->r, NOTIFY_MOUNT_NEW_MOUNT, self->base, a, 0, 7);
	EXPECT_MOUNT_RECORD(&self->r, NOTIFY_MOUNT_UNMOUNT, self->base, a, 0, 7);
	EXPECT_NO_RECORD(self->fd);
}

TEST_F(mnt, read_only_new_mount)
{
	uint64_t a;

	ASSERT_EQ(0, watch_mount(AT_FDCWD, BASE, 0, self->fd, 1));
	mkdir(BASE "/a", 0755);
	ASSERT_EQ(0, mount("wqm", BASE "/a", "tmpfs", MS_RDONLY, NULL));
	a = mnt_id(BASE "/a");
	ASSERT_EQ(MNT_NOTE_SIZE, read_records(self->fd, &self->r));
	EXPECT_MOUNT_RECORD(&self->r, NOTIFY_MOUNT_NEW_MOUNT, self->base, a,
			    NOTIFY_MOUNT_IS_NOW_RO, 1);
}

TEST_F(mnt, in_subtree)
{
	uint64_t a, b;

	ASSERT_EQ(0, mount_tmpfs(BASE "/a"));
	a = mnt_id(BASE "/a");
	ASSERT_EQ(0, watch_mount(AT_FDCWD, BASE, 0, self->fd, 1));
	ASSERT_EQ(0, watch_mount(AT_FDCWD, BASE "/a", 0, self->fd, 2));
	ASSERT_EQ(0, mount_tmpfs(BASE "/a/b"));
	b = mnt_id(BASE "/a/b");

	/* The watch on a first: the walk goes up from the mount. */
	ASSERT_EQ(2 * MNT_NOTE_SIZE, read_records(self->fd, &self->r));
	EXPECT_MOUNT_RECORD(&self->r, NOTIFY_MOUNT_NEW_MOUNT, a, b, 0, 2);
	EXPECT_MOUNT_RECORD(&self->r, NOTIFY_MOUNT_NEW_MOUNT, a, b,
			    NOTIFY_MOUNT_IN_SUBTREE, 1);
}

TEST_F(mnt, lazy_unmount_of_a_tree)
{
	uint64_t a, b, c;
	int seen_a = 0, seen_b = 0, seen_c = 0, i;

	ASSERT_EQ(0, mount_tmpfs(BASE "/a"));
	ASSERT_EQ(0, mount_tmpfs(BASE "/a/b"));
	ASSERT_EQ(0, mount_tmpfs(BASE "/a/c"));
	a = mnt_id(BASE "/a");
	b = mnt_id(BASE "/a/b");
	c = mnt_id(BASE "/a/c");
	ASSERT_EQ(0, watch_mount(AT_FDCWD, BASE, 0, self->fd, 3));
	ASSERT_EQ(0, umount2(BASE "/a", MNT_DETACH));

	/* One UNMOUNT per mount, each on its parent. */
	ASSERT_EQ(3 * MNT_NOTE_SIZE, read_records(self->fd, &self->r));
	for (i = 0; i < 3; i++) {
		struct mount_notification *m = (void *)next_record(&self->r);

		ASSERT_NE(NULL, m);
		EXPECT_EQ(NOTIFY_MOUNT_UNMOUNT, (int)m->watch.subtype);
		if (m->auxiliary_mount == a) {
			EXPECT_EQ(self->base, m->triggered_on);
			EXPECT_EQ(MNT_NOTE_SIZE | (3 << 8), m->watch.info);
			seen_a++;
		} else {
			EXPECT_EQ(a, m->triggered_on);
			EXPECT_EQ(MNT_NOTE_SIZE | (3 << 8) |
				  NOTIFY_MOUNT_IN_SUBTREE, m->watch.info);
			seen_b += m->auxiliary_mount == b;
			seen_c += m->auxiliary_mount == c;
		}
	}
	EXPECT_EQ(1, seen_a);
	EXPECT_EQ(1, seen_b);
	EXPECT_EQ(1, seen_c);
}

TEST_F(mnt, move_has_both_parents_and_no_unmount)
{
	uint64_t x, y, m;

	ASSERT_EQ(0, mount_tmpfs(BASE "/x"));
	ASSERT_EQ(0, mount_tmpfs(BASE "/y"));
	ASSERT_EQ(0, mount_tmpfs(BASE "/x/m"));
	ASSERT_EQ(0, mkdir(BASE "/y/m", 0755));
	x = mnt_id(BASE "/x");
	y = mnt_id(BASE "/y");
	m = mnt_id(BASE "/x/m");
	ASSERT_EQ(0, watch_mount(AT_FDCWD, BASE, 0, self->fd, 4));
	ASSERT_EQ(0, mount(BASE "/x/m", BASE "/y/m", NULL, MS_MOVE, NULL));
	EXPECT_EQ(m, mnt_id(BASE "/y/m"));

	ASSERT_EQ(2 * MNT_NOTE_SIZE, read_records(self->fd, &self->r));
	EXPECT_MOUNT_RECORD(&self->r, NOTIFY_MOUNT_MOVE_FROM, x, m,
			    NOTIFY_MOUNT_IN_SUBTREE, 4);
	EXPECT_MOUNT_RECORD(&self->r, NOTIFY_MOUNT_MOVE_TO, y, m,
			    NOTIFY_MOUNT_IN_SUBTREE, 4);
	EXPECT_NO_RECORD(self->fd);
}

TEST_F(mnt, read_only_bind_remount)
{
	uint64_t a;

	ASSERT_EQ(0, mount_tmpfs(BASE "/a"));
	a = mnt_id(BASE "/a");
	ASSERT_EQ(0, watch_mount(AT_FDCWD, BASE "/a", 0, self->fd, 5));
	ASSERT_EQ(0, mount(NULL, BASE "/a", NULL,
			   MS_REMOUNT | MS_BIND | MS_RDONLY, NULL));
	ASSERT_EQ(0, mount(NULL, BASE "/a", NULL, MS_REMOUNT | MS_BIND, NULL));

	ASSERT_EQ(2 * MNT_NOTE_SIZE, read_records(self->fd, &self->r));
	EXPECT_MOUNT_RECORD(&self->r, NOTIFY_MOUNT_READONLY, a, 0,
			    NOTIFY_MOUNT_IS_NOW_RO, 5);
	EXPECT_MOUNT_RECORD(&self->r, NOTIFY_MOUNT_READONLY, a, 0, 0, 5);
	EXPECT_NO_RECORD(self->fd);
}

TEST_F(mnt, setattr_not_readonly)
{
	struct mount_attr_arg attr = { .attr_set = MOUNT_ATTR_NOSUID };
	uint64_t a;

	ASSERT_EQ(0, mount_tmpfs(BASE "/a"));
	a = mnt_id(BASE "/a");
	ASSERT_EQ(0, watch_mount(AT_FDCWD, BASE, 0, self->fd, 6));
	ASSERT_EQ(0, syscall(__NR_mount_setattr, AT_FDCWD, BASE "/a", 0,
			     &attr, sizeof(attr)));
	ASSERT_EQ(0, mount(NULL, BASE "/a", NULL, MS_SHARED, NULL));

	ASSERT_EQ(2 * MNT_NOTE_SIZE, read_records(self->fd, &self->r));
	EXPECT_MOUNT_RECORD(&self->r, NOTIFY_MOUNT_SETATTR, a, 0,
			    NOTIFY_MOUNT_IN_SUBTREE, 6);
	EXPECT_MOUNT_RECORD(&self->r, NOTIFY_MOUNT_SETATTR, a, 0,
			    NOTIFY_MOUNT_IN_SUBTREE, 6);
	EXPECT_NO_RECORD(self->fd);
}

TEST_F(mnt, propagation_to_a_shared_copy)
{
	uint64_t s1, s2, m1, m2;

	ASSERT_EQ(0, mount_tmpfs(BASE "/s1"));
	ASSERT_EQ(0, mount(NULL, BASE "/s1", NULL, MS_SHARED, NULL));
	ASSERT_EQ(0, mkdir(BASE "/s2", 0755));
	ASSERT_EQ(0, mount(BASE "/s1", BASE "/s2", NULL, MS_BIND, NULL));
	ASSERT_EQ(0, mkdir(BASE "/s1/m", 0755));
	s1 = mnt_id(BASE "/s1");
	s2 = mnt_id(BASE "/s2");
	ASSERT_EQ(0, watch_mount(AT_FDCWD, BASE "/s2", 0, self->fd, 8));
	ASSERT_EQ(0, mount_tmpfs(BASE "/s1/m"));
	m1 = mnt_id(BASE "/s1/m");
	m2 = mnt_id(BASE "/s2/m");
	ASSERT_NE(m1, m2);
	ASSERT_NE(s1, s2);

	/* Only the copy is below the watched mount. */
	ASSERT_EQ(MNT_NOTE_SIZE, read_records(self->fd, &self->r));
	EXPECT_MOUNT_RECORD(&self->r, NOTIFY_MOUNT_NEW_MOUNT, s2, m2, 0, 8);
}

TEST_F(mnt, expire)
{
	uint64_t a;

	ASSERT_EQ(0, mount_tmpfs(BASE "/a"));
	a = mnt_id(BASE "/a");
	ASSERT_EQ(0, watch_mount(AT_FDCWD, BASE, 0, self->fd, 9));
	/* Marked by the first call, unmounted by the second. */
	EXPECT_EQ(-1, umount2(BASE "/a", MNT_EXPIRE));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_NO_RECORD(self->fd);
	ASSERT_EQ(0, umount2(BASE "/a", MNT_EXPIRE));

	ASSERT_EQ(2 * MNT_NOTE_SIZE, read_records(self->fd, &self->r));
	EXPECT_MOUNT_RECORD(&self->r, NOTIFY_MOUNT_EXPIRY, a, 0,
			    NOTIFY_MOUNT_IN_SUBTREE, 9);
	EXPECT_MOUNT_RECORD(&self->r, NOTIFY_MOUNT_UNMOUNT, self->base, a, 0, 9);
}

TEST_F(mnt, removal_when_the_mount_goes)
{
	struct watch_notification_removal *rm;
	uint64_t a;

	ASSERT_EQ(0, mount_tmpfs(BASE "/a"));
	a = mnt_id(BASE "/a");
	ASSERT_EQ(0, watch_mount(AT_FDCWD, BASE "/a", 0, self->fd, 10));
	ASSERT_EQ(0, umount(BASE "/a"));

	/* The UNMOUNT is on the parent, which nobody watches. */
	ASSERT_EQ(REMOVAL_SIZE, read_records(self->fd, &self->r));
	rm = (void *)next_record(&self->r);
	ASSERT_NE(NULL, rm);
	EXPECT_EQ(WATCH_TYPE_META, (int)rm->watch.type);
	EXPECT_EQ(WATCH_META_REMOVAL_NOTIFICATION, (int)rm->watch.subtype);
	EXPECT_EQ(REMOVAL_SIZE | (10 << 8), rm->watch.info);
	EXPECT_EQ(a, rm->id);
	/* The watch is gone with the mount. */
	EXPECT_NO_RECORD(self->fd);
}

/*
 * A mount that is going away (lazily unmounted, held by an open directory)
 * cannot be watched: ENOENT, and nothing is left behind.
 */
TEST_F(mnt, detached_mount_enoent)
{
	int dfd;

	ASSERT_EQ(0, mount_tmpfs(BASE "/a"));
	dfd = open(BASE "/a", O_RDONLY | O_DIRECTORY);
	ASSERT_LE(0, dfd);
	ASSERT_EQ(0, umount2(BASE "/a", MNT_DETACH));
	EXPECT_EQ(-1, watch_mount(dfd, "", AT_EMPTY_PATH, self->fd, 1));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(-1, watch_mount(dfd, "", AT_EMPTY_PATH, self->fd, -1));
	EXPECT_EQ(EBADSLT, errno);
	close(dfd);
	EXPECT_NO_RECORD(self->fd);
}

TEST_F(mnt, filter_on_in_subtree)
{
	uint64_t a;

	ASSERT_EQ(0, wq_filter_one(self->fd, WATCH_TYPE_MOUNT_NOTIFY, 0,
				   NOTIFY_MOUNT_IN_SUBTREE));
	ASSERT_EQ(0, watch_mount(AT_FDCWD, BASE, 0, self->fd, 11));
	ASSERT_EQ(0, mount_tmpfs(BASE "/a"));
	ASSERT_EQ(0, mount_tmpfs(BASE "/a/b"));
	a = mnt_id(BASE "/a");

	/* Only what happened on the watched mount itself. */
	ASSERT_EQ(MNT_NOTE_SIZE, read_records(self->fd, &self->r));
	EXPECT_MOUNT_RECORD(&self->r, NOTIFY_MOUNT_NEW_MOUNT, self->base, a, 0, 11);
}

TEST_F(mnt, loss_on_a_flooded_queue)
{
	struct watch_notification *n;
	int fd, wfd = -1, i, nr = 0, loss = 0;
	char path[64];

	fd = wq_open(32, O_NONBLOCK, &wfd);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, watch_mount(AT_FDCWD, BASE, 0, fd, 12));
	/* A queue of one page: 4096 / 128 notes. */
	for (i = 0; i < 40; i++) {
		snprintf(path, sizeof(path), BASE "/m%d", i);
		ASSERT_EQ(0, mount_tmpfs(path));
	}
	while (read_records(fd, &self->r) > 0) {
		while ((n = next_record(&self->r))) {
			if (n->type == WATCH_TYPE_META &&
			    n->subtype == WATCH_META_LOSS_NOTIFICATION)
				loss++;
			else
				nr++;
		}
	}
	EXPECT_EQ(32, nr);
	EXPECT_EQ(1, loss);
	close(fd);
	close(wfd);
}

TEST_F(mnt, errors)
{
	int pfd[2], file, dfd;

	EXPECT_EQ(-1, watch_mount(AT_FDCWD, BASE, 0, self->fd, 256));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, watch_mount(AT_FDCWD, BASE, 0, self->fd, -2));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, watch_mount(AT_FDCWD, BASE, AT_SYMLINK_NOFOLLOW,
				  self->fd, 1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, watch_mount(AT_FDCWD, BASE "/none", 0, self->fd, 1));
	EXPECT_EQ(ENOENT, errno);
	file = open(BASE "/file", O_CREAT | O_RDWR, 0644);
	ASSERT_LE(0, file);
	EXPECT_EQ(-1, watch_mount(AT_FDCWD, BASE "/file", 0, self->fd, 1));
	EXPECT_EQ(ENOTDIR, errno);
	/* Not a notification pipe. */
	EXPECT_EQ(-1, watch_mount(AT_FDCWD, BASE, 0, file, 1));
	EXPECT_EQ(EINVAL, errno);
	ASSERT_EQ(0, pipe(pfd));
	EXPECT_EQ(-1, watch_mount(AT_FDCWD, BASE, 0, pfd[0], 1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, watch_mount(AT_FDCWD, BASE, 0, 999, 1));
	EXPECT_EQ(EINVAL, errno);
	/* Removing a watch that is not there. */
	EXPECT_EQ(-1, watch_mount(AT_FDCWD, BASE, 0, self->fd, -1));
	EXPECT_EQ(EBADSLT, errno);
	/* A second watch of the same queue on the same mount. */
	EXPECT_EQ(0, watch_mount(AT_FDCWD, BASE, 0, self->fd, 1));
	EXPECT_EQ(-1, watch_mount(AT_FDCWD, BASE, 0, self->fd, 2));
	EXPECT_EQ(EBUSY, errno);
	/* AT_EMPTY_PATH on a directory fd; removal gives a removal record. */
	dfd = open(BASE, O_RDONLY | O_DIRECTORY);
	ASSERT_LE(0, dfd);
	EXPECT_EQ(0, watch_mount(dfd, "", AT_EMPTY_PATH, self->fd, -1));
	EXPECT_EQ(REMOVAL_SIZE, read_records(self->fd, &self->r));
	EXPECT_EQ(-1, watch_mount(AT_FDCWD, BASE, 0, self->fd, -1));
	EXPECT_EQ(EBADSLT, errno);
	close(pfd[0]);
	close(pfd[1]);
	close(file);
	close(dfd);
}

/*
 * The watch limit is the user's RLIMIT_NOFILE, shared with key watches.  A
 * user of its own, as watches are freed (and uncounted) a grace period after
 * their removal: those of earlier tests may still count for root.
 */
TEST_F(mnt, watch_limit)
{
	struct rlimit rl;
	char path[64];
	int i, n;

	for (i = 0; i < 18; i++) {
		snprintf(path, sizeof(path), BASE "/m%d", i);
		ASSERT_EQ(0, mount_tmpfs(path));
	}
	ASSERT_EQ(0, getrlimit(RLIMIT_NOFILE, &rl));
	rl.rlim_cur = 16;
	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &rl));
	ASSERT_EQ(0, setgid(4242));
	ASSERT_EQ(0, setuid(4242));
	for (n = 0; n < 18; n++) {
		snprintf(path, sizeof(path), BASE "/m%d", n);
		if (watch_mount(AT_FDCWD, path, 0, self->fd, 1) < 0)
			break;
	}
	EXPECT_EQ(EAGAIN, errno);
	ASSERT_EQ(16, n);
	/*
	 * Releasing one makes room for one, once the watch is freed (after a
	 * grace period).
	 */
	ASSERT_EQ(0, watch_mount(AT_FDCWD, BASE "/m0", 0, self->fd, -1));
	for (i = 0; i < 200; i++) {
		if (!watch_mount(AT_FDCWD, path, 0, self->fd, 1))
			break;
		ASSERT_EQ(EAGAIN, errno);
		usleep(10000);
	}
	EXPECT_GT(200, i);
	EXPECT_EQ(-1, watch_mount(AT_FDCWD, BASE "/m17", 0, self->fd, 1));
	EXPECT_EQ(EAGAIN, errno);
}

/* Search permission on the directory, for an unprivileged watcher. */
TEST_F(mnt, eacces_without_search_permission)
{
	ASSERT_EQ(0, mkdir(BASE "/closed", 0700));
	ASSERT_EQ(0, mount_tmpfs(BASE "/closed"));
	ASSERT_EQ(0, chmod(BASE "/closed", 0700));
	ASSERT_EQ(0, chmod(BASE, 0755));
	ASSERT_EQ(0, setgid(65534));
	ASSERT_EQ(0, setuid(65534));
	EXPECT_EQ(-1, watch_mount(AT_FDCWD, BASE "/closed", 0, self->fd, 1));
	EXPECT_EQ(EACCES, errno);
	EXPECT_EQ(0, watch_mount(AT_FDCWD, BASE, 0, self->fd, 1));
}

/*
 * A mount of another namespace, reached through a directory fd passed over
 * a socket: refused without CAP_SYS_ADMIN over that namespace.
 */
TEST_F(mnt, other_namespace)
{
	int sv[2], dfd, status;
	pid_t pid;

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(sv[0]);
		if (unshare(CLONE_NEWNS) || mount_tmpfs(BASE "/other"))
			_exit(1);
		dfd = open(BASE "/other", O_RDONLY | O_DIRECTORY);
		if (dfd < 0 || wq_send_fd(sv[1], dfd))
			_exit(2);
		/* Keep the namespace until the parent is done. */
		read(sv[1], &status, 1);
		_exit(0);
	}
	close(sv[1]);
	dfd = wq_recv_fd(sv[0]);
	ASSERT_LE(0, dfd);
	/* Root administers every namespace here. */
	EXPECT_EQ(0, watch_mount(dfd, "", AT_EMPTY_PATH, self->fd, 1));
	EXPECT_EQ(0, watch_mount(dfd, "", AT_EMPTY_PATH, self->fd, -1));
	ASSERT_EQ(0, setgid(65534));
	ASSERT_EQ(0, setuid(65534));
	EXPECT_EQ(-1, watch_mount(dfd, "", AT_EMPTY_PATH, self->fd, 1));
	EXPECT_EQ(EPERM, errno);
	/* The own namespace's mounts stay watchable. */
	EXPECT_EQ(0, watch_mount(AT_FDCWD, BASE, 0, self->fd, 1));
	close(sv[0]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

static atomic_int racing;

/* Mounts and unmounts a tree below BASE "/r" until told to stop. */
static void *mounter(void *arg)
{
	(void)arg;
	while (racing) {
		if (mount_tmpfs(BASE "/r/m"))
			continue;
		mount_tmpfs(BASE "/r/m/n");
		umount2(BASE "/r/m", MNT_DETACH);
	}
	return NULL;
}

/* Watches BASE "/r" and below through pipes closed at random points. */
static void *watcher(void *arg)
{
	struct records r;
	unsigned int seed = (uintptr_t)arg;

	while (racing) {
		int wfd = -1, fd = wq_open(8, O_NONBLOCK, &wfd);

		if (fd < 0)
			continue;
		watch_mount(AT_FDCWD, BASE "/r", 0, fd, 1);
		if (rand_r(&seed) & 1)
			watch_mount(AT_FDCWD, BASE "/r/m", 0, fd, 2);
		if (rand_r(&seed) & 1)
			read_records(fd, &r);
		if (rand_r(&seed) & 1)
			watch_mount(AT_FDCWD, BASE "/r", 0, fd, -1);
		close(fd);
		close(wfd);
	}
	return NULL;
}

/*
 * close() of the queue, watch_mount() and umount racing, for the debug
 * flavours (KASAN, lockdep, kmemleak): they must find nothing.
 */
TEST_F(mnt, close_races_umount_and_watch)
{
	pthread_t t[3];
	int i;

	ASSERT_EQ(0, mount_tmpfs(BASE "/r"));
	racing = 1;
	ASSERT_EQ(0, pthread_create(&t[0], NULL, mounter, NULL));
	ASSERT_EQ(0, pthread_create(&t[1], NULL, watcher, (void *)1));
	ASSERT_EQ(0, pthread_create(&t[2], NULL, watcher, (void *)2));
	sleep(2);
	racing = 0;
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, pthread_join(t[i], NULL));
	umount2(BASE "/r", MNT_DETACH);
}

/*
 * fanotify as the oracle: every attach, detach and move of a mount that it
 * reports for the namespace matches a record of a watch on the namespace's
 * root, and the reverse, operation by operation.
 */
enum { ATTACH = 1, DETACH = 2, MOVE = 3 };

struct event {
	int kind;
	uint64_t id;
};

static int cmp_event(const void *a, const void *b)
{
	const struct event *x = a, *y = b;

	if (x->kind != y->kind)
		return x->kind - y->kind;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* What fanotify reported since the last call. */
static int fanotify_events(int fan, struct event *ev, int max)
{
	unsigned char buf[4096];
	int n = 0;
	ssize_t len;

	while ((len = read(fan, buf, sizeof(buf))) > 0) {
		struct fanotify_event_metadata *md = (void *)buf;

		for (; FAN_EVENT_OK(md, len); md = FAN_EVENT_NEXT(md, len)) {
			struct fanotify_event_info_mnt *info = (void *)(md + 1);
			int kind = 0;

			if (md->mask & FAN_MNT_ATTACH)
				kind |= ATTACH;
			if (md->mask & FAN_MNT_DETACH)
				kind |= DETACH;
			if (md->event_len < sizeof(*md) + sizeof(*info) ||
			    info->hdr.info_type != FAN_EVENT_INFO_TYPE_MNT ||
			    !kind || n == max)
				return -1;
			ev[n].kind = kind;
			ev[n++].id = info->mnt_id;
		}
	}
	return n;
}

/*
 * What the watch saw since the last call: NEW_MOUNT is an attach, UNMOUNT a
 * detach, and MOVE_FROM with MOVE_TO one move.
 */
static int watch_events(int fd, struct records *r, struct event *ev, int max)
{
	struct mount_notification *m;
	int n = 0, from = 0;

	while (read_records(fd, r) > 0) {
		while ((m = (void *)next_record(r))) {
			if (m->watch.type != WATCH_TYPE_MOUNT_NOTIFY || n == max)
				return -1;
			switch (m->watch.subtype) {
			case NOTIFY_MOUNT_NEW_MOUNT:
				ev[n].kind = ATTACH;
				break;
			case NOTIFY_MOUNT_UNMOUNT:
				ev[n].kind = DETACH;
				break;
			case NOTIFY_MOUNT_MOVE_FROM:
				from++;
				continue;
			case NOTIFY_MOUNT_MOVE_TO:
				if (!from--)
					return -1;
				ev[n].kind = MOVE;
				break;
			default:
				continue;
			}
			ev[n++].id = m->auxiliary_mount;
		}
	}
	return from ? -1 : n;
}

static int do_op(const char *op)
{
	if (!strcmp(op, "mount a"))
		return mount_tmpfs(BASE "/a");
	if (!strcmp(op, "mount a/b"))
		return mount_tmpfs(BASE "/a/b");
	if (!strcmp(op, "bind -r a c"))
		return mount(BASE "/a", BASE "/c", NULL, MS_BIND | MS_REC, NULL);
	if (!strcmp(op, "move c d"))
		return mount(BASE "/c", BASE "/d", NULL, MS_MOVE, NULL);
	if (!strcmp(op, "umount -l d"))
		return umount2(BASE "/d", MNT_DETACH);
	if (!strcmp(op, "umount a/b"))
		return umount(BASE "/a/b");
	if (!strcmp(op, "umount -l a"))
		return umount2(BASE "/a", MNT_DETACH);
	errno = EINVAL;
	return -1;
}

TEST_F(mnt, fanotify_oracle)
{
	static const char *const ops[] = {
		"mount a", "mount a/b", "bind -r a c", "move c d",
		"umount -l d", "umount a/b", "mount a/b", "umount -l a",
	};
	struct event fan_ev[16], wq_ev[16];
	int fan, ns, i, nf, nw, total = 0;

	fan = fanotify_init(FAN_REPORT_MNT | FAN_NONBLOCK, 0);
	ASSERT_LE(0, fan);
	ns = open("/proc/self/ns/mnt", O_RDONLY);
	ASSERT_LE(0, ns);
	ASSERT_EQ(0, fanotify_mark(fan, FAN_MARK_ADD | FAN_MARK_MNTNS,
				   FAN_MNT_ATTACH | FAN_MNT_DETACH, ns, NULL));
	ASSERT_EQ(0, watch_mount(AT_FDCWD, "/", 0, self->fd, 1));
	ASSERT_EQ(0, mkdir(BASE "/c", 0755));
	ASSERT_EQ(0, mkdir(BASE "/d", 0755));

	for (i = 0; i < (int)ARRAY_SIZE(ops); i++) {
		const char *op = ops[i];

		ASSERT_EQ(0, do_op(op)) TH_LOG("%s: %s", op, strerror(errno));

		nf = fanotify_events(fan, fan_ev, 16);
		nw = watch_events(self->fd, &self->r, wq_ev, 16);
		ASSERT_LT(0, nf) TH_LOG("%s: fanotify reported nothing", op);
		ASSERT_EQ(nf, nw) TH_LOG("%s", op);
		qsort(fan_ev, nf, sizeof(fan_ev[0]), cmp_event);
		qsort(wq_ev, nw, sizeof(wq_ev[0]), cmp_event);
		for (int j = 0; j < nf; j++) {
			EXPECT_EQ(fan_ev[j].kind, wq_ev[j].kind) TH_LOG("%s", op);
			EXPECT_EQ(fan_ev[j].id, wq_ev[j].id) TH_LOG("%s", op);
		}
		total += nf;
	}
	/* 1 + 1 + 2 (a copy of a and a/b) + 1 + 2 + 1 + 1 + 2. */
	EXPECT_EQ(11, total);
	close(ns);
	close(fan);
}

TEST_HARNESS_MAIN
