// SPDX-License-Identifier: GPL-2.0
/*
 * Superblock notifications: the system call's entry and what the Rust source
 * (sb_watch.rs) needs to know of struct super_block.
 *
 * See Documentation/core-api/watch_queue.rst.
 */

#include <linux/atomic.h>
#include <linux/fs.h>
#include <linux/mount_notify.h>
#include <linux/sb_notify.h>
#include <linux/syscalls.h>
#include <linux/watch_queue.h>

/* Superblock ids: never reused, never 0. */
static atomic64_t sb_notify_last_id;

void sb_notify_init(struct super_block *sb)
{
	sb->s_unique_id = atomic64_inc_return(&sb_notify_last_id);
}

/*
 * The superblock's last active reference is gone (deactivate_locked_super()):
 * nothing posts any more, and each watch gets a removal record.
 */
void sb_notify_destroy(struct super_block *sb)
{
	remove_watch_list(xchg(&sb->s_watchers, NULL), sb->s_unique_id);
}

u64 sb_notify_id(const struct super_block *sb)
{
	return sb->s_unique_id;
}

struct super_block *sb_notify_of_path(const struct path *path)
{
	return path->mnt->mnt_sb;
}

/* The watch list of @sb, if it has one; it stays while @sb is active. */
struct watch_list *sb_notify_watchers(const struct super_block *sb)
{
	/* Pairs with sb_notify_set_watchers(): the list is initialised. */
	return smp_load_acquire(&sb->s_watchers);
}

/*
 * Give the active @sb the watch list @wlist (initialised and empty) if it has
 * none: 0 if @sb took @wlist, 1 if it already had a list.
 */
int sb_notify_set_watchers(struct super_block *sb, struct watch_list *wlist)
{
	/* Publish the list initialised; see sb_notify_watchers(). */
	return cmpxchg_release(&sb->s_watchers, NULL, wlist) ? 1 : 0;
}

/**
 * sys_watch_sb - Watch a superblock
 * @dfd: Base directory of @filename
 * @filename: A directory on the superblock
 * @at_flags: AT_NO_AUTOMOUNT, AT_EMPTY_PATH
 * @watch_fd: A notification pipe
 * @watch_id: The watch's id in the records (0 to 255), or -1 to remove it
 *
 * The path is looked up as a directory, following symbolic links; the
 * superblock of its mount is watched (sb_watch()).
 */
SYSCALL_DEFINE5(watch_sb,
		int, dfd,
		const char __user *, filename,
		unsigned int, at_flags,
		int, watch_fd,
		int, watch_id)
{
	struct path path;
	long ret;

	ret = watch_path_at(dfd, filename, at_flags, watch_id, &path);
	if (ret)
		return ret;
	ret = sb_watch(&path, watch_fd, watch_id);
	path_put(&path);
	return ret;
}
