// SPDX-License-Identifier: GPL-2.0

//! The queue behind a notification pipe: where a note is spliced into the ring, and where
//! `read()` learns that notes were lost.

use crate::{
    filter::Filter,
    lists::QueueWatches,
    notes::{self, Note, Notes},
};
use core::ptr::NonNull;
use kernel::{
    bindings,
    iov::IovIterDest,
    pipe::{self, BufOps, Buffer, LockedPipe, NotificationPipe, Pipe, Slot},
    prelude::*,
    sync::{
        new_spinlock_bh,
        rcu::{self, RcuBox, RcuPointer},
        Arc, ArcBorrow, IrqsEnabled, SetOnce, SpinLockBh, SpinLockBhGuard,
    },
    watch_queue::{self as wq, Notification, RecordBuf},
};

/// The pipe a queue posts to.
///
/// # Invariants
///
/// The pipe is live: a pipe detaches its queue ([`QueueState::detach`], from
/// `watch_queue_clear()`) before it is freed, and the link is only used under the queue's lock.
struct PipeLink(NonNull<NotificationPipe>);

// SAFETY: The link is only a pointer to a pipe, which is `Sync`; it is used under the queue's
// lock on whichever CPU holds it.
unsafe impl Send for PipeLink {}

/// The state of a queue that its lock protects.
#[pin_data]
pub(crate) struct QueueState {
    /// The pipe, until the pipe goes away: then the queue is dead.
    pipe: Option<PipeLink>,
    /// The watches that post to the queue.
    #[pin]
    watches: QueueWatches,
}

impl QueueState {
    /// Returns the pipe, unless the queue is dead.
    pub(crate) fn pipe(&self) -> Option<&NotificationPipe> {
        // SAFETY: By the type invariants of `PipeLink` the pipe is live while it is linked, and
        // it stays linked while `self` is borrowed (the queue's lock is held).
        self.pipe.as_ref().map(|link| unsafe { link.0.as_ref() })
    }

    /// Returns the watches that post to the queue.
    pub(crate) fn watches(self: Pin<&mut Self>) -> Pin<&mut QueueWatches> {
        self.project().watches
    }

    /// Attaches the queue to its pipe, of which it is the `watch_queue`.
    ///
    /// # Safety
    ///
    /// `pipe` must stay live until the queue is detached from it ([`QueueState::detach`]).
    pub(crate) unsafe fn attach(self: Pin<&mut Self>, pipe: &NotificationPipe) {
        // INVARIANT: The caller keeps the pipe live until it detaches it (safety requirements).
        *self.project().pipe = Some(PipeLink(NonNull::from(pipe)));
    }

    /// Detaches the queue from its pipe: nothing is posted any more, and the pipe may go.
    pub(crate) fn detach(self: Pin<&mut Self>) {
        *self.project().pipe = None;
    }
}

/// The queue of a notification pipe (`struct watch_queue`, private to this implementation).
///
/// C code holds it by pointer (`pipe->watch_queue`, `watch->queue`): each such pointer owns a
/// reference on the [`Arc`]. The note buffers in the pipe's ring own none: they use the pipe's,
/// which `free_pipe_info()` drops only after it has released every buffer of the ring, and a note
/// buffer never leaves its pipe (splice and tee refuse notification pipes). So the notes outlive
/// the buffers that use them, without a reference count to touch per note.
///
/// # Lock order
///
/// `state` (BH-disabling), then a watch list's lock, then the pipe's ring lock
/// (`pipe->rd_wait.lock`, interrupt-disabling). Posting holds the RCU read lock around all
/// three.
#[pin_data]
pub(crate) struct WatchQueue {
    /// The pipe and the watches.
    #[pin]
    state: SpinLockBh<QueueState>,
    /// The filter: replaced by `IOC_WATCH_QUEUE_SET_FILTER`, read under RCU when posting.
    filter: RcuPointer<Filter>,
    /// The notes: set once by `IOC_WATCH_QUEUE_SET_SIZE`, read when posting and releasing.
    notes: SetOnce<Notes>,
}

impl WatchQueue {
    /// Creates a queue, dead until it is attached to its pipe ([`QueueState::attach`]).
    pub(crate) fn new() -> Result<Arc<Self>> {
        Arc::pin_init(
            pin_init!(Self {
                state <- new_spinlock_bh!(
                    QueueState {
                        pipe: None,
                        watches: QueueWatches::new(),
                    },
                    "watch_queue"
                ),
                filter: RcuPointer::new(None),
                notes: SetOnce::new(),
            }),
            GFP_KERNEL,
        )
    }

