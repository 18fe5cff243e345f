// SPDX-License-Identifier: GPL-2.0

//! Watching keys through notification queues: `keyctl(KEYCTL_WATCH_KEY)` once the key is found.
//!
//! `keyctl_watch_key()` in `keyctl.c` looks the key up (it must be viewable) and calls
//! [`key_watch`]; the key's events are posted by `notify_key()`, and its watches are removed
//! when it is destroyed (`key_gc_unused_keys()`). With `CONFIG_WATCH_QUEUE_RUST` off,
//! `keyctl.c` keeps the C version of this code.

use kernel::{
    bindings,
    ffi::{c_int, c_long},
    key::Key,
    prelude::*,
    watch_queue::{watch_id_arg, NewWatch, NewWatchList, QueueRef},
};

/// Adds a watch of the notification pipe `fd` on `key`, tagged `watch_id` (0 to 255), or with
/// `watch_id` -1 removes it.
fn watch(key: &Key, fd: i32, watch_id: i32) -> Result {
    let watch_id = watch_id_arg(watch_id)?;
    let queue = QueueRef::from_fd(fd)?;
    let id = u64::from(key.serial() as u32);

    let Some(watch_id) = watch_id else {
        let guard = key.write_lock();
        return match guard.watchers() {
            Some(list) => list.remove(&queue, id),
            None => Err(EBADSLT),
        };
    };

    let list = if key.has_watchers() {
        None
    } else {
        Some(NewWatchList::new()?)
    };
    let watch = NewWatch::new(&queue, id, watch_id)?;
    key.security_watch()?;

    let mut guard = key.write_lock();
    match guard.watchers_or_insert(list) {
        Some(watchers) => watchers.add(watch),
        // Only if `list` is `None`, which `has_watchers()` said the key had: a list stays until
        // the key is destroyed, which our reference prevents. Refused rather than assumed.
        None => Err(ENOENT),
    }
}

/// Adds or removes the watch of the notification pipe `watch_queue_fd` on `key`
/// (`KEYCTL_WATCH_KEY`), returning 0 or a negative errno.
///
/// # Safety
///
/// The caller must hold a reference on `key`, which the current task may view.
#[export]
pub unsafe extern "C" fn key_watch(
    key: *mut bindings::key,
    watch_queue_fd: c_int,
    watch_id: c_int,
) -> c_long {
    // SAFETY: The caller holds a reference on the key for this call (safety requirements).
    let key = unsafe { Key::from_raw(key) };
    match watch(key, watch_queue_fd, watch_id) {
        Ok(()) => 0,
        Err(e) => e.to_errno() as c_long,
    }
}
