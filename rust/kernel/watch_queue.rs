// SPDX-License-Identifier: GPL-2.0

//! General notification queue: the records, and the API for notification sources.
//!
//! C header: [`include/linux/watch_queue.h`](srctree/include/linux/watch_queue.h)
//!
//! A notification source (the keyring, for one) embeds a `struct watch_list` in each object that
//! can be watched. A `struct watch` links one such list to one notification queue (a pipe opened
//! with `O_NOTIFICATION_PIPE`); events are posted through the watches on an object's list.
//!
//! This module holds what sources and the core share: the records (uapi
//! `struct watch_notification`) and the API for notification sources. How watches sit on their
//! lists is the core's own business (`kernel/watch_queue/lists.rs` for the Rust core,
//! `kernel/watch_queue.c` for the C one).
//!
//! A notification source written in Rust needs no `unsafe`: it owns its objects' watch lists as
//! [`NewWatchList`]s, creates watches with [`NewWatch::new`] on a [`QueueRef`] found from a file
//! descriptor, adds and removes them with [`WatchList::add`] and [`WatchList::remove`], and posts
//! records built by [`Notification::new`] with [`WatchList::post`]. These go through the C API
//! of `include/linux/watch_queue.h`, so they work with either implementation of the core.

use crate::{
    alloc::{flags::GFP_KERNEL, KBox},
    bindings,
    error::{code::*, from_err_ptr, to_result, Error, Result},
    types::Opaque,
};
use core::{marker::PhantomData, ptr::NonNull};

/// The length of a record, in bytes, in `watch_notification::info`.
pub const INFO_LENGTH: u32 = bindings::WATCH_INFO_LENGTH;

/// The watch id (`watch::info_id`) in `watch_notification::info`.
pub const INFO_ID: u32 = bindings::WATCH_INFO_ID;

/// The shift of the watch id in `watch_notification::info`.
pub const INFO_ID_SHIFT: u32 = bindings::WATCH_INFO_ID__SHIFT;

/// Records of type `WATCH_TYPE_META`, posted by the queue itself.
pub const TYPE_META: u32 = bindings::watch_notification_type_WATCH_TYPE_META;

/// Records of type `WATCH_TYPE_KEY_NOTIFY`, posted by the keyring.
pub const TYPE_KEY_NOTIFY: u32 = bindings::watch_notification_type_WATCH_TYPE_KEY_NOTIFY;

/// Records of type `WATCH_TYPE_MOUNT_NOTIFY`, posted by mount topology changes.
pub const TYPE_MOUNT_NOTIFY: u32 = bindings::watch_notification_type_WATCH_TYPE_MOUNT_NOTIFY;

/// Records of type `WATCH_TYPE_SB_NOTIFY`, posted by superblock changes.
pub const TYPE_SB_NOTIFY: u32 = bindings::watch_notification_type_WATCH_TYPE_SB_NOTIFY;

/// The number of record types the kernel knows.
pub const TYPE_NR: u32 = bindings::watch_notification_type_WATCH_TYPE__NR;

/// `WATCH_TYPE_META` subtype: a watch was removed.
pub const META_REMOVAL: u8 =
    bindings::watch_meta_notification_subtype_WATCH_META_REMOVAL_NOTIFICATION as u8;

/// `WATCH_TYPE_META` subtype: records were lost.
pub const META_LOSS: u8 =
    bindings::watch_meta_notification_subtype_WATCH_META_LOSS_NOTIFICATION as u8;

/// The largest record, in bytes.
pub const MAX_RECORD: usize = INFO_LENGTH as usize;

/// The size of the header of a record (`struct watch_notification`).
pub const HEADER_SIZE: usize = core::mem::size_of::<bindings::watch_notification>();

/// Storage for one record, aligned for its header.
#[repr(C, align(8))]
pub struct RecordBuf([u8; MAX_RECORD + 1]);

impl RecordBuf {
    /// Returns a zeroed buffer.
    pub const fn new() -> Self {
        Self([0; MAX_RECORD + 1])
    }
}

