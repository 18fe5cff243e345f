// SPDX-License-Identifier: GPL-2.0

//! The notes a queue posts into: preallocated by `IOC_WATCH_QUEUE_SET_SIZE`, allocated when a
//! notification is spliced into the ring ([`Notes::alloc`]) and freed when the reader releases
//! its pipe buffer ([`Notes::free`]).

use kernel::{
    bindings,
    bitmap::BitmapVec,
    page::{Page, PAGE_SIZE},
    pipe::Ring,
    prelude::*,
};

/// The size of a note: a record is at most 127 bytes long.
pub(crate) const NOTE_SIZE: usize = 128;

/// The number of notes in a page.
pub(crate) const NOTES_PER_PAGE: usize = PAGE_SIZE / NOTE_SIZE;

/// The most notes a queue may have.
pub(crate) const MAX_NOTES: u32 = 512;

/// Returns the number of pages that hold `nr_notes` notes.
pub(crate) const fn pages_for(nr_notes: usize) -> usize {
    nr_notes.div_ceil(NOTES_PER_PAGE)
}

/// Returns which note of its page a buffer of `len` bytes at `offset` holds.
///
/// A note holds a record of 1 to 127 bytes at the start of its 128-byte slot, so the last byte
/// of the data lies in the note even if the buffer's start were advanced.
pub(crate) const fn note_in_page(offset: usize, len: usize) -> usize {
    (offset + len).saturating_sub(1) / NOTE_SIZE
}

/// The preallocated notes of a queue.
///
/// # Invariants
///
/// `free` has one bit per note: `pages.len() * NOTES_PER_PAGE`. A set bit is a free note. A
/// clear bit is a note owned by a buffer of the pipe's ring, or being written by the holder of
/// the ring's lock, which is the only context that allocates notes.
pub(crate) struct Notes {
    pages: KVec<Page>,
    free: BitmapVec,
}

impl Notes {
    /// Allocates `nr_pages` pages of notes, all free.
    pub(crate) fn new(nr_pages: usize) -> Result<Self> {
        let mut pages = KVec::with_capacity(nr_pages, GFP_KERNEL)?;
        for _ in 0..nr_pages {
            pages.push(Page::alloc_page(GFP_KERNEL)?, GFP_KERNEL)?;
        }
        let nr_notes = nr_pages * NOTES_PER_PAGE;
        let mut free = BitmapVec::new(nr_notes, GFP_KERNEL)?;
        for note in 0..nr_notes {
            free.set_bit(note);
        }
        // INVARIANT: One bit per note, all set: nothing is in the ring yet.
        Ok(Self { pages, free })
    }

    /// Returns the number of notes.
    pub(crate) fn len(&self) -> usize {
        self.free.len()
    }

    /// Returns the number of free notes.
    #[cfg(CONFIG_KUNIT)]
    pub(crate) fn nr_free(&self) -> usize {
        let mut count = 0;
        let mut next = self.free.next_bit(0);
        while let Some(note) = next {
            count += 1;
            next = self.free.next_bit(note + 1);
        }
        count
    }

    /// Takes a free note and copies `record` into it. Returns the note's page and offset, and
    /// its index for [`Notes::free_index`], or `None` if every note is in use.
    ///
    /// The ring's lock, held by the caller (`_ring`), serialises the allocations.
    pub(crate) fn alloc(&self, _ring: &Ring<'_>, record: &[u8]) -> Option<(&Page, u32, usize)> {
        if record.len() > NOTE_SIZE {
            return None;
        }
        let note = self.free.next_bit(0)?;
        self.free.clear_bit_atomic(note);
        let page = &self.pages[note / NOTES_PER_PAGE];
        let offset = note % NOTES_PER_PAGE * NOTE_SIZE;
        // SAFETY: `offset + record.len()` lies within the page. The note was free and its bit is
        // now clear, so by the type invariants nothing else reads or writes it until the buffer
        // that will own it is released.
        if unsafe { page.write_raw(record.as_ptr(), offset, record.len()) }.is_err() {
            self.free.set_bit_atomic(note);
            return None;
        }
        Some((page, offset as u32, note))
    }

    /// Returns a note taken by [`Notes::alloc`] that never made it into the ring.
    pub(crate) fn free_index(&self, note: usize) {
        if note < self.len() {
            self.free.set_bit_atomic(note);
        }
    }

    /// Returns the note held by a released pipe buffer (`page`, `offset`, `len`) to the free
    /// notes.
    pub(crate) fn free(&self, page: *mut bindings::page, offset: u32, len: u32) {
        let Some(index) = self.pages.iter().position(|p| p.as_ptr() == page) else {
            kernel::warn_on!(true);
            return;
        };
        let note = index * NOTES_PER_PAGE + note_in_page(offset as usize, len as usize);
        // Atomic: a poster may be allocating another note of the same word under the ring lock,
        // which the reader releasing this buffer does not hold.
        self.free.set_bit_atomic(note);
    }
}

#[kunit_tests(watch_queue_notes)]
mod tests {
    use super::*;

    #[test]
    fn pages_round_up() {
        assert_eq!(pages_for(1), 1);
        assert_eq!(pages_for(NOTES_PER_PAGE), 1);
        assert_eq!(pages_for(NOTES_PER_PAGE + 1), 2);
        assert_eq!(
            pages_for(MAX_NOTES as usize),
            MAX_NOTES as usize / NOTES_PER_PAGE
        );
    }

    #[test]
    fn note_of_buffer() {
        assert_eq!(note_in_page(0, 16), 0);
        assert_eq!(note_in_page(0, 127), 0);
        assert_eq!(note_in_page(128, 8), 1);
        assert_eq!(note_in_page(PAGE_SIZE - NOTE_SIZE, 127), NOTES_PER_PAGE - 1);
        // A buffer whose start was advanced still names its note.
        assert_eq!(note_in_page(200, 40), 1);
    }

    #[test]
    fn bitmap_sized_from_pages() -> Result {
        // One note asked for still gets a whole page of notes, and a bit for each (bug: the
        // bitmap was sized from the request).
        let notes = Notes::new(pages_for(1))?;
        assert_eq!(notes.len(), NOTES_PER_PAGE);
        assert_eq!(notes.nr_free(), NOTES_PER_PAGE);
        let notes = Notes::new(pages_for(MAX_NOTES as usize))?;
        assert_eq!(notes.len(), MAX_NOTES as usize);
        assert_eq!(notes.nr_free(), MAX_NOTES as usize);
        Ok(())
    }

    #[test]
    fn free_returns_the_note() -> Result {
        let notes = Notes::new(2)?;
        let page = notes.pages[1].as_ptr();
        notes.free.clear_bit_atomic(NOTES_PER_PAGE + 3);
        assert_eq!(notes.nr_free(), 2 * NOTES_PER_PAGE - 1);
        notes.free(page, (3 * NOTE_SIZE) as u32, 16);
        assert_eq!(notes.nr_free(), 2 * NOTES_PER_PAGE);
        assert_eq!(notes.free.next_bit(0), Some(0));
        Ok(())
    }
}
