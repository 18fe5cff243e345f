// SPDX-License-Identifier: GPL-2.0

//! General notification queue, in Rust (`CONFIG_WATCH_QUEUE_RUST`).
//!
//! A notification queue is a pipe opened with `O_NOTIFICATION_PIPE`: notification sources
//! (the keyring) post records through watches, and each record is copied into a preallocated
//! note and spliced into the pipe's ring, for `read()` to return whole. This is the Rust
//! implementation of the C API of [`include/linux/watch_queue.h`]; `kernel/watch_queue.c` is
//! the C one, with the same behaviour. See `Documentation/core-api/watch_queue.rst`.
//!
//! - [`queue`]: the queue, where a note is spliced into the ring and where `read()` learns of
//!   lost notes;
//! - [`notes`]: the preallocated notes, where a note is allocated and where it is freed;
//! - [`filter`]: the filter set by `IOC_WATCH_QUEUE_SET_FILTER`;
//! - [`watch`]: posting through watches, adding, removing and clearing them;
//! - [`lists`]: watches and the lists they are on (an object's, a queue's);
//! - this file: the C entry points.
//!
//! # Lock order
//!
//! The queue's lock (`spin_lock_bh`), then a watch list's lock (`spin_lock`), then the pipe's
//! ring lock (`pipe->rd_wait.lock`, `spin_lock_irq`). A pipe's mutex, when held, comes before
//! all of them. Posting runs under the RCU read lock.
//!
//! [`include/linux/watch_queue.h`]: srctree/include/linux/watch_queue.h

use core::ptr::NonNull;
use kernel::{
    bindings,
    cred::Credential,
    ffi::{c_int, c_long, c_uint},
    fs::LocalFile,
    iov::IovIterDest,
    pipe::{LockedPipe, Pipe},
    prelude::*,
    sync::aref::ARef,
    watch_queue::Notification,
};

mod filter;
mod lists;
mod notes;
mod queue;
mod watch;

use filter::Filter;
use lists::{Watch, WatchList};
use queue::WatchQueue;

fn to_long(r: Result) -> c_long {
    match r {
        Ok(()) => 0,
        Err(e) => e.to_errno() as c_long,
    }
}

/// Creates the queue of a pipe opened with `O_NOTIFICATION_PIPE`.
///
/// # Safety
///
/// `pipe` must be a live pipe that is still private to its creator.
#[export]
pub unsafe extern "C" fn watch_queue_init(pipe: *mut bindings::pipe_inode_info) -> c_int {
    // SAFETY: By the safety requirements the pipe is live.
    let pipe = unsafe { Pipe::from_raw(pipe) };
    let queue = match WatchQueue::new() {
        Ok(queue) => queue,
        Err(e) => return e.to_errno(),
    };
    // SAFETY: The pipe is private to its creator (safety requirements). It holds the reference
    // given here until `free_pipe_info()`.
    let pipe = unsafe { pipe.set_watch_queue(WatchQueue::into_raw(queue.clone())) };
    // SAFETY: `watch_queue_clear()` detaches the queue before the pipe is freed.
    unsafe { queue.lock().as_mut().attach(pipe) };
    0
}

/// `IOC_WATCH_QUEUE_SET_SIZE`: preallocates `nr_notes` notes.
///
/// # Safety
///
/// `pipe` must be a live pipe whose mutex the caller holds.
#[export]
pub unsafe extern "C" fn watch_queue_set_size(
    pipe: *mut bindings::pipe_inode_info,
    nr_notes: c_uint,
) -> c_long {
    // SAFETY: By the safety requirements the pipe is live and its mutex held for this call.
    let mut pipe = unsafe { LockedPipe::assume_locked(Pipe::from_raw(pipe)) };
    let Some(queue) = WatchQueue::of_pipe(pipe.pipe()) else {
        return ENODEV.to_errno() as c_long;
    };
    to_long(queue.set_size(&mut pipe, nr_notes))
}

/// `IOC_WATCH_QUEUE_SET_FILTER`: sets the queue's filter, or removes it if `filter` is null.
///
/// # Safety
///
/// `pipe` must be a live pipe; `filter` is a userspace pointer.
#[export]
pub unsafe extern "C" fn watch_queue_set_filter(
    pipe: *mut bindings::pipe_inode_info,
    filter: *mut bindings::watch_notification_filter,
) -> c_long {
    // SAFETY: By the safety requirements the pipe is live for this call.
    let pipe = unsafe { Pipe::from_raw(pipe) };
    let Some(queue) = WatchQueue::of_pipe(pipe) else {
        return ENODEV.to_errno() as c_long;
    };
    let filter = if filter.is_null() {
        None
    } else {
        match Filter::from_user(UserPtr::from_ptr(filter.cast())) {
            Ok(filter) => Some(filter),
            Err(e) => return e.to_errno() as c_long,
        }
    };
    to_long(queue.set_filter(filter))
}

/// Detaches every watch from a queue whose pipe is being freed.
///
/// # Safety
///
/// `wqueue` must be a queue pointer the caller holds a reference on.
#[export]
pub unsafe extern "C" fn watch_queue_clear(wqueue: *mut bindings::watch_queue) {
    // SAFETY: By the safety requirements the caller holds a reference for this call.
    let queue = unsafe { WatchQueue::borrow_raw(wqueue) };
    watch::clear(&queue);
}

