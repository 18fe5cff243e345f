// SPDX-License-Identifier: GPL-2.0

//! RCU support.
//!
//! C header: [`include/linux/rcupdate.h`](srctree/include/linux/rcupdate.h)

use crate::{
    alloc::{AllocError, Flags, KBox},
    bindings,
    sync::atomic::{ordering, Atomic},
    types::{NotThreadSafe, Opaque},
};
use core::{marker::PhantomData, ops::Deref, ptr::NonNull};

/// Evidence that the RCU read side lock is held on the current thread/CPU.
///
/// The type is explicitly not `Send` because this property is per-thread/CPU.
///
/// # Invariants
///
/// The RCU read side lock is actually held while instances of this guard exist.
pub struct Guard(NotThreadSafe);

impl Guard {
    /// Acquires the RCU read side lock and returns a guard.
    #[inline]
    pub fn new() -> Self {
        // SAFETY: An FFI call with no additional requirements.
        unsafe { bindings::rcu_read_lock() };
        // INVARIANT: The RCU read side lock was just acquired above.
        Self(NotThreadSafe)
    }

    /// Explicitly releases the RCU read side lock.
    #[inline]
    pub fn unlock(self) {}
}

impl Default for Guard {
    #[inline]
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for Guard {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: By the type invariants, the RCU read side is locked, so it is ok to unlock it.
        unsafe { bindings::rcu_read_unlock() };
    }
}

/// Acquires the RCU read side lock.
#[inline]
pub fn read_lock() -> Guard {
    Guard::new()
}

/// Wait until all in-flight `call_rcu()` callbacks complete.
///
/// Note that this primitive does not necessarily wait for an RCU grace period
/// to complete. For example, if there are no RCU callbacks queued anywhere
/// in the system, then [`rcu_barrier()`] is within its rights to return
/// immediately, without waiting for anything, much less an RCU grace period.
/// In fact, [`rcu_barrier()`] will normally not result in any RCU grace periods
/// beyond those that were already destined to be executed.
///
/// In kernels built with `CONFIG_RCU_LAZY=y`, this function also hurries all
/// pending lazy RCU callbacks.
///
/// Note that this is one of the RCU primitives which must not be called in
/// atomic context.
#[inline]
pub fn rcu_barrier() {
    // SAFETY: `rcu_barrier()` is always safe to be called. It just might wait for a grace period.
    unsafe { bindings::rcu_barrier() };
}

/// Wait for one RCU grace period.
///
/// Waits for all RCU read-side critical sections (such as those established by
/// a [`Guard`]) at the moment of the function call to finish.
///
/// Does not prevent new read-side critical sections from starting, which may
/// begin and run while this call is blocking.
///
/// Note that this is one of the RCU primitives which must not be called in
/// atomic context.
#[inline]
pub fn synchronize_rcu() {
    // SAFETY: `synchronize_rcu()` is always safe to be called from process context.
    unsafe { bindings::synchronize_rcu() };
}

/// The allocation behind an [`RcuBox`]: the `kvfree_rcu_head` that frees it, and the value.
#[repr(C)]
struct RcuBoxInner<T> {
    head: Opaque<bindings::kvfree_rcu_head>,
    value: T,
}

/// An owned, heap-allocated `T` that RCU readers may still be looking at when it is dropped.
///
/// Dropping an [`RcuBox`] does not free it at once: it is freed with `kvfree_rcu()`, after a
/// grace period, so that a reader that found the value under a [`Guard`] (for example through an
/// [`RcuPointer`]) may keep using it until its read-side critical section ends.
///
/// RCU frees the memory itself, and runs no code of the value's: `T` must have no drop glue,
/// which [`RcuBox::new`] checks at compile time. So nothing runs in the softirq context of RCU
/// callbacks, and no callback of the user's crate can outlive it (a module need not wait with
/// [`rcu_barrier`] before it is unloaded). A value that owns memory or other resources has drop
/// glue and cannot be put in an `RcuBox`; keep such data inline (arrays rather than vectors).
///
/// `T` is `Sync`, since readers on other CPUs share it with the owner, and `'static`, since it
/// may still be read after the `RcuBox` is gone, when no borrow it held could still be valid.
///
/// # Examples
///
/// ```
/// use kernel::sync::rcu::{self, RcuBox, RcuPointer};
///
/// let limits = RcuPointer::new(Some(RcuBox::new([1u32, 2, 3], GFP_KERNEL)?));
/// {
///     let guard = rcu::read_lock();
///     assert_eq!(limits.get(&guard), Some(&[1, 2, 3]));
/// }
/// // The old value stays readable until the readers of the moment are done; then RCU frees it.
/// drop(limits.replace(Some(RcuBox::new([4, 5, 6], GFP_KERNEL)?)));
/// assert_eq!(limits.get(&rcu::read_lock()), Some(&[4, 5, 6]));
/// # Ok::<(), Error>(())
/// ```
///
/// # Invariants
///
/// `ptr` points to a valid `RcuBoxInner<T>` allocated with [`KBox`] and owned by this value.
pub struct RcuBox<T: Send + Sync + 'static> {
    ptr: NonNull<RcuBoxInner<T>>,
    _p: PhantomData<T>,
}

// SAFETY: An `RcuBox<T>` owns its `T`, so it can be sent to another thread when `T` can. RCU
// readers on other threads may still hold `&T` when it moves, which `T: Sync` allows.
unsafe impl<T: Send + Sync + 'static> Send for RcuBox<T> {}

// SAFETY: Shared access to an `RcuBox<T>` only gives `&T`.
unsafe impl<T: Send + Sync + 'static> Sync for RcuBox<T> {}

