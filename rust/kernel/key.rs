// SPDX-License-Identifier: GPL-2.0

//! Keys (`struct key`).
//!
//! C header: [`include/linux/key.h`](srctree/include/linux/key.h)

use crate::{bindings, types::Opaque};

#[cfg(CONFIG_KEY_NOTIFICATIONS)]
use crate::{
    error::Result,
    watch_queue::{NewWatchList, WatchList},
};

/// A key.
///
/// # Invariants
///
/// The key is live for as long as a `&Key` exists: its holder owns a reference on it.
#[repr(transparent)]
pub struct Key(Opaque<bindings::key>);

impl Key {
    /// Creates a reference to a [`Key`] from a raw pointer.
    ///
    /// # Safety
    ///
    /// The caller must hold a reference on the key for the lifetime `'a`.
    pub unsafe fn from_raw<'a>(ptr: *mut bindings::key) -> &'a Key {
        // SAFETY: Guaranteed by the safety requirements; `Key` is transparent.
        unsafe { &*ptr.cast() }
    }

    /// Returns the raw pointer to the key.
    pub fn as_raw(&self) -> *mut bindings::key {
        self.0.get()
    }

    /// Returns the key's serial number.
    pub fn serial(&self) -> i32 {
        // SAFETY: The key is live and its serial never changes.
        unsafe { (*self.as_raw()).serial }
    }

    /// Takes the key's semaphore for writing (`down_write(&key->sem)`); may sleep.
    pub fn write_lock(&self) -> KeyWriteGuard<'_> {
        // SAFETY: The key, and so its semaphore, is live.
        unsafe { bindings::down_write(&raw mut (*self.as_raw()).sem) };
        // INVARIANT: The semaphore was just taken.
        KeyWriteGuard { key: self }
    }

    /// Returns whether the key has a watch list, without locking: a hint, to be checked again
    /// under [`Key::write_lock`].
    #[cfg(CONFIG_KEY_NOTIFICATIONS)]
    pub fn has_watchers(&self) -> bool {
        // SAFETY: The key is live; the pointer is read once.
        !unsafe { core::ptr::read_volatile(&raw const (*self.as_raw()).watchers) }.is_null()
    }

    /// Asks the security modules whether the current task may watch the key
    /// (`security_watch_key()`).
    #[cfg(CONFIG_KEY_NOTIFICATIONS)]
    pub fn security_watch(&self) -> Result {
        crate::security::watch_key(self)
    }
}

/// The semaphore of a [`Key`], held for writing.
///
/// # Invariants
///
/// `key->sem` is held for writing by this guard.
pub struct KeyWriteGuard<'a> {
    key: &'a Key,
}

#[cfg(CONFIG_KEY_NOTIFICATIONS)]
impl KeyWriteGuard<'_> {
    /// Returns the key's watch list, if it has one.
    pub fn watchers(&self) -> Option<&WatchList> {
        // SAFETY: The key is live; `watchers` is installed under the semaphore, which we hold,
        // and torn down only when the key is destroyed, which our reference prevents.
        let list = unsafe { (*self.key.as_raw()).watchers };
        if list.is_null() {
            None
        } else {
            // SAFETY: An installed list was initialised by `init_watch_list()` and lives as long
            // as the key.
            Some(unsafe { WatchList::from_raw(list) })
        }
    }

    /// Returns the key's watch list, installing `list` first if the key has none. Returns
    /// `None` only if the key has none and `list` is `None`.
    pub fn watchers_or_insert(&mut self, list: Option<NewWatchList>) -> Option<&WatchList> {
        if self.watchers().is_none() {
            let list = list?;
            // `notify_key()` reads `watchers` without the semaphore: order the list's
            // initialisation before its publication, as `smp_store_release()` would.
            crate::sync::barrier::smp_mb(crate::sync::barrier::Write);
            // SAFETY: We hold the semaphore that `watchers` is installed under; the key now owns
            // the list, and frees it when it is destroyed (`remove_watch_list()`). The pointer
            // is written once, for the readers above.
            unsafe {
                core::ptr::write_volatile(&raw mut (*self.key.as_raw()).watchers, list.into_raw())
            };
        }
        self.watchers()
    }
}

impl Drop for KeyWriteGuard<'_> {
    fn drop(&mut self) {
        // SAFETY: By the type invariants we hold the semaphore for writing.
        unsafe { bindings::up_write(&raw mut (*self.key.as_raw()).sem) };
    }
}
