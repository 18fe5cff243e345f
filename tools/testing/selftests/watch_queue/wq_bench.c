// SPDX-License-Identifier: GPL-2.0
/*
 * Benchmark of the notification queue: not a test, run by
 * "tools/testing/watch_queue/wq bench" on the C and the Rust core alike.
 * Prints one line per workload: "result NAME VALUE UNIT", where VALUE is
 * the median of the workload's batches (see median()).
 *
 * Posting is timed in the kernel (/sys/kernel/debug/watch_queue_bench,
 * CONFIG_WATCH_QUEUE_BENCH), reading and the end-to-end path from here.
 *
 * Instruction counts: each measured loop runs between the two marker NOPs
 * of a tag (insn_marker.h), in the kernel for posting ("mark COUNT", tag
 * KERNEL_TAG) and here for the rest, and one line per workload
 *
 *	insn-window NAME TAG NOTES WINDOWS
 *
 * says that the workload ran the next WINDOWS windows of marker tag TAG,
 * each over NOTES notes (4 KiB blocks for plain_pipe_4k).  Under the
 * insn_count QEMU plugin (tools/testing/watch_queue/plugin/), "wq bench"
 * turns the least of them into instructions per note; otherwise the markers
 * do nothing.  insn_count_check uses tags below 0x40.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "insn_marker.h"
#include "wq_util.h"

#define BENCH_FILE	"/sys/kernel/debug/watch_queue_bench"
#define BATCH		256
#define KEY_NOTE	16

/* The posting loop of kernel/watch_queue_bench.c's "mark" command. */
#define KERNEL_TAG	0x40
#define TAG_READ_433	0x50
#define TAG_READ_4096	0x51
#define TAG_KEYCTL	0x52
#define TAG_PLAIN_PIPE	0x53
#define TAG_MOUNT	0x54
#define TAG_MOUNT_WATCHED	0x55

/* Round trips or 4 KiB blocks per window of the loops that have many. */
#define KEYCTL_WINDOW	10
#define PIPE_WINDOW	16
#define MOUNT_WINDOW	10

#ifndef __NR_watch_mount
#define __NR_watch_mount 473
#endif

static int bench_fd;

/* The times of the current workload's batches, per note (see batches()). */
static double *batch;
static int nr_batches;

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void command(const char *cmd)
{
	if (write(bench_fd, cmd, strlen(cmd)) != (ssize_t)strlen(cmd))
		die(cmd);
}

static unsigned long long last_post_ns(void)
{
	char buf[32] = "";

	if (pread(bench_fd, buf, sizeof(buf) - 1, 0) <= 0)
		die("read " BENCH_FILE);
	return strtoull(buf, NULL, 10);
}

