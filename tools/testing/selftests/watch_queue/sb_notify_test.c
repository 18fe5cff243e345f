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
#include <signal.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <linux/fuse.h>

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
 * The root directory is node 1, "file" node 2, of one page: readahead reads
 * one folio, whose failure is one error report.
 */
static void fuse_attr_of(uint64_t node, struct fuse_attr *attr)
{
	memset(attr, 0, sizeof(*attr));
	attr->ino = node;
	attr->mode = node == FUSE_ROOT_ID ? S_IFDIR | 0755 : S_IFREG | 0444;
	attr->nlink = 1;
	attr->size = node == FUSE_ROOT_ID ? 0 : 4096;
	attr->blksize = 4096;
}

/*
 * A FUSE server of one read-only file, "file", whose every READ fails with
 * EIO. Serves the requests of FD until the connection goes (the unmount).
 */
static void fuse_serve(int fd)
{
	static unsigned char req[65536];
	struct fuse_in_header *in = (void *)req;
	struct {
		struct fuse_out_header h;
		union {
			struct fuse_init_out init;
			struct fuse_entry_out entry;
			struct fuse_attr_out attr;
			struct fuse_open_out open;
		};
	} out;
	size_t size;
	ssize_t n;

	for (;;) {
		n = read(fd, req, sizeof(req));
		if (n < 0 && (errno == EINTR || errno == ENOENT))
			continue;
		if (n < (ssize_t)sizeof(*in))
			return;
		if (in->opcode == FUSE_FORGET || in->opcode == FUSE_BATCH_FORGET ||
		    in->opcode == FUSE_INTERRUPT)
			continue;
		memset(&out, 0, sizeof(out));
		size = 0;
		switch (in->opcode) {
		case FUSE_INIT: {
			struct fuse_init_in *i = (void *)(in + 1);

			out.init.major = FUSE_KERNEL_VERSION;
			out.init.minor = FUSE_KERNEL_MINOR_VERSION;
			/* Reads go through readahead, which reports errors. */
			out.init.max_readahead = i->max_readahead;
			out.init.max_background = 16;
			out.init.congestion_threshold = 12;
			out.init.max_write = 4096;
			out.init.time_gran = 1;
			size = sizeof(out.init);
			break;
		}
		case FUSE_LOOKUP:
			if (in->nodeid != FUSE_ROOT_ID ||
			    strcmp((char *)(in + 1), "file")) {
				out.h.error = -ENOENT;
				break;
			}
			out.entry.nodeid = 2;
			out.entry.entry_valid = 60;
			out.entry.attr_valid = 60;
			fuse_attr_of(2, &out.entry.attr);
			size = sizeof(out.entry);
			break;
		case FUSE_GETATTR:
			out.attr.attr_valid = 60;
			fuse_attr_of(in->nodeid, &out.attr.attr);
			size = sizeof(out.attr);
			break;
		case FUSE_OPEN:
			out.open.fh = 1;
			size = sizeof(out.open);
			break;
		case FUSE_READ:
			out.h.error = -EIO;
			break;
		case FUSE_FLUSH:
		case FUSE_RELEASE:
			break;
		default:
			/* What the kernel asks besides (xattrs, statfs): refused. */
			out.h.error = -EOPNOTSUPP;
			break;
		}
		out.h.unique = in->unique;
		out.h.len = sizeof(out.h) + size;
		if (write(fd, &out, out.h.len) < 0 && errno == ENODEV)
			return;
	}
}

/*
 * ERROR from the filesystem's error reporting (fs/fserror.c): a read of a
 * FUSE file whose server fails every READ with EIO. The read reports twice:
 * readahead's completion, then the retry of the folio by ->read_folio().
 * Each report reaches the watch from a worker, which posts only while the
 * superblock is active: an unmount that overtakes a worker (it clears
 * SB_ACTIVE, then waits for the workers) loses that report, as fsnotify
 * does.  So both records are awaited before the unmount, whose last
 * unmount then removes the watch.
 */
TEST_F(sb, error_from_fuse_read)
{
	struct superblock_error_notification *e;
	struct watch_notification_removal *rm;
	char opts[128], data[4096];
	int fuse, ffd, i, status, got;
	ssize_t n;
	pid_t test = getpid(), server;

	fuse = open("/dev/fuse", O_RDWR | O_CLOEXEC);
	if (fuse < 0 && errno == ENOENT)
		SKIP(return, "no FUSE in this kernel");
	ASSERT_LE(0, fuse);
	snprintf(opts, sizeof(opts),
		 "fd=%d,rootmode=40000,user_id=0,group_id=0", fuse);
	ASSERT_EQ(0, mkdir(BASE "/f", 0755));
	ASSERT_EQ(0, mount("wqfuse", BASE "/f", "fuse", MS_NODEV | MS_NOSUID,
			   opts));
	server = fork();
	ASSERT_LE(0, server);
	if (!server) {
		/* Not left behind, holding the mount, if the test fails. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != test)
			_exit(1);
		fuse_serve(fuse);
		_exit(0);
	}
	close(fuse);
	ASSERT_EQ(0, watch_sb(AT_FDCWD, BASE "/f", 0, self->fd, 11));

	ffd = open(BASE "/f/file", O_RDONLY);
	ASSERT_LE(0, ffd);
	EXPECT_EQ(-1, read(ffd, data, sizeof(data)));
	EXPECT_EQ(EIO, errno);
	close(ffd);
	for (got = 0; got < 2 * SB_ERROR_SIZE; got += n) {
		struct pollfd pfd = { .fd = self->fd, .events = POLLIN };

		ASSERT_EQ(1, poll(&pfd, 1, 10000))
			TH_LOG("%d bytes of ERROR records after 10 s", got);
		n = read(self->fd, self->buf + got, sizeof(self->buf) - got);
		ASSERT_LT(0, n);
	}
	ASSERT_EQ(2 * SB_ERROR_SIZE, got);
	ASSERT_EQ(0, umount(BASE "/f"));
	ASSERT_EQ(REMOVAL_SIZE, read(self->fd, self->buf + got,
				     sizeof(self->buf) - got));

	e = (void *)self->buf;
	for (i = 0; i < 2; i++) {
		EXPECT_EQ(WATCH_TYPE_SB_NOTIFY, (int)e[i].s.watch.type);
		EXPECT_EQ(NOTIFY_SUPERBLOCK_ERROR, (int)e[i].s.watch.subtype);
		EXPECT_EQ(SB_ERROR_SIZE | (11 << WATCH_INFO_ID__SHIFT),
			  e[i].s.watch.info);
		EXPECT_NE(0, e[i].s.sb_id);
		EXPECT_EQ(e[0].s.sb_id, e[i].s.sb_id);
		EXPECT_EQ(EIO, e[i].error_number);
		EXPECT_EQ(0, e[i].error_cookie);
	}
	rm = (void *)(self->buf + 2 * SB_ERROR_SIZE);
	EXPECT_EQ(WATCH_TYPE_META, (int)rm->watch.type);
	EXPECT_EQ(WATCH_META_REMOVAL_NOTIFICATION, (int)rm->watch.subtype);
	EXPECT_EQ(REMOVAL_SIZE | (11 << WATCH_INFO_ID__SHIFT), rm->watch.info);
	EXPECT_EQ(e[0].s.sb_id, rm->id);

	/* The connection went with the unmount: the server ends. */
	ASSERT_EQ(server, waitpid(server, &status, 0));
	EXPECT_EQ(0, status);
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
