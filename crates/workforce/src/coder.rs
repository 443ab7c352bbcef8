//! SOC 2020 coding of free-text job titles, built only from the official ONS text.
//!
//! Method (documented in `docs/employment.md`; nothing in it was tuned on any file of job
//! titles):
//!
//! 1. **Normalise** a title: HTML entities decoded (`&amp;`), lower case, split on anything
//!    that is not a letter or digit, numbers and single letters dropped, a light plural
//!    stem (`nurses` → `nurse`, `secretaries` → `secretary`).
//! 2. **Expand** words from the SOC text itself: a compound written as one word where the ONS
//!    titles write two (`healthcare` → `health care`), and, for words the SOC text does not
//!    know, an acronym that is the initials of exactly one related job title or unit group title
//!    (`gp` → `general practitioner`, `hca` → `health care assistant`).
//! 3. **Exact match** of the whole normalised title against the index of ONS related job
//!    titles and unit group titles (with and without their bracketed qualifier): confidence 1.
//! 4. Otherwise **score** every unit group by IDF-weighted word overlap, with IDF computed
//!    over the 412 unit groups' full text (title, related titles, description, tasks, entry
//!    routes), so words every group uses weigh nothing and rare words weigh most:
//!    `score = (phrase + title_words + ¼·text_words) / (2·W)`, where `W` is the IDF weight of
//!    the title's known words, `phrase` the weight of the longest related title (or unit group
//!    title) found word for word in the title, `title_words` the weight of words found in the
//!    group's titles and `text_words` of the others found in its description and tasks.
//! 5. The title is also coded part by part (between ` - `, `,`, `/`, brackets…), a part
//!    counting only when an ONS title is found in it word for word, its confidence scaled by
//!    `0.6 + 0.4·(its words' weight / the title's)`; the most confident wins.
//! 6. **Confidence** `= s1 − 0.3·s2` (best score less a share of the runner-up's, so a title
//!    two groups fit equally is less certain); the code is given when it is at least
//!    [`MIN_CONFIDENCE`], otherwise the row is left uncoded with its best confidence shown.

use std::collections::{HashMap, HashSet};

use crate::soc::{Soc, SocCode};

/// The least confidence at which a code is assigned (chosen before any measurement).
pub const MIN_CONFIDENCE: f64 = 0.3;

/// The coding of one title.
#[derive(Debug, Clone, PartialEq)]
pub struct Coding {
    /// The unit group, when the confidence reached [`MIN_CONFIDENCE`].
    pub code: Option<SocCode>,
    /// The best candidate even when not assigned.
    pub best: Option<SocCode>,
    /// 0..=1.
    pub confidence: f64,
    /// How it was found: `exact`, `similar` or `none`.
    pub method: &'static str,
}

/// Decode the HTML entities job boards leave in titles.
fn decode_entities(s: &str) -> String {
    let mut t = s.to_string();
    // Twice: feeds often double-encode (`&amp;amp;`).
    for _ in 0..2 {
        t = t
            .replace("&amp;", "&")
            .replace("&nbsp;", " ")
            .replace("&#39;", "'")
            .replace("&apos;", "'")
            .replace("&quot;", "\"")
            .replace("&lt;", "<")
            .replace("&gt;", ">");
    }
    t
}

fn stem(w: &str) -> String {
    let n = w.chars().count();
    if n > 4 && w.ends_with("ies") {
        format!("{}y", &w[..w.len() - 3])
    } else if n > 3
        && w.ends_with('s')
        && !w.ends_with("ss")
        && !w.ends_with("us")
        && !w.ends_with("is")
    {
        w[..w.len() - 1].to_string()
    } else {
        w.to_string()
    }
}

/// The words of a text as the coder sees them.
pub fn words(s: &str) -> Vec<String> {
    decode_entities(s)
        .to_lowercase()
        .replace(['\'', '’'], "")
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() > 1 && !w.chars().all(|c| c.is_ascii_digit()))
        .map(stem)
        .collect()
}

/// A related title without its bracketed qualifier: `Health care assistant (hospital service)`
/// → `Health care assistant`.
fn main_part(t: &str) -> &str {
    t.split('(').next().unwrap_or(t).trim()
}

/// A compound the ONS titles write as two words is always split, on both sides, so
/// `healthcare support worker` meets `health care support worker`.
fn split_compounds(compounds: &HashMap<String, [String; 2]>, ws: Vec<String>) -> Vec<String> {
    let mut out = Vec::with_capacity(ws.len() + 1);
    for w in ws {
        match compounds.get(&w) {
            Some([a, b]) => {
                out.push(a.clone());
                out.push(b.clone());
            }
            None => out.push(w),
        }
    }
    out
}

