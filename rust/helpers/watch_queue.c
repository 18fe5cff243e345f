// SPDX-License-Identifier: GPL-2.0

#include <linux/watch_queue.h>

#ifdef CONFIG_WATCH_QUEUE

__rust_helper void rust_helper_init_watch_list(struct watch_list *wlist,
					       void (*release_watch)(struct watch *))
{
	init_watch_list(wlist, release_watch);
}

/*
 * The bitfields of a record's header: bindgen's generic accessors for them
 * extract one bit at a time, while the compiler makes a load and a mask of
 * these.
 */
__rust_helper u32
rust_helper_watch_notification_type(const struct watch_notification *n)
{
	return n->type;
}

__rust_helper u32
rust_helper_watch_notification_subtype(const struct watch_notification *n)
{
	return n->subtype;
}

__rust_helper void
rust_helper_watch_notification_set_type(struct watch_notification *n, u32 type,
					u32 subtype)
{
	n->type = type;
	n->subtype = subtype;
}
#endif /* CONFIG_WATCH_QUEUE */