/// Drops a reference on a queue.
///
/// # Safety
///
/// `wqueue` must be a queue pointer whose reference the caller gives up.
#[export]
pub unsafe extern "C" fn put_watch_queue(wqueue: *mut bindings::watch_queue) {
    // SAFETY: By the safety requirements the reference is the caller's to give up.
    drop(unsafe { WatchQueue::from_raw(wqueue) });
}

/// Returns a new reference on the queue of the notification pipe open as `fd`, or
/// `ERR_PTR(-EINVAL)` if `fd` is not one.
///
/// # Safety
///
/// None: any `fd` is accepted.
#[export]
pub unsafe extern "C" fn get_watch_queue(fd: c_int) -> *mut bindings::watch_queue {
    let Ok(file) = LocalFile::fget(fd as u32) else {
        return EINVAL.to_ptr();
    };
    match Pipe::from_file(&file).and_then(WatchQueue::of_pipe) {
        Some(queue) => WatchQueue::into_raw(queue.into()).as_ptr(),
        None => EINVAL.to_ptr(),
    }
}

/// Initialises a watch on `wqueue` with one reference, the caller's.
///
/// # Safety
///
/// `watch` must point to a watch private to the caller, and `wqueue` to a queue the caller
/// holds a reference on until the watch is added.
#[export]
pub unsafe extern "C" fn init_watch(
    watch: *mut bindings::watch,
    wqueue: *mut bindings::watch_queue,
) {
    // SAFETY: Guaranteed by the safety requirements.
    unsafe { Watch::init(watch, wqueue) };
}

/// Adds a watch, initialised by `init_watch()`, to a watch list. On success the caller's
/// reference on the watch belongs to the list.
///
/// # Safety
///
/// `watch` must come from `init_watch()` with its `id` and `info_id` set, and `wlist` must be a
/// live watch list; the caller must pin the watch's queue and the list.
#[export]
pub unsafe extern "C" fn add_watch_to_object(
    watch: *mut bindings::watch,
    wlist: *mut bindings::watch_list,
) -> c_int {
    // SAFETY: The caller owns the reference `init_watch()` gave it (safety requirements).
    let watch = unsafe { ARef::from_raw(NonNull::new_unchecked(watch.cast::<Watch>())) };
    // SAFETY: The list is live for this call (safety requirements).
    let list = unsafe { WatchList::from_raw(wlist) };
    match watch::add(watch, list) {
        Ok(()) => 0,
        Err((e, watch)) => {
            // The caller keeps its reference (and frees the watch itself).
            let _ = ARef::into_raw(watch);
            e.to_errno()
        }
    }
}

/// Removes the watch of `wq` with id `id` from `wlist`, or all of its watches if `all`.
///
/// # Safety
///
/// `wlist` must be a live watch list; `wq` is only compared with the watches' queues.
#[export]
pub unsafe extern "C" fn remove_watch_from_object(
    wlist: *mut bindings::watch_list,
    wq: *mut bindings::watch_queue,
    id: u64,
    all: bool,
) -> c_int {
    // SAFETY: The list is live for this call (safety requirements).
    let list = unsafe { WatchList::from_raw(wlist) };
    match watch::remove(list, wq, id, all) {
        Ok(()) => 0,
        Err(e) => e.to_errno(),
    }
}

/// Posts notification `n`, caused by a task with credentials `cred` (null if no task caused
/// it), through the watches of `wlist` that watch `id`.
///
/// # Safety
///
/// `wlist` must be a live watch list, `n` a record whose `info` gives its length, owned by the
/// caller for this call, and `cred` null or valid.
#[export]
pub unsafe extern "C" fn __post_watch_notification(
    wlist: *mut bindings::watch_list,
    n: *mut bindings::watch_notification,
    cred: *const bindings::cred,
    id: u64,
) {
    // SAFETY: The record is valid and ours for this call (safety requirements).
    let Some(mut n) = (unsafe { Notification::from_raw(n) }) else {
        kernel::warn_on!(true);
        return;
    };
    // SAFETY: The list is live for this call (safety requirements).
    let list = unsafe { WatchList::from_raw(wlist) };
    let poster = if cred.is_null() {
        None
    } else {
        // SAFETY: The credentials are valid for this call (safety requirements).
        Some(unsafe { Credential::from_ptr(cred) })
    };
    watch::post(list, &mut n, poster, id);
}

/// Reports lost notifications to `read()` (see `fs/pipe.c`): returns the number of bytes
/// copied to `to`, or a negative errno.
///
/// # Safety
///
/// `pipe` must be a live pipe whose mutex the caller holds, and `to` a valid destination
/// iterator for this call.
#[export]
pub unsafe extern "C" fn watch_queue_read_loss(
    pipe: *mut bindings::pipe_inode_info,
    to: *mut bindings::iov_iter,
    len: usize,
) -> isize {
    // SAFETY: By the safety requirements the pipe is live and locked for this call.
    let mut pipe = unsafe { LockedPipe::assume_locked(Pipe::from_raw(pipe)) };
    // SAFETY: By the safety requirements `to` is a valid destination for this call.
    let to = unsafe { IovIterDest::from_raw(to) };
    match queue::report_loss(&mut pipe, to, len) {
        Ok(n) => n as isize,
        Err(e) => e.to_errno() as isize,
    }
}
