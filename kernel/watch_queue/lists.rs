// SPDX-License-Identifier: GPL-2.0

//! Watches and the lists they are on: the core's own protocol.
//!
//! A notification source embeds a `struct watch_list` in each object that can be watched. A
//! `struct watch` links one such list to one notification queue: it sits on the object's list
//! (`list_node`, RCU-protected, under the list's spinlock) and on the queue's list of watches
//! (`queue_node`, under the queue's lock). Events are posted by walking the object's list under
//! RCU.
//!
//! Sources reach all this only through the C API of `include/linux/watch_queue.h` (or its Rust
//! wrappers in [`kernel::watch_queue`]), which is how a watch always gets a removal record, and
//! its object's `release_watch` call, when it is unlinked: the types here are private to the
//! core.
//!
//! # Reference counts
//!
//! A watch is reference counted (`watch::usage`). [`init_watch`](Watch::init) gives its creator
//! one reference, which becomes the watch list's when the watch is added; the queue's list holds
//! a second one. A watch owns a reference on its queue and on the credentials of the task that
//! added it, and is charged to that user's `nr_watches`; all three are dropped when the last
//! reference goes, one RCU grace period later.

use core::{marker::PhantomData, pin::Pin, ptr::NonNull};
use kernel::{
    bindings,
    cred::Credential,
    prelude::*,
    sync::{
        aref::{ARef, AlwaysRefCounted},
        lock::Lock,
        rcu, SpinLock, SpinLockGuard,
    },
    types::Opaque,
    watch_queue::{INFO_ID, INFO_ID_SHIFT},
};

/// A watch (`struct watch`): one watched object's list linked to one notification queue.
///
/// # Invariants
///
/// The wrapped watch was set up by [`Watch::init`] (so its `queue` is set and never changes,
/// and its `id` and `info_id` are no longer written), and its reference count is nonzero for as
/// long as a `&Watch` exists: the holder has a reference on it, or holds the lock of a list that
/// has one. (A watch found on a list under RCU alone is an [`RcuWatch`].)
#[repr(transparent)]
pub(crate) struct Watch(Opaque<bindings::watch>);

// SAFETY: Watches are shared between the tasks that add, remove and post through them; the
// reference count is atomic and the links are changed under their lists' locks.
unsafe impl Send for Watch {}

// SAFETY: As above.
unsafe impl Sync for Watch {}

impl Watch {
    /// Initialises a watch on `queue` with one reference, owned by the caller
    /// (`init_watch()`).
    ///
    /// # Safety
    ///
    /// `ptr` must point to a `struct watch` not yet visible to anyone else, and `queue` to a live
    /// queue; the caller must set `id` and `info_id` before the watch is added to a list.
    pub(crate) unsafe fn init(ptr: *mut bindings::watch, queue: *mut bindings::watch_queue) {
        // SAFETY: By the safety requirements `ptr` is valid and private to the caller.
        unsafe {
            bindings::refcount_set(&raw mut (*ptr).usage.refcount, 1);
            bindings::INIT_HLIST_NODE(&raw mut (*ptr).list_node);
            bindings::INIT_HLIST_NODE(&raw mut (*ptr).queue_node);
            (*ptr).queue = queue;
        }
    }

    /// Creates a reference to a [`Watch`] from a raw pointer.
    ///
    /// # Safety
    ///
    /// `ptr` must point to a watch set up by [`Watch::init`] that stays live during `'a`.
    #[inline]
    pub(crate) unsafe fn from_raw<'a>(ptr: *mut bindings::watch) -> &'a Watch {
        // SAFETY: Guaranteed by the safety requirements; `Watch` is transparent.
        unsafe { &*ptr.cast() }
    }

    /// Returns the raw pointer to the watch.
    #[inline]
    pub(crate) fn as_raw(&self) -> *mut bindings::watch {
        self.0.get()
    }

    /// Returns the identifier of the watched object that the watch matches (`watch::id`).
    #[inline]
    pub(crate) fn id(&self) -> u64 {
        // SAFETY: By the type invariants the watch is live and `id` is no longer written.
        unsafe { (*self.as_raw()).id }
    }

