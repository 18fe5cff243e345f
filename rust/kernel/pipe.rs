// SPDX-License-Identifier: GPL-2.0

//! Pipes and the ring of buffers they carry.
//!
//! C header: [`include/linux/pipe_fs_i.h`](srctree/include/linux/pipe_fs_i.h)
//!
//! A pipe's ring is a power-of-two array of [`Buffer`] slots indexed by free-running `head` and
//! `tail` counters. Ordinary pipes move them under the pipe's mutex; a pipe that carries a
//! notification queue is also written by producers that do not take the mutex, so for those,
//! `head` and `tail` only move with `pipe->rd_wait.lock` held. That lock is what [`Ring`]
//! represents.

#[cfg(CONFIG_WATCH_QUEUE)]
use crate::sync::{IrqsEnabled, SpinLockIrq};
use crate::{
    bindings,
    fs::LocalFile,
    page::{Page, PAGE_SIZE},
    sync::SpinLockIrqOnGuard,
    types::Opaque,
};
use core::marker::PhantomData;
#[cfg(CONFIG_WATCH_QUEUE)]
use core::ptr::NonNull;

/// `read()` must return the entire buffer or fail (`PIPE_BUF_FLAG_WHOLE`).
pub const BUF_FLAG_WHOLE: u32 = bindings::PIPE_BUF_FLAG_WHOLE;

/// Messages were lost after this buffer (`PIPE_BUF_FLAG_LOSS`, notification pipes only).
#[cfg(CONFIG_WATCH_QUEUE)]
pub const BUF_FLAG_LOSS: u32 = bindings::PIPE_BUF_FLAG_LOSS;

const EPOLLIN: u32 = 0x0001;
const EPOLLRDNORM: u32 = 0x0040;

/// A pipe (`struct pipe_inode_info`).
///
/// # Invariants
///
/// The wrapped `pipe_inode_info` is live for as long as a `&Pipe` to it exists.
#[repr(transparent)]
pub struct Pipe(Opaque<bindings::pipe_inode_info>);

// SAFETY: A pipe is shared between the tasks that have it open and the producers that post to
// it; every access through `Pipe` follows the pipe's own locking rules.
unsafe impl Send for Pipe {}

// SAFETY: As above: `&Pipe` only gives access under the pipe's locking rules.
unsafe impl Sync for Pipe {}

impl Pipe {
    /// Creates a reference to a [`Pipe`] from a raw pointer.
    ///
    /// # Safety
    ///
    /// `ptr` must point to a live `pipe_inode_info` that outlives `'a`.
    #[inline]
    pub unsafe fn from_raw<'a>(ptr: *mut bindings::pipe_inode_info) -> &'a Pipe {
        // SAFETY: By the safety requirements the pointee is live for `'a`, and `Pipe` is a
        // transparent wrapper of `pipe_inode_info`.
        unsafe { &*ptr.cast() }
    }

    /// Returns the raw pointer to the `pipe_inode_info`.
    #[inline]
    pub fn as_raw(&self) -> *mut bindings::pipe_inode_info {
        self.0.get()
    }

    /// Returns the pipe behind a file, if the file is a pipe (`get_pipe_info(file, false)`).
    #[inline]
    pub fn from_file(file: &LocalFile) -> Option<&Pipe> {
        // SAFETY: `file` is valid; `get_pipe_info` only reads it.
        let ptr = unsafe { bindings::get_pipe_info(file.as_ptr(), false) };
        if ptr.is_null() {
            None
        } else {
            // SAFETY: A pipe file keeps its inode, and so its `pipe_inode_info`, alive for as long
            // as the file is, which outlives the returned reference.
            Some(unsafe { Pipe::from_raw(ptr) })
        }
    }

    /// Returns the pipe's `watch_queue` pointer: null unless the pipe was created with
    /// `O_NOTIFICATION_PIPE`. It is set when the pipe is created and never changes afterwards.
    #[cfg(CONFIG_WATCH_QUEUE)]
    #[inline]
    pub fn watch_queue(&self) -> *mut bindings::watch_queue {
        // SAFETY: By the type invariants the pipe is live; the field is written once, before the
        // pipe is visible to anyone else.
        unsafe { (*self.as_raw()).watch_queue }
    }