    /// Gives a reference to C code.
    pub(crate) fn into_raw(this: Arc<Self>) -> NonNull<bindings::watch_queue> {
        // SAFETY: `Arc::into_raw` never returns null.
        unsafe { NonNull::new_unchecked(Arc::into_raw(this).cast_mut().cast()) }
    }

    /// Takes back a reference given to C code.
    ///
    /// # Safety
    ///
    /// `ptr` must come from [`WatchQueue::into_raw`], and the caller gives up that reference.
    pub(crate) unsafe fn from_raw(ptr: *mut bindings::watch_queue) -> Arc<Self> {
        // SAFETY: By the safety requirements `ptr` came from `Arc::into_raw` and its reference
        // is ours.
        unsafe { Arc::from_raw(ptr.cast_const().cast()) }
    }

    /// Returns the queue of a notification pipe, or `None` for an ordinary pipe.
    pub(crate) fn of_pipe(pipe: &Pipe) -> Option<ArcBorrow<'_, Self>> {
        let ptr = pipe.watch_queue();
        if ptr.is_null() {
            return None;
        }
        // SAFETY: `pipe->watch_queue` is set by `watch_queue_init()` from `WatchQueue::into_raw`,
        // and the pipe holds that reference until `free_pipe_info()`, after it has released the
        // buffers of its ring and after the last use of `pipe`.
        Some(unsafe { Self::borrow_raw(ptr) })
    }

    /// Borrows a queue that C code holds a reference on.
    ///
    /// # Safety
    ///
    /// `ptr` must come from [`WatchQueue::into_raw`], and that reference must be held for `'a`.
    pub(crate) unsafe fn borrow_raw<'a>(ptr: *mut bindings::watch_queue) -> ArcBorrow<'a, Self> {
        // SAFETY: By the safety requirements `ptr` came from `Arc::into_raw` and stays valid.
        unsafe { ArcBorrow::from_raw(ptr.cast_const().cast()) }
    }

    /// Locks the queue's state.
    pub(crate) fn lock(&self) -> SpinLockBhGuard<'_, QueueState> {
        self.state.lock()
    }

    /// Returns the current filter, if any.
    pub(crate) fn filter<'a>(&'a self, guard: &'a rcu::Guard) -> Option<&'a Filter> {
        self.filter.get(guard)
    }

    /// Replaces the filter; `None` removes it. Posters that already read the old one may keep
    /// using it until the end of their RCU read-side critical section.
    pub(crate) fn set_filter(&self, filter: Option<Filter>) -> Result {
        let new = filter.map(|f| RcuBox::new(f, GFP_KERNEL)).transpose()?;
        drop(self.filter.replace(new));
        Ok(())
    }

    /// Posts `n` to the queue, unless the queue is dead (`lock_wqueue()` and
    /// `post_one_notification()`).
    pub(crate) fn post(&self, n: Notification<'_>) -> bool {
        let mut guard = self.lock();
        let (state, mut irqs) = guard.as_mut_irqs_enabled();
        self.post_to(state.into_ref().get_ref(), &mut irqs, n)
    }

    /// Posts `n` to the queue whose locked state is `state`, unless the queue is dead (the lock
    /// keeps the pipe alive). If the ring is full or every note is in use, the reader is told of
    /// the loss after the newest buffer of the ring.
    ///
    /// `irqs` comes from the same guard as `state`: interrupts are enabled under the queue's BH
    /// lock, so the ring lock needs no more than `spin_lock_irq()`.
    pub(crate) fn post_to(
        &self,
        state: &QueueState,
        irqs: &mut IrqsEnabled<'_>,
        n: Notification<'_>,
    ) -> bool {
        let Some(pipe) = state.pipe() else {
            return false;
        };
        let mut ring = pipe.lock_ring(irqs);
        let slot = match ring.reserve() {
            Ok(slot) => slot,
            Err(full) => {
                full.mark_loss();
                return false;
            }
        };
        if !self.splice(slot, n) {
            ring.mark_loss();
            return false;
        }
        ring.wake_readers();
        drop(ring);
        pipe.signal_readers();
        true
    }

    /// Copies `n` into a free note and splices the note into the ring at `slot` as a
    /// whole-message buffer, published to readers with release semantics.
    fn splice(&self, slot: Slot<'_, '_>, n: Notification<'_>) -> bool {
        let Some(notes) = self.notes.as_ref() else {
            // No `IOC_WATCH_QUEUE_SET_SIZE` yet: there is nowhere to put notifications.
            return false;
        };
        let Some((bytes, note)) = notes.alloc(n.as_bytes()) else {
            return false;
        };
        slot.fill::<NoteBuf>(bytes, note);
        true
    }

    /// Preallocates `nr_notes` notes and sizes the ring for them (`IOC_WATCH_QUEUE_SET_SIZE`).
    ///
    /// The user is charged one pipe buffer per page of notes; notes come in whole pages, and the
    /// ring gets the next power of two of slots above the number of notes.
    pub(crate) fn set_size(&self, pipe: &mut LockedPipe<'_>, nr_notes: u32) -> Result {
        if self.notes.as_ref().is_some() {
            return Err(EBUSY);
        }
        if !(1..=notes::MAX_NOTES).contains(&nr_notes) {
            return Err(EINVAL);
        }

        let nr_pages = notes::pages_for(nr_notes as usize) as u32;
        let old_pages = pipe.nr_accounted();
        let user_bufs = pipe.account_user_buffers(old_pages, nr_pages);
        if nr_pages > pipe.max_usage()
            && pipe::too_many_user_buffers(user_bufs)
            && pipe::is_unprivileged_user()
        {
            pipe.account_user_buffers(nr_pages, old_pages);
            return Err(EPERM);
        }

        let nr_notes = nr_pages * notes::NOTES_PER_PAGE as u32;
        if let Err(e) = pipe.resize_ring(nr_notes.next_power_of_two()) {
            pipe.account_user_buffers(nr_pages, old_pages);
            return Err(e);
        }
        // `pipe_resize_ring()` leaves `nr_accounted` alone on a notification pipe: what the
        // user was charged above is one buffer per page of notes, and that is what the pipe
        // uncharges when it is freed.
        if let Err(e) = pipe.set_usage(nr_pages, nr_pages) {
            pipe.account_user_buffers(nr_pages, old_pages);
            return Err(e);
        }

        // On failure the ring keeps its new size and the charge stays with the pipe, which
        // uncharges it when freed; another SET_SIZE may try again.
        let notes = Notes::new(nr_pages as usize)?;
        // Publishes the notes with release semantics, paired with the acquire in `as_ref`.
        if !self.notes.populate(notes) {
            return Err(EBUSY);
        }
        Ok(())
    }
}

