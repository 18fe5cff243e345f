// SPDX-License-Identifier: GPL-2.0
/*
 * Mount topology notifications: the system call's entry and what the Rust
 * source (mount_watch.rs) needs to know of struct mount.
 *
 * See Documentation/core-api/watch_queue.rst.
 */

#include <linux/fcntl.h>
#include <linux/fs.h>
#include <linux/mount_notify.h>
#include <linux/namei.h>
#include <linux/nsproxy.h>
#include <linux/syscalls.h>
#include <linux/user_namespace.h>
#include "mount.h"

/*
 * Counts the watches on mounts: while there are none, the hooks in
 * namespace.c are a jump over the call.  Decremented from release_watch(),
 * deferred by a second, so that a watch added and removed over and over
 * does not patch the hooks each time.
 */
DEFINE_STATIC_KEY_DEFERRED_FALSE(mount_notify_key, HZ);

void mnt_notify_watch_added(void)
{
	static_branch_deferred_inc(&mount_notify_key);
}

void mnt_notify_watch_released(void)
{
	static_branch_slow_dec_deferred(&mount_notify_key);
}

u64 mnt_notify_id(const struct mount *m)
{
	return m->mnt_id_unique;
}

/* The parent of @m, or NULL; the caller keeps the tree still. */
struct mount *mnt_notify_parent(const struct mount *m)
{
	return mnt_has_parent(m) ? m->mnt_parent : NULL;
}

struct mount *mnt_notify_of_path(const struct path *path)
{
	return real_mount(path->mnt);
}

/* The watch list of @m, if it has one; it stays until @m is freed. */
struct watch_list *mnt_notify_watchers(const struct mount *m)
{
	/* Pairs with mnt_notify_set_watchers(): the list is initialised. */
	return smp_load_acquire(&m->mnt_watchers);
}

/*
 * Give @m the watch list @wlist (initialised and empty) if it has none.
 * Returns 0 if @m took @wlist, 1 if @m already had a list (which
 * mnt_notify_watchers() then returns), and -ENOENT if @m is in no
 * namespace any more: unmounted, going away.
 */
int mnt_notify_set_watchers(struct mount *m, struct watch_list *wlist)
{
	guard(mount_locked_reader)();

	if (IS_ERR_OR_NULL(m->mnt_ns))
		return -ENOENT;
	if (m->mnt_watchers)
		return 1;
	/* Publish the list initialised; see mnt_notify_watchers(). */
	smp_store_release(&m->mnt_watchers, wlist);
	return 0;
}

bool mnt_notify_is_readonly(const struct mount *m)
{
	return __mnt_is_readonly(&m->mnt);
}

/* Automounts are shrinkable (finish_automount()). */
bool mnt_notify_is_submount(const struct mount *m)
{
	return m->mnt.mnt_flags & MNT_SHRINKABLE;
}

/*
 * The owner of @m's mount namespace, with a reference, and in @callers
 * whether that is the caller's namespace; NULL if @m is in no namespace.
 * Under mount_lock, as umount_tree() clears mnt_ns: a namespace that still
 * has @m is alive, with its owner.
 */
struct user_namespace *mnt_notify_ns_owner(struct mount *m, bool *callers)
{
	struct mnt_namespace *ns;

	guard(mount_locked_reader)();

	ns = m->mnt_ns;
	if (IS_ERR_OR_NULL(ns))
		return NULL;
	*callers = ns == current->nsproxy->mnt_ns;
	return get_user_ns(ns->user_ns);
}

/*
 * The directory named by a watch_mount() or watch_sb() call: checks the
 * arguments that are not the Rust source's business and looks the path up
 * as a directory, following symbolic links, into @path.
 */
int watch_path_at(int dfd, const char __user *filename, unsigned int at_flags,
		  int watch_id, struct path *path)
{
	unsigned int lookup_flags = LOOKUP_DIRECTORY | LOOKUP_FOLLOW |
				    LOOKUP_AUTOMOUNT;

	if (at_flags & ~(AT_NO_AUTOMOUNT | AT_EMPTY_PATH))
		return -EINVAL;
	if (watch_id < -1 || watch_id > 0xff)
		return -EINVAL;
	if (at_flags & AT_NO_AUTOMOUNT)
		lookup_flags &= ~LOOKUP_AUTOMOUNT;
	if (at_flags & AT_EMPTY_PATH)
		lookup_flags |= LOOKUP_EMPTY;
	return user_path_at(dfd, filename, lookup_flags, path);
}

/**
 * sys_watch_mount - Watch a mount and the mounts below it
 * @dfd: Base directory of @filename
 * @filename: The mount's directory
 * @at_flags: AT_NO_AUTOMOUNT, AT_EMPTY_PATH
 * @watch_fd: A notification pipe
 * @watch_id: The watch's id in the records (0 to 255), or -1 to remove it
 *
 * The path is looked up as a directory, following symbolic links; the mount
 * it is on is watched (mount_watch()).
 */
SYSCALL_DEFINE5(watch_mount,
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
	ret = mount_watch(&path, watch_fd, watch_id);
	path_put(&path);
	return ret;
}