    /// Makes the pipe a notification pipe: sets its `watch_queue` pointer to `queue`.
    ///
    /// # Safety
    ///
    /// The pipe must still be private to the caller (it is being created).
    #[cfg(CONFIG_WATCH_QUEUE)]
    #[inline]
    pub unsafe fn set_watch_queue(
        &self,
        queue: NonNull<bindings::watch_queue>,
    ) -> &NotificationPipe {
        // SAFETY: By the safety requirements, nobody else accesses the pipe yet.
        unsafe { (*self.as_raw()).watch_queue = queue.as_ptr() };
        // SAFETY: `NotificationPipe` is a transparent wrapper of `Pipe`.
        // INVARIANT: `watch_queue` was just set, and is never written again.
        unsafe { &*core::ptr::from_ref(self).cast::<NotificationPipe>() }
    }

    /// Returns the pipe as a notification pipe, or `None` for an ordinary pipe.
    ///
    /// # Examples
    ///
    /// ```
    /// use kernel::{fs::LocalFile, pipe::Pipe};
    ///
    /// /// Whether `file` is a pipe opened with `O_NOTIFICATION_PIPE`.
    /// fn is_notification_pipe(file: &LocalFile) -> bool {
    ///     Pipe::from_file(file).and_then(Pipe::as_notification).is_some()
    /// }
    /// ```
    #[cfg(CONFIG_WATCH_QUEUE)]
    #[inline]
    pub fn as_notification(&self) -> Option<&NotificationPipe> {
        if self.watch_queue().is_null() {
            return None;
        }
        // SAFETY: `NotificationPipe` is a transparent wrapper of `Pipe`.
        // INVARIANT: `watch_queue` is set (checked above), and is never written again.
        Some(unsafe { &*core::ptr::from_ref(self).cast::<NotificationPipe>() })
    }

    /// Sends `SIGIO` to the readers that asked for it (`kill_fasync(..., POLL_IN)`).
    #[inline]
    pub fn signal_readers(&self) {
        // SAFETY: By the type invariants the pipe is live. `kill_fasync()` itself starts with
        // this unlocked test ("usually the list is empty"); a volatile load is `READ_ONCE()`.
        let fasync = unsafe { (&raw const (*self.as_raw()).fasync_readers).read_volatile() };
        if fasync.is_null() {
            return;
        }
        // SAFETY: By the type invariants the pipe is live; `kill_fasync` reads the list under
        // RCU.
        unsafe {
            bindings::kill_fasync(
                &raw mut (*self.as_raw()).fasync_readers,
                bindings::SIGIO as i32,
                bindings::POLL_IN as i32,
            )
        };
    }
}

/// A [`Pipe`] whose mutex (`pipe_lock()`) is held.
///
/// # Invariants
///
/// The pipe's mutex is held for the lifetime `'a`.
pub struct LockedPipe<'a> {
    pipe: &'a Pipe,
}

impl<'a> LockedPipe<'a> {
    /// Asserts that the caller holds the pipe's mutex.
    ///
    /// # Safety
    ///
    /// The caller must hold `pipe->mutex` for the lifetime `'a`.
    #[inline]
    pub unsafe fn assume_locked(pipe: &'a Pipe) -> Self {
        // INVARIANT: Guaranteed by the safety requirements.
        Self { pipe }
    }