impl<T: Send + Sync + 'static> RcuBox<T> {
    /// Allocates a new [`RcuBox`] holding `value`.
    ///
    /// The build fails if `T` has drop glue: RCU frees the box without dropping the value.
    pub fn new(value: T, flags: Flags) -> Result<Self, AllocError> {
        crate::const_assert!(
            !core::mem::needs_drop::<T>(),
            "an RcuBox is freed by RCU, which does not drop its value"
        );
        let inner = KBox::new(
            RcuBoxInner {
                head: Opaque::uninit(),
                value,
            },
            flags,
        )?;
        // INVARIANT: The allocation comes from `KBox` and is now owned by the new value.
        Ok(Self {
            ptr: NonNull::from(KBox::leak(inner)),
            _p: PhantomData,
        })
    }

    fn into_raw(self) -> *mut RcuBoxInner<T> {
        let ptr = self.ptr.as_ptr();
        core::mem::forget(self);
        ptr
    }

    /// # Safety
    ///
    /// `ptr` must come from [`RcuBox::into_raw`], and the caller gives up its ownership.
    unsafe fn from_raw(ptr: *mut RcuBoxInner<T>) -> Self {
        // INVARIANT: By the safety requirements, `ptr` is owned and comes from an `RcuBox`.
        Self {
            // SAFETY: `into_raw` never returns null.
            ptr: unsafe { NonNull::new_unchecked(ptr) },
            _p: PhantomData,
        }
    }
}

impl<T: Send + Sync + 'static> Deref for RcuBox<T> {
    type Target = T;

    fn deref(&self) -> &T {
        // SAFETY: By the type invariants, `ptr` is valid and owned by `self`.
        unsafe { &(*self.ptr.as_ptr()).value }
    }
}

impl<T: Send + Sync + 'static> Drop for RcuBox<T> {
    fn drop(&mut self) {
        let ptr = self.ptr.as_ptr();
        // SAFETY: By the type invariants `ptr` is a live `KBox` allocation (so `kvfree()` frees
        // it) owned by `self`, whose ownership passes to RCU; `head` is in it, at offset 0, and
        // not in use by anything else. `T` has no drop glue (checked in `new`), so freeing the
        // memory without dropping the value leaks nothing.
        unsafe { bindings::kvfree_call_rcu((*ptr).head.get(), ptr.cast()) };
    }
}

/// A pointer to an optional [`RcuBox`], read by RCU readers while writers replace it.
///
/// This is the Rust form of an `__rcu` pointer with `rcu_dereference()`,
/// `rcu_replace_pointer()` and a `kfree_rcu()` of the old value: [`RcuPointer::get`] needs an RCU
/// [`Guard`] and returns a reference that lives no longer than it, and the old value returned by
/// [`RcuPointer::replace`] is freed after a grace period when it is dropped.
///
/// # Invariants
///
/// `ptr` is null or comes from [`RcuBox::into_raw`]; that `RcuBox` is owned by this pointer.
pub struct RcuPointer<T: Send + Sync + 'static> {
    ptr: Atomic<*mut RcuBoxInner<T>>,
    _p: PhantomData<RcuBox<T>>,
}

// SAFETY: The pointer owns an `RcuBox<T>`, which is `Send` (see there).
unsafe impl<T: Send + Sync + 'static> Send for RcuPointer<T> {}

// SAFETY: Shared access gives `&T` to readers and moves `RcuBox<T>` values in and out.
unsafe impl<T: Send + Sync + 'static> Sync for RcuPointer<T> {}

impl<T: Send + Sync + 'static> RcuPointer<T> {
    /// Creates a pointer that owns `value`.
    pub fn new(value: Option<RcuBox<T>>) -> Self {
        // INVARIANT: The pointer is null or comes from `RcuBox::into_raw`.
        Self {
            ptr: Atomic::new(value.map_or(core::ptr::null_mut(), RcuBox::into_raw)),
            _p: PhantomData,
        }
    }

    /// Returns the current value, valid for as long as the RCU read-side lock is held.
    pub fn get<'a>(&'a self, _guard: &'a Guard) -> Option<&'a T> {
        // As `rcu_dereference()`: a relaxed load (`READ_ONCE()`), whose address dependency
        // orders the reads of the value after those of its initialisation, which `replace`
        // published with a full barrier.
        let ptr = self.ptr.load(ordering::Relaxed);
        if ptr.is_null() {
            return None;
        }
        // SAFETY: By the type invariants a non-null `ptr` is a live `RcuBox` allocation. It may
        // be replaced concurrently, but then it is freed only after a grace period, and the
        // caller is in an RCU read-side critical section for `'a` (proved by `_guard`).
        Some(unsafe { &(*ptr).value })
    }

    /// Returns whether the pointer is null.
    pub fn is_none(&self) -> bool {
        self.ptr.load(ordering::Relaxed).is_null()
    }

    /// Replaces the value with `new` and returns the old one.
    ///
    /// Readers that already found the old value keep a valid reference to it until their
    /// read-side critical section ends: the old value is freed a grace period after it is
    /// dropped.
    pub fn replace(&self, new: Option<RcuBox<T>>) -> Option<RcuBox<T>> {
        let new = new.map_or(core::ptr::null_mut(), RcuBox::into_raw);
        // A full barrier publishes the new value's initialisation, as `rcu_assign_pointer()`
        // would, and orders the ownership of the old value after its last use by this writer.
        let old = self.ptr.xchg(new, ordering::Full);
        if old.is_null() {
            None
        } else {
            // SAFETY: By the type invariants `old` came from `RcuBox::into_raw`, and the exchange
            // moved its ownership from `self` to the caller.
            Some(unsafe { RcuBox::from_raw(old) })
        }
    }
}

impl<T: Send + Sync + 'static> Drop for RcuPointer<T> {
    fn drop(&mut self) {
        drop(self.replace(None));
    }
}
