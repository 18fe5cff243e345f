// SPDX-License-Identifier: GPL-2.0
/*
 * watch_sb(): the records of superblock changes (read-only and read-write,
 * quota limits crossed, filesystem errors, removal), and the system call's
 * errors.
 *
 * Every test runs in a private mount namespace, on a tmpfs over /tmp.
 */
#define _GNU_SOURCE
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <linux/loop.h>

#include "wq_util.h"
#include "../kselftest_harness.h"

#ifndef __NR_watch_sb
#define __NR_watch_sb 474
#endif
#ifndef __NR_fspick
#define __NR_fspick 433
#endif
#ifndef __NR_fsconfig
#define __NR_fsconfig 431
#endif
#ifndef FSCONFIG_SET_FLAG
#define FSCONFIG_SET_FLAG 0
#endif
#ifndef FSCONFIG_CMD_RECONFIGURE
#define FSCONFIG_CMD_RECONFIGURE 7
#endif

#ifndef FS_IOC_SHUTDOWN
#define FS_IOC_SHUTDOWN _IOR('X', 125, __u32)
#endif
#ifndef FS_SHUTDOWN_FLAGS_NOLOGFLUSH
#define FS_SHUTDOWN_FLAGS_NOLOGFLUSH 2
#endif

#define SB_NOTE_SIZE ((int)sizeof(struct superblock_notification))
#define SB_ERROR_SIZE ((int)sizeof(struct superblock_error_notification))
#define REMOVAL_SIZE ((int)sizeof(struct watch_notification_removal))
#define BASE "/tmp"

static long watch_sb(int dfd, const char *path, unsigned int at_flags,
		     int fd, int id)
{
	return syscall(__NR_watch_sb, dfd, path, at_flags, fd, id);
}

FIXTURE(sb) {
	int fd, wfd;
	unsigned char buf[4096];
};

FIXTURE_SETUP(sb)
{
	ASSERT_EQ(0, unshare(CLONE_NEWNS));
	ASSERT_EQ(0, mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL));
	ASSERT_EQ(0, mount("wqs", BASE, "tmpfs", 0, NULL));
	ASSERT_EQ(0, mkdir(BASE "/a", 0755));
	ASSERT_EQ(0, mount("wqs", BASE "/a", "tmpfs", 0, NULL));
	self->fd = wq_open(64, O_NONBLOCK, &self->wfd);
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(sb)
{
	close(self->fd);
	close(self->wfd);
}

/* The next record in BUF at *POS must be a superblock record like this. */
static uint64_t check_sb_record(struct __test_metadata *_metadata,
				unsigned char *buf, int *pos, int subtype,
				unsigned int flags, int id)
{
	struct superblock_notification *s = (void *)(buf + *pos);

	EXPECT_EQ(WATCH_TYPE_SB_NOTIFY, (int)s->watch.type);
	EXPECT_EQ(subtype, (int)s->watch.subtype);
	EXPECT_EQ(SB_NOTE_SIZE | (id << WATCH_INFO_ID__SHIFT) | flags,
		  s->watch.info);
	EXPECT_NE(0, s->sb_id);
	*pos += s->watch.info & WATCH_INFO_LENGTH;
	return s->sb_id;
}

TEST_F(sb, readonly_by_remount_and_removal)
{
	struct watch_notification_removal *rm;
	uint64_t id, id2;
	int pos = 0;

	ASSERT_EQ(0, watch_sb(AT_FDCWD, BASE "/a", 0, self->fd, 3));
	ASSERT_EQ(0, mount(NULL, BASE "/a", NULL, MS_REMOUNT | MS_RDONLY, NULL));
	ASSERT_EQ(0, mount(NULL, BASE "/a", NULL, MS_REMOUNT, NULL));
	ASSERT_EQ(0, umount(BASE "/a"));

	ASSERT_EQ(2 * SB_NOTE_SIZE + REMOVAL_SIZE,
		  read(self->fd, self->buf, sizeof(self->buf)));
	id = check_sb_record(_metadata, self->buf, &pos,
			     NOTIFY_SUPERBLOCK_READONLY,
			     NOTIFY_SUPERBLOCK_IS_NOW_RO, 3);
	id2 = check_sb_record(_metadata, self->buf, &pos,
			      NOTIFY_SUPERBLOCK_READONLY, 0, 3);
	EXPECT_EQ(id, id2);
	/* The last unmount: a removal record with the superblock's id. */
	rm = (void *)(self->buf + pos);
	EXPECT_EQ(WATCH_TYPE_META, (int)rm->watch.type);
	EXPECT_EQ(WATCH_META_REMOVAL_NOTIFICATION, (int)rm->watch.subtype);
	EXPECT_EQ(REMOVAL_SIZE | (3 << 8), rm->watch.info);
	EXPECT_EQ(id, rm->id);
}

