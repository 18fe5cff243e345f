// SPDX-License-Identifier: GPL-2.0

#include <linux/watch_queue.h>

__rust_helper void rust_helper_init_watch_list(struct watch_list *wlist,
					       void (*release_watch)(struct watch *))
{
	init_watch_list(wlist, release_watch);
}
