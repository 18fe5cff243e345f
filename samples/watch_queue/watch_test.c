// SPDX-License-Identifier: GPL-2.0
/* Use watch_queue API to watch for notifications.
 *
 * Watches the session and user keyrings and, given a directory, the mount it
 * is on and the mounts below it, and its superblock: watch_test [directory]
 *
 * Copyright (C) 2020 Red Hat, Inc. All Rights Reserved.
 * Written by David Howells (dhowells@redhat.com)
 */

#define _GNU_SOURCE
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <unistd.h>
#include <errno.h>
#include <sys/ioctl.h>
#include <limits.h>

// Work around glibc header silliness
#undef AT_RENAME_NOREPLACE
#undef AT_RENAME_EXCHANGE
#undef AT_RENAME_WHITEOUT

#include <linux/watch_queue.h>
#include <linux/unistd.h>
#include <linux/keyctl.h>

#ifndef KEYCTL_WATCH_KEY
#define KEYCTL_WATCH_KEY -1
#endif
#ifndef __NR_keyctl
#define __NR_keyctl -1
#endif
#ifndef __NR_watch_mount
#define __NR_watch_mount -1
#endif
#ifndef __NR_watch_sb
#define __NR_watch_sb -1
#endif

#define BUF_SIZE 256

static long keyctl_watch_key(int key, int watch_fd, int watch_id)
{
	return syscall(__NR_keyctl, KEYCTL_WATCH_KEY, key, watch_fd, watch_id);
}

static long watch_mount(int dfd, const char *path, unsigned int at_flags,
			int watch_fd, int watch_id)
{
	return syscall(__NR_watch_mount, dfd, path, at_flags, watch_fd, watch_id);
}

static long watch_sb(int dfd, const char *path, unsigned int at_flags,
		     int watch_fd, int watch_id)
{
	return syscall(__NR_watch_sb, dfd, path, at_flags, watch_fd, watch_id);
}

static const char *key_subtypes[256] = {
	[NOTIFY_KEY_INSTANTIATED]	= "instantiated",
	[NOTIFY_KEY_UPDATED]		= "updated",
	[NOTIFY_KEY_LINKED]		= "linked",
	[NOTIFY_KEY_UNLINKED]		= "unlinked",
	[NOTIFY_KEY_CLEARED]		= "cleared",
	[NOTIFY_KEY_REVOKED]		= "revoked",
	[NOTIFY_KEY_INVALIDATED]	= "invalidated",
	[NOTIFY_KEY_SETATTR]		= "setattr",
};

static void saw_key_change(struct watch_notification *n, size_t len)
{
	struct key_notification *k = (struct key_notification *)n;

	if (len != sizeof(struct key_notification)) {
		fprintf(stderr, "Incorrect key message length\n");
		return;
	}

	printf("KEY %08x change=%u[%s] aux=%u\n",
	       k->key_id, n->subtype, key_subtypes[n->subtype], k->aux);
}

static const char *mount_subtypes[256] = {
	[NOTIFY_MOUNT_NEW_MOUNT]	= "new_mount",
	[NOTIFY_MOUNT_UNMOUNT]		= "unmount",
	[NOTIFY_MOUNT_EXPIRY]		= "expiry",
	[NOTIFY_MOUNT_READONLY]		= "readonly",
	[NOTIFY_MOUNT_SETATTR]		= "setattr",
	[NOTIFY_MOUNT_MOVE_FROM]	= "move_from",
	[NOTIFY_MOUNT_MOVE_TO]		= "move_to",
};

static void saw_mount_change(struct watch_notification *n, size_t len)
{
	struct mount_notification *m = (struct mount_notification *)n;

	if (len != sizeof(struct mount_notification)) {
		fprintf(stderr, "Incorrect mount message length\n");
		return;
	}

	printf("MOUNT %llx change=%u[%s] aux=%llx%s%s%s\n",
	       (unsigned long long)m->triggered_on, n->subtype,
	       mount_subtypes[n->subtype] ?: "?",
	       (unsigned long long)m->auxiliary_mount,
	       n->info & NOTIFY_MOUNT_IN_SUBTREE ? " in_subtree" : "",
	       n->info & NOTIFY_MOUNT_IS_NOW_RO ? " ro" : "",
	       n->info & NOTIFY_MOUNT_IS_SUBMOUNT ? " submount" : "");
}

static const char *sb_subtypes[256] = {
	[NOTIFY_SUPERBLOCK_READONLY]	= "readonly",
	[NOTIFY_SUPERBLOCK_ERROR]	= "error",
	[NOTIFY_SUPERBLOCK_EDQUOT]	= "edquot",
	[NOTIFY_SUPERBLOCK_NETWORK]	= "network",
};

