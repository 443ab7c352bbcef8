//! Clustering links into entities, never across a conflict.
//!
//! Links are taken strongest first and join two clusters unless some pair of names across
//! them is in conflict. A conflict blocks a link weaker than it: a trading-name link may
//! cross a soft conflict (two registered names, as after a rename) but not a hard one; an
//! identifier link crosses both; only a must-link override crosses an identifier conflict;
//! nothing crosses a cannot-link override. This is what keeps a short name such as
//! `Ravensworth` from chaining `Ravensworth Resourcing` to `Ravensworth Business Services`: the second
//! join is refused because the two already conflict.

use crate::compare::{Reason, Strength};

/// A link between two names.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Link {
    /// One name (index).
    pub a: u32,
    /// The other name.
    pub b: u32,
    /// Confidence, 0–1.
    pub score: f32,
    /// Which conflicts it may cross: 0 none, 1 soft (a trading name), 2 soft and hard (an
    /// identifier), 3 all but a cannot-link (a must-link override, applied first).
    pub power: u8,
    /// Why.
    pub reason: Reason,
}

/// A conflict between two names.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Conflict {
    /// One name.
    pub a: u32,
    /// The other.
    pub b: u32,
    /// How strong.
    pub strength: Strength,
    /// Why.
    pub reason: Reason,
}

/// What the clustering did with each link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// Joined two clusters.
    Joined,
    /// The two names were already in one cluster.
    Redundant,
    /// Refused: a conflict across the clusters (the blocking pair).
    Blocked(u32, u32),
}

/// No owner.
pub const NO_OWNER: u32 = u32::MAX;

/// Union–find over names with the conflicts of each cluster.
pub struct Clusters {
    parent: Vec<u32>,
    size: Vec<u32>,
    /// For each root: (name in conflict with a member, strength, member).
    conflicts: Vec<Vec<(u32, Strength, u32)>>,
    /// For each root: the entity of an earlier run it belongs to, or [`NO_OWNER`]. Two
    /// clusters of different earlier entities join only by a must-link.
    owner: Vec<u32>,
    /// A member of each root with an owner (to report what blocked a join).
    owner_member: Vec<u32>,
}

impl Clusters {
    /// `n` singleton clusters.
    pub fn new(n: usize) -> Clusters {
        Clusters {
            parent: (0..n as u32).collect(),
            size: vec![1; n],
            conflicts: vec![Vec::new(); n],
            owner: vec![NO_OWNER; n],
            owner_member: (0..n as u32).collect(),
        }
    }

    /// Mark a name as belonging to an entity of an earlier run.
    pub fn set_owner(&mut self, x: u32, owner: u32) {
        let r = self.find(x);
        self.owner[r as usize] = owner;
        self.owner_member[r as usize] = x;
    }

    /// Record a conflict.
    pub fn add_conflict(&mut self, c: &Conflict) {
        let (ra, rb) = (self.find(c.a), self.find(c.b));
        self.conflicts[ra as usize].push((c.b, c.strength, c.a));
        self.conflicts[rb as usize].push((c.a, c.strength, c.b));
    }

    /// The cluster (root) of a name.
    pub fn find(&mut self, x: u32) -> u32 {
        let mut r = x;
        while self.parent[r as usize] != r {
            r = self.parent[r as usize];
        }
        let mut y = x;
        while self.parent[y as usize] != r {
            let next = self.parent[y as usize];
            self.parent[y as usize] = r;
            y = next;
        }
        r
    }