/* Makes room for the N batch times of the next workload. */
static void batches(int n)
{
	if (n < 1) {
		fprintf(stderr, "wq_bench: need at least one batch, not %d\n", n);
		exit(2);
	}
	free(batch);
	batch = calloc(n, sizeof(*batch));
	if (!batch)
		die("calloc");
	nr_batches = n;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/*
 * The workload's figure for this boot: the median of its batch times.  A
 * mean would also count the stretches, seconds long, in which the host
 * runs the whole emulated guest two to five times slower; they come and go
 * from boot to boot, whichever kernel it is.
 */
static double median(void)
{
	qsort(batch, nr_batches, sizeof(*batch), cmp_double);
	if (nr_batches % 2)
		return batch[nr_batches / 2];
	return (batch[nr_batches / 2 - 1] + batch[nr_batches / 2]) / 2;
}

static void insn_window(const char *name, int tag, int notes, int windows)
{
	printf("insn-window %s %d %d %d\n", name, tag, notes, windows);
}

static void drain(int fd)
{
	char buf[4096];

	while (read(fd, buf, sizeof(buf)) > 0)
		;
}

/*
 * A filter of 16 rules; the last one passes key notifications if MATCH,
 * none of them if not.
 */
static void set_filter16(int fd, int match)
{
	struct {
		struct watch_notification_filter f;
		struct watch_notification_type_filter t[16];
	} f;
	int i;

	memset(&f, 0, sizeof(f));
	f.f.nr_filters = 16;
	for (i = 0; i < 16; i++) {
		f.t[i].type = WATCH_TYPE_KEY_NOTIFY;
		f.t[i].info_mask = WATCH_INFO_ID;
		f.t[i].info_filter = (0x80 + i) << WATCH_INFO_ID__SHIFT;
		f.t[i].subtype_filter[0] = ~0U;
	}
	if (match)
		f.t[15].info_filter = 0;
	if (ioctl(fd, IOC_WATCH_QUEUE_SET_FILTER, &f))
		die("SET_FILTER");
}

/* Opens N notification pipes of SIZE notes and watches them all. */
static void open_queues(int *fds, int *wfds, int n, int size, int filter)
{
	char cmd[1024];
	int i, len;

	len = snprintf(cmd, sizeof(cmd), "watch");
	for (i = 0; i < n; i++) {
		fds[i] = wq_open(size, O_NONBLOCK, &wfds[i]);
		if (fds[i] < 0)
			die("notification pipe");
		if (filter)
			set_filter16(fds[i], filter > 0);
		len += snprintf(cmd + len, sizeof(cmd) - len, " %d", fds[i]);
	}
	command(cmd);
}

static void close_queues(int *fds, int *wfds, int n)
{
	int i;

	command("unwatch");
	for (i = 0; i < n; i++) {
		close(fds[i]);
		close(wfds[i]);
	}
}

/* Posting with room: ns per note delivered (or filtered out). */
static void bench_post(const char *name, int nqueues, int filter, int rounds)
{
	int fds[64], wfds[64], i, r;
	char cmd[32];

	batches(rounds);
	open_queues(fds, wfds, nqueues, 512, filter);
	snprintf(cmd, sizeof(cmd), "mark %d", BATCH);
	for (r = 0; r < rounds; r++) {
		command(cmd);
		batch[r] = (double)last_post_ns() / (BATCH * nqueues);
		for (i = 0; i < nqueues; i++)
			drain(fds[i]);
	}
	close_queues(fds, wfds, nqueues);
	printf("result %s %.1f ns/note\n", name, median());
	insn_window(name, KERNEL_TAG, BATCH * nqueues, rounds);
}

/* Posting into a full ring: every note is lost. */
static void bench_full(int rounds)
{
	int fd, wfd, r;

	batches(rounds);
	open_queues(&fd, &wfd, 1, 32, 0);
	command("post 64");	/* fills the ring, unmarked */
	for (r = 0; r < rounds; r++) {
		command("mark 256");
		batch[r] = (double)last_post_ns() / 256;
	}
	close_queues(&fd, &wfd, 1);
	printf("result post_full_ring %.1f ns/note\n", median());
	insn_window("post_full_ring", KERNEL_TAG, 256, rounds);
}

/*
 * read() of 512 queued notes with a buffer of BUFSZ bytes.  Always inlined:
 * TAG, a constant, is part of the marker instructions.
 */
static __always_inline void bench_read(int bufsz, unsigned int tag, int rounds)
{
	unsigned long long t;
	int fd, wfd, r;
	char buf[4096], name[32];

	batches(rounds);
	open_queues(&fd, &wfd, 1, 512, 0);
	for (r = 0; r < rounds; r++) {
		command("post 512");
		t = now_ns();
		insn_mark_start(tag);
		while (read(fd, buf, bufsz) > 0)
			;
		insn_mark_stop(tag);
		batch[r] = (double)(now_ns() - t) / 512;
	}
	close_queues(&fd, &wfd, 1);
	snprintf(name, sizeof(name), "read_%d", bufsz);
	printf("result %s %.1f ns/note\n", name, median());
	insn_window(name, tag, 512, rounds);
}

/*
 * keyctl to read() returning, from userspace: KEYCTL_SETPERM on the session
 * keyring (the bench's own, joined in main()), which posts a SETATTR record,
 * and the read() of that record.  The session keyring is found through the
 * caller's credentials; a key named by its serial would be looked up in the
 * tree of every key's random serial, whose depth changes from boot to boot
 * (by 4 instructions per keyctl, and by up to 0.66% of the count, in our
 * runs).  ITERATIONS is a multiple of KEYCTL_WINDOW.
 */
static void bench_end_to_end(int iterations)
{
	const unsigned long perm = 0x3f3f0000;	/* KEY_POS_ALL | KEY_USR_ALL */
	unsigned long long t;
	char buf[64];
	int fd, wfd = -1, i, j;

	batches(iterations / KEYCTL_WINDOW);
	fd = wq_open(256, 0, &wfd);
	if (fd < 0 || wq_filter_keys(fd) || wq_watch_key(KEY_SPEC_SESSION_KEYRING, fd, 1))
		die("end-to-end set-up");
	for (i = 0; i < iterations; i += KEYCTL_WINDOW) {
		t = now_ns();
		insn_mark_start(TAG_KEYCTL);
		for (j = 0; j < KEYCTL_WINDOW; j++) {
			if (wq_keyctl(KEYCTL_SETPERM, KEY_SPEC_SESSION_KEYRING, perm, 0, 0))
				die("setperm");
			if (read(fd, buf, sizeof(buf)) != KEY_NOTE)
				die("read");
		}
		insn_mark_stop(TAG_KEYCTL);
		batch[i / KEYCTL_WINDOW] = (double)(now_ns() - t) / KEYCTL_WINDOW;
	}
	close(fd);
	close(wfd);
	printf("result keyctl_setperm_to_read %.1f ns/note\n", median());
	insn_window("keyctl_setperm_to_read", TAG_KEYCTL, KEYCTL_WINDOW,
		    iterations / KEYCTL_WINDOW);
}

/* An ordinary pipe: 4 KiB writes and reads (256 * MIB of each). */
static void bench_plain_pipe(int mib)
{
	unsigned long long t;
	char buf[4096];
	int fds[2], i, j;

	batches(mib * 256 / PIPE_WINDOW);
	memset(buf, 'x', sizeof(buf));
	if (pipe(fds))
		die("pipe");
	for (i = 0; i < mib * 256; i += PIPE_WINDOW) {
		t = now_ns();
		insn_mark_start(TAG_PLAIN_PIPE);
		for (j = 0; j < PIPE_WINDOW; j++) {
			if (write(fds[1], buf, sizeof(buf)) != sizeof(buf) ||
			    read(fds[0], buf, sizeof(buf)) != sizeof(buf))
				die("plain pipe");
		}
		insn_mark_stop(TAG_PLAIN_PIPE);
		batch[i / PIPE_WINDOW] = (double)(now_ns() - t) / PIPE_WINDOW;
	}
	close(fds[0]);
	close(fds[1]);
	printf("result plain_pipe_4k %.1f ns/4KiB\n", median());
	insn_window("plain_pipe_4k", TAG_PLAIN_PIPE, PIPE_WINDOW,
		    mib * 256 / PIPE_WINDOW);
}

static long mem_counter(const char *field)
{
	char line[256];
	long v = -1;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		die("/proc/meminfo");
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, field, strlen(field)))
			v = strtol(line + strlen(field), NULL, 10);
	fclose(f);
	return v;
}

