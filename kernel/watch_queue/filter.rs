// SPDX-License-Identifier: GPL-2.0

//! Notification filters (`IOC_WATCH_QUEUE_SET_FILTER`).

use kernel::{
    prelude::*,
    uaccess::{UserPtr, UserSlice},
    watch_queue::{INFO_LENGTH, TYPE_NR},
};

/// The most type filters a queue's filter may have.
pub(crate) const MAX_FILTERS: u32 = 16;

/// The size of `struct watch_notification_filter` without its array.
const HEADER_SIZE: usize = 8;

/// The size of `struct watch_notification_type_filter`.
const RULE_SIZE: usize = 44;

/// Reads the `index`th native-endian `u32` of `bytes`.
fn word(bytes: &[u8], index: usize) -> u32 {
    let mut w = [0u8; 4];
    w.copy_from_slice(&bytes[index * 4..index * 4 + 4]);
    u32::from_ne_bytes(w)
}

/// A filter rule (`struct watch_notification_type_filter`).
#[derive(Clone, Copy, Default)]
pub(crate) struct TypeFilter {
    /// The type the rule applies to.
    pub(crate) ty: u32,
    /// The value `info & info_mask` must have.
    pub(crate) info_filter: u32,
    /// The bits of `info` that `info_filter` checks.
    pub(crate) info_mask: u32,
    /// One bit per accepted subtype: subtype `s` is bit `s % 32` of word `s / 32`.
    pub(crate) subtype_filter: [u32; 8],
}

impl TypeFilter {
    /// Decodes a `struct watch_notification_type_filter`.
    fn from_bytes(bytes: &[u8; RULE_SIZE]) -> Self {
        let mut subtype_filter = [0; 8];
        for (i, w) in subtype_filter.iter_mut().enumerate() {
            *w = word(bytes, 3 + i);
        }
        Self {
            ty: word(bytes, 0),
            info_filter: word(bytes, 1),
            info_mask: word(bytes, 2),
            subtype_filter,
        }
    }

    fn accepts(&self, ty: u32, subtype: u8, info: u32) -> bool {
        let word = usize::from(subtype / 32);
        let bit = u32::from(subtype % 32);
        self.ty == ty
            && self.subtype_filter[word] & (1 << bit) != 0
            && info & self.info_mask == self.info_filter
    }
}

/// The filter of a queue: a notification is posted only if one of the rules accepts it.
///
/// It has no drop glue (its rules are inline), as an [`RcuBox`](kernel::sync::rcu::RcuBox)
/// requires: the box of a replaced filter is freed by RCU without running any code of ours.
///
/// # Invariants
///
/// `nr <= MAX_FILTERS`; every rule among the first `nr` has a type below [`TYPE_NR`], and
/// `types` has the bit of each of their types.
#[derive(Clone, Copy)]
pub(crate) struct Filter {
    types: u32,
    nr: usize,
    rules: [TypeFilter; MAX_FILTERS as usize],
}

impl Filter {
    /// Builds a filter from the rules userspace gave.
    ///
    /// Fails with `EINVAL` if there are more than [`MAX_FILTERS`], or if a rule checks bits of
    /// `info` outside its mask or checks the length. Rules for types the kernel does not know
    /// are dropped: such notifications are never posted.
    pub(crate) fn new(specs: &[TypeFilter]) -> Result<Self> {
        if specs.len() > MAX_FILTERS as usize {
            return Err(EINVAL);
        }
        for spec in specs {
            if spec.info_filter & !spec.info_mask != 0 || spec.info_mask & INFO_LENGTH != 0 {
                return Err(EINVAL);
            }
        }
        let mut filter = Self {
            types: 0,
            nr: 0,
            rules: [TypeFilter::default(); MAX_FILTERS as usize],
        };
        for spec in specs.iter().filter(|spec| spec.ty < TYPE_NR) {
            filter.types |= 1 << spec.ty;
            if let Some(rule) = filter.rules.get_mut(filter.nr) {
                *rule = *spec;
                filter.nr += 1;
            }
        }
        // INVARIANT: At most `specs.len() <= MAX_FILTERS` rules, of known types, were kept, and
        // their types recorded.
        Ok(filter)
    }