TEST_F(sb, readonly_by_fsconfig)
{
	int fs, pos = 0;

	ASSERT_EQ(0, watch_sb(AT_FDCWD, BASE "/a", 0, self->fd, 4));
	fs = syscall(__NR_fspick, AT_FDCWD, BASE "/a", 0);
	ASSERT_LE(0, fs);
	ASSERT_EQ(0, syscall(__NR_fsconfig, fs, FSCONFIG_SET_FLAG, "ro", NULL, 0));
	ASSERT_EQ(0, syscall(__NR_fsconfig, fs, FSCONFIG_CMD_RECONFIGURE,
			     NULL, NULL, 0));
	close(fs);
	ASSERT_EQ(SB_NOTE_SIZE, read(self->fd, self->buf, sizeof(self->buf)));
	check_sb_record(_metadata, self->buf, &pos, NOTIFY_SUPERBLOCK_READONLY,
			NOTIFY_SUPERBLOCK_IS_NOW_RO, 4);
}

/* A bind mount is the same superblock; another tmpfs is not. */
TEST_F(sb, one_superblock)
{
	int pos = 0;

	ASSERT_EQ(0, mkdir(BASE "/b", 0755));
	ASSERT_EQ(0, mount(BASE "/a", BASE "/b", NULL, MS_BIND, NULL));
	ASSERT_EQ(0, watch_sb(AT_FDCWD, BASE "/b", 0, self->fd, 5));
	EXPECT_EQ(-1, watch_sb(AT_FDCWD, BASE "/a", 0, self->fd, 6));
	EXPECT_EQ(EBUSY, errno);
	ASSERT_EQ(0, watch_sb(AT_FDCWD, BASE, 0, self->fd, 7));
	ASSERT_EQ(0, mount(NULL, BASE "/a", NULL, MS_REMOUNT | MS_RDONLY, NULL));
	ASSERT_EQ(SB_NOTE_SIZE, read(self->fd, self->buf, sizeof(self->buf)));
	check_sb_record(_metadata, self->buf, &pos, NOTIFY_SUPERBLOCK_READONLY,
			NOTIFY_SUPERBLOCK_IS_NOW_RO, 5);
}

/* EDQUOT from a tmpfs user quota crossed by an unprivileged writer. */
TEST_F(sb, edquot)
{
	char block[4096] = {};
	int pos = 0, status, i;
	pid_t pid;

	ASSERT_EQ(0, mkdir(BASE "/q", 0777));
	if (mount("wqs", BASE "/q", "tmpfs", 0,
		  "usrquota,usrquota_block_hardlimit=64k")) {
		ASSERT_EQ(EINVAL, errno);
		SKIP(return, "no tmpfs quota in this kernel");
	}
	ASSERT_EQ(0, chmod(BASE "/q", 0777));
	ASSERT_EQ(0, watch_sb(AT_FDCWD, BASE "/q", 0, self->fd, 8));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int f;

		if (setgid(65534) || setuid(65534))
			_exit(1);
		f = open(BASE "/q/f", O_CREAT | O_WRONLY, 0644);
		if (f < 0)
			_exit(2);
		for (i = 0; i < 32; i++)
			if (write(f, block, sizeof(block)) < 0)
				_exit(errno == EDQUOT ? 0 : 3);
		_exit(4);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, WEXITSTATUS(status));
	ASSERT_EQ(SB_NOTE_SIZE, read(self->fd, self->buf, sizeof(self->buf)));
	check_sb_record(_metadata, self->buf, &pos, NOTIFY_SUPERBLOCK_EDQUOT, 0, 8);
}

/*
 * Attach IMAGE to a free loop device that lets go of it once neither mounted
 * nor open; writes the device's path into DEV and returns an fd of it (close
 * it after mounting), or -1.
 */
static int loop_attach(const char *image, char *dev, size_t size)
{
	struct loop_config cfg = { .info.lo_flags = LO_FLAGS_AUTOCLEAR };
	int ctl, nr, fd, img, ret = -1;

	ctl = open("/dev/loop-control", O_RDWR | O_CLOEXEC);
	if (ctl < 0)
		return -1;
	nr = ioctl(ctl, LOOP_CTL_GET_FREE);
	close(ctl);
	if (nr < 0)
		return -1;
	snprintf(dev, size, "/dev/loop%d", nr);
	img = open(image, O_RDWR | O_CLOEXEC);
	fd = open(dev, O_RDWR | O_CLOEXEC);
	if (img >= 0 && fd >= 0) {
		cfg.fd = img;
		ret = ioctl(fd, LOOP_CONFIGURE, &cfg);
	}
	if (img >= 0)
		close(img);
	if (ret && fd >= 0)
		close(fd);
	return ret ? -1 : fd;
}

