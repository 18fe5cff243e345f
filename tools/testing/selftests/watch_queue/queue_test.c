// SPDX-License-Identifier: GPL-2.0
/*
 * The notification queue itself: IOC_WATCH_QUEUE_SET_SIZE and
 * IOC_WATCH_QUEUE_SET_FILTER, read() of whole notes, loss records, removal
 * records, and what a notification pipe refuses.  Tests named after an
 * upstream bug would have caught that bug.
 */
#define _GNU_SOURCE
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include "../kselftest_harness.h"
#include "wq_util.h"

#define KEY_NOTE_SIZE	((int)sizeof(struct key_notification))

/* A filter with one rule of type TYPE passing every subtype. */
struct one_filter {
	struct watch_notification_filter f;
	struct watch_notification_type_filter t;
};

static void filter_of(struct one_filter *f, unsigned int type)
{
	memset(f, 0, sizeof(*f));
	f->f.nr_filters = 1;
	f->t.type = type;
	memset(f->t.subtype_filter, 0xff, sizeof(f->t.subtype_filter));
}

/*
 * Read everything queued, one read() of BUFSZ at a time, into OUT (which has
 * room for MAX bytes); returns the number of bytes read.
 */
static size_t drain(int fd, unsigned char *out, size_t max, size_t bufsz)
{
	unsigned char buf[4096];
	size_t total = 0;
	ssize_t n;

	while ((n = read(fd, buf, bufsz)) > 0) {
		if (total + n <= max)
			memcpy(out + total, buf, n);
		total += n;
	}
	return total;
}

FIXTURE(pipe) {
	int fd;
	int wfd;
	key_serial_t ring;
	key_serial_t key;
};

FIXTURE_SETUP(pipe)
{
	self->ring = wq_new_session();
	ASSERT_GT(self->ring, 0);
	self->key = wq_add_key("user", "wq-queue", "x", 1, self->ring);
	ASSERT_GT(self->key, 0);
	self->fd = wq_open(0, O_NONBLOCK, &self->wfd);
	ASSERT_GE(self->fd, 0);
}

FIXTURE_TEARDOWN(pipe)
{
	close(self->fd);
	close(self->wfd);
}