    /// Returns the pipe.
    #[inline]
    pub fn pipe(&self) -> &'a Pipe {
        self.pipe
    }

    /// Returns the number of slots the ring holds.
    #[inline]
    pub fn ring_size(&self) -> u32 {
        // SAFETY: The pipe is live; the ring size only changes with the mutex held, which we
        // hold by the type invariants.
        unsafe { (*self.pipe.as_raw()).ring_size }
    }

    /// Returns the number of buffers currently charged to the pipe's user for this pipe.
    #[inline]
    pub fn nr_accounted(&self) -> u32 {
        // SAFETY: As in `ring_size`.
        unsafe { (*self.pipe.as_raw()).nr_accounted }
    }

    /// Returns the maximum number of buffers the pipe may hold at once.
    #[inline]
    pub fn max_usage(&self) -> u32 {
        // SAFETY: As in `ring_size`.
        unsafe { (*self.pipe.as_raw()).max_usage }
    }

    /// Sets `max_usage` and `nr_accounted`.
    ///
    /// `nr_accounted` must be what the pipe's user has been charged for this pipe through
    /// [`LockedPipe::account_user_buffers`]: it is uncharged when the pipe is freed. Fails with
    /// `EINVAL` if `max_usage` is larger than the ring, whose writers would then overwrite
    /// occupied slots.
    #[inline]
    pub fn set_usage(&mut self, max_usage: u32, nr_accounted: u32) -> crate::error::Result {
        if max_usage > self.ring_size() {
            return Err(crate::error::code::EINVAL);
        }
        // SAFETY: The pipe is live and these fields are protected by the mutex, which we hold by
        // the type invariants.
        unsafe {
            (*self.pipe.as_raw()).max_usage = max_usage;
            (*self.pipe.as_raw()).nr_accounted = nr_accounted;
        }
        Ok(())
    }

    /// Changes the charge of the pipe's user from `old` to `new` buffers
    /// (`account_pipe_buffers()`) and returns the user's new total.
    #[inline]
    pub fn account_user_buffers(&mut self, old: u32, new: u32) -> usize {
        // SAFETY: The pipe is live and holds a reference on its user; the counter is atomic.
        unsafe {
            bindings::account_pipe_buffers((*self.pipe.as_raw()).user, old as usize, new as usize)
                as usize
        }
    }

    /// Resizes the ring to `nr_slots` slots (`pipe_resize_ring()`).
    ///
    /// Fails with `EINVAL` unless `nr_slots` is a power of two: slots are found by masking the
    /// indices with `nr_slots - 1`.
    #[inline]
    pub fn resize_ring(&mut self, nr_slots: u32) -> crate::error::Result {
        if !nr_slots.is_power_of_two() {
            return Err(crate::error::code::EINVAL);
        }
        // SAFETY: The pipe is live and we hold its mutex, as `pipe_resize_ring` requires.
        crate::error::to_result(unsafe { bindings::pipe_resize_ring(self.pipe.as_raw(), nr_slots) })
    }

    /// Returns whether a loss of notifications is waiting to be reported by `read()`.
    #[cfg(CONFIG_WATCH_QUEUE)]
    #[inline]
    pub fn note_loss(&self) -> bool {
        // SAFETY: The pipe is live; `note_loss` is written under both the mutex and the ring
        // lock, and we hold the mutex.
        unsafe { (*self.pipe.as_raw()).note_loss }
    }

    /// Forgets the pending loss report.
    #[cfg(CONFIG_WATCH_QUEUE)]
    #[inline]
    pub fn clear_note_loss(&mut self) {
        // SAFETY: As in `note_loss`: the readers of `note_loss` all hold the mutex too.
        unsafe { (*self.pipe.as_raw()).note_loss = false };
    }
}

/// Returns whether a user with `user_bufs` pipe buffers is over the soft or the hard per-user
/// limit (`pipe-user-pages-soft`, `pipe-user-pages-hard`).
#[inline]
pub fn too_many_user_buffers(user_bufs: usize) -> bool {
    // SAFETY: These only read sysctl values.
    unsafe {
        bindings::too_many_pipe_buffers_hard(user_bufs as crate::ffi::c_ulong)
            || bindings::too_many_pipe_buffers_soft(user_bufs as crate::ffi::c_ulong)
    }
}

/// Returns whether the current task is subject to the per-user pipe limits
/// (`pipe_is_unprivileged_user()`).
#[inline]
pub fn is_unprivileged_user() -> bool {
    // SAFETY: Only reads the current task's credentials.
    unsafe { bindings::pipe_is_unprivileged_user() }
}

/// A buffer in a pipe's ring (`struct pipe_buffer`).
///
/// # Invariants
///
/// The wrapped `pipe_buffer` is live and not modified while a `&Buffer` to it exists.
#[repr(transparent)]
pub struct Buffer(Opaque<bindings::pipe_buffer>);

impl Buffer {
    /// # Safety
    ///
    /// `ptr` must point to a live `pipe_buffer` that nothing modifies during `'a`.
    unsafe fn from_raw<'a>(ptr: *mut bindings::pipe_buffer) -> &'a Buffer {
        // SAFETY: Guaranteed by the safety requirements; `Buffer` is transparent.
        unsafe { &*ptr.cast() }
    }

