//! Where a land or building asset stands for community use (community use, meanwhile use or
//! community asset transfer), and which moves between those stands are allowed. The one type
//! both doors use: the decisions file `anchornet assets --decisions` reads and the workspace's
//! stored decisions (`/assets/{asset}`), so a move refused by one is refused by the other.
//!
//! The workflow is `candidate → in-discussion → agreed → transferred`, with `not-suitable` to
//! set an asset aside. The moves ([`AssetStatus::may_move`]):
//!
//! * forward along the workflow, one step or several (a decision recorded late may skip a
//!   stage: `candidate → agreed`);
//! * back along it (talks ended: `agreed → in-discussion`, `in-discussion → candidate`);
//! * to `not-suitable` from any stage but `transferred`;
//! * out of `not-suitable` or `transferred` only to `candidate` (reconsidered, or handed back);
//! * never to the status the asset already has (a repeated form is refused, not recorded
//!   twice);
//! * an asset with no status yet (the register does not say it is vacant) may take any: an
//!   under-used asset named by a person.

use std::fmt;
use std::str::FromStr;

/// Where an asset stands for community use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AssetStatus {
    /// Vacant or under-used: a candidate for community use, meanwhile use or transfer.
    Candidate,
    /// Being discussed with a community group or partner.
    InDiscussion,
    /// Terms agreed.
    Agreed,
    /// Transferred (or let) for community use.
    Transferred,
    /// Looked at and set aside (with the reason in the note).
    NotSuitable,
}

impl AssetStatus {
    /// Every status, in workflow order.
    pub const ALL: [AssetStatus; 5] = [
        AssetStatus::Candidate,
        AssetStatus::InDiscussion,
        AssetStatus::Agreed,
        AssetStatus::Transferred,
        AssetStatus::NotSuitable,
    ];

    /// The name used in files, URLs and the store.
    pub fn as_str(self) -> &'static str {
        match self {
            AssetStatus::Candidate => "candidate",
            AssetStatus::InDiscussion => "in-discussion",
            AssetStatus::Agreed => "agreed",
            AssetStatus::Transferred => "transferred",
            AssetStatus::NotSuitable => "not-suitable",
        }
    }

    /// Parse a status as written (`in discussion`, `In-Discussion`, `in_discussion`).
    pub fn parse(s: &str) -> Option<AssetStatus> {
        let k: String = s
            .trim()
            .to_ascii_lowercase()
            .chars()
            .map(|c| if c == ' ' || c == '_' { '-' } else { c })
            .collect();
        AssetStatus::ALL.into_iter().find(|st| st.as_str() == k)
    }

    /// Whether an asset whose status is `from` (`None`: none yet) may move to `to`; `Err`
    /// says why not, in words for the person who asked.
    pub fn may_move(from: Option<AssetStatus>, to: AssetStatus) -> Result<(), String> {
        use AssetStatus::*;
        let Some(from) = from else {
            return Ok(());
        };
        if from == to {
            return Err(format!("the asset is already {}", to.as_str()));
        }
        match (from, to) {
            (NotSuitable | Transferred, Candidate) => Ok(()),
            (NotSuitable, _) => Err(format!(
                "the asset was set aside as not-suitable: make it a candidate again before \
                 moving it to {}",
                to.as_str()
            )),
            (Transferred, _) => Err(format!(
                "the asset is transferred: only a hand-back (candidate) can follow, not {}",
                to.as_str()
            )),
            _ => Ok(()),
        }
    }
}

impl fmt::Display for AssetStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A status that is not one of [`AssetStatus::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{0}` is not a status: use one of candidate, in-discussion, agreed, transferred, not-suitable"
)]
pub struct UnknownStatus(pub String);

impl FromStr for AssetStatus {
    type Err = UnknownStatus;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        AssetStatus::parse(s).ok_or_else(|| UnknownStatus(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use AssetStatus::*;

    #[test]
    fn names_round_trip() {
        for s in AssetStatus::ALL {
            assert_eq!(s.as_str().parse::<AssetStatus>(), Ok(s));
        }
        assert_eq!(AssetStatus::parse("In discussion"), Some(InDiscussion));
        assert_eq!(
            "sold".parse::<AssetStatus>().unwrap_err().to_string(),
            "`sold` is not a status: use one of candidate, in-discussion, agreed, transferred, not-suitable"
        );
    }

    #[test]
    fn the_moves_the_module_doc_lists() {
        let ok = |a, b| AssetStatus::may_move(a, b).is_ok();
        // Forward, one step or several; back; set aside.
        assert!(ok(Some(Candidate), InDiscussion));
        assert!(ok(Some(Candidate), Agreed));
        assert!(ok(Some(InDiscussion), Transferred));
        assert!(ok(Some(Agreed), InDiscussion));
        assert!(ok(Some(InDiscussion), Candidate));
        assert!(ok(Some(Agreed), NotSuitable));
        // Never the same; out of the two ends only to candidate.
        for s in AssetStatus::ALL {
            assert!(!ok(Some(s), s));
            assert!(ok(None, s));
        }
        assert!(ok(Some(NotSuitable), Candidate));
        assert!(!ok(Some(NotSuitable), Agreed));
        assert!(ok(Some(Transferred), Candidate));
        assert!(!ok(Some(Transferred), NotSuitable));
        assert!(!ok(Some(Transferred), Agreed));
    }
}
