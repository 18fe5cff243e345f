// SPDX-License-Identifier: GPL-2.0
/*
 * Key notifications delivered through a notification pipe.
 */
#define _GNU_SOURCE
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

TEST_HARNESS_MAIN