    #[inline]
    fn raw(&self) -> &bindings::pipe_buffer {
        // SAFETY: By the type invariants the buffer is live and not modified.
        unsafe { &*self.0.get() }
    }

    /// Returns the page holding the buffer's data.
    #[inline]
    pub fn page(&self) -> *mut bindings::page {
        self.raw().page
    }

    /// Returns the offset of the data in the page.
    #[inline]
    pub fn offset(&self) -> u32 {
        self.raw().offset
    }

    /// Returns the length of the data.
    #[inline]
    pub fn len(&self) -> u32 {
        self.raw().len
    }

    /// Returns whether the buffer holds no data.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A value that a pipe buffer owns, kept in `pipe_buffer::private` (an `unsigned long`).
pub trait BufPrivate: Send + Sized {
    /// Turns the value into what the buffer keeps.
    fn into_private(self) -> usize;

    /// Takes back the value that [`BufPrivate::into_private`] turned into `private`.
    ///
    /// # Safety
    ///
    /// `private` must come from [`BufPrivate::into_private`] of this type, and each such value
    /// may be taken back once.
    unsafe fn from_private(private: usize) -> Self;
}

impl BufPrivate for () {
    #[inline]
    fn into_private(self) -> usize {
        0
    }

    #[inline]
    unsafe fn from_private(_private: usize) -> Self {}
}

/// Operations on the buffers a producer puts in a pipe's ring (`struct pipe_buf_operations`).
///
/// Each buffer owns a [`BufOps::Private`] value (kept in `pipe_buffer::private`), handed back to
/// [`BufOps::release`]. Buffers are read in place, never stolen and never duplicated. Unless
/// [`BufOps::PAGE_REF`] is `false`, [`Slot::fill`] takes a reference on the buffer's page, and
/// releasing the buffer drops it after [`BufOps::release`] has run.
///
/// # Safety
///
/// If [`BufOps::PAGE_REF`] is `false`, the page of every buffer filled with these operations
/// must stay allocated until that buffer has been released.
pub unsafe trait BufOps {
    /// Whether each buffer holds a reference on its page. A producer whose pages outlive the
    /// buffers anyway (see the safety requirements) saves two atomic operations per buffer.
    const PAGE_REF: bool = true;

    /// What each buffer owns, for instance the index of the producer's slot for the data.
    type Private: BufPrivate;

    /// Called when a reader is done with `buf`, with the pipe's mutex held (or while the pipe is
    /// freed), with the value the buffer owned.
    fn release(pipe: &Pipe, buf: &Buffer, private: Self::Private);
}

/// The `pipe_buf_operations` of a [`BufOps`] implementation.
pub struct BufOpsVtable<T: BufOps>(PhantomData<T>);

impl<T: BufOps> BufOpsVtable<T> {
    const OPS: bindings::pipe_buf_operations = bindings::pipe_buf_operations {
        confirm: None,
        release: Some(Self::release),
        try_steal: None,
        get: Some(Self::get),
    };

    /// Refuses to duplicate a buffer: the copy would own the buffer's `private` value too.
    ///
    /// Only splice and tee duplicate buffers, and they refuse notification pipes, the only
    /// pipes that a `Ring` fills (type invariants of `Ring`): this is never called.
    ///
    /// # Safety
    ///
    /// None beyond the C calling convention: the arguments are not used.
    unsafe extern "C" fn get(
        _pipe: *mut bindings::pipe_inode_info,
        _buf: *mut bindings::pipe_buffer,
    ) -> bool {
        false
    }