impl Default for RecordBuf {
    fn default() -> Self {
        Self::new()
    }
}

/// A notification record: `struct watch_notification` followed by its payload.
///
/// # Invariants
///
/// `ptr` points to a record of `len()` bytes (at least [`HEADER_SIZE`], at most
/// [`MAX_RECORD`]), exclusively borrowed for `'a`.
pub struct Notification<'a> {
    ptr: NonNull<bindings::watch_notification>,
    _p: PhantomData<&'a mut [u8]>,
}

impl<'a> Notification<'a> {
    /// Wraps a record posted by C code.
    ///
    /// Returns `None` if the length in its `info` field is smaller than the header.
    ///
    /// # Safety
    ///
    /// `ptr` must point to a record whose `info` gives its length, valid for reads and writes and
    /// not accessed by anything else during `'a`.
    #[inline]
    pub unsafe fn from_raw(ptr: *mut bindings::watch_notification) -> Option<Self> {
        // SAFETY: By the safety requirements `ptr` is valid for reads.
        let info = unsafe { (*ptr).info };
        if ((info & INFO_LENGTH) as usize) < HEADER_SIZE {
            return None;
        }
        // INVARIANT: The length was checked above, and the safety requirements give the rest.
        Some(Self {
            // SAFETY: `ptr` is valid, so not null.
            ptr: unsafe { NonNull::new_unchecked(ptr) },
            _p: PhantomData,
        })
    }

    /// Builds a record of type `ty` and subtype `subtype` with `payload` after the header, in
    /// `buf`. `flags` are OR'd into `info` (outside the length and the watch id).
    ///
    /// Fails with `EINVAL` if `ty` does not fit the header's 24 bits, if `flags` overlap the
    /// length or the watch id, or if the record would be longer than [`MAX_RECORD`].
    pub fn new(
        buf: &'a mut RecordBuf,
        ty: u32,
        subtype: u8,
        flags: u32,
        payload: &[u8],
    ) -> Result<Self> {
        let len = HEADER_SIZE + payload.len();
        if ty >= 1 << 24 || flags & (INFO_LENGTH | INFO_ID) != 0 || len > MAX_RECORD {
            return Err(EINVAL);
        }
        buf.0[HEADER_SIZE..len].copy_from_slice(payload);
        let ptr = buf.0.as_mut_ptr().cast::<bindings::watch_notification>();
        // SAFETY: `buf` is large enough and aligned for the header, and exclusively borrowed.
        unsafe {
            bindings::watch_notification_set_type(ptr, ty, subtype.into());
            (*ptr).info = len as u32 | flags;
        }
        // INVARIANT: `len` is within bounds and `buf` is borrowed for `'a`.
        Ok(Self {
            // SAFETY: `ptr` comes from a reference.
            ptr: unsafe { NonNull::new_unchecked(ptr) },
            _p: PhantomData,
        })
    }

    #[inline]
    fn header(&self) -> &bindings::watch_notification {
        // SAFETY: By the type invariants the record is valid and borrowed by `self`.
        unsafe { self.ptr.as_ref() }
    }

    /// Returns the record's type.
    #[inline]
    pub fn ty(&self) -> u32 {
        // SAFETY: By the type invariants the record is valid and borrowed by `self`.
        unsafe { bindings::watch_notification_type(self.ptr.as_ptr()) }
    }

    /// Returns the record's subtype.
    #[inline]
    pub fn subtype(&self) -> u8 {
        // SAFETY: By the type invariants the record is valid and borrowed by `self`.
        unsafe { bindings::watch_notification_subtype(self.ptr.as_ptr()) as u8 }
    }

    /// Returns the record's `info` field.
    #[inline]
    pub fn info(&self) -> u32 {
        self.header().info
    }

    /// Returns the length of the record in bytes.
    #[inline]
    pub fn len(&self) -> usize {
        (self.info() & INFO_LENGTH) as usize
    }