TEST_F(pipe, set_size_bounds)
{
	EXPECT_EQ(-1, ioctl(self->fd, IOC_WATCH_QUEUE_SET_SIZE, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(self->fd, IOC_WATCH_QUEUE_SET_SIZE, 513));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(self->fd, IOC_WATCH_QUEUE_SET_SIZE, -1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(self->fd, IOC_WATCH_QUEUE_SET_SIZE, 1UL << 40));
	EXPECT_EQ(EINVAL, errno);
	ASSERT_EQ(0, ioctl(self->fd, IOC_WATCH_QUEUE_SET_SIZE, 512));
	EXPECT_EQ(-1, ioctl(self->fd, IOC_WATCH_QUEUE_SET_SIZE, 1));
	EXPECT_EQ(EBUSY, errno);
	/* 512 notes are 16 pages: max_usage is what the user is charged. */
	EXPECT_EQ(16 * getpagesize(), fcntl(self->fd, F_GETPIPE_SZ));
}

TEST_F(pipe, set_size_charges_pages)
{
	ASSERT_EQ(0, ioctl(self->fd, IOC_WATCH_QUEUE_SET_SIZE, 100));
	EXPECT_EQ(4 * getpagesize(), fcntl(self->fd, F_GETPIPE_SZ));
}

TEST(ordinary_pipe_refuses_ioctls)
{
	struct one_filter f;
	int fds[2];

	filter_of(&f, WATCH_TYPE_KEY_NOTIFY);
	ASSERT_EQ(0, pipe(fds));
	EXPECT_EQ(-1, ioctl(fds[0], IOC_WATCH_QUEUE_SET_SIZE, 1));
	EXPECT_EQ(ENODEV, errno);
	EXPECT_EQ(-1, ioctl(fds[0], IOC_WATCH_QUEUE_SET_FILTER, &f));
	EXPECT_EQ(ENODEV, errno);
	EXPECT_EQ(-1, wq_watch_key(KEY_SPEC_SESSION_KEYRING, fds[0], 1));
	EXPECT_EQ(EINVAL, errno);
	close(fds[0]);
	close(fds[1]);
}

TEST(ioctls_on_other_files)
{
	int fd = open("/dev/null", O_RDONLY);

	ASSERT_GE(fd, 0);
	EXPECT_EQ(-1, ioctl(fd, IOC_WATCH_QUEUE_SET_SIZE, 1));
	EXPECT_NE(0, errno);
	EXPECT_EQ(-1, wq_watch_key(KEY_SPEC_SESSION_KEYRING, fd, 1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, wq_watch_key(KEY_SPEC_SESSION_KEYRING, -1, 1));
	EXPECT_EQ(EINVAL, errno);
	close(fd);
}

TEST_F(pipe, unknown_ioctl)
{
	EXPECT_EQ(-1, ioctl(self->fd, _IO('W', 0x7f)));
	EXPECT_EQ(ENOTTY, errno);
}

TEST_F(pipe, filter_counts)
{
	struct {
		struct watch_notification_filter f;
		struct watch_notification_type_filter t[17];
	} big;
	struct one_filter f;
	unsigned int i;

	filter_of(&f, WATCH_TYPE_KEY_NOTIFY);
	memset(&big, 0, sizeof(big));
	for (i = 0; i < 17; i++)
		big.t[i].type = WATCH_TYPE_KEY_NOTIFY;

	big.f.nr_filters = 0;
	EXPECT_EQ(-1, ioctl(self->fd, IOC_WATCH_QUEUE_SET_FILTER, &big));
	EXPECT_EQ(EINVAL, errno);
	big.f.nr_filters = 17;
	EXPECT_EQ(-1, ioctl(self->fd, IOC_WATCH_QUEUE_SET_FILTER, &big));
	EXPECT_EQ(EINVAL, errno);
	big.f.nr_filters = 1U << 31;
	EXPECT_EQ(-1, ioctl(self->fd, IOC_WATCH_QUEUE_SET_FILTER, &big));
	EXPECT_EQ(EINVAL, errno);
	big.f.nr_filters = 16;
	EXPECT_EQ(0, ioctl(self->fd, IOC_WATCH_QUEUE_SET_FILTER, &big));

	f.f.__reserved = 1;
	EXPECT_EQ(-1, ioctl(self->fd, IOC_WATCH_QUEUE_SET_FILTER, &f));
	EXPECT_EQ(EINVAL, errno);

	/* NULL removes the filter. */
	EXPECT_EQ(0, ioctl(self->fd, IOC_WATCH_QUEUE_SET_FILTER, NULL));
}

TEST_F(pipe, filter_masks)
{
	struct one_filter f;

	filter_of(&f, WATCH_TYPE_KEY_NOTIFY);
	f.t.info_mask = 0xff00;
	f.t.info_filter = 0x10000;
	EXPECT_EQ(-1, ioctl(self->fd, IOC_WATCH_QUEUE_SET_FILTER, &f));
	EXPECT_EQ(EINVAL, errno);

	f.t.info_mask = WATCH_INFO_LENGTH;
	f.t.info_filter = 0;
	EXPECT_EQ(-1, ioctl(self->fd, IOC_WATCH_QUEUE_SET_FILTER, &f));
	EXPECT_EQ(EINVAL, errno);

	f.t.info_mask = 0x1;
	EXPECT_EQ(-1, ioctl(self->fd, IOC_WATCH_QUEUE_SET_FILTER, &f));
	EXPECT_EQ(EINVAL, errno);

	f.t.info_mask = WATCH_INFO_ID;
	f.t.info_filter = 0x0100;
	EXPECT_EQ(0, ioctl(self->fd, IOC_WATCH_QUEUE_SET_FILTER, &f));
}

TEST_F(pipe, filter_bad_pointers)
{
	struct watch_notification_filter *f;
	char *page;

	EXPECT_EQ(-1, ioctl(self->fd, IOC_WATCH_QUEUE_SET_FILTER, (void *)8));
	EXPECT_EQ(EFAULT, errno);

	/* A header that can be read, with rules that cannot. */
	page = mmap(NULL, 2 * getpagesize(), PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, page);
	ASSERT_EQ(0, munmap(page + getpagesize(), getpagesize()));
	f = (void *)(page + getpagesize() - sizeof(*f));
	f->nr_filters = 1;
	f->__reserved = 0;
	EXPECT_EQ(-1, ioctl(self->fd, IOC_WATCH_QUEUE_SET_FILTER, f));
	EXPECT_EQ(EFAULT, errno);
	munmap(page, getpagesize());
}

/*
 * CVE-2022-0995: the type of a rule was checked against two different
 * bounds, so types 64..511 were written out of bounds.  Rules of types the
 * kernel does not know must be accepted and ignored.
 */
TEST_F(pipe, cve_2022_0995_unknown_filter_types)
{
	static const unsigned int types[] = {
		WATCH_TYPE__NR, 63, 64, 100, 511, 512, 0xffffff, 0xffffffff,
	};
	unsigned char buf[256];
	unsigned int i;

	ASSERT_EQ(0, ioctl(self->fd, IOC_WATCH_QUEUE_SET_SIZE, 32));
	for (i = 0; i < ARRAY_SIZE(types); i++) {
		struct one_filter f;

		filter_of(&f, types[i]);
		EXPECT_EQ(0, ioctl(self->fd, IOC_WATCH_QUEUE_SET_FILTER, &f))
			TH_LOG("type %#x", types[i]);
	}
	/* Only unknown types pass: a key event is filtered out. */
	ASSERT_EQ(0, wq_watch_key(self->key, self->fd, 1));
	ASSERT_EQ(0, wq_keyctl(KEYCTL_UPDATE, self->key, (unsigned long)"y", 1, 0));
	EXPECT_EQ(-1, read(self->fd, buf, sizeof(buf)));
	EXPECT_EQ(EAGAIN, errno);
}

TEST_F(pipe, filter_subtypes)
{
	struct one_filter f;
	struct key_notification n;

	filter_of(&f, WATCH_TYPE_KEY_NOTIFY);
	ASSERT_EQ(0, ioctl(self->fd, IOC_WATCH_QUEUE_SET_SIZE, 32));
	memset(f.t.subtype_filter, 0, sizeof(f.t.subtype_filter));
	f.t.subtype_filter[0] = 1U << NOTIFY_KEY_UPDATED;
	ASSERT_EQ(0, ioctl(self->fd, IOC_WATCH_QUEUE_SET_FILTER, &f));
	ASSERT_EQ(0, wq_watch_key(self->key, self->fd, 2));
	/* Filtered out: setattr.  Passed: updated. */
	ASSERT_EQ(0, wq_keyctl(KEYCTL_SETPERM, self->key, 0x3f3f0000, 0, 0));
	ASSERT_EQ(0, wq_keyctl(KEYCTL_UPDATE, self->key, (unsigned long)"y", 1, 0));
	ASSERT_EQ(KEY_NOTE_SIZE, read(self->fd, &n, sizeof(n)));
	EXPECT_EQ(NOTIFY_KEY_UPDATED, (unsigned int)n.watch.subtype);
	EXPECT_EQ(-1, read(self->fd, &n, sizeof(n)));
}

TEST_F(pipe, notes_dropped_without_set_size)
{
	unsigned char buf[256];

	ASSERT_EQ(0, wq_filter_keys(self->fd));
	ASSERT_EQ(0, wq_watch_key(self->key, self->fd, 1));
	ASSERT_EQ(0, wq_keyctl(KEYCTL_UPDATE, self->key, (unsigned long)"y", 1, 0));
	EXPECT_EQ(-1, read(self->fd, buf, sizeof(buf)));
	EXPECT_EQ(EAGAIN, errno);
}

TEST_F(pipe, write_gives_exdev)
{
	EXPECT_EQ(-1, write(self->wfd, "x", 1));
	EXPECT_EQ(EXDEV, errno);
}

TEST_F(pipe, setpipe_sz_gives_ebusy)
{
	EXPECT_EQ(-1, fcntl(self->fd, F_SETPIPE_SZ, 65536));
	EXPECT_EQ(EBUSY, errno);
}

TEST_F(pipe, splice_family_refused)
{
	struct iovec iov = { .iov_base = "abcd", .iov_len = 4 };
	int fds[2], file;

	ASSERT_EQ(0, pipe(fds));
	ASSERT_EQ(4, write(fds[1], "abcd", 4));
	EXPECT_EQ(-1, splice(fds[0], NULL, self->wfd, NULL, 4, SPLICE_F_NONBLOCK));
	EXPECT_EQ(-1, tee(fds[0], self->wfd, 4, SPLICE_F_NONBLOCK));
	EXPECT_EQ(-1, vmsplice(self->wfd, &iov, 1, SPLICE_F_NONBLOCK));
	EXPECT_EQ(-1, splice(self->fd, NULL, fds[1], NULL, 4, SPLICE_F_NONBLOCK));
	EXPECT_EQ(-1, tee(self->fd, fds[1], 4, SPLICE_F_NONBLOCK));
	file = open("/proc/self/comm", O_RDONLY);
	ASSERT_GE(file, 0);
	EXPECT_EQ(-1, sendfile(self->wfd, file, NULL, 4));
	close(file);
	close(fds[0]);
	close(fds[1]);
}

TEST_F(pipe, read_whole_notes_only)
{
	unsigned char buf[512];
	int size;

	ASSERT_EQ(0, ioctl(self->fd, IOC_WATCH_QUEUE_SET_SIZE, 32));
	ASSERT_EQ(0, wq_filter_keys(self->fd));
	ASSERT_EQ(0, wq_watch_key(self->key, self->fd, 1));
	ASSERT_EQ(0, wq_keyctl(KEYCTL_UPDATE, self->key, (unsigned long)"y", 1, 0));
	ASSERT_EQ(0, wq_keyctl(KEYCTL_UPDATE, self->key, (unsigned long)"z", 1, 0));

	for (size = 1; size < KEY_NOTE_SIZE; size++) {
		EXPECT_EQ(-1, read(self->fd, buf, size));
		EXPECT_EQ(ENOBUFS, errno);
	}
	/* Room for one and a half notes: a short read of one. */
	EXPECT_EQ(KEY_NOTE_SIZE, read(self->fd, buf, KEY_NOTE_SIZE + 8));
	EXPECT_EQ(KEY_NOTE_SIZE, read(self->fd, buf, 433));
	EXPECT_EQ(-1, read(self->fd, buf, 433));
	EXPECT_EQ(EAGAIN, errno);
}

TEST_F(pipe, poll_and_fionread)
{
	struct pollfd pfd = { .fd = self->fd, .events = POLLIN };
	int avail = -1;

	ASSERT_EQ(0, ioctl(self->fd, IOC_WATCH_QUEUE_SET_SIZE, 32));
	ASSERT_EQ(0, wq_filter_keys(self->fd));
	ASSERT_EQ(0, wq_watch_key(self->key, self->fd, 1));
	EXPECT_EQ(0, poll(&pfd, 1, 0));
	ASSERT_EQ(0, wq_keyctl(KEYCTL_UPDATE, self->key, (unsigned long)"y", 1, 0));
	EXPECT_EQ(1, poll(&pfd, 1, 1000));
	EXPECT_TRUE(pfd.revents & POLLIN);
	EXPECT_EQ(0, ioctl(self->fd, FIONREAD, &avail));
	EXPECT_EQ(KEY_NOTE_SIZE, avail);
}

/* Generate N "updated" notes on the fixture's key. */
static void updates(struct __test_metadata *_metadata, key_serial_t key, int n)
{
	int i;

	for (i = 0; i < n; i++)
		ASSERT_EQ(0, wq_keyctl(KEYCTL_UPDATE, key, (unsigned long)"u", 1, 0));
}

/*
 * Overflow: 32 notes fill the queue; the rest are lost, and read() reports
 * the loss once, after the last note that was queued.
 */
TEST_F(pipe, loss_record)
{
	static unsigned char out[64 * 1024];
	struct watch_notification *n;
	size_t total, off;
	int notes = 0;

	ASSERT_EQ(0, ioctl(self->fd, IOC_WATCH_QUEUE_SET_SIZE, 1));
	ASSERT_EQ(0, wq_filter_keys(self->fd));
	ASSERT_EQ(0, wq_watch_key(self->key, self->fd, 3));
	updates(_metadata, self->key, 40);

	total = drain(self->fd, out, sizeof(out), 4096);
	ASSERT_EQ(32 * KEY_NOTE_SIZE + 8, total);
	for (off = 0; off < 32 * KEY_NOTE_SIZE; off += KEY_NOTE_SIZE) {
		n = (void *)(out + off);
		EXPECT_EQ(WATCH_TYPE_KEY_NOTIFY, (unsigned int)n->type);
		EXPECT_EQ(KEY_NOTE_SIZE | 3 << WATCH_INFO_ID__SHIFT, n->info);
		notes++;
	}
	EXPECT_EQ(32, notes);
	n = (void *)(out + off);
	EXPECT_EQ(WATCH_TYPE_META, (unsigned int)n->type);
	EXPECT_EQ(WATCH_META_LOSS_NOTIFICATION, (unsigned int)n->subtype);
	EXPECT_EQ(8, n->info);

	/* The notes came back: the queue works again, with no stale loss. */
	updates(_metadata, self->key, 2);
	total = drain(self->fd, out, sizeof(out), 4096);
	EXPECT_EQ(2 * KEY_NOTE_SIZE, total);
}

/*
 * cf3d0c54b21c: pipe_resize_ring() took more slots than the pipe's indices
 * could tell full from empty.  A notification pipe's ring is its notes: at
 * the largest size, 512 notes fit, the 513th is lost, the ring cannot be
 * resized under them, and it empties and fills again.
 */
TEST_F(pipe, resize_ring_slot_limit)
{
	static unsigned char out[64 * 1024];
	struct watch_notification *n;

	ASSERT_EQ(0, ioctl(self->fd, IOC_WATCH_QUEUE_SET_SIZE, 512));
	ASSERT_EQ(0, wq_filter_keys(self->fd));
	ASSERT_EQ(0, wq_watch_key(self->key, self->fd, 1));
	updates(_metadata, self->key, 513);
	EXPECT_EQ(-1, fcntl(self->fd, F_SETPIPE_SZ, 1 << 20));
	EXPECT_EQ(EBUSY, errno);
	EXPECT_EQ(-1, fcntl(self->fd, F_SETPIPE_SZ, 4096));
	EXPECT_EQ(EBUSY, errno);
	ASSERT_EQ(512 * KEY_NOTE_SIZE + 8, drain(self->fd, out, sizeof(out), 4096));
	n = (void *)(out + 512 * KEY_NOTE_SIZE);
	EXPECT_EQ(WATCH_TYPE_META, (unsigned int)n->type);
	EXPECT_EQ(WATCH_META_LOSS_NOTIFICATION, (unsigned int)n->subtype);
	updates(_metadata, self->key, 512);
	EXPECT_EQ(512 * KEY_NOTE_SIZE, drain(self->fd, out, sizeof(out), 4096));
}

TEST_F(pipe, loss_record_needs_eight_bytes)
{
	static unsigned char out[64 * 1024];
	unsigned char buf[8];

	ASSERT_EQ(0, ioctl(self->fd, IOC_WATCH_QUEUE_SET_SIZE, 1));
	ASSERT_EQ(0, wq_filter_keys(self->fd));
	ASSERT_EQ(0, wq_watch_key(self->key, self->fd, 3));
	updates(_metadata, self->key, 33);
	ASSERT_EQ(31 * KEY_NOTE_SIZE, read(self->fd, out, 31 * KEY_NOTE_SIZE));
	/* The last note, then the loss record does not fit. */
	EXPECT_EQ(KEY_NOTE_SIZE, read(self->fd, out, KEY_NOTE_SIZE + 7));
	EXPECT_EQ(-1, read(self->fd, buf, 7));
	EXPECT_EQ(ENOBUFS, errno);
	EXPECT_EQ(8, read(self->fd, buf, 8));
}

/*
 * Bug: the allocation bitmap was sized from the request, not from the notes
 * allocated (SET_SIZE 1, then more than one event).
 */
TEST_F(pipe, bitmap_sized_from_allocated_notes)
{
	static unsigned char out[64 * 1024];

	ASSERT_EQ(0, ioctl(self->fd, IOC_WATCH_QUEUE_SET_SIZE, 1));
	ASSERT_EQ(0, wq_filter_keys(self->fd));
	ASSERT_EQ(0, wq_watch_key(self->key, self->fd, 1));
	updates(_metadata, self->key, 5);
	EXPECT_EQ(5 * KEY_NOTE_SIZE, drain(self->fd, out, sizeof(out), 4096));
}

/*
 * Bugs: the ring was resized to a non-power-of-two number of slots, and a
 * released note buffer did not give its note back.  Cycle through the ring
 * many times with a small queue: every note must come back intact.
 */
TEST_F(pipe, ring_wraps_and_notes_come_back)
{
	static const int sizes[] = { 3, 33, 80, 100, 200 };
	struct key_notification n;
	unsigned int i, round;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		int fd, wfd = -1;

		fd = wq_open(sizes[i], O_NONBLOCK, &wfd);
		ASSERT_GE(fd, 0);
		ASSERT_EQ(0, wq_filter_keys(fd));
		ASSERT_EQ(0, wq_watch_key(self->key, fd, i + 1));
		for (round = 0; round < 300; round++) {
			updates(_metadata, self->key, 3);
			ASSERT_EQ(KEY_NOTE_SIZE, read(fd, &n, sizeof(n)));
			ASSERT_EQ(KEY_NOTE_SIZE, read(fd, &n, sizeof(n)));
			ASSERT_EQ(KEY_NOTE_SIZE, read(fd, &n, sizeof(n)));
			ASSERT_EQ(NOTIFY_KEY_UPDATED, (unsigned int)n.watch.subtype);
			ASSERT_EQ(self->key, n.key_id);
			ASSERT_EQ(KEY_NOTE_SIZE | (i + 1) << WATCH_INFO_ID__SHIFT,
				  n.watch.info);
		}
		ASSERT_EQ(-1, read(fd, &n, sizeof(n)));
		ASSERT_EQ(EAGAIN, errno);
		close(fd);
		close(wfd);
	}
}

/*
 * Bug: the ring was resized to a non-power-of-two number of slots.  With
 * 3 or 7 pages of notes (96 or 224), every note queued at once must come
 * back, in order: a ring of 96 slots indexed with a mask of 95 would
 * overwrite some.
 */
TEST_F(pipe, full_queue_keeps_order)
{
	static const int sizes[] = { 80, 200 };
	static unsigned char out[224 * 16 + 64];
	struct key_notification *n;
	key_serial_t k[8];
	unsigned int i, j;

	for (i = 0; i < 8; i++) {
		char name[16];

		snprintf(name, sizeof(name), "wq-order-%u", i);
		k[i] = wq_add_key("user", name, "x", 1, self->ring);
		ASSERT_GT(k[i], 0);
	}
	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		int fd, wfd = -1, notes = sizes[i] == 80 ? 96 : 224;

		fd = wq_open(sizes[i], O_NONBLOCK, &wfd);
		ASSERT_GE(fd, 0);
		ASSERT_EQ(0, wq_filter_keys(fd));
		for (j = 0; j < 8; j++)
			ASSERT_EQ(0, wq_watch_key(k[j], fd, 1));
		for (j = 0; j < (unsigned int)notes; j++)
			ASSERT_EQ(0, wq_keyctl(KEYCTL_UPDATE, k[j % 8], (unsigned long)"u", 1, 0));
		ASSERT_EQ(notes * KEY_NOTE_SIZE, drain(fd, out, sizeof(out), 4096));
		for (j = 0; j < (unsigned int)notes; j++) {
			n = (void *)(out + j * KEY_NOTE_SIZE);
			ASSERT_EQ(k[j % 8], n->key_id) TH_LOG("note %u of %d", j, notes);
		}
		close(fd);
		close(wfd);
	}
}