    /// Returns the watch id (bits 8-15 of `info` in the watch's records).
    #[inline]
    pub(crate) fn watch_id(&self) -> u8 {
        // SAFETY: By the type invariants the watch is live and `info_id` is no longer written
        // (the union's `rcu` member is only used once the last reference is gone).
        let info_id = unsafe { (*self.as_raw()).__bindgen_anon_1.info_id };
        (info_id >> INFO_ID_SHIFT) as u8
    }

    /// Returns the queue the watch posts to.
    #[inline]
    pub(crate) fn queue(&self) -> *mut bindings::watch_queue {
        // SAFETY: By the type invariants the watch is live and `queue` is no longer written.
        unsafe { (*self.as_raw()).queue }
    }

    /// Makes the watch the current task's: stores a reference on its credentials and charges
    /// the watch to its user, unless that user already has `RLIMIT_NOFILE` watches (`EAGAIN`,
    /// and the watch is given back).
    ///
    /// The charge and the reference are dropped when the watch is freed.
    ///
    /// # Safety
    ///
    /// The watch must not be on any list yet, and must not have been charged before.
    pub(crate) unsafe fn charge_current(
        this: ARef<Watch>,
    ) -> core::result::Result<ChargedWatch, (Error, ARef<Watch>)> {
        let cred = Credential::current();
        let limit = kernel::current!()
            .rlimit(kernel::task::RLIMIT_NOFILE)
            .unwrap_or(0);
        // SAFETY: `cred` is valid and so is its `user`; `nr_watches` is atomic.
        let nr_watches = unsafe { &raw mut (*(*cred.as_ptr()).user).nr_watches };
        // SAFETY: `nr_watches` is a valid `atomic_t`.
        if unsafe { bindings::atomic_inc_return(nr_watches) } as usize > limit {
            // SAFETY: As above.
            unsafe { bindings::atomic_dec(nr_watches) };
            return Err((EAGAIN, this));
        }
        // SAFETY: By the safety requirements, nobody else reads `cred` yet; the reference taken
        // by `Credential::current` becomes the watch's.
        unsafe { (*this.as_raw()).cred = ARef::into_raw(cred).as_ptr().cast() };
        // INVARIANT: `cred` was just set, and only `free_rcu` reads it after this.
        Ok(ChargedWatch(this))
    }

    /// Frees a watch whose last reference is gone, after a grace period.
    ///
    /// # Safety
    ///
    /// `head` must be the `rcu` member of an added watch whose last reference is gone, passed to
    /// `call_rcu` when its reference count dropped to zero; called once, by RCU.
    unsafe extern "C" fn free_rcu(head: *mut bindings::callback_head) {
        // The `rcu` member is in the union at the start of `struct watch` (asserted below).
        let watch = head.cast::<bindings::watch>();
        // SAFETY: The watch was added (only added watches are put), so it owns a reference on its
        // queue and its `cred`, and is charged to the user of that `cred`. Nobody else can reach
        // it any more: the grace period that ran the callback ended all readers.
        unsafe {
            bindings::put_watch_queue((*watch).queue);
            let cred = (*watch).cred;
            bindings::atomic_dec(&raw mut (*(*cred).user).nr_watches);
            bindings::put_cred(cred);
            bindings::kfree(watch.cast());
        }
    }
}

const _: () = assert!(core::mem::offset_of!(bindings::watch, __bindgen_anon_1) == 0);

// SAFETY: The reference count is `watch::usage`; the last reference frees the watch after an RCU
// grace period, so RCU readers that found it on a list may keep using it.
unsafe impl AlwaysRefCounted for Watch {
    fn inc_ref(&self) {
        // SAFETY: The existence of `&self` means the count is nonzero.
        unsafe { bindings::refcount_inc(&raw mut (*self.as_raw()).usage.refcount) };
    }

    unsafe fn dec_ref(obj: NonNull<Self>) {
        let ptr = obj.as_ptr().cast::<bindings::watch>();
        // SAFETY: The caller owns a reference, so the watch is live.
        if unsafe { bindings::refcount_dec_and_test(&raw mut (*ptr).usage.refcount) } {
            // SAFETY: That was the last reference: the union's `rcu` member is free to use.
            unsafe {
                bindings::call_rcu(&raw mut (*ptr).__bindgen_anon_1.rcu, Some(Watch::free_rcu))
            };
        }
    }
}

