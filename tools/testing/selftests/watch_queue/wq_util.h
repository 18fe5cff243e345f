/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the watch_queue selftests: notification pipes and the
 * key syscalls, called directly so that no libkeyutils is needed.
 */
#ifndef WQ_UTIL_H
#define WQ_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <linux/keyctl.h>
/* glibc's <fcntl.h> already has what <linux/fcntl.h> would redefine. */
#define _LINUX_FCNTL_H
#include <linux/watch_queue.h>

#ifndef KEYCTL_WATCH_KEY
#define KEYCTL_WATCH_KEY 32
#endif

typedef int32_t key_serial_t;

static inline key_serial_t wq_add_key(const char *type, const char *desc,
				      const void *payload, size_t plen,
				      key_serial_t ring)
{
	return syscall(__NR_add_key, type, desc, payload, plen, ring);
}

static inline long wq_keyctl(int cmd, unsigned long a2, unsigned long a3,
			     unsigned long a4, unsigned long a5)
{
	return syscall(__NR_keyctl, cmd, a2, a3, a4, a5);
}

/* A fresh anonymous session keyring, so tests do not see each other's keys. */
static inline key_serial_t wq_new_session(void)
{
	return wq_keyctl(KEYCTL_JOIN_SESSION_KEYRING, 0, 0, 0, 0);
}

static inline long wq_watch_key(key_serial_t key, int fd, int id)
{
	return wq_keyctl(KEYCTL_WATCH_KEY, key, fd, id, 0);
}

/*
 * pipe2(O_NOTIFICATION_PIPE) and SET_SIZE; returns the read end or -errno.
 * Keep the write end (WFD) open while reading: an empty pipe without
 * writers reads as EOF, not EAGAIN.
 */
static inline int wq_open(int nr_notes, int flags, int *wfd)
{
	int fds[2];

	if (pipe2(fds, O_NOTIFICATION_PIPE | flags) < 0)
		return -errno;
	if (nr_notes && ioctl(fds[0], IOC_WATCH_QUEUE_SET_SIZE, nr_notes) < 0) {
		int err = -errno;

		close(fds[0]);
		close(fds[1]);
		return err;
	}
	if (wfd)
		*wfd = fds[1];
	else
		close(fds[1]);
	return fds[0];
}

/*
 * A filter of one rule: records of TYPE, every subtype, whose info has
 * INFO_FILTER in the bits of INFO_MASK (and META, always passed).
 */
static inline int wq_filter_one(int fd, unsigned int type,
				unsigned int info_filter, unsigned int info_mask)
{
	struct {
		struct watch_notification_filter f;
		struct watch_notification_type_filter t;
	} filter = {
		.f.nr_filters = 1,
		.t = {
			.type = type,
			.info_filter = info_filter,
			.info_mask = info_mask,
			.subtype_filter = { ~0U, ~0U, ~0U, ~0U, ~0U, ~0U, ~0U, ~0U },
		},
	};

	return ioctl(fd, IOC_WATCH_QUEUE_SET_FILTER, &filter);
}

/* A filter passing every subtype of KEY_NOTIFY (and META, always passed). */
static inline int wq_filter_keys(int fd)
{
	return wq_filter_one(fd, WATCH_TYPE_KEY_NOTIFY, 0, 0);
}

/* Pass FD over the unix socket SOCK, and receive it: 0 and the fd, or -1. */
static inline int wq_send_fd(int sock, int fd)
{
	char c = 0;
	struct iovec iov = { &c, 1 };
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(sizeof(int))];
	} u = {};
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = u.b, .msg_controllen = sizeof(u.b),
	};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	return sendmsg(sock, &msg, 0) == 1 ? 0 : -1;
}

static inline int wq_recv_fd(int sock)
{
	char c;
	struct iovec iov = { &c, 1 };
	union {
		struct cmsghdr h;
		char b[CMSG_SPACE(sizeof(int))];
	} u;
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = u.b, .msg_controllen = sizeof(u.b),
	};
	int fd;

	if (recvmsg(sock, &msg, 0) != 1 || !CMSG_FIRSTHDR(&msg))
		return -1;
	memcpy(&fd, CMSG_DATA(CMSG_FIRSTHDR(&msg)), sizeof(int));
	return fd;
}

#endif /* WQ_UTIL_H */