/* Removing a watch posts a 16-byte REMOVAL record naming the key. */
TEST_F(pipe, removal_record)
{
	struct watch_notification_removal r;

	ASSERT_EQ(0, ioctl(self->fd, IOC_WATCH_QUEUE_SET_SIZE, 32));
	ASSERT_EQ(0, wq_watch_key(self->key, self->fd, 7));
	ASSERT_EQ(0, wq_watch_key(self->key, self->fd, -1));
	ASSERT_EQ(sizeof(r), read(self->fd, &r, sizeof(r)));
	EXPECT_EQ(WATCH_TYPE_META, (unsigned int)r.watch.type);
	EXPECT_EQ(WATCH_META_REMOVAL_NOTIFICATION, (unsigned int)r.watch.subtype);
	EXPECT_EQ(sizeof(r) | 7 << WATCH_INFO_ID__SHIFT, r.watch.info);
	EXPECT_EQ(self->key, r.id);
	/* It is gone: a second removal finds nothing. */
	EXPECT_EQ(-1, wq_watch_key(self->key, self->fd, -1));
	EXPECT_EQ(EBADSLT, errno);
}

/* Bug: a removed watch was never freed (the debug flavour's kmemleak). */
TEST_F(pipe, removed_watches_are_freed)
{
	key_serial_t k;
	int i;

	ASSERT_EQ(0, ioctl(self->fd, IOC_WATCH_QUEUE_SET_SIZE, 32));
	for (i = 0; i < 50; i++) {
		k = wq_add_key("user", "wq-gone", "x", 1, self->ring);
		ASSERT_GT(k, 0);
		ASSERT_EQ(0, wq_watch_key(k, self->fd, 1));
		if (i % 2)
			ASSERT_EQ(0, wq_watch_key(k, self->fd, -1));
		ASSERT_EQ(0, wq_keyctl(KEYCTL_INVALIDATE, k, 0, 0, 0));
	}
}