/* What a queue with 256 notes costs: pages and slab, in KiB per queue. */
static void bench_memory(void)
{
	enum { N = 200 };
	static int fds[N], wfds[N];
	long free0, slab0, free1, slab1;
	int i;

	free0 = mem_counter("MemFree:");
	slab0 = mem_counter("Slab:");
	for (i = 0; i < N; i++) {
		fds[i] = wq_open(256, 0, &wfds[i]);
		if (fds[i] < 0)
			die("memory: notification pipe");
	}
	free1 = mem_counter("MemFree:");
	slab1 = mem_counter("Slab:");
	for (i = 0; i < N; i++) {
		close(fds[i]);
		close(wfds[i]);
	}
	printf("result memory_per_queue_256 %.1f KiB\n", (double)(free0 - free1) / N);
	printf("result slab_per_queue_256 %.2f KiB\n", (double)(slab1 - slab0) / N);
}

/*
 * The cost of the mount notification hooks: bind mounts and unmounts, in a
 * private mount namespace on tmpfs, with no mount watched anywhere (on a
 * kernel without CONFIG_MOUNT_NOTIFICATIONS too, the base to compare with),
 * then with the parent watched: two records (NEW_MOUNT, UNMOUNT) per bind
 * mount and unmount, read outside the windows.
 */