/// Returns the address of the byte of `info_id` (a `u32` with the id in bits 8-15) that holds
/// the watch id.
#[inline]
fn info_id_byte(info_id: *const u32) -> *const u8 {
    const BYTE: usize = if cfg!(target_endian = "little") {
        (INFO_ID_SHIFT / 8) as usize
    } else {
        3 - (INFO_ID_SHIFT / 8) as usize
    };
    const _: () = assert!(INFO_ID == 0xff << INFO_ID_SHIFT && INFO_ID_SHIFT % 8 == 0);
    info_id.cast::<u8>().wrapping_add(BYTE)
}

/// A reference on a watch that was charged to the task adding it ([`Watch::charge_current`]):
/// the only kind of watch a list takes ([`WatchListGuard::add`]).
///
/// # Invariants
///
/// The watch's `cred` is set, and is not written again until the watch is freed.
pub(crate) struct ChargedWatch(ARef<Watch>);

impl core::ops::Deref for ChargedWatch {
    type Target = Watch;

    #[inline]
    fn deref(&self) -> &Watch {
        &self.0
    }
}

/// A watch found on a list under RCU ([`WatchList::iter_rcu`]).
///
/// Unlike a [`Watch`], it may already have lost its last reference and be waiting for the grace
/// period that frees it, so it gives access to the watch's fields but cannot become an [`ARef`].
///
/// # Invariants
///
/// The wrapped watch was set up by [`Watch::init`] and is live for as long as a `&RcuWatch`
/// exists: the holder is in the RCU read-side critical section that found it on a list. Its
/// `cred` is set: a list only takes a [`ChargedWatch`].
#[repr(transparent)]
pub(crate) struct RcuWatch(Opaque<bindings::watch>);

impl RcuWatch {
    /// Returns the identifier of the watched object that the watch matches (`watch::id`).
    #[inline]
    pub(crate) fn id(&self) -> u64 {
        // SAFETY: By the type invariants the watch is live and `id` is no longer written.
        unsafe { (*self.0.get()).id }
    }

    /// Returns the watch id (bits 8-15 of `info` in the watch's records).
    ///
    /// `info_id` shares a union with the `rcu_head` that `call_rcu()` fills in when the last
    /// reference goes: a reader that found the watch before it was removed from its list may see
    /// that store (as C readers of the same union may). So only the byte of the id is read, once:
    /// whatever it holds, it cannot reach the other bits of `info` (the record's length).
    #[inline]
    pub(crate) fn watch_id(&self) -> u8 {
        // SAFETY: By the type invariants the watch is live; the byte lies within `info_id`, and
        // is read once.
        unsafe {
            core::ptr::read_volatile(info_id_byte(
                &raw const (*self.0.get()).__bindgen_anon_1.info_id,
            ))
        }
    }

    /// Returns the queue the watch posts to. The watch's reference on it is dropped only after
    /// a grace period, so it stays valid during the read-side critical section.
    #[inline]
    pub(crate) fn queue(&self) -> *mut bindings::watch_queue {
        // SAFETY: By the type invariants the watch is live and `queue` is no longer written.
        unsafe { (*self.0.get()).queue }
    }

    /// Returns the credentials of the task that added the watch.
    #[inline]
    pub(crate) fn cred(&self) -> &Credential {
        // SAFETY: By the type invariants the watch is live and its `cred` is set; it was written
        // before the watch was published on a list. The watch's reference on it is dropped only
        // after a grace period, and the holder of `&self` is in a read-side critical section.
        unsafe { Credential::from_ptr((*self.0.get()).cred) }
    }
}

/// The watches on a list under RCU ([`WatchList::iter_rcu`]).
pub(crate) struct RcuWatchIter<'a>(WatchIter<'a>);

impl<'a> Iterator for RcuWatchIter<'a> {
    type Item = &'a RcuWatch;

    #[inline]
    fn next(&mut self) -> Option<&'a RcuWatch> {
        // `RcuWatch` is a transparent wrapper of the same `struct watch`, and the iterator's
        // invariants give the RCU read-side critical section `RcuWatch` needs.
        self.0.next_raw().map(|ptr| {
            // SAFETY: `ptr` is live for `'a` (see above); `RcuWatch` is transparent.
            unsafe { &*ptr.cast::<RcuWatch>() }
        })
    }
}