/// The pipe buffers that hold notes. Each owns its [`Note`], and no reference, on the queue or
/// on its page: the pipe they are in holds the queue (see [`WatchQueue`]), and the queue its
/// note pages.
struct NoteBuf;

// SAFETY: The note pages belong to the queue's `Notes`, which live as long as the queue; the
// pipe holds the queue until `free_pipe_info()` has released every buffer of its ring, and a
// note buffer never leaves its pipe (splice and tee refuse notification pipes, and `get`
// refuses to duplicate it).
unsafe impl BufOps for NoteBuf {
    const PAGE_REF: bool = false;

    type Private = Note;

    fn release(pipe: &Pipe, _buf: &Buffer, note: Note) {
        // Only a notification pipe with notes has note buffers, and their notes are its queue's.
        let Some(queue) = WatchQueue::of_pipe(pipe) else {
            kernel::warn_on!(true);
            return;
        };
        match queue.notes.as_ref() {
            Some(notes) => notes.free(note),
            None => {
                kernel::warn_on!(true);
            }
        }
    }
}

/// Reports lost notifications to `read()`: copies one 8-byte `WATCH_META_LOSS_NOTIFICATION`
/// record to `to` if `len` leaves room for it (else `ENOBUFS`), and returns its size.
pub(crate) fn report_loss(
    pipe: &mut LockedPipe<'_>,
    to: &mut IovIterDest<'_>,
    len: usize,
) -> Result<usize> {
    let mut buf = RecordBuf::new();
    let n = Notification::new(&mut buf, wq::TYPE_META, wq::META_LOSS, 0, &[])?;
    if len < n.len() {
        return Err(ENOBUFS);
    }
    if to.copy_to_iter(n.as_bytes()) != n.len() {
        return Err(EFAULT);
    }
    pipe.clear_note_loss();
    Ok(n.len())
}
