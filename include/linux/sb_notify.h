/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Superblock notifications: watch_sb().
 *
 * The source is written in Rust (fs/sb_watch.rs); fs/super.c, the quota code
 * and the filesystem error reports post through the hooks below, and
 * fs/sb_notify.c gives the Rust code what it needs of struct super_block.
 *
 * See Documentation/core-api/watch_queue.rst.
 */
#ifndef _LINUX_SB_NOTIFY_H
#define _LINUX_SB_NOTIFY_H

#include <linux/fs/super_types.h>
#include <uapi/linux/watch_queue.h>

struct path;
struct watch_list;

#ifdef CONFIG_SB_NOTIFICATIONS
/* fs/sb_watch.rs */
void __notify_sb(struct super_block *sb, u32 subtype, u32 info_flags,
		 int error);
long sb_watch(const struct path *path, int watch_fd, int watch_id);

/* fs/sb_notify.c */
u64 sb_notify_id(const struct super_block *sb);
struct super_block *sb_notify_of_path(const struct path *path);
struct watch_list *sb_notify_watchers(const struct super_block *sb);
int sb_notify_set_watchers(struct super_block *sb, struct watch_list *wlist);
void sb_notify_init(struct super_block *sb);
void sb_notify_destroy(struct super_block *sb);

/* An event (enum superblock_notification_type) of @sb, to its watches. */
static inline void notify_sb(struct super_block *sb, u32 subtype,
			     u32 info_flags)
{
	if (unlikely(READ_ONCE(sb->s_watchers)))
		__notify_sb(sb, subtype, info_flags, 0);
}

/* An error (a negative errno) in @sb, to its watches. */
static inline void notify_sb_error(struct super_block *sb, int error)
{
	if (unlikely(READ_ONCE(sb->s_watchers)))
		__notify_sb(sb, NOTIFY_SUPERBLOCK_ERROR, 0, error);
}
#else
static inline void notify_sb(struct super_block *sb, u32 subtype,
			     u32 info_flags)
{
}

static inline void notify_sb_error(struct super_block *sb, int error)
{
}

static inline void sb_notify_init(struct super_block *sb)
{
}

static inline void sb_notify_destroy(struct super_block *sb)
{
}
#endif

#endif /* _LINUX_SB_NOTIFY_H */