/// An iterator over the watches of a list of `struct watch` linked through `list_node` or
/// `queue_node`.
///
/// # Invariants
///
/// `link` is the `first` pointer of the list's head or the `next` pointer of the node of a watch
/// on the list, both of which stay live during `'a` (the list is locked or RCU protects it);
/// `rcu` says whether links must be read with `READ_ONCE()`. The link is read when the next
/// watch is asked for, as `hlist_for_each_entry_rcu()` does: a watch that RCU readers can still
/// find keeps its `next` pointer when it is removed (`hlist_del_init_rcu()`), and a locked
/// list cannot change while it is being iterated (the iterator borrows its guard).
pub(crate) struct WatchIter<'a> {
    link: *mut *mut bindings::hlist_node,
    in_list: bool,
    rcu: bool,
    _p: PhantomData<&'a Watch>,
}

impl<'a> WatchIter<'a> {
    /// # Safety
    ///
    /// `head` must be a live list of watches linked by `list_node` (`in_list`) or `queue_node`,
    /// locked or RCU-protected (`rcu`) for `'a`.
    unsafe fn new(head: *mut bindings::hlist_head, in_list: bool, rcu: bool) -> Self {
        // INVARIANT: By the safety requirements `head` is a live list for `'a`.
        Self {
            // SAFETY: By the safety requirements `head` is valid.
            link: unsafe { &raw mut (*head).first },
            in_list,
            rcu,
            _p: PhantomData,
        }
    }

    /// # Safety
    ///
    /// `link` must be valid for reads.
    #[inline]
    unsafe fn read(link: *mut *mut bindings::hlist_node, rcu: bool) -> *mut bindings::hlist_node {
        if rcu {
            // SAFETY: `link` is valid. This is `rcu_dereference()`: a concurrent writer
            // publishes with `rcu_assign_pointer()`, and the read must happen once.
            unsafe { core::ptr::read_volatile(link) }
        } else {
            // SAFETY: `link` is valid and the list is locked.
            unsafe { *link }
        }
    }
}

impl WatchIter<'_> {
    /// Returns the next watch on the list.
    #[inline]
    fn next_raw(&mut self) -> Option<*mut bindings::watch> {
        // SAFETY: `link` is valid (type invariants).
        let node = unsafe { Self::read(self.link, self.rcu) };
        if node.is_null() {
            return None;
        }
        let watch = if self.in_list {
            // SAFETY: `node` is the `list_node` of a live watch (type invariants).
            unsafe { kernel::container_of!(node, bindings::watch, list_node) }
        } else {
            // SAFETY: `node` is the `queue_node` of a live watch (type invariants).
            unsafe { kernel::container_of!(node, bindings::watch, queue_node) }
        };
        // INVARIANT: `node` is the node of a watch on the list.
        // SAFETY: `node` is valid (type invariants).
        self.link = unsafe { &raw mut (*node).next };
        Some(watch)
    }
}

impl<'a> Iterator for WatchIter<'a> {
    type Item = &'a Watch;

    #[inline]
    fn next(&mut self) -> Option<&'a Watch> {
        debug_assert!(!self.rcu);
        // SAFETY: The watch is live for `'a` (type invariants), on a locked list that holds a
        // reference on it, and was set up by `init`, as every watch on a list was.
        self.next_raw()
            .map(|watch| unsafe { Watch::from_raw(watch) })
    }
}

