//! [`Sorted`]: diagnostics in the order [`sort`] gives, held in shared parts, one per file, so
//! that a list kept between the dev server's saves costs what a save changes: the parts of the
//! files a save did not touch are shared with the list before, not made, copied or sorted again
//! (tens of thousands of warnings on a large site).

use super::{Diagnostic, sort};
use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

/// Parts a chunk holds at most once split: a copy of the list copies one pointer per chunk, and a
/// change to one file copies the pointers of one chunk.
const CHUNK: usize = 64;

/// Consecutive parts of a list, with their counts.
#[derive(Debug, Clone, Default)]
struct Chunk {
    /// Non-empty parts, one file each, in file order.
    parts: Vec<Arc<[Diagnostic]>>,
    /// Diagnostics in all.
    len: usize,
    /// Errors among them.
    errors: usize,
}

impl Chunk {
    fn of(parts: Vec<Arc<[Diagnostic]>>) -> Chunk {
        let mut chunk = Chunk { parts: Vec::new(), len: 0, errors: 0 };
        for part in parts {
            chunk.insert(chunk.parts.len(), part);
        }
        chunk
    }

    fn last_file(&self) -> &str {
        self.parts.last().map_or("", |p| p[0].file.as_str())
    }

    fn counts(part: &[Diagnostic]) -> (usize, usize) {
        (part.len(), part.iter().filter(|d| d.is_error()).count())
    }

    fn insert(&mut self, at: usize, part: Arc<[Diagnostic]>) {
        let (len, errors) = Chunk::counts(&part);
        self.len += len;
        self.errors += errors;
        self.parts.insert(at, part);
    }

    fn remove(&mut self, at: usize) {
        let (len, errors) = Chunk::counts(&self.parts.remove(at));
        self.len -= len;
        self.errors -= errors;
    }
}

/// Diagnostics in the order [`sort`] gives, held in shared parts, one per file (see the module's
/// documentation). A copy shares every part.
#[derive(Debug, Clone, Default)]
pub struct Sorted {
    /// Non-empty chunks, in file order.
    chunks: Vec<Arc<Chunk>>,
}

impl Sorted {
    /// Sorts `diagnostics` and splits them into parts.
    pub fn new(mut diagnostics: Vec<Diagnostic>) -> Sorted {
        sort(&mut diagnostics);
        let mut parts = Vec::new();
        let mut rest = diagnostics.as_slice();
        while let Some(first) = rest.first() {
            let n = rest.iter().take_while(|d| d.file == first.file).count();
            parts.push(Arc::from(&rest[..n]));
            rest = &rest[n..];
        }
        Sorted::from_parts(parts)
    }

    /// A list made of the diagnostics of each file, each part already sorted by [`sort`], given
    /// in file order; empty parts are left out.
    pub fn from_parts(parts: impl IntoIterator<Item = Arc<[Diagnostic]>>) -> Sorted {
        let parts: Vec<Arc<[Diagnostic]>> = parts.into_iter().filter(|p| !p.is_empty()).collect();
        debug_assert!(parts.windows(2).all(|w| w[0][0].file < w[1][0].file), "parts in file order");
        Sorted { chunks: parts.chunks(CHUNK).map(|c| Arc::new(Chunk::of(c.to_vec()))).collect() }
    }

    /// The part of `file`, if it has diagnostics.
    pub fn part(&self, file: &str) -> Option<&Arc<[Diagnostic]>> {
        let chunk = self.chunks.get(self.chunks.partition_point(|c| c.last_file() < file))?;
        let at = chunk.parts.binary_search_by(|p| p[0].file.as_str().cmp(file)).ok()?;
        Some(&chunk.parts[at])
    }

    /// Makes `part`, sorted by [`sort`] and all of `file`, the diagnostics of `file`: replaced,
    /// added in its place, or removed when `part` is empty. Only the chunk of `file` is copied,
    /// when it is shared.
    pub fn set(&mut self, file: &str, part: Arc<[Diagnostic]>) {
        debug_assert!(part.iter().all(|d| d.file == file), "a part holds one file");
        let c = self.chunks.partition_point(|ch| ch.last_file() < file);
        if c == self.chunks.len() {
            if part.is_empty() {
                return;
            }
            match self.chunks.last_mut() {
                Some(last) if last.parts.len() < CHUNK => {
                    let last = Arc::make_mut(last);
                    last.insert(last.parts.len(), part);
                }
                _ => self.chunks.push(Arc::new(Chunk::of(vec![part]))),
            }
            return;
        }
        let chunk = Arc::make_mut(&mut self.chunks[c]);
        let found = chunk.parts.binary_search_by(|p| p[0].file.as_str().cmp(file));
        if let Ok(at) = found {
            chunk.remove(at);
        }
        if !part.is_empty() {
            chunk.insert(found.unwrap_or_else(|at| at), part);
        }
        if chunk.parts.is_empty() {
            self.chunks.remove(c);
        } else if chunk.parts.len() > 2 * CHUNK {
            let tail = Chunk::of(chunk.parts.split_off(CHUNK));
            let head = Chunk::of(std::mem::take(&mut chunk.parts));
            *chunk = head;
            self.chunks.insert(c + 1, Arc::new(tail));
        }
    }

    /// The list [`sort`] makes of `before`, then `middle`'s diagnostics, then `after`: the
    /// parts of `middle` that neither names a file of are shared, not copied.
    pub fn around(before: Vec<Diagnostic>, middle: &Sorted, after: Vec<Diagnostic>) -> Sorted {
        type Sides = (Vec<Diagnostic>, Vec<Diagnostic>);
        let mut extra: BTreeMap<String, Sides> = BTreeMap::new();
        for d in before {
            extra.entry(d.file.clone()).or_default().0.push(d);
        }
        for d in after {
            extra.entry(d.file.clone()).or_default().1.push(d);
        }
        let mut list = middle.clone();
        for (file, (mut all, after)) in extra {
            all.extend(middle.part(&file).into_iter().flat_map(|p| p.iter()).cloned());
            all.extend(after);
            sort(&mut all);
            list.set(&file, Arc::from(all));
        }
        list
    }

