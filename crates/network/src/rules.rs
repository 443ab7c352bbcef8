//! Influenceable-spend rules: a versioned TOML file of exclusions, each with its reason.
//! The defaults (`rules/influenceable-v1.toml`, built in) follow DESIGN.md; a network may
//! name its own file. A payment is excluded by the first rule that matches it.

use std::path::Path;

use serde::Deserialize;

/// The built-in rules file.
pub const DEFAULT_RULES: &str = include_str!("../rules/influenceable-v1.toml");

/// The id of the built-in rule for payments whose recipient the anchor redacted (personal
/// data): there is no supplier to locate or classify, so they are reported on their own line.
pub const REDACTED_RULE: &str = "redacted-personal-data";

/// A rules file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesFile {
    /// Version of the rules, shown in the report.
    pub version: String,
    /// The rules, in the order they are tried.
    #[serde(default, rename = "rule")]
    pub rules: Vec<RuleSpec>,
}

/// One rule as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    /// Short id.
    pub id: String,
    /// Why the rule excludes spend.
    pub reason: String,
    /// Supplier kinds (`public_body` matches `public_body/*`).
    #[serde(default)]
    pub supplier_kinds: Vec<String>,
    /// Word sequences in the supplier's name.
    #[serde(default)]
    pub supplier_names: Vec<String>,
    /// Word sequences in the payment's category.
    #[serde(default)]
    pub categories: Vec<String>,
}

/// Why a rules file could not be used (the same error as a network file's).
pub type RulesError = crate::config::ConfigError;

/// Rules ready to apply.
#[derive(Debug, Clone)]
pub struct Rules {
    /// Version.
    pub version: String,
    /// Where they came from (`built-in` or a path).
    pub source: String,
    rules: Vec<Compiled>,
}

#[derive(Debug, Clone)]
struct Compiled {
    spec: RuleSpec,
    names: Vec<Vec<String>>,
    categories: Vec<Vec<String>>,
}

pub use anchornet_core::supplier::name_words as words;

fn contains_seq(hay: &[String], needle: &[String]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

impl Rules {
    /// The built-in rules.
    pub fn builtin() -> Rules {
        Rules::parse(DEFAULT_RULES, "built-in").expect("built-in rules are valid")
    }

    /// Rules from a file.
    pub fn load(path: &Path) -> Result<Rules, RulesError> {
        let text = std::fs::read_to_string(path).map_err(|source| RulesError::Io {
            path: path.display().to_string(),
            source,
        })?;
        Rules::parse(&text, &path.display().to_string())
    }

    /// Rules from TOML text; `source` names it in errors.
    pub fn parse(text: &str, source: &str) -> Result<Rules, RulesError> {
        let f: RulesFile = toml::from_str(text).map_err(|e| RulesError::Invalid {
            path: source.to_string(),
            message: e.to_string(),
        })?;
        let mut seen = std::collections::HashSet::new();
        for r in &f.rules {
            if !seen.insert(r.id.clone()) || r.id == REDACTED_RULE {
                return Err(RulesError::Invalid {
                    path: source.to_string(),
                    message: format!("rule id `{}` is used twice (or is reserved)", r.id),
                });
            }
            if r.supplier_kinds.is_empty() && r.supplier_names.is_empty() && r.categories.is_empty()
            {
                return Err(RulesError::Invalid {
                    path: source.to_string(),
                    message: format!(
                        "rule `{}` has no test (supplier_kinds, supplier_names or categories)",
                        r.id
                    ),
                });
            }
        }
        Ok(Rules {
            version: f.version,
            source: source.to_string(),
            rules: f
                .rules
                .into_iter()
                .map(|spec| Compiled {
                    names: spec.supplier_names.iter().map(|s| words(s)).collect(),
                    categories: spec.categories.iter().map(|s| words(s)).collect(),
                    spec,
                })
                .collect(),
        })
    }

    /// The rules, in order (the redacted-payments rule comes first, built in).
    pub fn infos(&self) -> Vec<anchornet_metrics::RuleInfo> {
        std::iter::once(anchornet_metrics::RuleInfo {
            id: REDACTED_RULE.to_string(),
            reason: "The anchor redacted the recipient (personal data: individuals such as foster carers or direct-payment recipients); there is no supplier to locate or classify, so these payments are reported on their own line.".to_string(),
        })
        .chain(self.rules.iter().map(|c| anchornet_metrics::RuleInfo {
            id: c.spec.id.clone(),
            reason: c.spec.reason.clone(),
        }))
        .collect()
    }

    /// The index (into [`Rules::infos`]) of the first rule excluding a payment, given whether
    /// it was redacted, the supplier's kind, the supplier's name words and the category words.
    pub fn first_match(
        &self,
        redacted: bool,
        kind: &str,
        name_words: &[String],
        category_words: &[String],
    ) -> Option<u16> {
        if redacted {
            return Some(0);
        }
        self.rules
            .iter()
            .position(|c| {
                c.spec.supplier_kinds.iter().any(|k| {
                    kind == k || (kind.starts_with(k.as_str()) && kind[k.len()..].starts_with('/'))
                }) || c.names.iter().any(|n| contains_seq(name_words, n))
                    || c.categories.iter().any(|n| contains_seq(category_words, n))
            })
            .map(|i| i as u16 + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_matching_rule_wins_and_reasons_are_kept() {
        let r = Rules::builtin();
        let infos = r.infos();
        let id = |i: Option<u16>| i.map(|i| infos[i as usize].id.as_str());
        let w = words;
        assert_eq!(
            id(r.first_match(true, "company", &w("Acme"), &[])),
            Some(REDACTED_RULE)
        );
        assert_eq!(
            id(r.first_match(false, "public_body/hmrc", &w("HMRC"), &[])),
            Some("tax-hmrc")
        );
        assert_eq!(
            id(r.first_match(
                false,
                "public_body/council",
                &w("Greater Manchester Pension Fund"),
                &[]
            )),
            Some("pension-funds")
        );
        assert_eq!(
            id(r.first_match(false, "public_body/council", &w("Bolton Council"), &[])),
            Some("public-bodies")
        );
        // "public_body" must not match a kind that merely starts with the same letters.
        assert_eq!(
            id(r.first_match(false, "public_bodyish", &w("X"), &[])),
            None
        );
        assert_eq!(
            id(r.first_match(
                false,
                "company",
                &w("Acme Ltd"),
                &w("Payroll Deductions - Unions")
            )),
            Some("payroll-deductions")
        );
        // Word sequences, not substrings: "levy" does not match "Clevy Ltd".
        assert_eq!(
            id(r.first_match(false, "company", &w("Clevy Ltd"), &w("Supplies"))),
            None
        );
        assert!(infos.iter().all(|i| !i.reason.is_empty()));
    }

    #[test]
    fn unknown_keys_and_bad_rules_are_named() {
        let e = Rules::parse(
            "version = \"x\"\n[[rule]]\nid = \"a\"\nreason = \"r\"\nsupplier_name = [\"x\"]\n",
            "my.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("my.toml") && e.contains("supplier_name"), "{e}");
        let e = Rules::parse(
            "version = \"x\"\n[[rule]]\nid = \"a\"\nreason = \"r\"\n",
            "my.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("has no test"), "{e}");
    }
}