/// The watches on one watchable object (`struct watch_list`), as the core sees it: locked to add
/// and remove watches, walked under RCU to post through them. (Sources use
/// [`kernel::watch_queue::WatchList`], the same structure seen through the C API.)
///
/// # Invariants
///
/// The wrapped list was initialised by `init_watch_list()` and is live (freed only after a grace
/// period) for as long as a `&WatchList` exists. Each watch on it is held by a reference that
/// belongs to the list.
#[repr(transparent)]
pub(crate) struct WatchList(Opaque<bindings::watch_list>);

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
    pub(crate) unsafe fn from_raw<'a>(ptr: *mut bindings::watch_list) -> &'a WatchList {
        // SAFETY: Guaranteed by the safety requirements; `WatchList` is transparent.
        unsafe { &*ptr.cast() }
    }

    /// Returns the raw pointer to the list.
    #[inline]
    pub(crate) fn as_raw(&self) -> *mut bindings::watch_list {
        self.0.get()
    }

    /// Locks the list (`watch_list::lock`).
    #[inline]
    pub(crate) fn lock(&self) -> WatchListGuard<'_> {
        // SAFETY: By the type invariants the lock is initialised and live for `self`'s lifetime.
        let lock: &SpinLock<()> = unsafe { Lock::from_raw(&raw mut (*self.as_raw()).lock) };
        WatchListGuard {
            list: self,
            _guard: lock.lock(),
        }
    }

    /// Iterates over the watches under RCU.
    #[inline]
    pub(crate) fn iter_rcu<'a>(&'a self, _guard: &'a rcu::Guard) -> RcuWatchIter<'a> {
        // SAFETY: The list is live, linked by `list_node`, and RCU-protected for `'a`.
        RcuWatchIter(unsafe { WatchIter::new(&raw mut (*self.as_raw()).watchers, true, true) })
    }

    /// Returns whether the list has no watches (a racy snapshot).
    #[inline]
    pub(crate) fn is_empty(&self) -> bool {
        // SAFETY: The list is live; the read is done once.
        unsafe { core::ptr::read_volatile(&raw const (*self.as_raw()).watchers.first).is_null() }
    }

    /// Returns the callback that tells the owner of the watched object that a watch was removed
    /// from the list (`watch_list::release_watch`).
    #[inline]
    pub(crate) fn release_callback(&self) -> ReleaseWatch {
        // SAFETY: The list is live; `release_watch` is set at initialisation and never changes.
        ReleaseWatch(unsafe { (*self.as_raw()).release_watch })
    }
}

/// The `release_watch` callback of a [`WatchList`], if it has one.
///
/// # Invariants
///
/// The function, if any, is a list's `release_watch`: it takes a live watch that was just
/// removed from that list, and may sleep.
#[derive(Clone, Copy)]
pub(crate) struct ReleaseWatch(Option<unsafe extern "C" fn(*mut bindings::watch)>);

impl ReleaseWatch {
    /// Calls the callback, if any, for `watch`.
    ///
    /// # Safety
    ///
    /// `watch` must just have been removed from the list whose callback this is, and the caller
    /// must be able to sleep: hold no spinlock and be in no RCU read-side critical section.
    #[inline]
    pub(crate) unsafe fn call(self, watch: &Watch) {
        if let Some(release) = self.0 {
            // SAFETY: By the type invariants, the callback takes a live watch just removed from
            // its list, in a context that may sleep, both of which the caller guarantees.
            unsafe { release(watch.as_raw()) };
        }
    }
}

/// A locked [`WatchList`].
///
/// # Invariants
///
/// `_guard` holds the lock of `list`.
pub(crate) struct WatchListGuard<'a> {
    list: &'a WatchList,
    _guard: SpinLockGuard<'a, ()>,
}

impl WatchListGuard<'_> {
    /// Iterates over the watches.
    #[inline]
    pub(crate) fn iter(&self) -> WatchIter<'_> {
        // SAFETY: The list is live, linked by `list_node`, and locked by `self`.
        unsafe { WatchIter::new(&raw mut (*self.list.as_raw()).watchers, true, false) }
    }

    /// Adds `watch` to the list, which takes over the reference.
    ///
    /// # Safety
    ///
    /// The watch must not be on any object's list.
    pub(crate) unsafe fn add(&mut self, watch: ChargedWatch) {
        let ptr = ARef::into_raw(watch.0).as_ptr().cast::<bindings::watch>();
        // SAFETY: The list is locked by `self`, and `ptr` is a live watch whose `list_node` is
        // unused (safety requirements). `watch_list` is read locklessly by `watch_list_of`, so
        // it is written once; readers under RCU see the watch only once it is fully linked.
        unsafe {
            core::ptr::write_volatile(&raw mut (*ptr).watch_list, self.list.as_raw());
            bindings::hlist_add_head_rcu(
                &raw mut (*ptr).list_node,
                &raw mut (*self.list.as_raw()).watchers,
            );
        }
    }

    /// Removes `watch` from the list, if it is on it, and returns the list's reference.
    pub(crate) fn remove(&mut self, watch: &Watch) -> Option<ARef<Watch>> {
        let ptr = watch.as_raw();
        // SAFETY: `ptr` is live and the list it may be on is locked by `self`.
        unsafe {
            if bindings::hlist_unhashed(&raw const (*ptr).list_node) != 0
                || (*ptr).watch_list != self.list.as_raw()
            {
                return None;
            }
            bindings::hlist_del_init_rcu(&raw mut (*ptr).list_node);
            core::ptr::write_volatile(&raw mut (*ptr).watch_list, core::ptr::null_mut());
        }
        // SAFETY: The list held a reference, which now passes to the caller.
        Some(unsafe { ARef::from_raw(NonNull::from(watch)) })
    }
}

