// SPDX-License-Identifier: GPL-2.0
/*
 * Key notifications delivered through a notification pipe.
 */
#define _GNU_SOURCE
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>

#include "../kselftest_harness.h"
#include "wq_util.h"

FIXTURE(keyring) {
	int fd;
	int wfd;
	key_serial_t ring;
};

FIXTURE_SETUP(keyring)
{
	self->ring = wq_new_session();
	ASSERT_GT(self->ring, 0);
	self->fd = wq_open(256, O_NONBLOCK, &self->wfd);
	ASSERT_GE(self->fd, 0) TH_LOG("notification pipe: %s", strerror(-self->fd));
	ASSERT_EQ(0, wq_filter_keys(self->fd));
}

FIXTURE_TEARDOWN(keyring)
{
	close(self->fd);
	close(self->wfd);
}

/*
 * The harness's first test: watch the session keyring, add a key, read
 * exactly one 16-byte "linked" notification naming the keyring and the key.
 */
TEST_F(keyring, link_notification)
{
	struct key_notification n;
	unsigned char buf[256];
	key_serial_t key;
	ssize_t len;

	ASSERT_EQ(0, wq_watch_key(self->ring, self->fd, 0x01));
	key = wq_add_key("user", "wq-first", "payload", 7, self->ring);
	ASSERT_GT(key, 0);

	len = read(self->fd, buf, sizeof(buf));
	ASSERT_EQ(sizeof(n), len);
	memcpy(&n, buf, sizeof(n));
	EXPECT_EQ(WATCH_TYPE_KEY_NOTIFY, (unsigned int)n.watch.type);
	EXPECT_EQ(NOTIFY_KEY_LINKED, (unsigned int)n.watch.subtype);
	EXPECT_EQ(sizeof(n) | 0x01 << WATCH_INFO_ID__SHIFT, n.watch.info);
	EXPECT_EQ(self->ring, n.key_id);
	EXPECT_EQ(key, n.aux);

	/* Nothing else is queued. */
	EXPECT_EQ(-1, read(self->fd, buf, sizeof(buf)));
	EXPECT_EQ(EAGAIN, errno);
}

struct note {
	unsigned int subtype;
	unsigned int watch_id;
	key_serial_t key;
	unsigned int aux;
};

/* Read one key notification; fails the test on anything else. */
static void read_note(struct __test_metadata *_metadata, int fd, struct note *out)
{
	struct key_notification n;
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	ASSERT_EQ(1, poll(&pfd, 1, 5000));
	ASSERT_EQ(sizeof(n), read(fd, &n, sizeof(n)));
	ASSERT_EQ(WATCH_TYPE_KEY_NOTIFY, (unsigned int)n.watch.type);
	ASSERT_EQ(sizeof(n), n.watch.info & WATCH_INFO_LENGTH);
	out->subtype = n.watch.subtype;
	out->watch_id = (n.watch.info & WATCH_INFO_ID) >> WATCH_INFO_ID__SHIFT;
	out->key = n.key_id;
	out->aux = n.aux;
}

#define EXPECT_NOTE(_fd, _subtype, _watch_id, _key, _aux) do {		\
	struct note _n;							\
	read_note(_metadata, _fd, &_n);					\
	EXPECT_EQ(_subtype, _n.subtype);				\
	EXPECT_EQ(_watch_id, _n.watch_id);				\
	EXPECT_EQ(_key, _n.key);					\
	EXPECT_EQ((unsigned int)(_aux), _n.aux);			\
} while (0)

/* Every key notification subtype that userspace can cause, in order. */
TEST_F(keyring, every_subtype)
{
	key_serial_t key, ring2;

	key = wq_add_key("user", "wq-sub", "a", 1, self->ring);
	ASSERT_GT(key, 0);
	ring2 = wq_add_key("keyring", "wq-sub-ring", NULL, 0, self->ring);
	ASSERT_GT(ring2, 0);
	ASSERT_EQ(0, wq_watch_key(key, self->fd, 1));
	ASSERT_EQ(0, wq_watch_key(self->ring, self->fd, 2));
	ASSERT_EQ(0, wq_watch_key(ring2, self->fd, 3));

	ASSERT_EQ(0, wq_keyctl(KEYCTL_UPDATE, key, (unsigned long)"b", 1, 0));
	EXPECT_NOTE(self->fd, NOTIFY_KEY_UPDATED, 1, key, 0);
	ASSERT_EQ(0, wq_keyctl(KEYCTL_LINK, key, ring2, 0, 0));
	EXPECT_NOTE(self->fd, NOTIFY_KEY_LINKED, 3, ring2, key);
	ASSERT_EQ(0, wq_keyctl(KEYCTL_UNLINK, key, ring2, 0, 0));
	EXPECT_NOTE(self->fd, NOTIFY_KEY_UNLINKED, 3, ring2, key);
	ASSERT_EQ(0, wq_keyctl(KEYCTL_SETPERM, key, 0x3f3f0000, 0, 0));
	EXPECT_NOTE(self->fd, NOTIFY_KEY_SETATTR, 1, key, 0);
	ASSERT_EQ(0, wq_keyctl(KEYCTL_LINK, key, ring2, 0, 0));
	EXPECT_NOTE(self->fd, NOTIFY_KEY_LINKED, 3, ring2, key);
	ASSERT_EQ(0, wq_keyctl(KEYCTL_CLEAR, ring2, 0, 0, 0));
	EXPECT_NOTE(self->fd, NOTIFY_KEY_CLEARED, 3, ring2, 0);
	ASSERT_EQ(0, wq_keyctl(KEYCTL_REVOKE, key, 0, 0, 0));
	EXPECT_NOTE(self->fd, NOTIFY_KEY_REVOKED, 1, key, 0);
	ASSERT_EQ(0, wq_keyctl(KEYCTL_INVALIDATE, ring2, 0, 0, 0));
	EXPECT_NOTE(self->fd, NOTIFY_KEY_INVALIDATED, 3, ring2, 0);
}

