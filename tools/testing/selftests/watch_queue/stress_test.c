// SPDX-License-Identifier: GPL-2.0
/*
 * Concurrency, bounded in time: threads cause key events while others read,
 * change the filter, add and remove watches, set up new queues and close
 * pipes mid-stream.  Every call must succeed or fail with an errno that the
 * race explains; the debug flavour adds KASAN, lockdep and kmemleak.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "../kselftest_harness.h"
#include "wq_util.h"

#define SECONDS 4

static atomic_int stop;
static atomic_int shared_fd = -1;
static key_serial_t ring, keys[4];
static atomic_long bad_errno, notes, ops, dead_queue;

/*
 * RET must be a success or one of the errnos allowed.  EBADF and EINVAL are
 * always allowed, as the shared fd may have been closed (or reused for the
 * write end of the next pipe) under the caller, and so is ENOENT: adding a
 * watch to a queue whose pipe was closed meanwhile finds the queue dead.
 */
static void check(long ret, int allowed1, int allowed2)
{
	atomic_fetch_add(&ops, 1);
	if (ret < 0 && errno != allowed1 && errno != allowed2 &&
	    errno != EBADF && errno != EINVAL && errno != ENOENT) {
		fprintf(stderr, "# unexpected errno %d\n", errno);
		atomic_fetch_add(&bad_errno, 1);
	}
}

static void *updater(void *arg)
{
	long i = (long)arg;

	while (!atomic_load(&stop)) {
		key_serial_t k = keys[i++ % 4];

		check(wq_keyctl(KEYCTL_UPDATE, k, (unsigned long)"u", 1, 0), 0, 0);
		check(wq_keyctl(KEYCTL_SETPERM, k, 0x3f3f0000, 0, 0), 0, 0);
		check(wq_keyctl(KEYCTL_UNLINK, k, ring, 0, 0), ENOENT, 0);
		check(wq_keyctl(KEYCTL_LINK, k, ring, 0, 0), 0, 0);
	}
	return NULL;
}

static void *reader(void *arg)
{
	char buf[4096];
	ssize_t n;

	(void)arg;
	while (!atomic_load(&stop)) {
		n = read(atomic_load(&shared_fd), buf, sizeof(buf));
		if (n > 0)
			atomic_fetch_add(&notes, n / 16);
		else
			check(n, EAGAIN, ENOBUFS);
	}
	return NULL;
}

static void *filterer(void *arg)
{
	int i = 0;

	(void)arg;
	while (!atomic_load(&stop)) {
		int fd = atomic_load(&shared_fd);

		if (i++ % 2)
			check(wq_filter_keys(fd), 0, 0);
		else
			check(ioctl(fd, IOC_WATCH_QUEUE_SET_FILTER, NULL), 0, 0);
	}
	return NULL;
}

static void *watcher(void *arg)
{
	long i = (long)arg;

	while (!atomic_load(&stop)) {
		int fd = atomic_load(&shared_fd);
		key_serial_t k = keys[i++ % 4];

		if (wq_watch_key(k, fd, i % 256) && errno == ENOENT)
			atomic_fetch_add(&dead_queue, 1);
		else
			check(0, 0, 0);
		check(wq_watch_key(k, fd, i % 256), EBUSY, EAGAIN);
		check(wq_watch_key(k, fd, -1), EBADSLT, 0);
	}
	return NULL;
}

/* New queues that watch every key, fed for a moment, then closed. */
static void *churner(void *arg)
{
	int i, fd, wfd = -1;

	(void)arg;
	while (!atomic_load(&stop)) {
		fd = wq_open(1 + rand() % 512, O_NONBLOCK, &wfd);
		if (fd < 0) {
			errno = -fd;
			check(-1, EPERM, 0);
			continue;
		}
		check(wq_filter_keys(fd), 0, 0);
		/*
		 * EBUSY: a thread holding this fd's number from before may
		 * have watched through it already.
		 */
		for (i = 0; i < 4; i++)
			check(wq_watch_key(keys[i], fd, i), EAGAIN, EBUSY);
		/* Swap the shared queue: its readers now race with close(). */
		fd = atomic_exchange(&shared_fd, fd);
		usleep(1000);
		close(fd);
		close(wfd);
	}
	return NULL;
}

