// SPDX-License-Identifier: GPL-2.0

/*
 * Helpers for C circular doubly linked list implementation.
 */

#include <linux/list.h>
#include <linux/rculist.h>

__rust_helper void rust_helper_INIT_LIST_HEAD(struct list_head *list)
{
	INIT_LIST_HEAD(list);
}

__rust_helper void rust_helper_list_add_tail(struct list_head *new, struct list_head *head)
{
	list_add_tail(new, head);
}

__rust_helper void rust_helper_INIT_HLIST_NODE(struct hlist_node *h)
{
	INIT_HLIST_NODE(h);
}

__rust_helper int rust_helper_hlist_unhashed(const struct hlist_node *h)
{
	return hlist_unhashed(h);
}

__rust_helper void rust_helper_hlist_add_head(struct hlist_node *n,
					      struct hlist_head *h)
{
	hlist_add_head(n, h);
}

__rust_helper void rust_helper_hlist_add_head_rcu(struct hlist_node *n,
						  struct hlist_head *h)
{
	hlist_add_head_rcu(n, h);
}

__rust_helper void rust_helper_hlist_del_init_rcu(struct hlist_node *n)
{
	hlist_del_init_rcu(n);
}
