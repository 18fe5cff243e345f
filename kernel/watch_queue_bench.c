// SPDX-License-Identifier: GPL-2.0
/*
 * In-kernel benchmark of notification posting, through the API that
 * notification sources use, so that it measures whichever core
 * (kernel/watch_queue.c or kernel/watch_queue/) is built.
 *
 * Userspace (tools/testing/selftests/watch_queue/wq_bench.c) writes commands
 * to /sys/kernel/debug/watch_queue_bench:
 *
 *   watch FD...	watch the notification pipes FD... (up to 64) with one
 *			watch list, replacing any previous one
 *   post COUNT		post COUNT 16-byte key notifications to the list
 *   mark COUNT		the same, between two instruction markers
 *   unwatch		remove the watches
 *
 * and reads back the nanoseconds the last "post" took.
 *
 * "mark" puts the posting loop between two marker NOPs, which the
 * insn_count QEMU plugin (tools/testing/watch_queue/plugin/) recognises to
 * count the loop's instructions exactly.  Without the plugin they do nothing.
 */

#include <linux/cred.h>
#include <linux/debugfs.h>
#include <linux/init.h>
#include <linux/keyctl.h>
#include <linux/ktime.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/watch_queue.h>

#define BENCH_MAX_QUEUES	64
#define BENCH_ID		1

/*
 * A marker is "nopl 0x5751TTKK(%rax)": tag TT, kind KK 1 (start) or 2
 * (stop), as tools/testing/selftests/watch_queue/insn_marker.h defines
 * them.  The posting loop of "mark" is tag 0x40.
 */
static __always_inline void bench_mark(unsigned int kind)
{
#ifdef CONFIG_X86_64
	asm volatile(".byte 0x0f, 0x1f, 0x80\n\t.long %c0"
		     : : "i" (0x57514000 + kind) : "memory");
#endif
}

static DEFINE_MUTEX(bench_lock);
static struct watch_list *bench_wlist;
static u64 bench_ns;

static void bench_unwatch(void)
{
	/* remove_watch_list() frees the list after a grace period. */
	remove_watch_list(bench_wlist, BENCH_ID);
	bench_wlist = NULL;
}

static int bench_watch(char *args)
{
	struct watch_list *wlist;
	int fd, n = 0, ret = 0;
	char *tok;

	if (bench_wlist)
		bench_unwatch();

	wlist = kzalloc_obj(*wlist);
	if (!wlist)
		return -ENOMEM;
	init_watch_list(wlist, NULL);
	bench_wlist = wlist;

	while ((tok = strsep(&args, " ")) != NULL) {
		struct watch_queue *wqueue;
		struct watch *watch;

		if (!*tok)
			continue;
		if (n == BENCH_MAX_QUEUES || kstrtoint(tok, 10, &fd))
			return -EINVAL;
		wqueue = get_watch_queue(fd);
		if (IS_ERR(wqueue))
			return PTR_ERR(wqueue);
		watch = kzalloc_obj(*watch);
		if (!watch) {
			put_watch_queue(wqueue);
			return -ENOMEM;
		}
		init_watch(watch, wqueue);
		watch->id = BENCH_ID;
		watch->info_id = (u32)n << WATCH_INFO_ID__SHIFT;
		ret = add_watch_to_object(watch, wlist);
		put_watch_queue(wqueue);
		if (ret) {
			kfree(watch);
			return ret;
		}
		n++;
	}
	return n ? 0 : -EINVAL;
}

static int bench_post(unsigned int count, bool mark)
{
	struct key_notification n = {
		.watch.type	= WATCH_TYPE_KEY_NOTIFY,
		.watch.subtype	= NOTIFY_KEY_UPDATED,
		.watch.info	= watch_sizeof(n),
		.key_id		= BENCH_ID,
	};
	const struct cred *cred = current_cred();
	unsigned int i;
	u64 start;

	if (!bench_wlist)
		return -ENOENT;
	start = ktime_get_ns();
	if (mark)
		bench_mark(1);
	for (i = 0; i < count; i++)
		post_watch_notification(bench_wlist, &n.watch, cred, BENCH_ID);
	if (mark)
		bench_mark(2);
	bench_ns = ktime_get_ns() - start;
	return 0;
}

static ssize_t bench_write(struct file *file, const char __user *ubuf,
			   size_t len, loff_t *ppos)
{
	unsigned int count;
	char *buf, *args;
	int ret;

	if (len > PAGE_SIZE)
		return -E2BIG;
	buf = memdup_user_nul(ubuf, len);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	args = strim(buf);

	mutex_lock(&bench_lock);
	if (str_has_prefix(args, "watch ")) {
		ret = bench_watch(args + 6);
		if (ret && bench_wlist)
			bench_unwatch();
	} else if (str_has_prefix(args, "post ") || str_has_prefix(args, "mark ")) {
		ret = kstrtouint(args + 5, 10, &count);
		if (!ret)
			ret = bench_post(count, args[0] == 'm');
	} else if (!strcmp(args, "unwatch")) {
		ret = bench_wlist ? 0 : -ENOENT;
		if (bench_wlist)
			bench_unwatch();
	} else {
		ret = -EINVAL;
	}
	mutex_unlock(&bench_lock);
	kfree(buf);
	return ret ? ret : len;
}

static ssize_t bench_read(struct file *file, char __user *ubuf, size_t len,
			  loff_t *ppos)
{
	char out[32];
	int n;

	mutex_lock(&bench_lock);
	n = scnprintf(out, sizeof(out), "%llu\n", bench_ns);
	mutex_unlock(&bench_lock);
	return simple_read_from_buffer(ubuf, len, ppos, out, n);
}

static const struct file_operations bench_fops = {
	.write	= bench_write,
	.read	= bench_read,
	.llseek	= default_llseek,
};

static int __init watch_queue_bench_init(void)
{
	debugfs_create_file("watch_queue_bench", 0600, NULL, NULL, &bench_fops);
	return 0;
}
late_initcall(watch_queue_bench_init);