static void bench_mounts(int iterations)
{
	unsigned long long t;
	char buf[4096];
	int fd, wfd = -1, i, j;

	if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
	    mount("wqb", "/tmp", "tmpfs", 0, NULL) || mkdir("/tmp/src", 0755) ||
	    mkdir("/tmp/dst", 0755))
		die("mount set-up");
	batches(iterations / MOUNT_WINDOW);
	for (i = 0; i < iterations; i += MOUNT_WINDOW) {
		t = now_ns();
		insn_mark_start(TAG_MOUNT);
		for (j = 0; j < MOUNT_WINDOW; j++) {
			if (mount("/tmp/src", "/tmp/dst", NULL, MS_BIND, NULL))
				die("bind mount");
			if (umount("/tmp/dst"))
				die("umount");
		}
		insn_mark_stop(TAG_MOUNT);
		batch[i / MOUNT_WINDOW] = (double)(now_ns() - t) / MOUNT_WINDOW;
	}
	printf("result mount_bind_umount %.1f ns/op\n", median());
	insn_window("mount_bind_umount", TAG_MOUNT, MOUNT_WINDOW, iterations / MOUNT_WINDOW);

	fd = wq_open(256, O_NONBLOCK, &wfd);
	if (fd < 0)
		return;	/* No notification queue in this kernel. */
	if (syscall(__NR_watch_mount, AT_FDCWD, "/tmp", 0, fd, 1))
		die("watch_mount");
	for (i = 0; i < iterations; i += MOUNT_WINDOW) {
		t = now_ns();
		insn_mark_start(TAG_MOUNT_WATCHED);
		for (j = 0; j < MOUNT_WINDOW; j++) {
			if (mount("/tmp/src", "/tmp/dst", NULL, MS_BIND, NULL))
				die("bind mount");
			if (umount("/tmp/dst"))
				die("umount");
		}
		insn_mark_stop(TAG_MOUNT_WATCHED);
		while (read(fd, buf, sizeof(buf)) > 0)
			;
		batch[i / MOUNT_WINDOW] = (double)(now_ns() - t) / (2 * MOUNT_WINDOW);
	}
	close(fd);
	close(wfd);
	printf("result mount_watched_per_event %.1f ns/note\n", median());
	insn_window("mount_watched_per_event", TAG_MOUNT_WATCHED, 2 * MOUNT_WINDOW,
		    iterations / MOUNT_WINDOW);
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 40;

	/* "wq bench --mounts": on kernels with and without the feature. */
	if (argc > 2 && !strcmp(argv[2], "mounts")) {
		bench_mounts(rounds * 10);
		return 0;
	}

	if (wq_new_session() < 0)
		die("session keyring");
	bench_fd = open(BENCH_FILE, O_RDWR);
	if (bench_fd < 0)
		die(BENCH_FILE);

	bench_post("post_1_queue", 1, 0, rounds);
	bench_post("post_8_queues", 8, 0, rounds);
	bench_post("post_64_queues", 64, 0, rounds / 4 + 1);
	bench_post("post_filter16_match", 1, 1, rounds);
	bench_post("post_filter16_nomatch", 1, -1, rounds);
	bench_full(rounds);
	bench_read(433, TAG_READ_433, rounds);
	bench_read(4096, TAG_READ_4096, rounds);
	bench_end_to_end(rounds * 100);
	bench_plain_pipe(rounds);
	bench_memory();
	return 0;
}