    /// # Safety
    ///
    /// Called by the pipe code on a live buffer of a live pipe, pushed with these operations.
    unsafe extern "C" fn release(
        pipe: *mut bindings::pipe_inode_info,
        buf: *mut bindings::pipe_buffer,
    ) {
        // SAFETY: By the safety requirements `buf` is live and was pushed with these operations,
        // so `private` came from `T::Private::into_private` (in `Slot::fill`); the buffer is
        // released once.
        let private = unsafe { T::Private::from_private((*buf).private) };
        // SAFETY: By the safety requirements, `pipe` is live for this call.
        let pipe_ref = unsafe { Pipe::from_raw(pipe) };
        // SAFETY: By the safety requirements, `buf` is live for this call, and the pipe code does
        // not touch it while releasing it.
        let buffer = unsafe { Buffer::from_raw(buf) };
        T::release(pipe_ref, buffer, private);
        if T::PAGE_REF {
            // SAFETY: As above; this drops the page reference taken by `Slot::fill`.
            unsafe { bindings::generic_pipe_buf_release(pipe, buf) };
        }
    }
}

/// A notification pipe (`O_NOTIFICATION_PIPE`): a [`Pipe`] that carries a notification queue.
///
/// Its producers do not take the pipe's mutex: `head` and `tail` only move with its ring lock
/// held ([`NotificationPipe::lock_ring`]).
///
/// # Invariants
///
/// The pipe's `watch_queue` is not null: it was set while the pipe was private to its creator,
/// and is never written again.
#[cfg(CONFIG_WATCH_QUEUE)]
#[repr(transparent)]
pub struct NotificationPipe(Pipe);

#[cfg(CONFIG_WATCH_QUEUE)]
impl core::ops::Deref for NotificationPipe {
    type Target = Pipe;

    #[inline]
    fn deref(&self) -> &Pipe {
        &self.0
    }
}

#[cfg(CONFIG_WATCH_QUEUE)]
impl NotificationPipe {
    /// Locks the ring (`pipe->rd_wait.lock`) with `spin_lock_irq()`, as
    /// `post_one_notification()` does: `irqs` proves that interrupts are enabled.
    #[inline]
    pub fn lock_ring<'a>(&'a self, irqs: &'a mut IrqsEnabled<'_>) -> Ring<'a> {
        // SAFETY: By the type invariants of `Pipe` the pipe, and so its initialised
        // `rd_wait.lock`, is live for the lifetime of `self`.
        let lock: &SpinLockIrq<()> =
            unsafe { crate::sync::lock::Lock::from_raw(&raw mut (*self.as_raw()).rd_wait.lock) };
        // INVARIANT: A notification pipe (type invariants), whose ring lock we now hold.
        Ring {
            pipe: self,
            _guard: irqs.lock_irq(lock),
        }
    }
}

/// The ring of a notification pipe, locked (`pipe->rd_wait.lock` held, interrupts disabled).
///
/// # Invariants
///
/// `pipe` is a notification pipe, whose `head` and `tail` only move with its ring lock held,
/// and `_guard` holds that lock. Its buffers never leave it: splice and tee refuse notification
/// pipes.
pub struct Ring<'a> {
    pipe: &'a Pipe,
    _guard: SpinLockIrqOnGuard<'a>,
}

impl<'a> Ring<'a> {
    #[inline]
    fn head(&self) -> u32 {
        // SAFETY: The pipe is live; `head` moves only under the ring lock, which we hold.
        unsafe { bindings::pipe_index_head(self.pipe.as_raw()) }
    }

    #[inline]
    fn tail(&self) -> u32 {
        // SAFETY: The pipe is live; on a notification pipe `tail` moves only under the ring lock.
        unsafe { bindings::pipe_index_tail(self.pipe.as_raw()) }
    }

    #[inline]
    fn ring_size(&self) -> u32 {
        // SAFETY: The pipe is live; `pipe_resize_ring()` changes the size under the ring lock.
        unsafe { (*self.pipe.as_raw()).ring_size }
    }

    /// Returns whether every slot of the ring is occupied.
    #[inline]
    pub fn is_full(&self) -> bool {
        // SAFETY: Pure function.
        unsafe { bindings::pipe_full(self.head(), self.tail(), self.ring_size()) }
    }

    /// Returns whether the ring holds no buffer.
    #[inline]
    pub fn is_empty(&self) -> bool {
        // SAFETY: Pure function.
        unsafe { bindings::pipe_empty(self.head(), self.tail()) }
    }

    /// Records that messages were lost after the newest buffer in the ring, so that `read()`
    /// reports the loss once it has consumed that buffer. Does nothing if the ring is empty.
    #[cfg(CONFIG_WATCH_QUEUE)]
    #[inline]
    pub fn mark_loss(&mut self) {
        if self.is_empty() {
            return;
        }
        // SAFETY: The ring is not empty: the slot `head - 1` holds a buffer.
        unsafe { self.mark_loss_unchecked() };
    }

