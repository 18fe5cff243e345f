// SPDX-License-Identifier: GPL-2.0

//! Mounts, for mount notifications (`struct mount`, which is private to `fs/`).
//!
//! C header: [`include/linux/mount_notify.h`](srctree/include/linux/mount_notify.h)
//!
//! `fs/mount_notify.c` gives this module what it needs of `struct mount`; `fs/namespace.c` calls
//! the notification source at its event sites, with the mount tree locked ([`Topology`]).
//!
//! A mount's watch list is created by the first watch and freed with the mount
//! (`cleanup_mnt()`), after every watch on it got a removal record. The watches on mounts are
//! counted: while there are none, the event sites cost a patched jump (a static key).

use crate::{
    bindings,
    error::{code::*, to_result, Result},
    types::{NotThreadSafe, Opaque},
    watch_queue::{NewWatch, NewWatchList, QueueRef, WatchList},
};
use core::{marker::PhantomData, ptr::NonNull};

/// Proof that the mount tree cannot change: the holder has `namespace_sem` or `mount_lock`.
///
/// The parents of mounts ([`Mount::parent`]) are read under it.
///
/// # Invariants
///
/// The current task holds `namespace_sem` or `mount_lock` during `'a`.
pub struct Topology<'a> {
    _p: PhantomData<&'a ()>,
    _not_send: NotThreadSafe,
}

impl Topology<'_> {
    /// Asserts that the current task holds `namespace_sem` or `mount_lock`.
    ///
    /// With lockdep, a warning if it does not.
    ///
    /// # Safety
    ///
    /// The current task must hold `namespace_sem` or `mount_lock` for the lifetime of the
    /// result.
    #[inline]
    pub unsafe fn assume_locked() -> Self {
        // SAFETY: Only reads lockdep's state of the current task.
        unsafe { bindings::mnt_notify_assert_topology_locked() };
        // INVARIANT: Guaranteed by the safety requirements.
        Self {
            _p: PhantomData,
            _not_send: NotThreadSafe,
        }
    }
}

/// A mount (`struct mount`).
///
/// # Invariants
///
/// The mount is live (not yet in `cleanup_mnt()`) for as long as a `&Mount` exists: the one who
/// made the reference holds a reference on the mount, or the mount tree it is attached to.
#[repr(transparent)]
pub struct Mount(Opaque<bindings::mount>);

// SAFETY: What `&Mount` gives is read under locks or with atomics, from any thread.
unsafe impl Sync for Mount {}

/// Hands a watch that leaves a mount's list to the count of watches on mounts.
///
/// # Safety
///
/// Called by the core, once per watch that was counted by [`Mount::add_watch`].
unsafe extern "C" fn release_mount_watch(_watch: *mut bindings::watch) {
    // SAFETY: Every watch on a mount's list was counted when it was added.
    unsafe { bindings::mnt_notify_watch_released() };
}

impl Mount {
    /// Creates a reference to a [`Mount`] from a raw pointer.
    ///
    /// # Safety
    ///
    /// `ptr` must point to a mount that stays live during `'a`: the caller holds a reference on
    /// it, or holds the mount tree still while the mount is attached to it.
    #[inline]
    pub unsafe fn from_raw<'a>(ptr: *mut bindings::mount) -> &'a Mount {
        // SAFETY: Guaranteed by the safety requirements; `Mount` is transparent.
        unsafe { &*ptr.cast() }
    }

    #[inline]
    fn as_raw(&self) -> *mut bindings::mount {
        self.0.get()
    }

    /// Returns the mount's 64-bit id, never reused (`statx(STATX_MNT_ID_UNIQUE)`).
    #[inline]
    pub fn id(&self) -> u64 {
        // SAFETY: The mount is live (type invariants).
        unsafe { bindings::mnt_notify_id(self.as_raw()) }
    }