static void saw_sb_change(struct watch_notification *n, size_t len)
{
	struct superblock_error_notification *e =
		(struct superblock_error_notification *)n;

	if (len < sizeof(struct superblock_notification)) {
		fprintf(stderr, "Incorrect superblock message length\n");
		return;
	}

	printf("SB %llx change=%u[%s]%s", (unsigned long long)e->s.sb_id,
	       n->subtype, sb_subtypes[n->subtype] ?: "?",
	       n->info & NOTIFY_SUPERBLOCK_IS_NOW_RO ? " ro" : "");
	if (len >= sizeof(*e))
		printf(" error=%u", e->error_number);
	printf("\n");
}

/*
 * Consume and display events.
 */
static void consumer(int fd)
{
	unsigned char buffer[433], *p, *end;
	union {
		struct watch_notification n;
		unsigned char buf1[128];
	} n;
	ssize_t buf_len;

	for (;;) {
		buf_len = read(fd, buffer, sizeof(buffer));
		if (buf_len == -1) {
			perror("read");
			exit(1);
		}

		if (buf_len == 0) {
			printf("-- END --\n");
			return;
		}

		if (buf_len > sizeof(buffer)) {
			fprintf(stderr, "Read buffer overrun: %zd\n", buf_len);
			return;
		}

		printf("read() = %zd\n", buf_len);

		p = buffer;
		end = buffer + buf_len;
		while (p < end) {
			size_t largest, len;

			largest = end - p;
			if (largest > 128)
				largest = 128;
			if (largest < sizeof(struct watch_notification)) {
				fprintf(stderr, "Short message header: %zu\n", largest);
				return;
			}
			memcpy(&n, p, largest);

			printf("NOTIFY[%03zx]: ty=%06x sy=%02x i=%08x\n",
			       p - buffer, n.n.type, n.n.subtype, n.n.info);

			len = n.n.info & WATCH_INFO_LENGTH;
			if (len < sizeof(n.n) || len > largest) {
				fprintf(stderr, "Bad message length: %zu/%zu\n", len, largest);
				exit(1);
			}

			switch (n.n.type) {
			case WATCH_TYPE_META:
				switch (n.n.subtype) {
				case WATCH_META_REMOVAL_NOTIFICATION:
					printf("REMOVAL of watchpoint %08x\n",
					       (n.n.info & WATCH_INFO_ID) >>
					       WATCH_INFO_ID__SHIFT);
					break;
				case WATCH_META_LOSS_NOTIFICATION:
					printf("-- LOSS --\n");
					break;
				default:
					printf("other meta record\n");
					break;
				}
				break;
			case WATCH_TYPE_KEY_NOTIFY:
				saw_key_change(&n.n, len);
				break;
			case WATCH_TYPE_MOUNT_NOTIFY:
				saw_mount_change(&n.n, len);
				break;
			case WATCH_TYPE_SB_NOTIFY:
				saw_sb_change(&n.n, len);
				break;
			default:
				printf("other type\n");
				break;
			}

			p += len;
		}
	}
}

static struct watch_notification_filter filter = {
	.nr_filters	= 3,
	.filters = {
		[0]	= {
			.type			= WATCH_TYPE_KEY_NOTIFY,
			.subtype_filter[0]	= UINT_MAX,
		},
		[1]	= {
			.type			= WATCH_TYPE_MOUNT_NOTIFY,
			.subtype_filter[0]	= UINT_MAX,
		},
		[2]	= {
			.type			= WATCH_TYPE_SB_NOTIFY,
			.subtype_filter[0]	= UINT_MAX,
		},
	},
};

int main(int argc, char **argv)
{
	int pipefd[2], fd;

	if (pipe2(pipefd, O_NOTIFICATION_PIPE) == -1) {
		perror("pipe2");
		exit(1);
	}
	fd = pipefd[0];

	if (ioctl(fd, IOC_WATCH_QUEUE_SET_SIZE, BUF_SIZE) == -1) {
		perror("watch_queue(size)");
		exit(1);
	}

	if (ioctl(fd, IOC_WATCH_QUEUE_SET_FILTER, &filter) == -1) {
		perror("watch_queue(filter)");
		exit(1);
	}

	if (keyctl_watch_key(KEY_SPEC_SESSION_KEYRING, fd, 0x01) == -1) {
		perror("keyctl");
		exit(1);
	}

	if (keyctl_watch_key(KEY_SPEC_USER_KEYRING, fd, 0x02) == -1) {
		perror("keyctl");
		exit(1);
	}

	if (argc > 1 && watch_mount(AT_FDCWD, argv[1], 0, fd, 0x03) == -1) {
		perror("watch_mount");
		exit(1);
	}

	if (argc > 1 && watch_sb(AT_FDCWD, argv[1], 0, fd, 0x04) == -1) {
		perror("watch_sb");
		exit(1);
	}

	consumer(fd);
	exit(0);
}