    /// Returns whether the record is empty (never: a record holds at least its header).
    #[inline]
    pub fn is_empty(&self) -> bool {
        false
    }

    /// Stores the id of the watch the record is posted through in `info` (bits 8-15).
    #[inline]
    pub fn set_watch_id(&mut self, watch_id: u8) {
        // SAFETY: By the type invariants the record is exclusively borrowed by `self`.
        let header = unsafe { self.ptr.as_mut() };
        header.info = (header.info & !INFO_ID) | (u32::from(watch_id) << INFO_ID_SHIFT);
    }

    /// ORs `flags` into `info`, outside the length and the watch id (which it leaves alone).
    #[inline]
    pub fn add_flags(&mut self, flags: u32) {
        // SAFETY: By the type invariants the record is exclusively borrowed by `self`.
        let header = unsafe { self.ptr.as_mut() };
        header.info |= flags & !(INFO_LENGTH | INFO_ID);
    }

    /// Returns the bytes of the record.
    #[inline]
    pub fn as_bytes(&self) -> &[u8] {
        // SAFETY: By the type invariants the record has `len()` valid bytes.
        unsafe { core::slice::from_raw_parts(self.ptr.as_ptr().cast::<u8>(), self.len()) }
    }

    /// Borrows the record again, for as long as `self` is borrowed: a [`Notification`] is one
    /// pointer, cheaper to pass on by value than by reference.
    #[inline]
    pub fn reborrow(&mut self) -> Notification<'_> {
        // INVARIANT: The record is exclusively borrowed by `self`, which the result borrows.
        Notification {
            ptr: self.ptr,
            _p: PhantomData,
        }
    }

    /// Returns a raw pointer to the record, for the C hooks that inspect it.
    #[inline]
    pub fn as_raw(&self) -> *mut bindings::watch_notification {
        self.ptr.as_ptr()
    }
}

/// The watches on one watchable object (`struct watch_list`), embedded in that object.
///
/// A notification source adds and removes watches, and posts through them, with the methods
/// below, which go through the C API; what is on the list, and how, is the core's business.
///
/// # Invariants
///
/// The wrapped list was initialised by `init_watch_list()` and is live (freed only after a grace
/// period) for as long as a `&WatchList` exists.
#[repr(transparent)]
pub struct WatchList(Opaque<bindings::watch_list>);

// SAFETY: The list is protected by its spinlock and, for readers, by RCU.
unsafe impl Send for WatchList {}

// SAFETY: As above.
unsafe impl Sync for WatchList {}

impl WatchList {
    /// Creates a reference to a [`WatchList`] from a raw pointer.
    ///
    /// # Safety
    ///
    /// `ptr` must point to a list initialised by `init_watch_list()` that stays live during
    /// `'a`.
    #[inline]
    pub unsafe fn from_raw<'a>(ptr: *mut bindings::watch_list) -> &'a WatchList {
        // SAFETY: Guaranteed by the safety requirements; `WatchList` is transparent.
        unsafe { &*ptr.cast() }
    }

    /// Returns the raw pointer to the list.
    #[inline]
    pub fn as_raw(&self) -> *mut bindings::watch_list {
        self.0.get()
    }
}

/// Decodes the `watch_id` argument of the calls that add and remove watches (`KEYCTL_WATCH_KEY`,
/// `watch_mount()`, `watch_sb()`): 0 to 255 adds a watch tagged with it (`Some`), -1 removes the
/// watch (`None`); anything else fails with `EINVAL`.
///
/// # Examples
///
/// ```
/// use kernel::watch_queue::watch_id_arg;
///
/// assert_eq!(watch_id_arg(7), Ok(Some(7)));
/// assert_eq!(watch_id_arg(-1), Ok(None));
/// assert!(watch_id_arg(256).is_err());
/// ```
pub fn watch_id_arg(watch_id: i32) -> Result<Option<u8>> {
    match watch_id {
        -1 => Ok(None),
        0..=255 => Ok(Some(watch_id as u8)),
        _ => Err(EINVAL),
    }
}

