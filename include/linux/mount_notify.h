/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Mount topology notifications: watch_mount().
 *
 * The source is written in Rust (fs/mount_watch.rs); fs/namespace.c reports
 * its events through the hooks of fs/mount.h, and fs/mount_notify.c gives the
 * Rust code what it needs to know of struct mount.
 *
 * See Documentation/core-api/watch_queue.rst.
 */
#ifndef _LINUX_MOUNT_NOTIFY_H
#define _LINUX_MOUNT_NOTIFY_H

#include <linux/types.h>

struct mount;
struct path;
struct user_namespace;
struct watch_list;

#ifdef CONFIG_MOUNT_NOTIFICATIONS
/* fs/mount_watch.rs */
void __notify_mount(struct mount *trigger, struct mount *aux, u32 subtype,
		    u32 info_flags);
long mount_watch(const struct path *path, int watch_fd, int watch_id);

/* fs/mount_notify.c, for watch_mount() and watch_sb() */
int watch_path_at(int dfd, const char __user *filename, unsigned int at_flags,
		  int watch_id, struct path *path);

/* fs/mount_notify.c */
u64 mnt_notify_id(const struct mount *m);
struct mount *mnt_notify_parent(const struct mount *m);
struct mount *mnt_notify_of_path(const struct path *path);
struct watch_list *mnt_notify_watchers(const struct mount *m);
int mnt_notify_set_watchers(struct mount *m, struct watch_list *wlist);
bool mnt_notify_is_readonly(const struct mount *m);
bool mnt_notify_is_submount(const struct mount *m);
struct user_namespace *mnt_notify_ns_owner(struct mount *m, bool *callers);
void mnt_notify_assert_topology_locked(void);
void mnt_notify_watch_added(void);
void mnt_notify_watch_released(void);
#endif

#endif /* _LINUX_MOUNT_NOTIFY_H */
