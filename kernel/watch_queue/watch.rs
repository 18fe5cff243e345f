// SPDX-License-Identifier: GPL-2.0

//! Watches: posting through them, adding them to watched objects, removing them, and detaching
//! them all from a queue whose pipe goes away.

use crate::{
    lists::{watch_list_of, RcuWatch, Watch, WatchList},
    queue::WatchQueue,
};
use kernel::{
    cred::Credential,
    prelude::*,
    security,
    sync::{aref::ARef, rcu, Arc, ArcBorrow},
    watch_queue::{self as wq, Notification, RecordBuf},
};

/// Returns the queue a watch posts to.
fn queue_of(watch: &Watch) -> ArcBorrow<'_, WatchQueue> {
    // SAFETY: `watch->queue` was set by `init_watch()` to a queue pointer from
    // `get_watch_queue()`. An added watch owns a reference on it until it is freed, which is not
    // before `watch` is; a watch being added is pinned by its creator, who holds a reference on
    // the queue across the addition.
    unsafe { WatchQueue::borrow_raw(watch.queue()) }
}

/// Returns the queue a watch found under RCU posts to.
fn queue_of_rcu(watch: &RcuWatch) -> ArcBorrow<'_, WatchQueue> {
    // SAFETY: `watch->queue` was set by `init_watch()` to a queue pointer from
    // `get_watch_queue()`. A watch on a list owns a reference on it, which it drops only a grace
    // period after its last reference goes, so not before the read-side critical section that
    // found it (and that `watch` borrows from) ends.
    unsafe { WatchQueue::borrow_raw(watch.queue()) }
}

/// Posts `n` through every watch on `list` that watches `id` (`__post_watch_notification()`).
///
/// For each such watch: the watch id goes into `n`'s `info`, the queue's filter and the LSM
/// (`security_post_notification()`) are asked, and the note is posted to the queue. `poster` is
/// the task that caused the event, if any.
pub(crate) fn post(
    list: &WatchList,
    n: &mut Notification<'_>,
    poster: Option<&Credential>,
    id: u64,
) {
    let guard = rcu::read_lock();
    for watch in list.iter_rcu(&guard) {
        if watch.id() != id {
            continue;
        }
        n.set_watch_id(watch.watch_id());

        let queue = queue_of_rcu(watch);
        if let Some(filter) = queue.filter(&guard) {
            if !filter.accepts(n.ty(), n.subtype(), n.info()) {
                continue;
            }
        }
        if security::post_notification(watch.cred(), poster, n).is_err() {
            continue;
        }
        queue.post(n.reborrow());
    }
}

/// Adds `watch` to `list` (`add_watch_to_object()`), on behalf of the current task.
///
/// `watch` is the creator's reference from `init_watch()`: on success it becomes the list's,
/// and the queue's list of watches takes another. On failure it is given back, with `ENOENT` if
/// the queue is dead, `EBUSY` if the list already has a watch with the same queue and id, or
/// `EAGAIN` if the user already has `RLIMIT_NOFILE` watches.
pub(crate) fn add(watch: ARef<Watch>, list: &WatchList) -> Result<(), (Error, ARef<Watch>)> {
    let queue: Arc<WatchQueue> = queue_of(&watch).into();
    let mut state = queue.lock();
    if state.pipe().is_none() {
        return Err((ENOENT, watch));
    }

    let mut watchers = list.lock();
    if watchers
        .iter()
        .any(|w| w.queue() == watch.queue() && w.id() == watch.id())
    {
        return Err((EBUSY, watch));
    }

    // SAFETY: The watch is not on any list yet (it is being added), and was never charged: a
    // watch is charged only here, right before it is added.
    let watch = unsafe { Watch::charge_current(watch) }?;

    // The watch's own reference on its queue, dropped when the watch is freed.
    let _ = WatchQueue::into_raw(queue.clone());
    // SAFETY: The watch posts to this queue and, being new, is on no queue's or object's list.
    unsafe {
        state.as_mut().watches().push(ARef::from(&*watch));
        watchers.add(watch);
    }
    Ok(())
}

/// Removes the watch of `queue` with id `id` from `list`, or every watch if `all`
/// (`remove_watch_from_object()`). Fails with `EBADSLT` if there was nothing to remove.
///
/// Each removed watch posts a `WATCH_META_REMOVAL_NOTIFICATION` record to its queue (with the
/// object's id if `id` is not zero) and is handed to the list's `release_watch`.
pub(crate) fn remove(
    list: &WatchList,
    queue: *const kernel::bindings::watch_queue,
    id: u64,
    all: bool,
) -> Result {
    let mut ret = Err(EBADSLT);
    loop {
        let watch = {
            let mut watchers = list.lock();
            let found: Option<ARef<Watch>> = watchers
                .iter()
                .find(|w| all || (w.id() == id && w.queue().cast_const() == queue))
                .map(ARef::from);
            let Some(found) = found else {
                break;
            };
            // The list's reference is ours now.
            match watchers.remove(&found) {
                Some(watch) => watch,
                None => break,
            }
        };
        ret = Ok(());

        let mut buf = RecordBuf::new();
        let id_bytes = id.to_ne_bytes();
        let payload: &[u8] = if id != 0 { &id_bytes } else { &[] };
        if let Ok(mut n) = Notification::new(&mut buf, wq::TYPE_META, wq::META_REMOVAL, 0, payload)
        {
            n.set_watch_id(watch.watch_id());
            let queue = queue_of(&watch);
            let mut state = queue.lock();
            if state.pipe().is_some() {
                let (locked, mut irqs) = state.as_mut_irqs_enabled();
                queue.post_to(locked.into_ref().get_ref(), &mut irqs, n);
                // SAFETY: The watch posts to this queue.
                drop(unsafe { state.as_mut().watches().remove(&watch) });
            }
        }

        // SAFETY: The watch was just removed from the list, and no lock is held.
        unsafe { list.release_callback().call(&watch) };
        drop(watch);

        if !all || list.is_empty() {
            break;
        }
    }
    ret
}

/// Detaches every watch from `queue`, whose pipe is going away (`watch_queue_clear()`).
///
/// The queue is marked dead first, so nothing is posted or added any more. Each watch is then
/// removed from its object's list, if it is still on it, and handed to the list's
/// `release_watch`.
pub(crate) fn clear(queue: &WatchQueue) {
    let mut state = queue.lock();
    state.as_mut().detach();
    while let Some(watch) = state.as_mut().watches().pop() {
        // The watch is ours now. The list's `release_watch` may sleep, so no lock may be held
        // when it is called: let go of the queue's.
        drop(state);

        let removed = {
            let guard = rcu::read_lock();
            watch_list_of(&watch, &guard)
                .and_then(|list| Some((list.lock().remove(&watch)?, list.release_callback())))
        };
        if let Some((list_ref, release)) = removed {
            // SAFETY: The watch was just removed from the list whose callback this is, and no
            // lock is held (the RCU read-side critical section above has ended).
            unsafe { release.call(&list_ref) };
        }
        drop(watch);

        state = queue.lock();
    }
}