TEST_F(pipe, watch_errors)
{
	int fds[2];

	ASSERT_EQ(0, ioctl(self->fd, IOC_WATCH_QUEUE_SET_SIZE, 32));
	EXPECT_EQ(-1, wq_watch_key(self->key, self->fd, 256));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, wq_watch_key(self->key, self->fd, -2));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, wq_watch_key(self->key, self->fd, -1));
	EXPECT_EQ(EBADSLT, errno);
	ASSERT_EQ(0, wq_watch_key(self->key, self->fd, 255));
	EXPECT_EQ(-1, wq_watch_key(self->key, self->fd, 4));
	EXPECT_EQ(EBUSY, errno);
	ASSERT_EQ(0, pipe(fds));
	EXPECT_EQ(-1, wq_watch_key(self->key, fds[0], 1));
	EXPECT_EQ(EINVAL, errno);
	close(fds[0]);
	close(fds[1]);
}

/*
 * Bug: there was no per-user limit on watches.  Above the adding task's
 * RLIMIT_NOFILE, adding a watch fails with EAGAIN.
 */
TEST_F(pipe, per_user_watch_limit)
{
	struct rlimit rl = { 99, 99 };
	int status, i, added = 0, refused = 0;
	pid_t pid;

	ASSERT_EQ(0, ioctl(self->fd, IOC_WATCH_QUEUE_SET_SIZE, 32));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		if (setrlimit(RLIMIT_NOFILE, &rl))
			_exit(2);
		for (i = 0; i < 200; i++) {
			char name[32];
			key_serial_t k;

			snprintf(name, sizeof(name), "wq-limit-%d", i);
			k = wq_add_key("keyring", name, NULL, 0, self->ring);
			if (k < 0)
				_exit(3);
			if (wq_watch_key(k, self->fd, 1) == 0)
				added++;
			else if (errno == EAGAIN)
				refused++;
			else
				_exit(4);
		}
		_exit(added <= 99 && refused >= 101 ? 0 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

/*
 * Bug: the queue state was freed before the ring buffers whose release
 * touches it: close a pipe that holds unread notes (KASAN in the debug
 * flavour).
 */
TEST_F(pipe, close_with_unread_notes)
{
	int i, fd, wfd = -1;

	for (i = 0; i < 20; i++) {
		fd = wq_open(32, O_NONBLOCK, &wfd);
		ASSERT_GE(fd, 0);
		ASSERT_EQ(0, wq_filter_keys(fd));
		ASSERT_EQ(0, wq_watch_key(self->key, fd, 1));
		updates(_metadata, self->key, 5);
		if (i % 2) {
			close(fd);
			close(wfd);
		} else {
			close(wfd);
			close(fd);
		}
	}
	/* The key's watch list lost every watch with its pipe. */
	updates(_metadata, self->key, 1);
}

/*
 * Bugs: the note pages and bitmap were not freed on teardown, and SET_SIZE
 * charged pages to the user that the pipe did not uncharge (CVE-2025-23138).
 * Loop SET_SIZE and close; ordinary pipes must still resize.
 */
TEST(set_size_close_loop)
{
	int i, fd, wfd = -1, fds[2];

	for (i = 0; i < 500; i++) {
		fd = wq_open(512, 0, &wfd);
		ASSERT_GE(fd, 0);
		close(fd);
		close(wfd);
	}
	ASSERT_EQ(0, pipe(fds));
	EXPECT_LE(1 << 20, fcntl(fds[0], F_SETPIPE_SZ, 1 << 20));
	close(fds[0]);
	close(fds[1]);
}

/*
 * The pages the page allocator could hand out: free pages plus slab, since
 * KASAN's quarantine holds on to freed slab objects (and their pages) for a
 * while.  Returns -1 if /proc/meminfo does not say.
 */
static long pages_available(void)
{
	long free_kb = -1, slab_kb = -1, v;
	char line[128];
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "MemFree: %ld kB", &v) == 1)
			free_kb = v;
		else if (sscanf(line, "Slab: %ld kB", &v) == 1)
			slab_kb = v;
	}
	fclose(f);
	if (free_kb < 0 || slab_kb < 0)
		return -1;
	return (free_kb + slab_kb) / (getpagesize() / 1024);
}