    /// Marks the loss on the buffer at `head - 1`.
    ///
    /// # Safety
    ///
    /// The ring must not be empty.
    #[cfg(CONFIG_WATCH_QUEUE)]
    #[inline]
    unsafe fn mark_loss_unchecked(&mut self) {
        // SAFETY: The pipe is live and the slot `head - 1` holds a buffer (safety requirements);
        // its flags are only changed under the ring lock, which we hold.
        unsafe {
            let buf = bindings::pipe_buf(self.pipe.as_raw(), self.head().wrapping_sub(1));
            (*buf).flags |= BUF_FLAG_LOSS;
        }
    }

    /// Returns the free slot at the head of the ring, or, if every slot is occupied, the
    /// [`Full`] ring.
    ///
    /// The slot borrows the ring: nothing else can be pushed until it is filled or dropped.
    #[cfg(CONFIG_WATCH_QUEUE)]
    #[inline]
    pub fn reserve(&mut self) -> Result<Slot<'_, 'a>, Full<'_, 'a>> {
        if self.is_full() {
            // INVARIANT: Checked above; the mutable borrow keeps the ring as it is.
            return Err(Full(self));
        }
        let head = self.head();
        // INVARIANT: The ring is not full, so the slot at `head` is free, and the mutable borrow
        // of the ring keeps `head` where it is.
        Ok(Slot { ring: self, head })
    }

    /// Wakes the tasks waiting to read (`wake_up_interruptible_sync_poll_locked()`), if any.
    ///
    /// A reader adds itself to `rd_wait` under the ring lock (`prepare_to_wait()`,
    /// `poll_wait()`) and tests the ring afterwards: with the wait queue empty under that lock,
    /// a reader yet to come sees what the lock holder published, and nobody is left to wake.
    #[inline]
    pub fn wake_readers(&self) {
        // SAFETY: The wait queue is live and its list only changes under its lock, the ring lock
        // we hold.
        let idle = unsafe {
            let head = &raw mut (*self.pipe.as_raw()).rd_wait.head;
            (*head).next == head
        };
        if idle {
            return;
        }
        // SAFETY: The wait queue is live and its lock, which the `_locked` variant requires, is
        // the ring lock we hold.
        unsafe {
            bindings::__wake_up_locked_sync_key(
                &raw mut (*self.pipe.as_raw()).rd_wait,
                bindings::TASK_INTERRUPTIBLE,
                (EPOLLIN | EPOLLRDNORM) as usize as *mut crate::ffi::c_void,
            )
        };
    }
}

/// A locked [`Ring`] with every slot occupied ([`Ring::reserve`]).
///
/// # Invariants
///
/// The ring is full, and stays locked and unchanged for as long as this borrows it.
#[cfg(CONFIG_WATCH_QUEUE)]
pub struct Full<'r, 'a>(&'r mut Ring<'a>);

#[cfg(CONFIG_WATCH_QUEUE)]
impl Full<'_, '_> {
    /// Records that messages were lost after the newest buffer, as [`Ring::mark_loss`] does.
    #[inline]
    pub fn mark_loss(self) {
        // SAFETY: A full ring is not empty: a pipe's ring always has at least one slot.
        unsafe { self.0.mark_loss_unchecked() };
    }
}

/// The free slot at the head of a locked [`Ring`] ([`Ring::reserve`]).
///
/// # Invariants
///
/// The slot at `head` is free, `head` is the ring's head, and the ring stays locked and
/// unchanged for as long as the slot borrows it.
pub struct Slot<'r, 'a> {
    ring: &'r mut Ring<'a>,
    head: u32,
}