    /// Join the clusters of `a` and `b` unless a conflict at least as strong as `power`
    /// allows keeps them apart.
    pub fn join(&mut self, a: u32, b: u32, power: u8) -> Fate {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return Fate::Redundant;
        }
        let (oa, ob) = (self.owner[ra as usize], self.owner[rb as usize]);
        if oa != NO_OWNER && ob != NO_OWNER && oa != ob && power < 3 {
            return Fate::Blocked(
                self.owner_member[ra as usize],
                self.owner_member[rb as usize],
            );
        }
        let (small, other) =
            if self.conflicts[ra as usize].len() <= self.conflicts[rb as usize].len() {
                (ra, rb)
            } else {
                (rb, ra)
            };
        let list = std::mem::take(&mut self.conflicts[small as usize]);
        let mut blocked = None;
        for &(x, s, member) in &list {
            if (s as u8) > power && self.find(x) == other {
                blocked = Some((member, x));
                break;
            }
        }
        self.conflicts[small as usize] = list;
        if let Some((m, x)) = blocked {
            return Fate::Blocked(m, x);
        }
        let (big, little) = if self.size[ra as usize] >= self.size[rb as usize] {
            (ra, rb)
        } else {
            (rb, ra)
        };
        self.parent[little as usize] = big;
        self.size[big as usize] += self.size[little as usize];
        if self.owner[big as usize] == NO_OWNER {
            self.owner[big as usize] = self.owner[little as usize];
            self.owner_member[big as usize] = self.owner_member[little as usize];
        }
        let moved = std::mem::take(&mut self.conflicts[little as usize]);
        self.conflicts[big as usize].extend(moved);
        Fate::Joined
    }

    /// Whether a conflict keeps the clusters of `a` and `b` apart against a link of `power`.
    pub fn blocked(&mut self, a: u32, b: u32, power: u8) -> bool {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return false;
        }
        let list = std::mem::take(&mut self.conflicts[ra as usize]);
        let hit = list
            .iter()
            .any(|&(x, s, _)| (s as u8) > power && self.find(x) == rb);
        self.conflicts[ra as usize] = list;
        hit
    }
}

/// Cluster `n` names: links strongest first (ties by index, so the result is the same on
/// every run). `owners` gives each name's entity of an earlier run ([`NO_OWNER`] for
/// none; may be empty). Returns the root of each name and the fate of each link, in the
/// order given.
pub fn cluster(
    n: usize,
    links: &[Link],
    conflicts: &[Conflict],
    owners: &[u32],
) -> (Vec<u32>, Vec<Fate>) {
    let mut c = Clusters::new(n);
    for (x, &o) in owners.iter().enumerate() {
        if o != NO_OWNER {
            c.set_owner(x as u32, o);
        }
    }
    for x in conflicts {
        c.add_conflict(x);
    }
    let mut order: Vec<usize> = (0..links.len()).collect();
    // Must-link overrides (power 3) go before everything; the rest strictly by score.
    order.sort_by(|&i, &j| {
        let (x, y) = (&links[i], &links[j]);
        (y.power >= 3)
            .cmp(&(x.power >= 3))
            .then(y.score.total_cmp(&x.score))
            .then((x.a, x.b).cmp(&(y.a, y.b)))
    });
    let mut fate = vec![Fate::Redundant; links.len()];
    for i in order {
        let l = &links[i];
        fate[i] = c.join(l.a, l.b, l.power);
    }
    let roots = (0..n as u32).map(|x| c.find(x)).collect();
    (roots, fate)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(a: u32, b: u32, score: f32) -> Link {
        Link {
            a,
            b,
            score,
            power: 0,
            reason: Reason::SameWords,
        }
    }

    #[test]
    fn conflicts_stop_chains() {
        // 0 = Ravensworth, 1 = Ravensworth Resourcing, 2 = Ravensworth Business Services.
        let links = [link(0, 1, 0.8), link(0, 2, 0.75)];
        let conf = [Conflict {
            a: 1,
            b: 2,
            strength: Strength::Soft,
            reason: Reason::DivergingNames,
        }];
        let (roots, fate) = cluster(3, &links, &conf, &[]);
        assert_eq!(roots[0], roots[1]);
        assert_ne!(roots[0], roots[2]);
        assert!(matches!(fate[1], Fate::Blocked(_, _)));
        // An identifier link crosses a soft conflict.
        let mut l2 = links;
        l2[1].power = 2;
        let (roots, _) = cluster(3, &l2, &conf, &[]);
        assert_eq!(roots[0], roots[2]);
    }
}