/// What caused an event, for the LSM's `security_post_notification()`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cause {
    /// The current task, by a system call.
    CurrentTask,
    /// No task: a worker, a timer, an expiry. The LSM sees no poster's credentials.
    NoTask,
}

/// A reference on a notification queue (`get_watch_queue()`, `put_watch_queue()`).
///
/// # Invariants
///
/// `ptr` is a queue on which this value owns a reference.
pub struct QueueRef {
    ptr: NonNull<bindings::watch_queue>,
}

// SAFETY: A queue reference may be dropped from any thread; the count is atomic.
unsafe impl Send for QueueRef {}

// SAFETY: `&QueueRef` only gives the pointer, for comparisons and for the C API.
unsafe impl Sync for QueueRef {}

impl QueueRef {
    /// Returns the queue of the notification pipe open as `fd` in the current task.
    ///
    /// Fails with `EINVAL` if `fd` is not a notification pipe.
    pub fn from_fd(fd: i32) -> Result<Self> {
        // SAFETY: `get_watch_queue` accepts any fd.
        let ptr = from_err_ptr(unsafe { bindings::get_watch_queue(fd) })?;
        // INVARIANT: `get_watch_queue` returned a new reference.
        Ok(Self {
            // SAFETY: `from_err_ptr` returned a valid pointer.
            ptr: unsafe { NonNull::new_unchecked(ptr) },
        })
    }

    /// Returns the raw pointer to the queue.
    #[inline]
    pub fn as_raw(&self) -> *mut bindings::watch_queue {
        self.ptr.as_ptr()
    }
}

impl Drop for QueueRef {
    fn drop(&mut self) {
        // SAFETY: By the type invariants we own a reference.
        unsafe { bindings::put_watch_queue(self.as_raw()) };
    }
}

/// A watch that is not on a list yet.
///
/// # Invariants
///
/// The watch was set up by `init_watch()` on a queue that the borrowed [`QueueRef`] holds a
/// reference on for `'q`, with its `id` and `info_id` set, and is owned by this value; it was
/// allocated with `kmalloc`, as the core frees added watches with `kfree()`.
pub struct NewWatch<'q>(KBox<Opaque<bindings::watch>>, PhantomData<&'q QueueRef>);

impl<'q> NewWatch<'q> {
    /// Creates a watch on `queue` that matches the object `id` and tags its records with
    /// `watch_id` (bits 8-15 of `info`). The queue stays borrowed until the watch is added.
    pub fn new(queue: &'q QueueRef, id: u64, watch_id: u8) -> Result<Self> {
        let watch = KBox::new(Opaque::<bindings::watch>::zeroed(), GFP_KERNEL)?;
        let ptr = watch.get();
        // SAFETY: `ptr` is a zeroed watch that we own, and `queue` is live.
        unsafe {
            bindings::init_watch(ptr, queue.as_raw());
            (*ptr).id = id;
            (*ptr).__bindgen_anon_1.info_id = u32::from(watch_id) << INFO_ID_SHIFT;
        }
        // INVARIANT: Set up by `init_watch()` on `queue`, borrowed for `'q`, with `id` and
        // `info_id`, from `kmalloc`.
        Ok(Self(watch, PhantomData))
    }
}

/// A watch list allocated for a C object's `struct watch_list *` slot (as `key::watchers`).
///
/// # Invariants
///
/// The list was initialised by `init_watch_list()` without a release callback, is empty, and
/// was allocated with `kmalloc`, as `remove_watch_list()` frees it with `kfree_rcu()`.
pub struct NewWatchList(KBox<Opaque<bindings::watch_list>>);

impl NewWatchList {
    /// Allocates and initialises an empty list.
    pub fn new() -> Result<Self> {
        // SAFETY: No callback.
        unsafe { Self::with_release(None) }
    }

