// SPDX-License-Identifier: GPL-2.0

//! Mount topology notifications: `watch_mount()`.
//!
//! A watch on a mount sees the events on that mount and on every mount below it: mounts added,
//! unmounted, moved, expired, made read-only or read-write, or given other attributes. Each event
//! is one record (`struct mount_notification`) naming the mount it happened on
//! (`triggered_on`) and the mount added, moved or removed (`auxiliary_mount`), by their unique
//! ids; watches above the mount the event happened on see it with `NOTIFY_MOUNT_IN_SUBTREE`.
//! When a watched mount is freed, its watches get a removal record with its id.
//!
//! `fs/namespace.c` calls [`__notify_mount`] at its event sites with the mount tree locked, and
//! `sys_watch_mount()` (`fs/mount_notify.c`) calls [`mount_watch`] once the path is found.
//! Records go through the C API of `include/linux/watch_queue.h`, so either core serves them.

use kernel::{
    bindings,
    ffi::{c_int, c_long},
    fs::mount::{Mount, Path, Topology, WatchedObject},
    prelude::*,
    watch_queue::{
        watch_id_arg, Cause, NewWatch, Notification, QueueRef, RecordBuf, HEADER_SIZE,
        TYPE_MOUNT_NOTIFY,
    },
};

/// `NOTIFY_MOUNT_NEW_MOUNT`: a mount was added.
const NEW_MOUNT: u32 = bindings::mount_notification_subtype_NOTIFY_MOUNT_NEW_MOUNT;
/// `NOTIFY_MOUNT_EXPIRY`: an automount expired.
const EXPIRY: u32 = bindings::mount_notification_subtype_NOTIFY_MOUNT_EXPIRY;
/// The largest subtype.
const LAST_SUBTYPE: u32 = bindings::mount_notification_subtype_NOTIFY_MOUNT_MOVE_TO;

/// The event happened below the watched mount.
const IN_SUBTREE: u32 = bindings::NOTIFY_MOUNT_IN_SUBTREE;
/// The mount is read-only now.
const IS_NOW_RO: u32 = bindings::NOTIFY_MOUNT_IS_NOW_RO;
/// The new mount was made by the kernel (an automount).
const IS_SUBMOUNT: u32 = bindings::NOTIFY_MOUNT_IS_SUBMOUNT;

/// The payload of a record: `triggered_on` and `auxiliary_mount`.
const PAYLOAD: usize = 16;
const _: () =
    assert!(HEADER_SIZE + PAYLOAD == core::mem::size_of::<bindings::mount_notification>());

/// Posts an event of `subtype` on `trigger` (with `aux`, the mount added, moved or removed) to
/// the watches on `trigger` and on every mount above it.
fn notify(topology: &Topology<'_>, trigger: &Mount, aux: Option<&Mount>, subtype: u32, flags: u32) {
    if subtype > LAST_SUBTYPE {
        kernel::warn_on!(true);
        return;
    }
    let mut flags = flags & (IS_NOW_RO | IS_SUBMOUNT);
    if subtype == NEW_MOUNT {
        if let Some(new) = aux {
            if new.is_readonly() {
                flags |= IS_NOW_RO;
            }
            if new.is_submount() {
                flags |= IS_SUBMOUNT;
            }
        }
    }
    let mut payload = [0u8; PAYLOAD];
    payload[..8].copy_from_slice(&trigger.id().to_ne_bytes());
    payload[8..].copy_from_slice(&aux.map_or(0, Mount::id).to_ne_bytes());

    let mut buf = RecordBuf::new();
    let Ok(mut n) = Notification::new(&mut buf, TYPE_MOUNT_NOTIFY, subtype as u8, flags, &payload)
    else {
        return;
    };
    // An expiry has no cause, nor has what a kernel thread does (a worker's delayed `fput()`,
    // say).
    let cause = if subtype == EXPIRY || kernel::current!().is_kthread() {
        Cause::NoTask
    } else {
        Cause::CurrentTask
    };

    let mut mnt = Some(trigger);
    while let Some(m) = mnt {
        if let Some(list) = m.watchers() {
            list.post_caused(&mut n, m.id(), cause);
        }
        n.add_flags(IN_SUBTREE);
        mnt = m.parent(topology);
    }
}

/// Adds a watch of the notification pipe `fd` on the mount of `path`, tagged `watch_id` (0 to
/// 255), or with `watch_id` -1 removes it.
fn watch(path: &Path, fd: i32, watch_id: i32) -> Result {
    let watch_id = watch_id_arg(watch_id)?;
    let queue = QueueRef::from_fd(fd)?;
    let mount = path.mount();

    let Some(watch_id) = watch_id else {
        return mount.remove_watch(&queue);
    };
    path.may_watch(WatchedObject::Mount)?;

    let watch = NewWatch::new(&queue, mount.id(), watch_id)?;
    mount.add_watch(watch)
}

/// Adds or removes the watch of the notification pipe `watch_fd` on the mount of `path`
/// (`watch_mount()`), returning 0 or a negative errno.
///
/// # Safety
///
/// `path` must be a path that the caller holds for this call.
#[export]
pub unsafe extern "C" fn mount_watch(
    path: *const bindings::path,
    watch_fd: c_int,
    watch_id: c_int,
) -> c_long {
    // SAFETY: The caller holds the path for this call (safety requirements).
    let path = unsafe { Path::from_raw(path) };
    match watch(path, watch_fd, watch_id) {
        Ok(()) => 0,
        Err(e) => e.to_errno() as c_long,
    }
}

/// Posts a mount event (`enum mount_notification_subtype`) on `trigger` to the watches on it and
/// above it; `aux` is the mount added, moved or removed, or null.
///
/// # Safety
///
/// The caller must hold `namespace_sem` or `mount_lock`, and `trigger` and `aux` (if not null)
/// must be mounts attached to the tree, or referenced, for this call.
#[export]
pub unsafe extern "C" fn __notify_mount(
    trigger: *mut bindings::mount,
    aux: *mut bindings::mount,
    subtype: u32,
    info_flags: u32,
) {
    // SAFETY: The caller holds one of the locks for this call (safety requirements).
    let topology = unsafe { Topology::assume_locked() };
    // SAFETY: The mount is live for this call (safety requirements).
    let trigger = unsafe { Mount::from_raw(trigger) };
    let aux = if aux.is_null() {
        None
    } else {
        // SAFETY: The mount is live for this call (safety requirements).
        Some(unsafe { Mount::from_raw(aux) })
    };
    notify(&topology, trigger, aux, subtype, info_flags);
}