#define PAGES_QUEUES	16
#define PAGES_ROUNDS	64
#define PAGES_NOTES	512	/* 16 pages of notes */

/*
 * Bugs: a released note buffer did not drop its reference on the note's
 * page, and the note pages were not freed on teardown.  Either way every
 * page that held a note stays allocated once the pipe is closed, which
 * kmemleak does not see.  Fill every note of 16 queues of 512 notes, read
 * them all and close the pipes, 64 times: 16384 pages would leak.  Allow a
 * quarter of that for the per-CPU page lists and whatever else the system
 * does meanwhile.
 *
 * That is half a million notes: under KASAN and TCG, with the host busy
 * building another kernel, it can take longer than the harness's default
 * 30 seconds, hence a fixture of its own with a longer timeout.
 */
FIXTURE(pages) {};
FIXTURE_SETUP(pages) {}
FIXTURE_TEARDOWN(pages) {}

TEST_F_TIMEOUT(pages, note_pages_come_back, 180)
{
	static unsigned char buf[4096];
	int fd[PAGES_QUEUES], wfd[PAGES_QUEUES];
	struct rlimit nofile = { 1 << 16, 1 << 16 };
	long before = -1, after, lost;
	int q, round;
	key_serial_t key;
	size_t total;
	ssize_t n;

	/* Watches are uncharged a grace period after they are freed. */
	setrlimit(RLIMIT_NOFILE, &nofile);
	ASSERT_GT(wq_new_session(), 0);
	key = wq_add_key("user", "wq-pages", "x", 1, KEY_SPEC_SESSION_KEYRING);
	ASSERT_GT(key, 0);
	/* Round -1 warms up the caches and is not counted. */
	for (round = -1; round < PAGES_ROUNDS; round++) {
		if (round == 0) {
			before = pages_available();
			ASSERT_GT(before, 0);
		}
		for (q = 0; q < PAGES_QUEUES; q++) {
			fd[q] = wq_open(PAGES_NOTES, O_NONBLOCK, &wfd[q]);
			ASSERT_GE(fd[q], 0);
			ASSERT_EQ(0, wq_filter_keys(fd[q]));
			ASSERT_EQ(0, wq_watch_key(key, fd[q], 1));
		}
		updates(_metadata, key, PAGES_NOTES);
		for (q = 0; q < PAGES_QUEUES; q++) {
			total = 0;
			while ((n = read(fd[q], buf, sizeof(buf))) > 0)
				total += n;
			ASSERT_EQ(PAGES_NOTES * KEY_NOTE_SIZE, total) TH_LOG("queue %d", q);
			close(fd[q]);
			close(wfd[q]);
		}
	}
	after = pages_available();
	ASSERT_GT(after, 0);
	lost = before - after;
	TH_LOG("%ld pages fewer after %d notes were read", lost,
	       PAGES_ROUNDS * PAGES_QUEUES * PAGES_NOTES);
	EXPECT_LT(lost, PAGES_ROUNDS * PAGES_QUEUES * 16 / 4);
}