    /// Returns the mount's parent, if it has one.
    #[inline]
    pub fn parent<'a>(&'a self, _topology: &'a Topology<'_>) -> Option<&'a Mount> {
        // SAFETY: The mount is live, and `_topology` proves that its parent cannot change.
        let parent = unsafe { bindings::mnt_notify_parent(self.as_raw()) };
        if parent.is_null() {
            return None;
        }
        // SAFETY: A parent is live while its child is attached to it, which it stays while the
        // tree is held still (`_topology`, borrowed by the result).
        Some(unsafe { Mount::from_raw(parent) })
    }

    /// Returns whether the mount is read-only (by its own flag or its superblock's).
    #[inline]
    pub fn is_readonly(&self) -> bool {
        // SAFETY: The mount is live (type invariants).
        unsafe { bindings::mnt_notify_is_readonly(self.as_raw()) }
    }

    /// Returns whether the mount was made by the kernel (an automount: `MNT_SHRINKABLE`).
    #[inline]
    pub fn is_submount(&self) -> bool {
        // SAFETY: The mount is live (type invariants).
        unsafe { bindings::mnt_notify_is_submount(self.as_raw()) }
    }

    /// Returns the watches on the mount, if it ever had one.
    #[inline]
    pub fn watchers(&self) -> Option<&WatchList> {
        // SAFETY: The mount is live (type invariants).
        let list = unsafe { bindings::mnt_notify_watchers(self.as_raw()) };
        if list.is_null() {
            return None;
        }
        // SAFETY: A mount's list, once set, stays until the mount is freed (`cleanup_mnt()`),
        // which `&self` rules out; it was initialised before it was published.
        Some(unsafe { WatchList::from_raw(list) })
    }

    /// Returns the owner of the mount's namespace and whether that namespace is the current
    /// task's; `None` if the mount is in no namespace (unmounted).
    pub fn namespace_owner(&self) -> Option<(NamespaceOwner, bool)> {
        let mut callers = false;
        // SAFETY: The mount is live; `callers` is a valid place for the call.
        let owner = unsafe { bindings::mnt_notify_ns_owner(self.as_raw(), &mut callers) };
        // INVARIANT: `mnt_notify_ns_owner` returned a reference, if not null.
        NonNull::new(owner).map(|ptr| (NamespaceOwner(ptr), callers))
    }

    /// Adds `watch` to the mount's list, creating the list if the mount has none.
    ///
    /// Fails with `ENOENT` if the mount is in no namespace any more (unmounted) or the queue is
    /// dead, and as [`WatchList::add`] does.
    pub fn add_watch(&self, watch: NewWatch<'_>) -> Result {
        let list = match self.watchers() {
            Some(list) => list,
            None => {
                // SAFETY: `release_mount_watch` only counts; it runs in any context.
                let new = unsafe { NewWatchList::with_release(Some(release_mount_watch)) }?;
                new.install(|list| {
                    // SAFETY: The mount is live, and the list is initialised and empty; the
                    // mount frees it, with `kfree_rcu()`, in `cleanup_mnt()`.
                    unsafe { bindings::mnt_notify_set_watchers(self.as_raw(), list) }
                })?;
                // The mount has a list now (ours or another task's), and keeps it.
                self.watchers().ok_or(ENOENT)?
            }
        };
        // Counted first, so that no event is missed once the watch is on the list; a watch that
        // leaves the list is uncounted by `release_mount_watch`.
        // SAFETY: Called in process context.
        unsafe { bindings::mnt_notify_watch_added() };
        list.add(watch).inspect_err(|_| {
            // SAFETY: The watch was counted above and not added.
            unsafe { bindings::mnt_notify_watch_released() }
        })
    }

    /// Removes the watch of `queue` on the mount; the queue gets a removal record.
    ///
    /// Fails with `EBADSLT` if there is no such watch.
    pub fn remove_watch(&self, queue: &QueueRef) -> Result {
        match self.watchers() {
            Some(list) => list.remove(queue, self.id()),
            None => Err(EBADSLT),
        }
    }
}

