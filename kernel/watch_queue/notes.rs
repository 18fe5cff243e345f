// SPDX-License-Identifier: GPL-2.0

//! The notes a queue posts into: preallocated by `IOC_WATCH_QUEUE_SET_SIZE`, allocated when a
//! notification is spliced into the ring ([`Notes::alloc`]) and freed when the reader releases
//! its pipe buffer ([`Notes::free`]). A [`Note`] is the right to give one back.

use kernel::{
    bitmap::BitmapVec,
    page::{Page, PAGE_SIZE},
    pipe::{BufPrivate, PageBytes},
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

/// A note taken by [`Notes::alloc`]: the only way to return it to the free notes, once.
///
/// # Invariants
///
/// `index` is a note of the [`Notes`] that made it, whose bit is clear, and no other `Note`
/// names it. It is neither `Copy` nor `Clone`.
pub(crate) struct Note {
    index: usize,
}

// A buffer of the ring keeps its note as the note's index.
impl BufPrivate for Note {
    #[inline]
    fn into_private(self) -> usize {
        self.index
    }

    #[inline]
    unsafe fn from_private(private: usize) -> Self {
        // INVARIANT: By the safety requirements `private` is the index of a `Note` given up by
        // `into_private`, taken back once: this is that `Note` again.
        Self { index: private }
    }
}

/// The preallocated notes of a queue.
///
/// # Invariants
///
/// `free` has one bit per note: `pages.len() * NOTES_PER_PAGE`. A set bit is a free note. A
/// clear bit is a note named by exactly one [`Note`], which a buffer of the pipe's ring owns
/// or a poster is writing: a `Note` is only made by the call that cleared its bit.
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

    /// Takes a free note and copies `record` into it. Returns the bytes written, for a pipe
    /// buffer, and the [`Note`] that gives the note back, or `None` if every note is in use.
    ///
    /// A note is taken by clearing its bit with a test: of two posters that found the same free
    /// note, only one gets it. Posters to a queue hold the lock of its pipe's ring, so that this
    /// does not happen, but the soundness of the copy does not rest on it.
    #[inline]
    pub(crate) fn alloc(&self, record: &[u8]) -> Option<(PageBytes<'_>, Note)> {
        if record.len() > NOTE_SIZE {
            return None;
        }
        // At most 512 notes, 8 words: inline, the scan costs less than `_find_next_bit()`.
        let index = self.free.first_bit_inline()?;
        if !self.free.test_and_clear_bit_atomic(index) {
            return None;
        }
        // INVARIANT: This call cleared the bit: this `Note` is the only one to name it.
        let note = Note { index };
        let page = &self.pages[index / NOTES_PER_PAGE];
        let offset = index % NOTES_PER_PAGE * NOTE_SIZE;
        // SAFETY: The note was free and this call cleared its bit, so by the type invariants
        // nothing else reads or writes it until `note` is given back.
        match unsafe { PageBytes::write(page, offset, record) } {
            Some(bytes) => Some((bytes, note)),
            // Not reached: a record of at most `NOTE_SIZE` bytes fits in its note.
            None => {
                self.free(note);
                None
            }
        }
    }

    /// Returns `note` to the free notes.
    pub(crate) fn free(&self, note: Note) {
        // A note of another queue's notes would be a bug: `NoteBuf` buffers are only in the
        // ring of the pipe whose queue made their note.
        if note.index >= self.len() {
            kernel::warn_on!(true);
            return;
        }
        // Atomic: a poster may be allocating another note of the same word under the ring lock,
        // which the reader releasing this buffer does not hold.
        self.free.set_bit_atomic(note.index);
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
        notes.free.clear_bit_atomic(NOTES_PER_PAGE + 3);
        assert_eq!(notes.nr_free(), 2 * NOTES_PER_PAGE - 1);
        notes.free(Note {
            index: NOTES_PER_PAGE + 3,
        });
        assert_eq!(notes.nr_free(), 2 * NOTES_PER_PAGE);
        assert_eq!(notes.free.next_bit(0), Some(0));
        Ok(())
    }
}