/*
 * ERROR from the filesystem's error reporting (fs/fserror.c): ext4 on a loop
 * device, shut down with FS_IOC_SHUTDOWN, reports ESHUTDOWN from a worker.
 * Then the last unmount removes the watch.
 */
TEST_F(sb, error_from_ext4_shutdown)
{
	struct superblock_error_notification *e;
	struct watch_notification_removal *rm;
	struct pollfd pfd = { .fd = self->fd, .events = POLLIN };
	__u32 how = FS_SHUTDOWN_FLAGS_NOLOGFLUSH;
	char dev[32];
	int dfd, loop, len;

	if (access("/dev/loop-control", F_OK))
		SKIP(return, "no loop devices in this kernel");
	ASSERT_EQ(0, system("mkfs.ext4 -q -F " BASE "/ext4.img 4M"));
	loop = loop_attach(BASE "/ext4.img", dev, sizeof(dev));
	ASSERT_LE(0, loop);
	ASSERT_EQ(0, mkdir(BASE "/e", 0755));
	ASSERT_EQ(0, mount(dev, BASE "/e", "ext4", 0, NULL));
	close(loop);
	ASSERT_EQ(0, watch_sb(AT_FDCWD, BASE "/e", 0, self->fd, 11));
	dfd = open(BASE "/e", O_RDONLY | O_DIRECTORY);
	ASSERT_LE(0, dfd);
	ASSERT_EQ(0, ioctl(dfd, FS_IOC_SHUTDOWN, &how));
	close(dfd);

	/* Reported by a worker: wait for it. */
	ASSERT_EQ(1, poll(&pfd, 1, 10000));
	ASSERT_EQ(SB_ERROR_SIZE, read(self->fd, self->buf, sizeof(self->buf)));
	e = (void *)self->buf;
	EXPECT_EQ(WATCH_TYPE_SB_NOTIFY, (int)e->s.watch.type);
	EXPECT_EQ(NOTIFY_SUPERBLOCK_ERROR, (int)e->s.watch.subtype);
	EXPECT_EQ(SB_ERROR_SIZE | (11 << WATCH_INFO_ID__SHIFT), e->s.watch.info);
	EXPECT_NE(0, e->s.sb_id);
	EXPECT_EQ(ESHUTDOWN, e->error_number);
	EXPECT_EQ(0, e->error_cookie);

	ASSERT_EQ(0, umount(BASE "/e"));
	len = read(self->fd, self->buf + SB_ERROR_SIZE,
		   sizeof(self->buf) - SB_ERROR_SIZE);
	ASSERT_EQ(REMOVAL_SIZE, len);
	rm = (void *)(self->buf + SB_ERROR_SIZE);
	EXPECT_EQ(WATCH_TYPE_META, (int)rm->watch.type);
	EXPECT_EQ(WATCH_META_REMOVAL_NOTIFICATION, (int)rm->watch.subtype);
	EXPECT_EQ(REMOVAL_SIZE | (11 << WATCH_INFO_ID__SHIFT), rm->watch.info);
	EXPECT_EQ(e->s.sb_id, rm->id);
}

/* A queue of one page floods: 32 records, then a loss record. */
TEST_F(sb, loss_on_a_flooded_queue)
{
	struct watch_notification *n;
	int fd, wfd = -1, i, len, pos, nr = 0, loss = 0;

	fd = wq_open(32, O_NONBLOCK, &wfd);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, watch_sb(AT_FDCWD, BASE "/a", 0, fd, 9));
	for (i = 0; i < 20; i++) {
		ASSERT_EQ(0, mount(NULL, BASE "/a", NULL, MS_REMOUNT | MS_RDONLY, NULL));
		ASSERT_EQ(0, mount(NULL, BASE "/a", NULL, MS_REMOUNT, NULL));
	}
	while ((len = read(fd, self->buf, sizeof(self->buf))) > 0) {
		for (pos = 0; pos < len; pos += n->info & WATCH_INFO_LENGTH) {
			n = (void *)(self->buf + pos);
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

/*
 * Superblock watches count against the same per-user limit as key and mount
 * watches (RLIMIT_NOFILE); one removed makes room for one, once it is freed
 * (after a grace period).  As another user: root's count may still hold
 * watches of earlier tests.
 */
TEST_F(sb, watch_limit)
{
	struct rlimit rl;
	char path[64];
	int i, n;

	for (i = 0; i < 18; i++) {
		snprintf(path, sizeof(path), BASE "/s%d", i);
		ASSERT_EQ(0, mkdir(path, 0755));
		ASSERT_EQ(0, mount("wqs", path, "tmpfs", 0, NULL));
	}
	ASSERT_EQ(0, getrlimit(RLIMIT_NOFILE, &rl));
	rl.rlim_cur = 16;
	ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &rl));
	ASSERT_EQ(0, setgid(4243));
	ASSERT_EQ(0, setuid(4243));
	for (n = 0; n < 18; n++) {
		snprintf(path, sizeof(path), BASE "/s%d", n);
		if (watch_sb(AT_FDCWD, path, 0, self->fd, 1) < 0)
			break;
	}
	EXPECT_EQ(EAGAIN, errno);
	ASSERT_EQ(16, n);
	ASSERT_EQ(0, watch_sb(AT_FDCWD, BASE "/s0", 0, self->fd, -1));
	for (i = 0; i < 200; i++) {
		if (!watch_sb(AT_FDCWD, path, 0, self->fd, 1))
			break;
		ASSERT_EQ(EAGAIN, errno);
		usleep(10000);
	}
	EXPECT_GT(200, i);
	EXPECT_EQ(-1, watch_sb(AT_FDCWD, BASE "/s17", 0, self->fd, 1));
	EXPECT_EQ(EAGAIN, errno);
}