/// The coder: an index of the SOC 2020 text.
pub struct Coder {
    soc: Soc,
    idf: HashMap<String, f64>,
    exact: HashMap<String, Vec<usize>>,
    exact_main: HashMap<String, Vec<usize>>,
    /// First word → (group, the phrase, its IDF weight).
    phrase_starts: HashMap<String, Vec<(usize, Vec<String>, f64)>>,
    /// Word → (group, whether it is in the group's titles or only in its other text).
    postings: HashMap<String, Vec<(usize, bool)>>,
    compounds: HashMap<String, [String; 2]>,
    acronyms: HashMap<String, Vec<String>>,
}

impl Coder {
    /// Build from the bundled SOC 2020 unit groups.
    pub fn bundled() -> Result<Coder, crate::soc::SocError> {
        Ok(Coder::new(Soc::bundled()?))
    }

    /// Build from unit groups.
    pub fn new(soc: Soc) -> Coder {
        let n = soc.groups.len();
        // Compounds: two adjacent words of an ONS title, also written as one word.
        let mut compounds: HashMap<String, Option<[String; 2]>> = HashMap::new();
        for g in &soc.groups {
            for t in std::iter::once(&g.title).chain(&g.related_titles) {
                for pair in words(t).windows(2) {
                    let v = [pair[0].clone(), pair[1].clone()];
                    compounds
                        .entry(format!("{}{}", pair[0], pair[1]))
                        .and_modify(|e| {
                            if e.as_ref() != Some(&v) {
                                *e = None
                            }
                        })
                        .or_insert(Some(v));
                }
            }
        }
        let compounds: HashMap<String, [String; 2]> = compounds
            .into_iter()
            .filter_map(|(k, v)| v.map(|v| (k, v)))
            .collect();
        let words = |s: &str| split_compounds(&compounds, words(s));
        let mut title_words = Vec::with_capacity(n);
        let mut text_words = Vec::with_capacity(n);
        let mut df: HashMap<String, usize> = HashMap::new();
        let mut titles_of: Vec<Vec<Vec<String>>> = Vec::with_capacity(n);
        let mut exact: HashMap<String, Vec<usize>> = HashMap::new();
        let mut exact_main: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, g) in soc.groups.iter().enumerate() {
            let mut titles = vec![words(&g.title)];
            let mut tw: HashSet<String> = titles[0].iter().cloned().collect();
            let mut xw: HashSet<String> = HashSet::new();
            for raw in std::iter::once(&g.title).chain(&g.related_titles) {
                for (map, form) in [
                    (&mut exact, raw.as_str()),
                    (&mut exact_main, main_part(raw)),
                ] {
                    let key = words(form).join(" ");
                    if !key.is_empty() {
                        let e = map.entry(key).or_default();
                        if !e.contains(&i) {
                            e.push(i);
                        }
                    }
                }
            }
            for r in &g.related_titles {
                let main = words(main_part(r));
                tw.extend(main.iter().cloned());
                xw.extend(words(r));
                titles.push(main);
            }
            for t in std::iter::once(&g.description)
                .chain(std::iter::once(&g.entry_routes))
                .chain(&g.tasks)
            {
                xw.extend(words(t));
            }
            xw.extend(tw.iter().cloned());
            for w in &xw {
                *df.entry(w.clone()).or_default() += 1;
            }
            title_words.push(tw);
            text_words.push(xw);
            titles.retain(|t| !t.is_empty());
            titles_of.push(titles);
        }
        let idf: HashMap<String, f64> = df
            .into_iter()
            .map(|(w, d)| (w, (n as f64 / d as f64).ln()))
            .collect();
        let weight = |ws: &[String]| ws.iter().map(|w| idf.get(w).copied().unwrap_or(0.0)).sum();
        let phrases: Vec<Vec<(Vec<String>, f64)>> = titles_of
            .into_iter()
            .map(|ts| {
                ts.into_iter()
                    .map(|t| {
                        let w = weight(&t);
                        (t, w)
                    })
                    .collect()
            })
            .collect();
        // Acronyms, from the titles only.
        let mut acronyms: HashMap<String, Option<Vec<String>>> = HashMap::new();
        for ts in &phrases {
            for (t, _) in ts {
                if t.len() >= 2 {
                    let acr: String = t.iter().filter_map(|w| w.chars().next()).collect();
                    if idf.contains_key(&acr) {
                        continue;
                    }
                    acronyms
                        .entry(acr)
                        .and_modify(|e| {
                            if e.as_ref() != Some(t) {
                                *e = None
                            }
                        })
                        .or_insert(Some(t.clone()));
                }
            }
        }
        let mut phrase_starts: HashMap<String, Vec<(usize, Vec<String>, f64)>> = HashMap::new();
        for (g, ts) in phrases.into_iter().enumerate() {
            for (t, w) in ts {
                if let Some(first) = t.first() {
                    phrase_starts
                        .entry(first.clone())
                        .or_default()
                        .push((g, t, w));
                }
            }
        }
        let mut postings: HashMap<String, Vec<(usize, bool)>> = HashMap::new();
        for (g, (tw, xw)) in title_words.iter().zip(&text_words).enumerate() {
            for w in xw {
                postings
                    .entry(w.clone())
                    .or_default()
                    .push((g, tw.contains(w)));
            }
        }
        Coder {
            soc,
            idf,
            exact,
            exact_main,
            phrase_starts,
            postings,
            compounds,
            acronyms: acronyms
                .into_iter()
                .filter_map(|(k, v)| v.map(|v| (k, v)))
                .collect(),
        }
    }

    /// The SOC text the coder was built from.
    pub fn soc(&self) -> &Soc {
        &self.soc
    }

    fn expand(&self, ws: Vec<String>) -> Vec<String> {
        let mut out = Vec::with_capacity(ws.len());
        for w in split_compounds(&self.compounds, ws) {
            if self.idf.contains_key(&w) {
                out.push(w);
            } else if let Some(t) = self.acronyms.get(&w) {
                out.extend(t.iter().cloned());
            } else {
                out.push(w);
            }
        }
        out
    }

    /// Code one title: the whole title, and each part of it between separators (` - `, `–`,
    /// `,`, `/`, `(`…`)`, `|`, `:`) that contains an ONS job title word for word — job
    /// boards append wards, sites and bands — keeping the most confident.
    pub fn code(&self, title: &str) -> Coding {
        let whole = words(title);
        let whole_weight = self.weight(&whole);
        let mut best = self.code_words(whole, false);
        let parts = segments(title);
        if parts.len() > 1 && whole_weight > 0.0 {
            for part in parts {
                let ws = words(part);
                // A part speaks for the title in proportion to the weight of its words.
                let share = (self.weight(&ws) / whole_weight).min(1.0);
                let mut c = self.code_words(ws, true);
                c.confidence *= 0.6 + 0.4 * share;
                if c.confidence > best.confidence {
                    c.code = (c.confidence >= MIN_CONFIDENCE).then_some(c.best).flatten();
                    best = c;
                }
            }
        }
        best
    }

    fn weight(&self, ws: &[String]) -> f64 {
        let mut known: Vec<String> = self.expand(ws.to_vec());
        known.sort();
        known.dedup();
        known.iter().filter_map(|w| self.idf.get(w)).sum()
    }

    fn code_words(&self, ws: Vec<String>, need_phrase: bool) -> Coding {
        let none = Coding {
            code: None,
            best: None,
            confidence: 0.0,
            method: "none",
        };
        let ws = self.expand(ws);
        if ws.is_empty() {
            return none;
        }
        // An ONS title as written (qualifier included) first, then without its qualifier:
        // one group is an exact match; several are the candidates the text decides between.
        let key = ws.join(" ");
        let mut candidates: Option<&Vec<usize>> = None;
        for (map, confidence) in [(&self.exact, 1.0), (&self.exact_main, 0.9)] {
            if let Some(gs) = map.get(&key) {
                if gs.len() == 1 {
                    let c = self.soc.groups[gs[0]].code;
                    return Coding {
                        code: Some(c),
                        best: Some(c),
                        confidence,
                        method: "exact",
                    };
                }
                candidates = candidates.or(Some(gs));
            }
        }
        let mut known: Vec<&String> = ws.iter().filter(|w| self.idf.contains_key(*w)).collect();
        known.sort();
        known.dedup();
        let total: f64 = known.iter().map(|w| self.idf[*w]).sum();
        if total <= 0.0 {
            return none;
        }
        // Per group: longest phrase weight, title-word weight, text-word weight.
        let mut acc: HashMap<usize, [f64; 3]> = HashMap::new();
        for i in 0..ws.len() {
            for (g, phrase, w) in self.phrase_starts.get(&ws[i]).into_iter().flatten() {
                if ws[i..].starts_with(phrase) {
                    let e = acc.entry(*g).or_default();
                    e[0] = e[0].max(*w);
                }
            }
        }
        for w in &known {
            let idf = self.idf[*w];
            for (g, in_title) in &self.postings[*w] {
                acc.entry(*g).or_default()[if *in_title { 1 } else { 2 }] += idf;
            }
        }
        let mut scored: Vec<(f64, usize, bool)> = acc
            .into_iter()
            .filter(|(g, _)| candidates.is_none_or(|c| c.contains(g)))
            .map(|(g, [p, t, x])| ((p + t + 0.25 * x) / (2.0 * total), g, p > 0.0))
            .filter(|x| x.0 > 0.0)
            .collect();
        // Highest score first; ties to the lower code, so the result never depends on order.
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let Some(&(s1, g1, phrase)) = scored.first() else {
            return none;
        };
        if need_phrase && !phrase {
            return none;
        }
        let s2 = scored.get(1).map(|x| x.0).unwrap_or(0.0);
        let confidence = (s1 - 0.3 * s2).clamp(0.0, 1.0);
        let best = self.soc.groups[g1].code;
        Coding {
            code: (confidence >= MIN_CONFIDENCE).then_some(best),
            best: Some(best),
            confidence,
            method: "similar",
        }
    }
}

