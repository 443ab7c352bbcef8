//! Statistical disclosure control of additive tables: primary and secondary (complementary)
//! suppression, for every audience at once.
//!
//! A published table is a set of cells tied by **lines**: a total and the parts that add up
//! to it (the network is the sum of its anchors; a programme the sum of its anchors'
//! cells). A cell is **primary**-suppressed when the caller says it is too small to show
//! (too few suppliers or payments for spend, fewer than 10 people for workforce and jobs
//! figures). Hiding it is not enough: subtracting the published parts of a line from its
//! published total gives it back. [`suppress`] hides further (**secondary**) cells until no
//! chain of such subtractions recovers a suppressed cell, for every audience:
//!
//! * the public: no suppressed cell may be recovered at all;
//! * the members of an owner (an anchor), who also know their owner's cells: no
//!   primary-suppressed cell of another owner (or of a total) may be recovered.
//!
//! One pattern serves all of them (a member sees it plus their own cells), so that what one
//! audience sees cannot be combined with what another sees. The web's published cube
//! (`anchornet-web`'s `privacy` module) and the jobs funnel (`anchornet-workforce`) both
//! suppress through this one function.

use std::collections::BTreeSet;

/// One cell of an additive table, as disclosure control sees it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cell {
    /// Its size (what the smallest-first choice of complementary cells reads).
    pub value: i64,
    /// Too small to publish (primary suppression), by the caller's rule.
    pub small: bool,
    /// A known empty cell (nothing in it at all): published, never needed as a complement.
    pub empty: bool,
    /// The owner whose data alone it is (its members know it); `None` for a total.
    pub owner: Option<u16>,
}

/// An additive relationship: `total` is the sum of `parts` (indices into the cells).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The marginal cell.
    pub total: usize,
    /// The cells that add up to it.
    pub parts: Vec<usize>,
}

impl Line {
    fn members(&self) -> impl Iterator<Item = usize> + '_ {
        std::iter::once(self.total).chain(self.parts.iter().copied())
    }
}

/// Whether a cell is published.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    /// Shown.
    Published,
    /// Hidden: too small.
    Primary,
    /// Hidden so that a primary-suppressed cell cannot be worked out from the others.
    Secondary,
}

impl Mark {
    /// Not shown.
    pub fn hidden(self) -> bool {
        self != Mark::Published
    }
}

/// Primary and secondary suppression of one additive table (pure).
///
/// A cell is primary-suppressed when it is `small` and not `empty`. Then, for every
/// audience — the public (who knows the published cells), and the members of each owner
/// (who also know that owner's cells) — lines are solved by subtraction as an attacker
/// would: a line with exactly one unknown member gives it away, and what is found is used in
/// the other lines, to a fixed point. When that recovers a cell the audience must not learn
/// (any suppressed cell for the public; a primary-suppressed cell not their own for a
/// member), the smallest published cell of that line is suppressed too, preferring cells no
/// member knows (totals) — an owner's cell never protects against its own members — and the
/// search starts again, until no audience recovers anything.
pub fn suppress(cells: &[Cell], lines: &[Line]) -> Vec<Mark> {
    let mut marks: Vec<Mark> = cells
        .iter()
        .map(|c| {
            if c.small && !c.empty {
                Mark::Primary
            } else {
                Mark::Published
            }
        })
        .collect();
    let mut lines_of: Vec<Vec<usize>> = vec![Vec::new(); cells.len()];
    for (l, line) in lines.iter().enumerate() {
        for i in line.members() {
            lines_of[i].push(l);
        }
    }
    let owners: BTreeSet<u16> = cells.iter().filter_map(|c| c.owner).collect();
    let audiences: Vec<Option<u16>> = std::iter::once(None)
        .chain(owners.into_iter().map(Some))
        .collect();
    // Cells that cannot be protected (every other member of the line is known to the
    // audience anyway): given up on, so the search ends. Not reached by the cube's lines.
    let mut given_up: Vec<Vec<bool>> = vec![vec![false; cells.len()]; audiences.len()];
    loop {
        let mut changed = false;
        for (ai, &a) in audiences.iter().enumerate() {
            // Every leak of one search is mended before searching again (a search costs a
            // pass over the cube; one per suppressed cell would be slow on a large one).
            loop {
                let found = leaks(cells, lines, &lines_of, &marks, a, &given_up[ai]);
                if found.leaks.is_empty() {
                    break;
                }
                let mut fresh = vec![false; cells.len()];
                for &(line, cell) in &found.leaks {
                    // Already mended by a cell hidden earlier in this round (the next
                    // search checks).
                    if lines[line].members().any(|i| i != cell && fresh[i]) {
                        continue;
                    }
                    match protect(cells, lines, &marks, a, &found.derived_by, line, cell) {
                        Some(k) => {
                            marks[k] = Mark::Secondary;
                            fresh[k] = true;
                            changed = true;
                        }
                        None => given_up[ai][cell] = true,
                    }
                }
            }
        }
        if !changed {
            return marks;
        }
    }
}

/// What one search by subtraction found: the cells the audience must not learn, each with
/// the line that gave it away, and how every cell used on the way was recovered.
struct Leaks {
    leaks: Vec<(usize, usize)>,
    derived_by: Vec<Option<usize>>,
}