/// The owner of a mount namespace (`struct user_namespace`), referenced.
///
/// # Invariants
///
/// The value owns a reference on the user namespace.
pub struct NamespaceOwner(NonNull<bindings::user_namespace>);

impl NamespaceOwner {
    /// Returns whether the current task has the capability `cap` (`CAP_SYS_ADMIN`, say) in the
    /// namespace (`ns_capable()`).
    pub fn capable(&self, cap: u32) -> bool {
        // SAFETY: We own a reference on the namespace (type invariants).
        unsafe { bindings::ns_capable(self.0.as_ptr(), cap as i32) }
    }
}

impl Drop for NamespaceOwner {
    fn drop(&mut self) {
        // SAFETY: We own a reference (type invariants).
        unsafe { bindings::put_user_ns(self.0.as_ptr()) };
    }
}

/// The kind of object a watch on a path watches, for the LSM (`security_path_notify()`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WatchedObject {
    /// The mount the path is on (`FSNOTIFY_OBJ_TYPE_VFSMOUNT`).
    Mount,
    /// The superblock the path is on (`FSNOTIFY_OBJ_TYPE_SB`).
    Superblock,
}

/// A path (`struct path`), pinned by a lookup.
///
/// # Invariants
///
/// The path holds references on its mount and dentry for as long as a `&Path` exists.
#[repr(transparent)]
pub struct Path(Opaque<bindings::path>);

impl Path {
    /// Creates a reference to a [`Path`] from a raw pointer.
    ///
    /// # Safety
    ///
    /// `ptr` must point to a path that holds its references during `'a`.
    #[inline]
    pub unsafe fn from_raw<'a>(ptr: *const bindings::path) -> &'a Path {
        // SAFETY: Guaranteed by the safety requirements; `Path` is transparent.
        unsafe { &*ptr.cast() }
    }

    #[inline]
    pub(crate) fn as_raw(&self) -> *const bindings::path {
        self.0.get()
    }

    /// Returns the mount the path is on.
    #[inline]
    pub fn mount(&self) -> &Mount {
        // SAFETY: The path is valid (type invariants).
        let mnt = unsafe { bindings::mnt_notify_of_path(self.as_raw()) };
        // SAFETY: The path holds a reference on its mount while `self` is borrowed.
        unsafe { Mount::from_raw(mnt) }
    }

    /// Checks that the current task may execute (search) the path's directory
    /// (`path_permission(MAY_EXEC)`). Fails with `EACCES` otherwise.
    pub fn may_exec(&self) -> Result {
        // SAFETY: The path is valid (type invariants).
        to_result(unsafe { bindings::path_permission(self.as_raw(), bindings::MAY_EXEC as i32) })
    }

    /// Checks that the current task may watch `object` through the path: it may search the
    /// directory, the path's mount is in the task's mount namespace unless the task has
    /// `CAP_SYS_ADMIN` over that namespace's owner, and the LSM agrees.
    ///
    /// Fails with `EACCES`, `ENOENT` (the mount is unmounted), `EPERM`, or the LSM's error.
    pub fn may_watch(&self, object: WatchedObject) -> Result {
        self.may_exec()?;
        let (owner, callers) = self.mount().namespace_owner().ok_or(ENOENT)?;
        if !callers && !owner.capable(bindings::CAP_SYS_ADMIN) {
            return Err(EPERM);
        }
        drop(owner);
        self.security_watch(object)
    }

    /// Asks the LSM whether the current task may watch `object` through the path
    /// (`security_path_notify()`).
    pub fn security_watch(&self, object: WatchedObject) -> Result {
        let obj_type = match object {
            WatchedObject::Mount => bindings::fsnotify_obj_type_FSNOTIFY_OBJ_TYPE_VFSMOUNT,
            WatchedObject::Superblock => bindings::fsnotify_obj_type_FSNOTIFY_OBJ_TYPE_SB,
        };
        // SAFETY: The path is valid (type invariants).
        to_result(unsafe { bindings::security_path_notify(self.as_raw(), 0, obj_type as u32) })
    }
}
