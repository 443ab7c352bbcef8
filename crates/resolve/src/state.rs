//! Entities kept between runs, so that new files resolve against existing entities
//! without reshuffling them.
//!
//! A state file (JSON) lists every entity with its id, shown name and names. On the next
//! run each listed entity stays together (its names are linked as if by `must-link`), two
//! listed entities are never joined by evidence alone (that would reshuffle them; the
//! link goes to the review list instead), and new names join an existing entity or make a
//! new one. Ids never change; an entity renamed in the overrides keeps its id.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::resolver::Identifiers;
use crate::Resolution;

/// Version written by this library.
pub const STATE_VERSION: u32 = 1;

/// One entity kept between runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StateEntity {
    /// Its id.
    pub id: String,
    /// Its shown name.
    pub canonical_name: String,
    /// A person has confirmed it (reviewed); kept as is either way.
    #[serde(default)]
    pub confirmed: bool,
    /// Its names.
    pub names: Vec<String>,
    /// Identifiers seen with it.
    #[serde(default)]
    pub identifiers: Identifiers,
}

/// The entities of earlier runs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct State {
    /// Format version.
    pub version: u32,
    /// The entities.
    pub entities: Vec<StateEntity>,
}

/// A state file that cannot be read or written.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct StateError {
    /// The file.
    pub path: String,
    /// Why.
    pub message: String,
}

impl State {
    /// Read a state file.
    pub fn load(path: &Path) -> Result<State, StateError> {
        let err = |m: String| StateError {
            path: path.display().to_string(),
            message: m,
        };
        let text = std::fs::read_to_string(path).map_err(|e| err(e.to_string()))?;
        let s: State = serde_json::from_str(&text).map_err(|e| err(e.to_string()))?;
        if s.version > STATE_VERSION {
            return Err(err(format!(
                "state version {} is newer than this program understands ({STATE_VERSION})",
                s.version
            )));
        }
        Ok(s)
    }

    /// Write the state file (to a temporary file, then renamed into place).
    pub fn save(&self, path: &Path) -> Result<(), StateError> {
        let err = |m: String| StateError {
            path: path.display().to_string(),
            message: m,
        };
        let text = serde_json::to_string_pretty(self).map_err(|e| err(e.to_string()))?;
        let tmp = path.with_extension("tmp");
        std::fs::write(&tmp, text).map_err(|e| err(e.to_string()))?;
        std::fs::rename(&tmp, path).map_err(|e| err(e.to_string()))
    }

    /// The state after a run: every entity of the resolution with all its names (those of
    /// earlier runs included), keeping `confirmed` from the previous state.
    pub fn from_resolution(res: &Resolution, previous: Option<&State>) -> State {
        let confirmed = |id: &str| {
            previous.is_some_and(|p| p.entities.iter().any(|e| e.id == id && e.confirmed))
        };
        State {
            version: STATE_VERSION,
            entities: res
                .entities
                .iter()
                .map(|e| StateEntity {
                    id: e.id.clone(),
                    canonical_name: e.canonical_name.clone(),
                    confirmed: confirmed(&e.id),
                    names: e
                        .members
                        .iter()
                        .map(|&m| res.names[m].name.clone())
                        .collect(),
                    identifiers: e.identifiers.clone(),
                })
                .collect(),
        }
    }
}
