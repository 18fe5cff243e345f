// SPDX-License-Identifier: GPL-2.0

//! Superblocks, for superblock notifications (`struct super_block`).
//!
//! C header: [`include/linux/sb_notify.h`](srctree/include/linux/sb_notify.h)
//!
//! A superblock's watch list is created by the first watch and removed, with a removal record
//! for each watch, when the superblock's last active reference goes
//! (`deactivate_locked_super()`); a watch holds no reference on the superblock.

use crate::{
    bindings,
    error::{code::*, Result},
    fs::mount::Path,
    types::Opaque,
    watch_queue::{NewWatch, NewWatchList, QueueRef, WatchList},
};

/// A superblock (`struct super_block`).
///
/// # Invariants
///
/// The superblock is active (it has an active reference, so its watch list is not removed) for
/// as long as a `&SuperBlock` exists.
#[repr(transparent)]
pub struct SuperBlock(Opaque<bindings::super_block>);

// SAFETY: What `&SuperBlock` gives is read with atomics, from any thread.
unsafe impl Sync for SuperBlock {}

impl SuperBlock {
    /// Creates a reference to a [`SuperBlock`] from a raw pointer.
    ///
    /// # Safety
    ///
    /// `ptr` must point to a superblock that stays active during `'a`.
    #[inline]
    pub unsafe fn from_raw<'a>(ptr: *mut bindings::super_block) -> &'a SuperBlock {
        // SAFETY: Guaranteed by the safety requirements; `SuperBlock` is transparent.
        unsafe { &*ptr.cast() }
    }

    #[inline]
    fn as_raw(&self) -> *mut bindings::super_block {
        self.0.get()
    }

    /// Returns the superblock's 64-bit id, never reused.
    #[inline]
    pub fn id(&self) -> u64 {
        // SAFETY: The superblock is live (type invariants).
        unsafe { bindings::sb_notify_id(self.as_raw()) }
    }

    /// Returns the watches on the superblock, if it has any list.
    #[inline]
    pub fn watchers(&self) -> Option<&WatchList> {
        // SAFETY: The superblock is live (type invariants).
        let list = unsafe { bindings::sb_notify_watchers(self.as_raw()) };
        if list.is_null() {
            return None;
        }
        // SAFETY: The list, once set, stays until the superblock is deactivated, which `&self`
        // rules out; it was initialised before it was published.
        Some(unsafe { WatchList::from_raw(list) })
    }

    /// Adds `watch` to the superblock's list, creating the list if it has none.
    ///
    /// Fails as [`WatchList::add`] does.
    pub fn add_watch(&self, watch: NewWatch<'_>) -> Result {
        let list = match self.watchers() {
            Some(list) => list,
            None => {
                NewWatchList::new()?.install(|list| {
                    // SAFETY: The superblock is active, and the list is initialised and empty;
                    // the superblock frees it, with `kfree_rcu()`, when it is deactivated.
                    unsafe { bindings::sb_notify_set_watchers(self.as_raw(), list) }
                })?;
                self.watchers().ok_or(ENOENT)?
            }
        };
        list.add(watch)
    }

    /// Removes the watch of `queue` on the superblock; the queue gets a removal record.
    ///
    /// Fails with `EBADSLT` if there is no such watch.
    pub fn remove_watch(&self, queue: &QueueRef) -> Result {
        match self.watchers() {
            Some(list) => list.remove(queue, self.id()),
            None => Err(EBADSLT),
        }
    }
}

impl Path {
    /// Returns the superblock of the path's mount.
    #[inline]
    pub fn super_block(&self) -> &SuperBlock {
        // SAFETY: The path is valid (type invariants of `Path`).
        let sb = unsafe { bindings::sb_notify_of_path(self.as_raw()) };
        // SAFETY: The path's mount holds an active reference on its superblock while `self` is
        // borrowed.
        unsafe { SuperBlock::from_raw(sb) }
    }
}