/*
 * Destroying a watched key delivers a 16-byte REMOVAL record naming it, and
 * frees the watch (kmemleak in the debug flavour).
 */
TEST_F(keyring, destroyed_key_removal)
{
	struct watch_notification_removal r;
	struct pollfd pfd = { .fd = self->fd, .events = POLLIN };
	struct note n;
	key_serial_t key;

	key = wq_add_key("user", "wq-doomed", "a", 1, self->ring);
	ASSERT_GT(key, 0);
	ASSERT_EQ(0, wq_watch_key(key, self->fd, 9));
	ASSERT_EQ(0, wq_keyctl(KEYCTL_INVALIDATE, key, 0, 0, 0));
	read_note(_metadata, self->fd, &n);
	EXPECT_EQ(NOTIFY_KEY_INVALIDATED, n.subtype);
	/* The garbage collector destroys the key, and its watches with it. */
	ASSERT_EQ(1, poll(&pfd, 1, 10000));
	ASSERT_EQ(sizeof(r), read(self->fd, &r, sizeof(r)));
	EXPECT_EQ(WATCH_TYPE_META, (unsigned int)r.watch.type);
	EXPECT_EQ(WATCH_META_REMOVAL_NOTIFICATION, (unsigned int)r.watch.subtype);
	EXPECT_EQ(sizeof(r) | 9 << WATCH_INFO_ID__SHIFT, r.watch.info);
	EXPECT_EQ(key, r.id);
}

/* Watching needs permission to view the key. */
TEST_F(keyring, no_view_permission)
{
	key_serial_t key;

	key = wq_add_key("user", "wq-hidden", "a", 1, self->ring);
	ASSERT_GT(key, 0);
	ASSERT_EQ(0, wq_keyctl(KEYCTL_SETPERM, key, 0, 0, 0));
	EXPECT_EQ(-1, wq_watch_key(key, self->fd, 1));
	EXPECT_EQ(EACCES, errno);
	EXPECT_EQ(-1, wq_watch_key(12345678, self->fd, 1));
	EXPECT_EQ(ENOKEY, errno);
}

/* Two queues watching one key, each with its own id. */
TEST_F(keyring, two_queues)
{
	key_serial_t key;
	int fd2, wfd2 = -1;

	fd2 = wq_open(32, O_NONBLOCK, &wfd2);
	ASSERT_GE(fd2, 0);
	ASSERT_EQ(0, wq_filter_keys(fd2));
	key = wq_add_key("user", "wq-two", "a", 1, self->ring);
	ASSERT_GT(key, 0);
	ASSERT_EQ(0, wq_watch_key(key, self->fd, 4));
	ASSERT_EQ(0, wq_watch_key(key, fd2, 5));
	ASSERT_EQ(0, wq_keyctl(KEYCTL_UPDATE, key, (unsigned long)"b", 1, 0));
	EXPECT_NOTE(self->fd, NOTIFY_KEY_UPDATED, 4, key, 0);
	EXPECT_NOTE(fd2, NOTIFY_KEY_UPDATED, 5, key, 0);
	/* Removing one leaves the other. */
	ASSERT_EQ(0, wq_watch_key(key, fd2, -1));
	ASSERT_EQ(0, wq_keyctl(KEYCTL_UPDATE, key, (unsigned long)"c", 1, 0));
	EXPECT_NOTE(self->fd, NOTIFY_KEY_UPDATED, 4, key, 0);
	close(fd2);
	close(wfd2);
}

TEST_HARNESS_MAIN
