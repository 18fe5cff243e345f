// SPDX-License-Identifier: GPL-2.0
/*
 * The notification queue API that modules may use, as kernel/watch_queue.c
 * exports it.  The functions are defined in Rust (watch_queue.rs).
 */

#include <linux/export.h>
#include <linux/watch_queue.h>

EXPORT_SYMBOL(__post_watch_notification);
EXPORT_SYMBOL(get_watch_queue);
EXPORT_SYMBOL(put_watch_queue);
EXPORT_SYMBOL(add_watch_to_object);
EXPORT_SYMBOL(remove_watch_from_object);