/// Returns the list a watch is on (`watch::watch_list`), if any, valid while `_guard` is held.
pub(crate) fn watch_list_of<'a>(watch: &'a Watch, _guard: &'a rcu::Guard) -> Option<&'a WatchList> {
    // SAFETY: The watch is live; the pointer is read once, as with `rcu_dereference()`.
    let list = unsafe { core::ptr::read_volatile(&raw const (*watch.as_raw()).watch_list) };
    if list.is_null() {
        None
    } else {
        // SAFETY: A watch list is freed only after a grace period (`kfree_rcu()`) and after its
        // watches were removed; the caller is in a read-side critical section.
        Some(unsafe { WatchList::from_raw(list) })
    }
}

/// The watches that post to one queue (`watch_queue::watches`), linked through `queue_node`.
///
/// Every watch on it holds a reference that belongs to the list. The list is embedded in the
/// queue's lock-protected state: all its methods are called with that lock held, which the type
/// makes sure of by not being `Sync`. Its first watch points back at it, so it is changed only
/// when pinned.
///
/// # Invariants
///
/// The wrapped `hlist_head` is initialised and only reached through the queue's lock; it does
/// not move once it is not empty.
#[repr(transparent)]
pub(crate) struct QueueWatches(Opaque<bindings::hlist_head>);

// SAFETY: The list may move between threads with the lock that protects it.
unsafe impl Send for QueueWatches {}

impl QueueWatches {
    /// Creates an empty list.
    pub(crate) const fn new() -> Self {
        // INVARIANT: A zeroed `hlist_head` is an empty list.
        Self(Opaque::zeroed())
    }

    fn head(&self) -> *mut bindings::hlist_head {
        self.0.get()
    }

    /// Adds `watch`, whose reference the list takes over.
    ///
    /// # Safety
    ///
    /// The watch must post to this list's queue and not be on its list yet.
    pub(crate) unsafe fn push(self: Pin<&mut Self>, watch: ARef<Watch>) {
        let ptr = ARef::into_raw(watch).as_ptr().cast::<bindings::watch>();
        // SAFETY: The head is valid and pinned, and the watch is live and not on the list
        // (safety requirements).
        unsafe { bindings::hlist_add_head(&raw mut (*ptr).queue_node, self.head()) };
    }

    /// Removes the first watch and returns the list's reference on it.
    pub(crate) fn pop(self: Pin<&mut Self>) -> Option<ARef<Watch>> {
        // SAFETY: The head is valid and locked; the first watch is live (the list holds a
        // reference on it).
        let ptr = unsafe { WatchIter::new(self.head(), false, false) }.next_raw()?;
        // SAFETY: The watch is on this list: the list's reference on it passes to us.
        let watch = unsafe { ARef::from_raw(NonNull::new_unchecked(ptr.cast::<Watch>())) };
        // SAFETY: The watch is on this list.
        unsafe { bindings::hlist_del_init_rcu(&raw mut (*ptr).queue_node) };
        Some(watch)
    }

    /// Removes `watch`, if it is on a queue's list, and returns that list's reference.
    ///
    /// # Safety
    ///
    /// The watch must post to this list's queue: if it is on a queue's list, it is on this one.
    pub(crate) unsafe fn remove(self: Pin<&mut Self>, watch: &Watch) -> Option<ARef<Watch>> {
        let ptr = watch.as_raw();
        // SAFETY: The watch is live and the list it may be on (this one, by the safety
        // requirements) is locked.
        unsafe {
            if bindings::hlist_unhashed(&raw const (*ptr).queue_node) != 0 {
                return None;
            }
            bindings::hlist_del_init_rcu(&raw mut (*ptr).queue_node);
        }
        // SAFETY: The list held a reference, which now passes to the caller.
        Some(unsafe { ARef::from_raw(NonNull::from(watch)) })
    }
}

impl Default for QueueWatches {
    fn default() -> Self {
        Self::new()
    }
}