/// The parts of a title between separators; a hyphen separates only when a space is beside
/// it (`Staff Nurse - Ward 4`, `Nurses- Band 5`), not inside a word (`Chef-manager`).
fn segments(title: &str) -> Vec<&str> {
    let chars: Vec<(usize, char)> = title.char_indices().collect();
    let mut out = Vec::new();
    let mut start = 0;
    for (k, &(i, c)) in chars.iter().enumerate() {
        let sep = match c {
            '–' | '—' | ',' | '/' | '(' | ')' | '|' | ':' | ';' => true,
            '-' => {
                let before = k > 0 && chars[k - 1].1.is_whitespace();
                let after = chars.get(k + 1).is_some_and(|x| x.1.is_whitespace());
                before || after
            }
            _ => false,
        };
        if sep {
            out.push(&title[start..i]);
            start = i + c.len_utf8();
        }
    }
    out.push(&title[start..]);
    out.retain(|p| !p.trim().is_empty());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_normalised() {
        assert_eq!(
            words("Infection Prevention &amp;amp; Control Nurses"),
            ["infection", "prevention", "control", "nurse"]
        );
        assert_eq!(words("Band 5 (A) Secretaries"), ["band", "secretary"]);
    }

    /// Expected codes are the ONS Volume 1 related-title lists themselves: each title listed
    /// under exactly one unit group must come back as that group with confidence 1.
    #[test]
    fn every_unambiguous_ons_related_title_codes_to_its_own_group() {
        let coder = Coder::bundled().unwrap();
        let mut owners: HashMap<String, HashSet<SocCode>> = HashMap::new();
        for g in &coder.soc().groups {
            for r in &g.related_titles {
                owners.entry(words(r).join(" ")).or_default().insert(g.code);
                if main_part(r) != r.as_str() {
                    // A qualified title's bare form is owned by its group too.
                    owners
                        .entry(words(main_part(r)).join(" "))
                        .or_default()
                        .insert(g.code);
                }
            }
        }
        let mut checked = 0;
        for g in &coder.soc().groups {
            for r in &g.related_titles {
                if owners[&words(r).join(" ")].len() == 1 {
                    let c = coder.code(r);
                    assert_eq!(c.code, Some(g.code), "{r}");
                    assert_eq!((c.method, c.confidence), ("exact", 1.0), "{r}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 2000, "{checked}");
    }

    #[test]
    fn acronyms_and_compounds_come_from_the_soc_text() {
        let coder = Coder::bundled().unwrap();
        // "Health care assistant (hospital service)" (6131) and "Home care assistant" (6135)
        // share their initials, so "HCA" is not expanded and not coded.
        assert_eq!(coder.code("HCA").code, None);
        // "Health care support worker" is an ONS related title of 6131.
        assert_eq!(
            coder
                .code("Healthcare Support Worker")
                .code
                .map(|c| c.to_string()),
            Some("6131".into())
        );
        assert_eq!(coder.code("").code, None);
        assert_eq!(coder.code("12345 -- !!").code, None);
    }
}