fn owned(c: &Cell, a: Option<u16>) -> bool {
    a.is_some() && c.owner == a
}

/// Solve by subtraction as audience `a` would, to a fixed point; every cell found that it
/// must not learn.
fn leaks(
    cells: &[Cell],
    lines: &[Line],
    lines_of: &[Vec<usize>],
    marks: &[Mark],
    a: Option<u16>,
    given_up: &[bool],
) -> Leaks {
    let mut known: Vec<bool> = (0..cells.len())
        .map(|i| !marks[i].hidden() || owned(&cells[i], a))
        .collect();
    let mut unknown: Vec<usize> = lines
        .iter()
        .map(|l| l.members().filter(|&i| !known[i]).count())
        .collect();
    let mut stack: Vec<usize> = (0..lines.len()).filter(|&l| unknown[l] == 1).collect();
    let mut out = Leaks {
        leaks: Vec::new(),
        derived_by: vec![None; cells.len()],
    };
    while let Some(l) = stack.pop() {
        if unknown[l] != 1 {
            continue;
        }
        let Some(u) = lines[l].members().find(|&i| !known[i]) else {
            continue;
        };
        let must_not_learn = match a {
            None => true,
            Some(_) => marks[u] == Mark::Primary,
        };
        if must_not_learn && !given_up[u] {
            out.leaks.push((l, u));
        }
        out.derived_by[u] = Some(l);
        // The attacker goes on with what they found.
        known[u] = true;
        for &l2 in &lines_of[u] {
            unknown[l2] -= 1;
            if unknown[l2] == 1 {
                stack.push(l2);
            }
        }
    }
    out
}

/// The cell to suppress so that `target` is no longer recovered through `line`: the best
/// published cell of the line; failing that, protect one of the line's other members that
/// was itself recovered, in the line that gave it away.
fn protect(
    cells: &[Cell],
    lines: &[Line],
    marks: &[Mark],
    a: Option<u16>,
    derived_by: &[Option<usize>],
    line: usize,
    target: usize,
) -> Option<usize> {
    let best = lines[line]
        .members()
        .filter(|&i| {
            i != target && marks[i] == Mark::Published && !cells[i].empty && !owned(&cells[i], a)
        })
        .min_by_key(|&i| (cells[i].owner.is_some(), cells[i].value.unsigned_abs(), i));
    if best.is_some() {
        return best;
    }
    lines[line]
        .members()
        .filter(|&d| d != target)
        .filter_map(|d| derived_by[d].map(|l| (d, l)))
        .find_map(|(d, l)| protect(cells, lines, marks, a, derived_by, l, d))
}

/// Every cell audience `a` (`None`: the public; `Some(o)`: owner `o`'s members) recovers by
/// chains of subtraction that it must not learn: an attacker written separately from the
/// one inside [`suppress`] (repeat over all lines until nothing new), for tests and checks.
pub fn recovered(cells: &[Cell], lines: &[Line], marks: &[Mark], a: Option<u16>) -> Vec<usize> {
    let mut known: Vec<bool> = (0..cells.len())
        .map(|i| !marks[i].hidden() || (a.is_some() && cells[i].owner == a))
        .collect();
    let start = known.clone();
    loop {
        let mut more = false;
        for l in lines {
            let unknown: Vec<usize> = l.members().filter(|&i| !known[i]).collect();
            if unknown.len() == 1 {
                known[unknown[0]] = true;
                more = true;
            }
        }
        if !more {
            break;
        }
    }
    (0..cells.len())
        .filter(|&i| known[i] && !start[i])
        .filter(|&i| a.is_none() || marks[i] == Mark::Primary)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(value: i64, small: bool, owner: Option<u16>) -> Cell {
        Cell {
            value,
            small,
            empty: false,
            owner,
        }
    }

    #[test]
    fn a_programme_total_goes_when_one_of_three_anchors_is_small() {
        // total 75 = 40 + 27 + 8. Hiding 27 would protect 8 from the public, but the members
        // of the anchor with 27 know it: only hiding the total protects 8 from everyone.
        let cells = [
            cell(75, false, None),
            cell(40, false, Some(0)),
            cell(27, false, Some(1)),
            cell(8, true, Some(2)),
        ];
        let lines = [Line {
            total: 0,
            parts: vec![1, 2, 3],
        }];
        let m = suppress(&cells, &lines);
        assert_eq!(
            m,
            [
                Mark::Secondary,
                Mark::Published,
                Mark::Published,
                Mark::Primary
            ]
        );
        for a in [None, Some(0), Some(1), Some(2)] {
            assert!(recovered(&cells, &lines, &m, a).is_empty(), "{a:?}");
        }
    }

    #[test]
    fn nothing_small_nothing_hidden() {
        let cells = [
            cell(30, false, None),
            cell(10, false, Some(0)),
            cell(20, false, Some(1)),
        ];
        let lines = [Line {
            total: 0,
            parts: vec![1, 2],
        }];
        assert!(suppress(&cells, &lines).iter().all(|m| !m.hidden()));
    }
}
