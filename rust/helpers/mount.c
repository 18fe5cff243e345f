// SPDX-License-Identifier: GPL-2.0

#include <linux/fs.h>
#include <linux/user_namespace.h>

__rust_helper int rust_helper_path_permission(const struct path *path,
					      int mask)
{
	return path_permission(path, mask);
}

__rust_helper void rust_helper_put_user_ns(struct user_namespace *ns)
{
	put_user_ns(ns);
}