    /// Allocates and initialises an empty list whose watches are handed to `release` when they
    /// leave it (`watch_list::release_watch`).
    ///
    /// # Safety
    ///
    /// `release` must be callable with any watch the core removes from the list, in process
    /// context with no lock held, for as long as the list lives; the core frees the watch after
    /// the call, which must not keep it.
    pub unsafe fn with_release(
        release: Option<unsafe extern "C" fn(*mut bindings::watch)>,
    ) -> Result<Self> {
        let list = KBox::new(Opaque::<bindings::watch_list>::zeroed(), GFP_KERNEL)?;
        // SAFETY: `list` is ours; `init_watch_list` initialises the head, the lock and the
        // callback, which the caller vouches for.
        unsafe { bindings::init_watch_list(list.get(), release) };
        // INVARIANT: Initialised, empty, from `kmalloc`.
        Ok(Self(list))
    }

    /// Offers the list to an object's slot through `install`, which stores the pointer it is
    /// given if the slot is empty and returns 0, returns 1 if the slot already has a list, or
    /// a negative errno. The list is dropped unless the slot took it.
    pub fn install(self, install: impl FnOnce(*mut bindings::watch_list) -> i32) -> Result {
        match install(self.0.get()) {
            0 => {
                // The slot owns the list now; `remove_watch_list()` frees it.
                self.into_raw();
                Ok(())
            }
            1 => Ok(()),
            ret => Err(Error::from_errno(ret)),
        }
    }

    /// Gives the list to the C slot that will own it.
    pub fn into_raw(self) -> *mut bindings::watch_list {
        KBox::into_raw(self.0).cast()
    }
}

impl WatchList {
    /// Adds `watch` to the list (`add_watch_to_object()`), on behalf of the current task.
    ///
    /// Fails with `ENOENT` if the queue is dead, `EBUSY` if the list already has a watch with
    /// the same queue and id, and `EAGAIN` if the user already has `RLIMIT_NOFILE` watches.
    pub fn add(&self, watch: NewWatch<'_>) -> Result {
        let ptr = KBox::into_raw(watch.0).cast::<bindings::watch>();
        // SAFETY: `ptr` comes from `init_watch()` with its ids set, and the `QueueRef` it
        // borrows holds a reference on its queue for this call (type invariants of `NewWatch`);
        // the list is live.
        let ret = unsafe { bindings::add_watch_to_object(ptr, self.as_raw()) };
        if ret != 0 {
            // SAFETY: The watch was not added, so it is still ours, and came from `KBox`.
            drop(unsafe { KBox::from_raw(ptr.cast::<Opaque<bindings::watch>>()) });
            return Err(Error::from_errno(ret));
        }
        Ok(())
    }

    /// Removes the watch of `queue` for the object `id` (`remove_watch_from_object()`); the
    /// queue gets a removal record. Fails with `EBADSLT` if there is no such watch.
    pub fn remove(&self, queue: &QueueRef, id: u64) -> Result {
        // SAFETY: The list is live; `queue` is only compared with the watches' queues.
        to_result(unsafe {
            bindings::remove_watch_from_object(self.as_raw(), queue.as_raw(), id, false)
        })
    }

    /// Posts `n`, caused by the current task, through the watches of the object `id`
    /// (`post_watch_notification()`).
    pub fn post(&self, n: &mut Notification<'_>, id: u64) {
        self.post_caused(n, id, Cause::CurrentTask);
    }

    /// Posts `n` through the watches of the object `id`, saying to the LSM
    /// (`security_post_notification()`) which task, if any, caused it.
    pub fn post_caused(&self, n: &mut Notification<'_>, id: u64, cause: Cause) {
        let cred = match cause {
            // SAFETY: The current task's credentials are valid while it runs.
            Cause::CurrentTask => unsafe { bindings::current_cred() },
            Cause::NoTask => core::ptr::null(),
        };
        // SAFETY: The list is live, `n` is a valid record that we borrow mutably, and `cred` is
        // null or valid for this call.
        unsafe { bindings::__post_watch_notification(self.as_raw(), n.as_raw(), cred, id) };
    }
}