    /// Reads a `struct watch_notification_filter` from userspace and builds the filter.
    ///
    /// Fails with `EFAULT` if it cannot be read, and with `EINVAL` if it does not have 1 to
    /// [`MAX_FILTERS`] rules, if `__reserved` is not zero, or as [`Filter::new`] does.
    pub(crate) fn from_user(ptr: UserPtr) -> Result<Self> {
        let mut header = [0u8; HEADER_SIZE];
        UserSlice::new(ptr, HEADER_SIZE)
            .reader()
            .read_slice(&mut header)?;
        let (nr_filters, reserved) = (word(&header, 0), word(&header, 1));
        if nr_filters == 0 || nr_filters > MAX_FILTERS || reserved != 0 {
            return Err(EINVAL);
        }
        let nr = nr_filters as usize;
        let mut reader =
            UserSlice::new(ptr.wrapping_byte_add(HEADER_SIZE), nr * RULE_SIZE).reader();
        let mut specs = [TypeFilter::default(); MAX_FILTERS as usize];
        let mut bytes = [0u8; RULE_SIZE];
        for spec in &mut specs[..nr] {
            reader.read_slice(&mut bytes)?;
            *spec = TypeFilter::from_bytes(&bytes);
        }
        Self::new(&specs[..nr])
    }

    /// Returns whether the filter lets a notification of type `ty`, subtype `subtype` and
    /// `info` through.
    pub(crate) fn accepts(&self, ty: u32, subtype: u8, info: u32) -> bool {
        if ty >= TYPE_NR || self.types & (1 << ty) == 0 {
            return false;
        }
        // `nr` is within the array (type invariants): `get` checks it once, not per rule.
        self.rules
            .get(..self.nr)
            .unwrap_or(&[])
            .iter()
            .any(|rule| rule.accepts(ty, subtype, info))
    }

    /// Returns the number of rules kept.
    #[cfg(CONFIG_KUNIT)]
    pub(crate) fn len(&self) -> usize {
        self.nr
    }
}

#[kunit_tests(watch_queue_filter)]
mod tests {
    use super::*;
    use kernel::watch_queue::{TYPE_KEY_NOTIFY, TYPE_META};

    fn rule(ty: u32, subtypes: &[u8]) -> TypeFilter {
        let mut rule = TypeFilter {
            ty,
            ..Default::default()
        };
        for &s in subtypes {
            rule.subtype_filter[usize::from(s / 32)] |= 1 << (s % 32);
        }
        rule
    }

    #[test]
    fn accepts_listed_subtypes_only() -> Result {
        let f = Filter::new(&[rule(TYPE_KEY_NOTIFY, &[0, 2])])?;
        assert!(f.accepts(TYPE_KEY_NOTIFY, 0, 16));
        assert!(!f.accepts(TYPE_KEY_NOTIFY, 1, 16));
        assert!(f.accepts(TYPE_KEY_NOTIFY, 2, 16));
        assert!(!f.accepts(TYPE_META, 0, 8));
        Ok(())
    }

    #[test]
    fn every_subtype_word_is_honoured() -> Result {
        // Bug: the kernel kept only `subtype_filter[0]` but indexed it up to 7.
        let f = Filter::new(&[rule(TYPE_KEY_NOTIFY, &[31, 32, 100, 255])])?;
        for s in 0..=255u8 {
            let want = matches!(s, 31 | 32 | 100 | 255);
            assert_eq!(f.accepts(TYPE_KEY_NOTIFY, s, 16), want);
        }
        Ok(())
    }

    #[test]
    fn unknown_types_are_dropped() -> Result {
        // CVE-2022-0995: unknown types must be ignored, never stored.
        let f = Filter::new(&[
            rule(TYPE_NR, &[0]),
            rule(64, &[0]),
            rule(0xffff_ffff, &[0]),
            rule(TYPE_META, &[1]),
        ])?;
        assert_eq!(f.len(), 1);
        assert!(f.accepts(TYPE_META, 1, 8));
        assert!(!f.accepts(64, 0, 8));
        assert!(!f.accepts(0xff_ffff, 0, 8));
        let f = Filter::new(&[rule(511, &[0])])?;
        assert_eq!(f.len(), 0);
        assert!(!f.accepts(TYPE_KEY_NOTIFY, 0, 16));
        Ok(())
    }

    #[test]
    fn info_is_matched_under_the_mask() -> Result {
        let mut r = rule(TYPE_KEY_NOTIFY, &[1]);
        r.info_mask = 0xff00;
        r.info_filter = 0x0100;
        let f = Filter::new(&[r])?;
        assert!(f.accepts(TYPE_KEY_NOTIFY, 1, 0x0110));
        assert!(!f.accepts(TYPE_KEY_NOTIFY, 1, 0x0210));
        Ok(())
    }

    #[test]
    fn bad_masks_are_refused() {
        let mut r = rule(TYPE_KEY_NOTIFY, &[1]);
        r.info_filter = 0x100;
        assert!(Filter::new(&[r]).is_err());
        let mut r = rule(TYPE_KEY_NOTIFY, &[1]);
        r.info_mask = INFO_LENGTH;
        assert!(Filter::new(&[r]).is_err());
        // Even a rule of an unknown type is checked.
        let mut r = rule(1000, &[1]);
        r.info_mask = 1;
        assert!(Filter::new(&[r]).is_err());
    }
}
