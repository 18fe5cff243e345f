// SPDX-License-Identifier: GPL-2.0

//! Superblock notifications: `watch_sb()`.
//!
//! A watch on a superblock sees it made read-only or read-write, the filesystem errors it
//! reports and the quota limits its users cross, as records (`struct superblock_notification`,
//! and `struct superblock_error_notification` for errors) naming it by its 64-bit id. When the
//! superblock's last mount goes, its watches get a removal record with that id.
//!
//! `reconfigure_super()`, the quota code's warnings and the filesystem error reports call
//! [`__notify_sb`], and `sys_watch_sb()` (`fs/sb_notify.c`) calls [`sb_watch`] once the path
//! is found. Records go through the C API of `include/linux/watch_queue.h`, so either core
//! serves them.

use kernel::{
    bindings,
    ffi::{c_int, c_long},
    fs::{
        mount::{Path, WatchedObject},
        superblock::SuperBlock,
    },
    prelude::*,
    watch_queue::{
        watch_id_arg, Cause, NewWatch, Notification, QueueRef, RecordBuf, HEADER_SIZE,
        TYPE_SB_NOTIFY,
    },
};

/// `NOTIFY_SUPERBLOCK_ERROR`: the filesystem reported an error.
const ERROR: u32 = bindings::superblock_notification_type_NOTIFY_SUPERBLOCK_ERROR;
/// `NOTIFY_SUPERBLOCK_EDQUOT`: a user crossed a quota limit.
const EDQUOT: u32 = bindings::superblock_notification_type_NOTIFY_SUPERBLOCK_EDQUOT;
/// The superblock is read-only now.
const IS_NOW_RO: u32 = bindings::NOTIFY_SUPERBLOCK_IS_NOW_RO;

/// The payload of a record: `sb_id`.
const PAYLOAD: usize = 8;
/// The payload of an error record: `sb_id`, `error_number` and `error_cookie`.
const ERROR_PAYLOAD: usize = 16;
const _: () = assert!(
    HEADER_SIZE + PAYLOAD == core::mem::size_of::<bindings::superblock_notification>()
        && HEADER_SIZE + ERROR_PAYLOAD
            == core::mem::size_of::<bindings::superblock_error_notification>()
);

/// Posts an event of `subtype` on `sb` to its watches; `error` is the errno of an error.
fn notify(sb: &SuperBlock, subtype: u32, flags: u32, error: i32) {
    if subtype > EDQUOT {
        kernel::warn_on!(true);
        return;
    }
    let Some(list) = sb.watchers() else {
        return;
    };
    let mut payload = [0u8; ERROR_PAYLOAD];
    payload[..8].copy_from_slice(&sb.id().to_ne_bytes());
    let len = if subtype == ERROR {
        payload[8..12].copy_from_slice(&error.unsigned_abs().to_ne_bytes());
        ERROR_PAYLOAD
    } else {
        PAYLOAD
    };

    let mut buf = RecordBuf::new();
    let Ok(mut n) = Notification::new(
        &mut buf,
        TYPE_SB_NOTIFY,
        subtype as u8,
        flags & IS_NOW_RO,
        &payload[..len],
    ) else {
        return;
    };
    // Errors are reported by a worker; an emergency remount is done by one.
    let cause = if kernel::current!().is_kthread() {
        Cause::NoTask
    } else {
        Cause::CurrentTask
    };
    list.post_caused(&mut n, sb.id(), cause);
}

/// Adds a watch of the notification pipe `fd` on the superblock of `path`, tagged `watch_id` (0
/// to 255), or with `watch_id` -1 removes it.
fn watch(path: &Path, fd: i32, watch_id: i32) -> Result {
    let watch_id = watch_id_arg(watch_id)?;
    let queue = QueueRef::from_fd(fd)?;
    let sb = path.super_block();

    let Some(watch_id) = watch_id else {
        return sb.remove_watch(&queue);
    };
    // As for mounts: search permission, the watcher's own namespace, the LSM.
    path.may_watch(WatchedObject::Superblock)?;

    sb.add_watch(NewWatch::new(&queue, sb.id(), watch_id)?)
}

/// Adds or removes the watch of the notification pipe `watch_fd` on the superblock of `path`
/// (`watch_sb()`), returning 0 or a negative errno.
///
/// # Safety
///
/// `path` must be a path that the caller holds for this call.
#[export]
pub unsafe extern "C" fn sb_watch(
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

/// Posts a superblock event (`enum superblock_notification_type`) on `sb` to its watches;
/// `error` is the (negative) errno of an error, else 0.
///
/// # Safety
///
/// `sb` must be an active superblock for this call.
#[export]
pub unsafe extern "C" fn __notify_sb(
    sb: *mut bindings::super_block,
    subtype: u32,
    info_flags: u32,
    error: c_int,
) {
    // SAFETY: The superblock is active for this call (safety requirements).
    let sb = unsafe { SuperBlock::from_raw(sb) };
    notify(sb, subtype, info_flags, error);
}
