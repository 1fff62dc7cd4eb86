//! Weight tables in memory backed by 2 MiB pages where the OS allows it.
//!
//! Inference reads tens of megabytes of weight tables at random (hashed rows,
//! open-addressing slots): with 4 KiB pages almost every read also misses the
//! TLB, and the page walk costs as much as the cache miss itself. An anonymous
//! mapping advised as a transparent huge page (Linux `MADV_HUGEPAGE`) covers the
//! same tables with a few dozen TLB entries. Where mapping or the advice is
//! unavailable the table is a plain heap allocation: the values, and so every
//! prediction, are the same either way.

use bytemuck::Pod;
use memmap2::MmapMut;

/// Huge pages are 2 MiB on x86-64 and (by default) on aarch64 Linux; the backing
/// mapping is aligned to this so every full 2 MiB of the table can be one page.
const HUGE: usize = 2 << 20;

/// Below this a table fits in a few 4 KiB pages and gains nothing.
const MIN_HUGE_BYTES: usize = 1 << 20;

enum Backing<T: Pod> {
    Heap(Vec<T>),
    /// `offset` (bytes) is where the 2 MiB-aligned table starts in the mapping.
    Mapped {
        map: MmapMut,
        offset: usize,
        len: usize,
    },
}

/// A fixed-length, zero-initialised array of plain values. Dereferences to a
/// slice; its length never changes after construction.
pub struct Table<T: Pod> {
    backing: Backing<T>,
}

impl<T: Pod> Table<T> {
    /// `len` zeroed values.
    pub fn zeroed(len: usize) -> Table<T> {
        let bytes = len.saturating_mul(std::mem::size_of::<T>());
        if bytes >= MIN_HUGE_BYTES {
            if let Some(backing) = Self::mapped(len, bytes) {
                return Table { backing };
            }
        }
        Table {
            backing: Backing::Heap(vec![T::zeroed(); len]),
        }
    }

    /// A table holding `values` (copied).
    pub fn from_slice(values: &[T]) -> Table<T> {
        let mut t = Table::zeroed(values.len());
        t.copy_from_slice(values);
        t
    }

    fn mapped(len: usize, bytes: usize) -> Option<Backing<T>> {
        let map = MmapMut::map_anon(bytes.checked_add(HUGE)?).ok()?;
        let addr = map.as_ptr() as usize;
        let offset = addr.next_multiple_of(HUGE) - addr;
        // Advice before the first write, so the first touch of each 2 MiB
        // already faults in a huge page. Refused advice (THP disabled) is fine.
        #[cfg(target_os = "linux")]
        let _ = map.advise_range(memmap2::Advice::HugePage, offset, bytes);
        // The mapping is page-aligned and `offset` a multiple of 2 MiB, so the
        // cast below cannot fail on alignment; check anyway rather than assume.
        let ok = bytemuck::try_cast_slice::<u8, T>(&map[offset..offset + bytes]).is_ok();
        ok.then_some(Backing::Mapped { map, offset, len })
    }

    /// Whether the table lives in a mapping advised for huge pages.
    pub fn is_mapped(&self) -> bool {
        matches!(self.backing, Backing::Mapped { .. })
    }
}

/// Starts loading the cache line that holds `x` without waiting for it.
///
/// Scoring reads a hundred rows at random per decision, each a likely cache
/// miss. Reading them all once before summing (a load each) also overlaps the
/// misses, but every such load occupies the reorder window until its data
/// arrives, so only a few dozen are in flight at a time; a prefetch retires at
/// once and leaves the window to the next ones. Elsewhere than x86-64 a plain
/// read stands in for it.
#[inline(always)]
pub fn prefetch<T: Copy>(x: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is only a hint to the cache: it never faults, reads
    // nothing into the program and writes nothing; the address comes from a
    // live reference besides.
    unsafe {
        std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(
            (x as *const T).cast(),
        )
    };
    #[cfg(not(target_arch = "x86_64"))]
    std::hint::black_box(*x);
}

impl<T: Pod> std::ops::Deref for Table<T> {
    type Target = [T];
    #[inline(always)]
    fn deref(&self) -> &[T] {
        match &self.backing {
            Backing::Heap(v) => v,
            Backing::Mapped { map, offset, len } => {
                let bytes = &map[*offset..*offset + len * std::mem::size_of::<T>()];
                bytemuck::cast_slice(bytes)
            }
        }
    }
}

impl<T: Pod> std::ops::DerefMut for Table<T> {
    #[inline(always)]
    fn deref_mut(&mut self) -> &mut [T] {
        match &mut self.backing {
            Backing::Heap(v) => v,
            Backing::Mapped { map, offset, len } => {
                let bytes = &mut map[*offset..*offset + *len * std::mem::size_of::<T>()];
                bytemuck::cast_slice_mut(bytes)
            }
        }
    }
}

impl<T: Pod> Clone for Table<T> {
    fn clone(&self) -> Self {
        Table::from_slice(self)
    }
}

impl<T: Pod + PartialEq> PartialEq for Table<T> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl<T: Pod> Default for Table<T> {
    fn default() -> Self {
        Table {
            backing: Backing::Heap(Vec::new()),
        }
    }
}

impl<T: Pod + std::fmt::Debug> std::fmt::Debug for Table<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Table")
            .field("len", &self.len())
            .field("mapped", &self.is_mapped())
            .finish()
    }
}

impl<T: Pod> From<Vec<T>> for Table<T> {
    fn from(v: Vec<T>) -> Self {
        if v.len() * std::mem::size_of::<T>() >= MIN_HUGE_BYTES {
            Table::from_slice(&v)
        } else {
            Table {
                backing: Backing::Heap(v),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_tables_are_heap_and_zeroed() {
        let t: Table<u32> = Table::zeroed(10);
        assert!(!t.is_mapped());
        assert_eq!(&*t, &[0u32; 10]);
    }

    #[test]
    fn large_tables_hold_what_is_written() {
        let mut t: Table<i16> = Table::zeroed(3 << 20);
        assert_eq!(t.len(), 3 << 20);
        assert!(t.iter().all(|&x| x == 0));
        for (i, x) in t.iter_mut().enumerate() {
            *x = (i % 1000) as i16;
        }
        let c = t.clone();
        assert_eq!(c, t);
        assert_eq!(c[2999], 999);
        assert_eq!(c[(3 << 20) - 1], (((3 << 20) - 1) % 1000) as i16);
    }

    #[test]
    fn prefetch_changes_nothing() {
        let t: Table<u32> = Table::from_slice(&[7, 8, 9]);
        for x in t.iter() {
            prefetch(x);
        }
        assert_eq!(&*t, &[7, 8, 9]);
    }

    #[test]
    fn from_vec_keeps_values() {
        let v: Vec<[u8; 4]> = (0..(1u32 << 19)).map(|i| i.to_le_bytes()).collect();
        let t = Table::from(v.clone());
        assert_eq!(&*t, &v[..]);
        let small: Table<u64> = Table::from(vec![1, 2, 3]);
        assert_eq!(&*small, &[1, 2, 3]);
    }
}
