//! Typed IDs: an index into one kind of list, so a unit's index can never be used for a person.
//! Plans, districts, units, persons, indicators, comparisons and regions are numbered site-wide;
//! tasks and sections within their plan.

use std::marker::PhantomData;
use std::ops::{Deref, Index, IndexMut};

use serde::Serialize;

/// An index into an [`IdVec`] of one kind.
pub trait Id: Copy + Eq + Ord + std::hash::Hash + std::fmt::Debug {
    fn new(index: usize) -> Self;
    fn index(self) -> usize;
}

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(transparent)]
        pub struct $name(u32);

        impl Id for $name {
            fn new(index: usize) -> Self {
                $name(u32::try_from(index).expect("fewer than 4 billion items"))
            }
            fn index(self) -> usize {
                self.0 as usize
            }
        }
    )*};
}

ids!(
    /// A plan, by its place in the site's plans (ordered by district, period and file).
    PlanId,
    /// A district of `site.yaml`, in its order.
    DistrictId,
    /// A unit: those of `site.yaml` in its order, then those met in content.
    UnitId,
    /// A responsible person: those of `site.yaml`, then those met in content.
    PersonId,
    /// An indicator of the registry.
    IndicatorId,
    /// A task of one plan, in the plan's order.
    TaskId,
    /// A numbered heading of one plan, in the plan's order.
    SectionId,
    /// A comparison of two plans.
    ComparisonId,
    /// A region (a group of districts) with plans side by side.
    RegionId,
);

/// A list indexed by one kind of [`Id`]. It reads as a slice too, for iterating and counting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdVec<I, T> {
    items: Vec<T>,
    _id: PhantomData<I>,
}

impl<I, T> Default for IdVec<I, T> {
    fn default() -> Self {
        IdVec {
            items: Vec::new(),
            _id: PhantomData,
        }
    }
}

impl<I: Id, T> IdVec<I, T> {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an item; returns its ID.
    pub fn push(&mut self, item: T) -> I {
        self.items.push(item);
        I::new(self.items.len() - 1)
    }

    pub fn get(&self, id: I) -> Option<&T> {
        self.items.get(id.index())
    }

    /// Every ID, in order.
    pub fn ids(&self) -> impl DoubleEndedIterator<Item = I> + ExactSizeIterator + use<I, T> {
        (0..self.items.len()).map(I::new)
    }

    /// Every item with its ID, in order.
    pub fn iter_ids(&self) -> impl DoubleEndedIterator<Item = (I, &T)> {
        self.items.iter().enumerate().map(|(i, t)| (I::new(i), t))
    }

    pub fn into_vec(self) -> Vec<T> {
        self.items
    }

    pub fn iter_mut(&mut self) -> std::slice::IterMut<'_, T> {
        self.items.iter_mut()
    }

    /// Gives back the room grown for items never pushed: a site keeps every plan's lists for
    /// the whole build.
    pub fn shrink_to_fit(&mut self) {
        self.items = exact(std::mem::take(&mut self.items));
    }
}

/// The same items in an allocation of the exact size. Not `Vec::shrink_to_fit`: that asks the
/// allocator to shrink in place, which mimalloc does by keeping the block when it is at least
/// half used.
pub fn exact<T>(mut items: Vec<T>) -> Vec<T> {
    let mut out = Vec::with_capacity(items.len());
    out.append(&mut items);
    out
}

impl<I, T> From<Vec<T>> for IdVec<I, T> {
    fn from(items: Vec<T>) -> Self {
        IdVec {
            items,
            _id: PhantomData,
        }
    }
}

impl<I, T> FromIterator<T> for IdVec<I, T> {
    fn from_iter<It: IntoIterator<Item = T>>(iter: It) -> Self {
        Vec::from_iter(iter).into()
    }
}

impl<I, T> Deref for IdVec<I, T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        &self.items
    }
}

impl<I: Id, T> Index<I> for IdVec<I, T> {
    type Output = T;
    fn index(&self, id: I) -> &T {
        &self.items[id.index()]
    }
}

impl<I: Id, T> IndexMut<I> for IdVec<I, T> {
    fn index_mut(&mut self, id: I) -> &mut T {
        &mut self.items[id.index()]
    }
}

impl<'a, I, T> IntoIterator for &'a IdVec<I, T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.iter()
    }
}

impl<I, T: Serialize> Serialize for IdVec<I, T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.items.serialize(s)
    }
}