TEST(races)
{
	void *(*fns[])(void *) = {
		updater, updater, reader, reader, filterer, watcher, watcher, churner,
	};
	pthread_t t[ARRAY_SIZE(fns)];
	key_serial_t keep;
	int wfd;
	long i;

	ring = wq_new_session();
	ASSERT_GT(ring, 0);
	/* A second keyring keeps the keys alive while they are unlinked. */
	keep = wq_add_key("keyring", "wq-stress-keep", NULL, 0, ring);
	ASSERT_GT(keep, 0);
	for (i = 0; i < 4; i++) {
		keys[i] = wq_add_key("user", "wq-stress", "x", 1, keep);
		ASSERT_GT(keys[i], 0);
	}
	atomic_store(&shared_fd, wq_open(64, O_NONBLOCK, &wfd));
	ASSERT_GE(atomic_load(&shared_fd), 0);

	for (i = 0; i < (long)ARRAY_SIZE(fns); i++)
		ASSERT_EQ(0, pthread_create(&t[i], NULL, fns[i], (void *)i));
	sleep(SECONDS);
	atomic_store(&stop, 1);
	for (i = 0; i < (long)ARRAY_SIZE(fns); i++)
		pthread_join(t[i], NULL);
	close(atomic_load(&shared_fd));

	TH_LOG("%ld calls, %ld notes read, %ld watches refused by a dead queue",
	       atomic_load(&ops), atomic_load(&notes), atomic_load(&dead_queue));
	EXPECT_EQ(0, atomic_load(&bad_errno));
	EXPECT_LT(1000, atomic_load(&ops));
}

/*
 * e0339f036ef4: add_watch_to_object() used hlist_add_head() on the list
 * that posters walk under RCU.  Watches go on and off one key, on several
 * queues, while two threads post to it without pause; every queue must get
 * well-formed notes only, and the debug flavours (KASAN, lockdep) must stay
 * silent.
 */
static key_serial_t hot_key;
static atomic_long posted, inserted;

static void *poster(void *arg)
{
	(void)arg;
	while (!atomic_load(&stop)) {
		if (wq_keyctl(KEYCTL_UPDATE, hot_key, (unsigned long)"p", 1, 0) == 0)
			atomic_fetch_add(&posted, 1);
		else
			atomic_fetch_add(&bad_errno, 1);
	}
	return NULL;
}

static void *inserter(void *arg)
{
	unsigned char buf[4096];
	int fd, wfd = -1, i, n, pos, len;

	(void)arg;
	fd = wq_open(256, O_NONBLOCK, &wfd);
	if (fd < 0) {
		atomic_fetch_add(&bad_errno, 1);
		return NULL;
	}
	while (!atomic_load(&stop)) {
		for (i = 0; i < 8; i++) {
			long r = wq_watch_key(hot_key, fd, i);

			/*
			 * EAGAIN: a removed watch leaves the user's count
			 * after an RCU grace period, so this churn can meet
			 * the limit for a moment.
			 */
			check(r, EAGAIN, 0);
			if (r)
				continue;
			atomic_fetch_add(&inserted, 1);
			check(wq_watch_key(hot_key, fd, -1), 0, 0);
		}
		while ((n = read(fd, buf, sizeof(buf))) > 0) {
			/* Key notes, removal and loss records, nothing else. */
			for (pos = 0; pos < n; pos += len) {
				struct watch_notification *w = (void *)(buf + pos);

				len = w->info & WATCH_INFO_LENGTH;
				if (len >= 8 && pos + len <= n &&
				    ((w->type == WATCH_TYPE_KEY_NOTIFY && len == 16) ||
				     (w->type == WATCH_TYPE_META && (len == 8 || len == 16)))) {
					atomic_fetch_add(&notes, 1);
					continue;
				}
				fprintf(stderr, "# bad record %#x\n", w->info);
				atomic_fetch_add(&bad_errno, 1);
				break;
			}
		}
	}
	close(fd);
	close(wfd);
	return NULL;
}

TEST(watch_insertion_under_posting)
{
	void *(*fns[])(void *) = { poster, poster, inserter, inserter, inserter };
	pthread_t t[ARRAY_SIZE(fns)];
	long i;

	atomic_store(&stop, 0);
	atomic_store(&bad_errno, 0);
	atomic_store(&notes, 0);
	ASSERT_GT(wq_new_session(), 0);
	hot_key = wq_add_key("user", "wq-hot", "x", 1, KEY_SPEC_SESSION_KEYRING);
	ASSERT_GT(hot_key, 0);
	for (i = 0; i < (long)ARRAY_SIZE(fns); i++)
		ASSERT_EQ(0, pthread_create(&t[i], NULL, fns[i], NULL));
	sleep(SECONDS);
	atomic_store(&stop, 1);
	for (i = 0; i < (long)ARRAY_SIZE(fns); i++)
		pthread_join(t[i], NULL);
	TH_LOG("%ld updates posted, %ld watches inserted, %ld notes read",
	       atomic_load(&posted), atomic_load(&inserted), atomic_load(&notes));
	EXPECT_EQ(0, atomic_load(&bad_errno));
	EXPECT_LT(100, atomic_load(&posted));
	EXPECT_LT(100, atomic_load(&inserted));
	EXPECT_LT(0, atomic_load(&notes));
}

TEST_HARNESS_MAIN