/* An empty notification pipe without writers reads as end of file. */
TEST(eof_without_writers)
{
	unsigned char buf[64];
	int fd;

	fd = wq_open(32, O_NONBLOCK, NULL);
	ASSERT_GE(fd, 0);
	EXPECT_EQ(0, read(fd, buf, sizeof(buf)));
	close(fd);
}

/* The fd survives fork and exec, as keyctl watch_session relies on. */
TEST_F(pipe, inherited_across_exec)
{
	struct key_notification n;
	char arg[32];
	int status;
	pid_t pid;

	ASSERT_EQ(0, ioctl(self->fd, IOC_WATCH_QUEUE_SET_SIZE, 32));
	ASSERT_EQ(0, wq_filter_keys(self->fd));
	snprintf(arg, sizeof(arg), "%d", self->fd);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (pid == 0) {
		/* The child watches the key through the inherited fd. */
		execlp("keyctl", "keyctl", "watch_add", arg, "@s", NULL);
		_exit(127);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	if (WEXITSTATUS(status) == 127)
		SKIP(return, "keyctl (keyutils) is not installed");
	ASSERT_EQ(0, WEXITSTATUS(status));
	ASSERT_GT(wq_add_key("user", "wq-exec", "x", 1, self->ring), 0);
	EXPECT_EQ(KEY_NOTE_SIZE, read(self->fd, &n, sizeof(n)));
	EXPECT_EQ(NOTIFY_KEY_LINKED, (unsigned int)n.watch.subtype);
	EXPECT_EQ(self->ring, n.key_id);
}

TEST_HARNESS_MAIN
