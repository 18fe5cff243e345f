// SPDX-License-Identifier: GPL-2.0

#include <linux/security.h>

#ifndef CONFIG_SECURITY
__rust_helper void rust_helper_security_cred_getsecid(const struct cred *c,
						      u32 *secid)
{
	security_cred_getsecid(c, secid);
}

__rust_helper int rust_helper_security_secid_to_secctx(u32 secid,
						       struct lsm_context *cp)
{
	return security_secid_to_secctx(secid, cp);
}

__rust_helper void rust_helper_security_release_secctx(struct lsm_context *cp)
{
	security_release_secctx(cp);
}

__rust_helper int
rust_helper_security_binder_set_context_mgr(const struct cred *mgr)
{
	return security_binder_set_context_mgr(mgr);
}

__rust_helper int
rust_helper_security_binder_transaction(const struct cred *from,
					const struct cred *to)
{
	return security_binder_transaction(from, to);
}

__rust_helper int
rust_helper_security_binder_transfer_binder(const struct cred *from,
					    const struct cred *to)
{
	return security_binder_transfer_binder(from, to);
}

__rust_helper int rust_helper_security_binder_transfer_file(
	const struct cred *from, const struct cred *to, const struct file *file)
{
	return security_binder_transfer_file(from, to, file);
}
#endif

/*
 * Without CONFIG_SECURITY, <linux/security.h> makes this hook an inline stub;
 * with it, a function that bindgen binds directly.
 */
#if defined(CONFIG_WATCH_QUEUE) && !defined(CONFIG_SECURITY)
__rust_helper int
rust_helper_security_post_notification(const struct cred *w_cred,
				       const struct cred *cred,
				       struct watch_notification *n)
{
	return security_post_notification(w_cred, cred, n);
}
#endif

#if defined(CONFIG_KEYS) && \
	!(defined(CONFIG_SECURITY) && defined(CONFIG_KEY_NOTIFICATIONS))
__rust_helper int rust_helper_security_watch_key(struct key *key)
{
	return security_watch_key(key);
}
#endif

#ifndef CONFIG_SECURITY
__rust_helper int rust_helper_security_path_notify(const struct path *path,
						   u64 mask,
						   unsigned int obj_type)
{
	return security_path_notify(path, mask, obj_type);
}
#endif