    /// Every diagnostic, in order.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.parts().flat_map(|p| p.iter())
    }

    /// The parts, one per file, in file order.
    pub fn parts(&self) -> impl Iterator<Item = &Arc<[Diagnostic]>> {
        self.chunks.iter().flat_map(|c| c.parts.iter())
    }

    /// How many diagnostics there are.
    pub fn len(&self) -> usize {
        self.chunks.iter().map(|c| c.len).sum()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.chunks.is_empty()
    }

    /// Whether one of them stops the build.
    pub fn has_error(&self) -> bool {
        self.chunks.iter().any(|c| c.errors > 0)
    }

    /// A copy of every diagnostic, in order.
    pub fn to_vec(&self) -> Vec<Diagnostic> {
        self.iter().cloned().collect()
    }

    /// The diagnostics of this list that `other` does not have, in order. The chunks and parts
    /// both lists share are not looked into: after a save, this costs what the save changed.
    pub fn not_in(&self, other: &Sorted) -> Vec<Diagnostic> {
        fn key(d: &Diagnostic) -> (u32, u32, &str) {
            (d.line, d.column, d.code)
        }
        let shared: HashSet<*const Chunk> = other.chunks.iter().map(Arc::as_ptr).collect();
        let mut fresh = Vec::new();
        for chunk in self.chunks.iter().filter(|c| !shared.contains(&Arc::as_ptr(c))) {
            for part in &chunk.parts {
                let was: &[Diagnostic] = match other.part(&part[0].file) {
                    Some(p) if Arc::ptr_eq(p, part) => continue,
                    Some(p) => p,
                    None => &[],
                };
                fresh.extend(
                    part.iter()
                        .filter(|d| {
                            let from = was.partition_point(|b| key(b) < key(d));
                            !was[from..].iter().take_while(|b| key(b) == key(d)).any(|b| b == *d)
                        })
                        .cloned(),
                );
            }
        }
        fresh
    }
}

impl PartialEq for Sorted {
    fn eq(&self, other: &Sorted) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(file: &str, line: u32) -> Diagnostic {
        Diagnostic::warning("M066", file, line, 1, "x")
    }

    #[test]
    fn parts_hold_one_file_each_in_order() {
        let all = vec![w("b", 2), w("a", 3), w("b", 1), w("a", 1), w("c", 1)];
        let sorted = Sorted::new(all.clone());
        let mut expected = all;
        sort(&mut expected);
        assert_eq!(sorted.to_vec(), expected);
        let files: Vec<&str> = sorted.parts().map(|p| p[0].file.as_str()).collect();
        assert_eq!(files, ["a", "b", "c"]);
        assert_eq!(sorted.len(), 5);
        let again = Sorted::from_parts(sorted.parts().cloned().chain([Arc::from(Vec::new())]));
        assert_eq!(again, sorted);
        assert!(Sorted::new(Vec::new()).is_empty());
        // Around a shared list: the same as sorting everything, ties in the order given.
        let tie = |file: &str, message: &str| Diagnostic::warning("M001", file, 1, 1, message);
        let before = vec![tie("b", "avant"), tie("0", "seul")];
        let after = vec![tie("b", "après"), w("d", 1)];
        let around = Sorted::around(before.clone(), &sorted, after.clone());
        let mut everything: Vec<Diagnostic> = before.into_iter().chain(sorted.to_vec()).chain(after).collect();
        sort(&mut everything);
        assert_eq!(around.to_vec(), everything);
        assert!(Arc::ptr_eq(around.part("a").unwrap(), sorted.part("a").unwrap()), "the part of « a » is shared");
    }

    /// Parts set one by one, in any order, over many chunks: the list is the one sorting gives,
    /// its counts follow, and a copy keeps what it was.
    #[test]
    fn parts_set_in_place_give_the_sorted_list() {
        let file = |i: usize| format!("content/membres/m{:04}.yaml", (i * 7919) % 1000);
        let mut list = Sorted::default();
        let mut all = Vec::new();
        for i in 0..1000 {
            let part = vec![w(&file(i), 2), w(&file(i), 5)];
            all.extend(part.iter().cloned());
            list.set(&file(i), Arc::from(part));
        }
        sort(&mut all);
        assert_eq!(list.to_vec(), all);
        assert!(list.chunks.len() >= 1000 / (2 * CHUNK) && list.chunks.iter().all(|c| c.parts.len() <= 2 * CHUNK));
        let before = list.clone();
        let error = Diagnostic::error("M054", &file(3), 3, 1, "doublon");
        list.set(&file(3), Arc::from(vec![error.clone()]));
        list.set(&file(4), Arc::from(Vec::new()));
        list.set("content/zz.yaml", Arc::from(vec![w("content/zz.yaml", 1)]));
        assert!(list.has_error() && !before.has_error());
        assert_eq!(list.len(), 2000 - 2 - 2 + 1 + 1);
        assert_eq!(before.to_vec(), all, "a copy keeps its parts");
        assert_eq!(list.not_in(&before), vec![error, w("content/zz.yaml", 1)]);
        assert!(before.not_in(&before).is_empty());
        let rebuilt = Sorted::from_parts(list.parts().map(|p| Arc::from(p.to_vec())));
        assert!(list.not_in(&rebuilt).is_empty() && rebuilt == list);
    }
}