impl Slot<'_, '_> {
    /// Fills the slot with a buffer that shows `bytes`, released by the operations `T` and
    /// owning `private`, and publishes it to readers. `read()` returns the buffer whole or not at
    /// all (`PIPE_BUF_FLAG_WHOLE`). Takes a reference on the page, dropped when the buffer is
    /// released, if `T` asks for it ([`BufOps::PAGE_REF`]).
    #[inline]
    pub fn fill<T: BufOps>(self, bytes: PageBytes<'_>, private: T::Private) {
        let pipe = self.ring.pipe.as_raw();
        if T::PAGE_REF {
            // SAFETY: The page is valid (`bytes` borrows it) and the reference taken here belongs
            // to the buffer from now on.
            unsafe { bindings::get_page(bytes.page.as_ptr()) };
        }
        // SAFETY: The pipe is live, the slot at `head` is free (type invariants), and only the
        // holder of the ring lock writes a free slot. By the type invariants of `PageBytes` the
        // buffer's bytes lie in its page and were written. Publishing `head` with release
        // semantics orders these writes, and those of the bytes, before a reader's acquire-load
        // of `head`.
        unsafe {
            let buf = bindings::pipe_buf(pipe, self.head);
            (*buf).page = bytes.page.as_ptr();
            (*buf).private = private.into_private() as crate::ffi::c_ulong;
            (*buf).ops = &BufOpsVtable::<T>::OPS;
            (*buf).offset = bytes.offset;
            (*buf).len = bytes.len;
            (*buf).flags = BUF_FLAG_WHOLE;
            bindings::pipe_index_publish_head(pipe, self.head.wrapping_add(1));
        }
    }
}

/// Bytes written into a page, for a pipe buffer to show: what [`Slot::fill`] takes, so that a
/// buffer never reaches past its page nor shows bytes that nobody wrote (stale contents of the
/// page).
///
/// # Invariants
///
/// `offset + len <= PAGE_SIZE`, and the `len` bytes at `offset` in `page` were written by
/// [`PageBytes::write`].
pub struct PageBytes<'a> {
    page: &'a Page,
    offset: u32,
    len: u32,
}

impl<'a> PageBytes<'a> {
    /// Copies `bytes` to `offset` in `page`; returns `None`, writing nothing, if they do not fit
    /// in the page or if `offset` is not a multiple of eight.
    ///
    /// Meant for short records (a notification is at most 127 bytes): the copy is inline, in
    /// eight-byte words, rather than a call to `memcpy()`.
    ///
    /// # Safety
    ///
    /// Nothing else may access those bytes of the page during the call.
    ///
    /// # Examples
    ///
    /// ```
    /// use kernel::{page::Page, pipe::PageBytes, prelude::*};
    ///
    /// let page = Page::alloc_page(GFP_KERNEL)?;
    /// // SAFETY: Nobody else has the page.
    /// assert!(unsafe { PageBytes::write(&page, 64, b"record") }.is_some());
    /// // SAFETY: As above.
    /// assert!(unsafe { PageBytes::write(&page, 4088, b"record!!!") }.is_none());
    /// // SAFETY: As above.
    /// assert!(unsafe { PageBytes::write(&page, 12, b"record") }.is_none());
    /// # Ok::<(), Error>(())
    /// ```
    #[inline]
    pub unsafe fn write(page: &'a Page, offset: usize, bytes: &[u8]) -> Option<Self> {
        let len = bytes.len();
        if offset > PAGE_SIZE || len > PAGE_SIZE - offset || offset % 8 != 0 {
            return None;
        }
        // SAFETY: The page is live (we borrow it). The mapping is undone below, with no other
        // local mapping made in between, and only used on this CPU.
        let base = unsafe { bindings::kmap_local_page(page.as_ptr()) }.cast::<u8>();
        // SAFETY: `offset + len` lies within the page (checked above), so `dst` is valid for
        // `len` bytes, and eight-byte aligned as the page and `offset` are; `bytes` is a
        // different object. By the safety requirements nothing
        // else accesses those bytes meanwhile. The stores are volatile only so that the
        // compiler does not turn the loops back into calls to `memcpy()`; the note is published
        // to readers by whoever fills a buffer with it.
        unsafe {
            let dst = base.add(offset);
            let src = bytes.as_ptr();
            let mut i = 0;
            while len - i >= 8 {
                let word = src.add(i).cast::<u64>().read_unaligned();
                dst.add(i).cast::<u64>().write_volatile(word);
                i += 8;
            }
            while i < len {
                dst.add(i).write_volatile(src.add(i).read());
                i += 1;
            }
        }
        // SAFETY: `base` is the local mapping made above, the last one made since.
        unsafe { bindings::kunmap_local(base.cast()) };
        // INVARIANT: The `len` bytes at `offset` lie within the page and were just written.
        Some(Self {
            page,
            offset: offset as u32,
            len: len as u32,
        })
    }
}
