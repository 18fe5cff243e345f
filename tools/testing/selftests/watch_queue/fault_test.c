// SPDX-License-Identifier: GPL-2.0
/*
 * Allocation failures injected (failslab, fail_page_alloc) into
 * IOC_WATCH_QUEUE_SET_SIZE, IOC_WATCH_QUEUE_SET_FILTER and KEYCTL_WATCH_KEY:
 * every failure must give a clean errno and leave the pipe usable, and
 * nothing may leak (the harness scans kmemleak afterwards).  Needs
 * CONFIG_FAILSLAB, CONFIG_FAIL_PAGE_ALLOC and CONFIG_FAULT_INJECTION_DEBUG_FS
 * (the debug flavour); skips otherwise.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>

#include "../kselftest_harness.h"
#include "wq_util.h"

#define FAILSLAB	"/sys/kernel/debug/failslab"
#define FAIL_PAGE	"/sys/kernel/debug/fail_page_alloc"

static int put(const char *dir, const char *attr, const char *val)
{
	char path[256];
	int fd, ret;

	snprintf(path, sizeof(path), "%s%s%s", dir, *attr ? "/" : "", attr);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -1;
	ret = write(fd, val, strlen(val)) == (ssize_t)strlen(val) ? 0 : -1;
	close(fd);
	return ret;
}

/* Fail one allocation of this task, once SPACE bytes have been allocated. */
static void arm(const char *dir, long space)
{
	char buf[32];

	put(dir, "probability", "100");
	put(dir, "interval", "1");
	put(dir, "times", "1");
	snprintf(buf, sizeof(buf), "%ld", space);
	put(dir, "space", buf);
	put("/proc/thread-self/make-it-fail", "", "1");
}

static void disarm(const char *dir)
{
	put("/proc/thread-self/make-it-fail", "", "0");
	put(dir, "probability", "0");
}

static int setup(const char *dir)
{
	if (access(dir, F_OK))
		return -1;
	put(dir, "task-filter", "Y");
	put(dir, "verbose", "0");
	put(dir, "ignore-gfp-wait", "N");
	put(dir, "min-order", "0");
	return 0;
}

FIXTURE(fault) {
	key_serial_t ring;
	key_serial_t key;
};

FIXTURE_VARIANT(fault) {
	const char *dir;
	long max_space;
	long step;
};

FIXTURE_VARIANT_ADD(fault, slab) {
	.dir = FAILSLAB,
	.max_space = 16384,
	.step = 32,
};

FIXTURE_VARIANT_ADD(fault, page) {
	.dir = FAIL_PAGE,
	.max_space = 20 * 4096,
	.step = 4096,
};

FIXTURE_SETUP(fault)
{
	if (setup(variant->dir))
		SKIP(return, "%s: no fault injection in this kernel", variant->dir);
	self->ring = wq_new_session();
	ASSERT_GT(self->ring, 0);
	self->key = wq_add_key("user", "wq-fault", "x", 1, self->ring);
	ASSERT_GT(self->key, 0);
}

FIXTURE_TEARDOWN(fault)
{
	disarm(variant->dir);
}

/* Whatever fails inside, the caller gets 0 or ENOMEM. */
#define EXPECT_CLEAN(_ret) do {						\
	long __r = (_ret);						\
	int __e = errno;						\
	EXPECT_TRUE(__r == 0 || (__r == -1 && __e == ENOMEM))		\
		TH_LOG("returned %ld, errno %d", __r, __e);		\
} while (0)

TEST_F(fault, set_size)
{
	struct key_notification n;
	long space;
	int fd, wfd = -1;

	for (space = 0; space <= variant->max_space; space += variant->step) {
		fd = wq_open(0, O_NONBLOCK, &wfd);
		ASSERT_GE(fd, 0);
		arm(variant->dir, space);
		EXPECT_CLEAN(ioctl(fd, IOC_WATCH_QUEUE_SET_SIZE, 512));
		disarm(variant->dir);
		/* Set or not, the queue works now. */
		errno = 0;
		if (ioctl(fd, IOC_WATCH_QUEUE_SET_SIZE, 512))
			EXPECT_EQ(EBUSY, errno);
		ASSERT_EQ(0, wq_filter_keys(fd));
		ASSERT_EQ(0, wq_watch_key(self->key, fd, 1));
		ASSERT_EQ(0, wq_keyctl(KEYCTL_UPDATE, self->key, (unsigned long)"y", 1, 0));
		EXPECT_EQ(sizeof(n), read(fd, &n, sizeof(n)));
		close(fd);
		close(wfd);
	}
}

/*
 * Bug: pipe2(O_NOTIFICATION_PIPE) leaked the inode and the pipe when the
 * queue could not be set up.  Fail each allocation in turn: ENOMEM (ENFILE
 * when it is the inode's, as for any pipe) or a working pipe, and nothing
 * leaked (kmemleak).
 */
TEST_F(fault, notification_pipe2)
{
	long space;
	int r, e, fds[2];

	for (space = 0; space <= variant->max_space; space += variant->step) {
		arm(variant->dir, space);
		r = pipe2(fds, O_NOTIFICATION_PIPE);
		e = errno;
		disarm(variant->dir);
		if (r < 0) {
			EXPECT_TRUE(e == ENOMEM || e == ENFILE)
				TH_LOG("errno %d", e);
			continue;
		}
		EXPECT_EQ(0, ioctl(fds[0], IOC_WATCH_QUEUE_SET_SIZE, 1));
		close(fds[0]);
		close(fds[1]);
	}
}

TEST_F(fault, set_filter)
{
	long space;
	int fd, wfd = -1;

	fd = wq_open(32, O_NONBLOCK, &wfd);
	ASSERT_GE(fd, 0);
	for (space = 0; space <= variant->max_space / 4; space += variant->step) {
		arm(variant->dir, space);
		EXPECT_CLEAN(wq_filter_keys(fd));
		disarm(variant->dir);
	}
	EXPECT_EQ(0, wq_filter_keys(fd));
	close(fd);
	close(wfd);
}

TEST_F(fault, watch_key)
{
	long space;
	int fd, wfd = -1;

	fd = wq_open(32, O_NONBLOCK, &wfd);
	ASSERT_GE(fd, 0);
	for (space = 0; space <= variant->max_space / 4; space += variant->step) {
		key_serial_t k = wq_add_key("user", "wq-fault-w", "x", 1, self->ring);

		ASSERT_GT(k, 0);
		arm(variant->dir, space);
		EXPECT_CLEAN(wq_watch_key(k, fd, 1));
		disarm(variant->dir);
		/* Watched or not, the key can be watched (or is) now. */
		errno = 0;
		if (wq_watch_key(k, fd, 1))
			EXPECT_EQ(EBUSY, errno);
		ASSERT_EQ(0, wq_keyctl(KEYCTL_INVALIDATE, k, 0, 0, 0));
	}
	close(fd);
	close(wfd);
}

TEST_HARNESS_MAIN