/* The superblock of a mount that is going away cannot be watched. */
TEST_F(sb, detached_mount_enoent)
{
	int dfd;

	dfd = open(BASE "/a", O_RDONLY | O_DIRECTORY);
	ASSERT_LE(0, dfd);
	ASSERT_EQ(0, umount2(BASE "/a", MNT_DETACH));
	EXPECT_EQ(-1, watch_sb(dfd, "", AT_EMPTY_PATH, self->fd, 1));
	EXPECT_EQ(ENOENT, errno);
	close(dfd);
	EXPECT_EQ(-1, read(self->fd, self->buf, sizeof(self->buf)));
	EXPECT_EQ(EAGAIN, errno);
}

/*
 * The superblock of a mount of another namespace, reached through a
 * directory fd passed over a socket: refused without CAP_SYS_ADMIN over that
 * namespace.
 */
TEST_F(sb, other_namespace)
{
	int sv[2], dfd, status;
	pid_t pid;

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		close(sv[0]);
		if (unshare(CLONE_NEWNS) || mkdir(BASE "/other", 0755) ||
		    mount("wqs", BASE "/other", "tmpfs", 0, NULL))
			_exit(1);
		dfd = open(BASE "/other", O_RDONLY | O_DIRECTORY);
		if (dfd < 0 || wq_send_fd(sv[1], dfd))
			_exit(2);
		read(sv[1], &status, 1);
		_exit(0);
	}
	close(sv[1]);
	dfd = wq_recv_fd(sv[0]);
	ASSERT_LE(0, dfd);
	EXPECT_EQ(0, watch_sb(dfd, "", AT_EMPTY_PATH, self->fd, 1));
	EXPECT_EQ(0, watch_sb(dfd, "", AT_EMPTY_PATH, self->fd, -1));
	ASSERT_EQ(0, setgid(65534));
	ASSERT_EQ(0, setuid(65534));
	EXPECT_EQ(-1, watch_sb(dfd, "", AT_EMPTY_PATH, self->fd, 1));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(0, watch_sb(AT_FDCWD, BASE, 0, self->fd, 1));
	close(sv[0]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

TEST_F(sb, errors)
{
	int file;

	EXPECT_EQ(-1, watch_sb(AT_FDCWD, BASE, 0, self->fd, 256));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, watch_sb(AT_FDCWD, BASE, AT_SYMLINK_NOFOLLOW, self->fd, 1));
	EXPECT_EQ(EINVAL, errno);
	file = open(BASE "/file", O_CREAT | O_RDWR, 0644);
	ASSERT_LE(0, file);
	EXPECT_EQ(-1, watch_sb(AT_FDCWD, BASE "/file", 0, self->fd, 1));
	EXPECT_EQ(ENOTDIR, errno);
	EXPECT_EQ(-1, watch_sb(AT_FDCWD, BASE, 0, file, 1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, watch_sb(AT_FDCWD, BASE, 0, self->fd, -1));
	EXPECT_EQ(EBADSLT, errno);
	EXPECT_EQ(0, watch_sb(AT_FDCWD, BASE, 0, self->fd, 1));
	EXPECT_EQ(-1, watch_sb(AT_FDCWD, BASE, 0, self->fd, 1));
	EXPECT_EQ(EBUSY, errno);
	EXPECT_EQ(0, watch_sb(AT_FDCWD, BASE, 0, self->fd, -1));
	EXPECT_EQ(REMOVAL_SIZE, read(self->fd, self->buf, sizeof(self->buf)));
	/* Unprivileged, without search permission on the directory. */
	ASSERT_EQ(0, chmod(BASE "/a", 0700));
	ASSERT_EQ(0, setgid(65534));
	ASSERT_EQ(0, setuid(65534));
	EXPECT_EQ(-1, watch_sb(AT_FDCWD, BASE "/a", 0, self->fd, 1));
	EXPECT_EQ(EACCES, errno);
	close(file);
}

TEST_HARNESS_MAIN
