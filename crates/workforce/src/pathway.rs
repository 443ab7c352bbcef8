//! The jobs pathway: people in one occupation (hospitality, say) matched to vacancies in
//! another (entry-level NHS roles) by transferable skills.
//!
//! ```text
//! SOC 2020 unit group ──tasks──► ESCO skills (text matching)  = the occupation's skills
//! ESCO occupation ──label coded, else text──► SOC 2020          = the crosswalk
//! candidate: occupations (titles or codes) + skills ──► skills ┐
//! vacancy: title ──► SOC 2020 ──► skills ────────────────────────┴► in common, gaps, score
//!          postcode ──► point; candidate's postcode sector ──► centroid ──► distance
//! ```
//!
//! Method and constants (set before any measurement; docs/employment.md):
//!
//! * A text **names** an ESCO skill when the TF-IDF cosine between the text and the skill's
//!   labels (IDF over the ESCO skills' labels; a task reads like a skill's name, not like its
//!   description) is at least [`MIN_SKILL_SIMILARITY`] and they share at least
//!   [`MIN_SHARED_WORDS`] words. Of the skills a text names, the [`SKILLS_PER_TASK`] most
//!   similar are kept.
//! * An occupation's skills: those its unit group's ONS tasks name.
//! * A candidate's skills: those of their current and previous occupations, and those the
//!   skills they list in their own words name.
//! * For each of the vacancy's skills, the candidate's closest skill (1 when the same, else
//!   the cosine of the two skills' texts); the skill is **in common** when that is at least
//!   [`IN_COMMON`], otherwise a **gap**. The **score** is the mean over the vacancy's skills.
//! * **Entry level**: the vacancy's unit group is in an ONS skill level 1 or 2 major group
//!   (4 administrative, 6 caring and service, 7 sales, 8 operatives, 9 elementary; ONS SOC
//!   2020 Volume 1) and, when a band is given, Agenda for Change band 4 or below.
//! * **Distance**: straight line from the centroid of the candidate's postcode sector (mean
//!   of its postcodes' coordinates in the ONS directory) to the vacancy's point or postcode.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use anchornet_core::{PaymentDate, Postcode};
use anchornet_geo::GeoIndex;
use anchornet_ingest::format::Row;
use anchornet_ingest::vocab::normalise;
use anchornet_ingest::{Issue, Outcome};

use crate::coder::{Coder, MIN_CONFIDENCE};
use crate::esco::{cosine, Esco, TextIndex, Vector};
use crate::soc::SocCode;

/// ESCO skills kept per ONS task.
pub const SKILLS_PER_TASK: usize = 2;
/// The least TF-IDF cosine between a text and a skill's labels for the text to name it.
pub const MIN_SKILL_SIMILARITY: f64 = 0.2;
/// The least number of distinct words a text and a skill's labels must share for the text to
/// name it (one rare word in common is a coincidence, not a skill).
pub const MIN_SHARED_WORDS: usize = 2;

fn shared_words(a: &Vector, b: &Vector) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}
/// The least similarity at which a vacancy's skill counts as one the candidate has.
pub const IN_COMMON: f64 = 0.5;
/// The highest Agenda for Change band counted as entry level.
pub const ENTRY_BAND: u8 = 4;

/// How an ESCO occupation was placed in SOC 2020.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum CrosswalkMethod {
    /// Its preferred label coded by the SOC coder (confidence at least 0.3).
    Coder,
    /// Its whole text nearest a unit group's text (TF-IDF cosine).
    Text,
}

/// One ESCO occupation's place in SOC 2020.
#[derive(Debug, Clone)]
pub struct CrosswalkRow {
    /// Index into [`Esco::occupations`].
    pub esco: usize,
    /// The unit group.
    pub soc: SocCode,
    /// The coder's confidence, or the cosine similarity.
    pub score: f64,
    /// How.
    pub method: CrosswalkMethod,
}

/// The skills model: ESCO, the crosswalk and each unit group's skills.
pub struct Skills {
    /// The coder (and through it the SOC text).
    pub coder: Coder,
    /// ESCO.
    pub esco: Esco,
    skill_index: TextIndex,
    /// Each ESCO occupation's unit group.
    pub crosswalk: Vec<CrosswalkRow>,
    by_soc: HashMap<SocCode, Vec<usize>>,
}

fn soc_text(g: &crate::soc::UnitGroup) -> String {
    let mut t = g.title.clone();
    for x in g.related_titles.iter().chain(&g.tasks) {
        t.push(' ');
        t.push_str(x);
    }
    t.push(' ');
    t.push_str(&g.description);
    t
}

impl Skills {
    /// Build from the bundled SOC 2020 and ESCO files.
    pub fn bundled() -> Result<Skills, String> {
        let coder = Coder::bundled().map_err(|e| e.to_string())?;
        let esco = Esco::bundled()?;
        Ok(Skills::new(coder, esco))
    }

    /// Build the indexes and the crosswalk.
    pub fn new(coder: Coder, esco: Esco) -> Skills {
        let skill_docs: Vec<String> = esco.skills.iter().map(|s| s.labels.clone()).collect();
        let skill_index = TextIndex::new(&skill_docs, &[]);
        let soc_docs: Vec<String> = coder.soc().groups.iter().map(soc_text).collect();
        let occ_docs: Vec<String> = esco
            .occupations
            .iter()
            .map(|o| format!("{} {}", o.labels, o.description))
            .collect();
        let soc_index = TextIndex::new(&soc_docs, &occ_docs);
        let mut crosswalk = Vec::with_capacity(esco.occupations.len());
        let mut by_soc: HashMap<SocCode, Vec<usize>> = HashMap::new();
        for (i, o) in esco.occupations.iter().enumerate() {
            let c = coder.code(&o.label);
            let row = match c.code {
                Some(code) => Some(CrosswalkRow {
                    esco: i,
                    soc: code,
                    score: c.confidence,
                    method: CrosswalkMethod::Coder,
                }),
                None => soc_index
                    .nearest(&soc_index.vector(&occ_docs[i]), 1)
                    .first()
                    .map(|&(g, s)| CrosswalkRow {
                        esco: i,
                        soc: coder.soc().groups[g].code,
                        score: s,
                        method: CrosswalkMethod::Text,
                    }),
            };
            if let Some(r) = row {
                by_soc.entry(r.soc).or_default().push(i);
                crosswalk.push(r);
            }
        }
        Skills {
            coder,
            esco,
            skill_index,
            crosswalk,
            by_soc,
        }
    }

    /// The ESCO occupations placed in a unit group.
    pub fn esco_of(&self, soc: SocCode) -> &[usize] {
        self.by_soc.get(&soc).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The ESCO skills a text names (see the module docs), at most `k`, the most similar first.
    pub fn skills_in(&self, text: &str, k: usize) -> Vec<usize> {
        let v = self.skill_index.vector(text);
        self.skill_index
            .nearest(&v, k * 4)
            .into_iter()
            .filter(|&(s, x)| {
                x >= MIN_SKILL_SIMILARITY
                    && shared_words(&v, self.skill_index.doc(s)) >= MIN_SHARED_WORDS
            })
            .take(k)
            .map(|x| x.0)
            .collect()
    }

    /// A unit group's skills: those its ONS tasks name.
    pub fn skills_of(&self, soc: SocCode) -> BTreeSet<usize> {
        let mut out = BTreeSet::new();
        if let Some(g) = self.coder.soc().get(soc) {
            for t in &g.tasks {
                out.extend(self.skills_in(t, SKILLS_PER_TASK));
            }
        }
        out
    }

    fn skill_vector(&self, s: usize) -> &Vector {
        self.skill_index.doc(s)
    }

    /// An occupation given as a SOC code or a job title.
    pub fn occupation(&self, s: &str) -> Option<SocCode> {
        SocCode::parse(s)
            .ok()
            .filter(|c| self.coder.soc().get(*c).is_some())
            .or_else(|| self.coder.code(s).code)
    }

    /// Compare a candidate's skills with a vacancy's: (score, in common, gaps).
    pub fn compare(&self, have: &BTreeSet<usize>, want: &BTreeSet<usize>) -> Comparison {
        let mut common = Vec::new();
        let mut gaps = Vec::new();
        let mut total = 0.0;
        for &w in want {
            let best = if have.contains(&w) {
                1.0
            } else {
                have.iter()
                    .map(|&h| cosine(self.skill_vector(h), self.skill_vector(w)))
                    .fold(0.0, f64::max)
            };
            total += best;
            if best >= IN_COMMON {
                common.push(w);
            } else {
                gaps.push(w);
            }
        }
        Comparison {
            score: if want.is_empty() {
                0.0
            } else {
                total / want.len() as f64
            },
            common,
            gaps,
        }
    }
}

/// A candidate's skills set against a vacancy's.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// Mean over the vacancy's skills of the candidate's closest skill (0–1).
    pub score: f64,
    /// Vacancy skills the candidate has (or has one close to).
    pub common: Vec<usize>,
    /// Vacancy skills the candidate lacks.
    pub gaps: Vec<usize>,
}

/// Whether a SOC 2020 major group is at ONS skill level 1 or 2.
pub fn entry_level_soc(soc: SocCode) -> bool {
    matches!(soc.major(), 4 | 6 | 7 | 8 | 9)
}

/// The lowest Agenda for Change band a band text names (`5/6` → 5, `8a` → 8), if any.
pub fn lowest_band(s: &str) -> Option<u8> {
    let mut best: Option<u8> = None;
    let mut digits = String::new();
    for c in s.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_digit() {
            digits.push(c);
        } else if !digits.is_empty() {
            if let Ok(n @ 1..=9) = digits.parse::<u8>() {
                best = Some(best.map_or(n, |b| b.min(n)));
            }
            digits.clear();
        }
    }
    best
}

// --- reading ------------------------------------------------------------------------------

fn find_col(header: &[String], names: &[&str]) -> Option<usize> {
    let h: Vec<String> = header.iter().map(|c| normalise(c)).collect();
    names.iter().find_map(|n| h.iter().position(|x| x == n))
}

fn open_rows(path: &Path, issues: &mut Vec<Issue>) -> Vec<(String, Vec<Row>)> {
    crate::layout::open_tables(path, issues)
        .into_iter()
        .filter_map(|(name, rows)| rows.ok().map(|r| (name, r)))
        .collect()
}

/// One vacancy.
#[derive(Debug, Clone)]
pub struct Vacancy {
    /// Its reference.
    pub id: String,
    /// Job title as advertised.
    pub title: String,
    /// Employer.
    pub employer: String,
    /// Band as written.
    pub band: String,
    /// Salary as written (or `min–max`).
    pub salary: String,
    /// Work postcode.
    pub postcode: Option<Postcode>,
    /// (latitude, longitude), given or from the postcode.
    pub point: Option<(f64, f64)>,
    /// Closing date.
    pub closing: Option<PaymentDate>,
}

/// Read a vacancies feed: columns found by header (`vacancy_id`/`reference`, `title`/`job
/// title`, `employer`/`organisation`, `band`/`grade`, `salary_text`/`salary`, `salary_min`,
/// `salary_max`, `location_postcode`/`postcode`, `latitude`, `longitude`,
/// `closing_date`/`closing date`). A title is required; a bad postcode or date is reported
/// and the row kept without it.
pub fn read_vacancies(path: &Path, geo: Option<&GeoIndex>) -> (Vec<Vacancy>, Vec<Issue>) {
    let mut issues = Vec::new();
    let mut out = Vec::new();
    for (name, rows) in open_rows(path, &mut issues) {
        let mut it = rows.into_iter().skip_while(|r| r.is_blank());
        let Some(header) = it.next() else { continue };
        let h = &header.cells;
        let Some(ti) = find_col(h, &["title", "job title", "vacancy title"]) else {
            issues.push(Issue {
                file: name.clone(),
                line: header.line,
                column: String::new(),
                value: h.join(", "),
                problem: "not a vacancies feed: no column for the job title".into(),
                outcome: Outcome::FileError,
            });
            continue;
        };
        let id = find_col(h, &["vacancy id", "reference", "job reference", "id"]);
        let emp = find_col(h, &["employer", "organisation", "hiring organisation"]);
        let band = find_col(h, &["band", "afc band", "grade"]);
        let sal = find_col(h, &["salary text", "salary"]);
        let smin = find_col(h, &["salary min"]);
        let smax = find_col(h, &["salary max"]);
        let pc = find_col(h, &["location postcode", "postcode", "work postcode"]);
        let lat = find_col(h, &["latitude", "lat"]);
        let lon = find_col(h, &["longitude", "long", "lon"]);
        let close = find_col(h, &["closing date", "closing", "valid through"]);
        for r in it {
            if r.is_blank() {
                continue;
            }
            let cell = |c: Option<usize>| c.map(|i| r.cell(i).trim()).unwrap_or("");
            let issue = |c: Option<usize>, problem: &str, outcome| Issue {
                file: name.clone(),
                line: r.line,
                column: c.map(|i| header.cell(i).to_string()).unwrap_or_default(),
                value: cell(c).to_string(),
                problem: problem.to_string(),
                outcome,
            };
            let title = cell(Some(ti));
            if title.is_empty() {
                issues.push(issue(Some(ti), "no job title", Outcome::Rejected));
                continue;
            }
            let (postcode, bad_postcode) = match cell(pc) {
                "" => (None, None),
                s => match Postcode::parse(s) {
                    Ok(p) => (Some(p), None),
                    Err(e) => (None, Some(e.to_string())),
                },
            };
            let given = cell(lat)
                .parse::<f64>()
                .ok()
                .zip(cell(lon).parse::<f64>().ok())
                .filter(|(a, b)| (49.0..=61.5).contains(a) && (-9.0..=2.5).contains(b));
            let point = given.or_else(|| {
                let l = geo?.lookup(postcode.as_ref()?)?;
                l.lat.zip(l.long)
            });
            if let (Some(e), None) = (bad_postcode, point) {
                issues.push(issue(
                    pc,
                    &format!("{e}: distance not known"),
                    Outcome::Warning,
                ));
            }
            let closing = match cell(close) {
                "" => None,
                s => match PaymentDate::parse(s) {
                    Ok(d) => Some(d),
                    Err(e) => {
                        issues.push(issue(
                            close,
                            &format!("{e}: closing date not known"),
                            Outcome::Warning,
                        ));
                        None
                    }
                },
            };
            let salary = match (cell(sal), cell(smin), cell(smax)) {
                (s, _, _) if !s.is_empty() => s.to_string(),
                ("", a, b) if !a.is_empty() && a != b && !b.is_empty() => format!("{a}–{b}"),
                (_, a, _) => a.to_string(),
            };
            out.push(Vacancy {
                id: match cell(id) {
                    "" => format!("line {}", r.line),
                    s => s.to_string(),
                },
                title: title.to_string(),
                employer: cell(emp).to_string(),
                band: cell(band).to_string(),
                salary,
                postcode,
                point,
                closing,
            });
        }
    }
    (out, issues)
}

/// One anonymised candidate profile.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// Pseudonymous reference.
    pub id: String,
    /// Current (or last) occupation: a SOC 2020 code or a job title.
    pub current: String,
    /// Previous occupations, `;`-separated in the file.
    pub previous: Vec<String>,
    /// Skills in the person's words, `;`-separated in the file.
    pub skills: Vec<String>,
    /// Home postcode sector (`B12 9`).
    pub home_sector: String,
    /// Hours wanted a week, as written (`37.5`, `16-24`, `part time`).
    pub hours_wanted: String,
}

fn split_list(s: &str) -> Vec<String> {
    s.split(';')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(str::to_string)
        .collect()
}

/// A postcode sector, `B12 9`, from a sector or a full postcode (only the sector is kept).
pub fn parse_sector(s: &str) -> Option<String> {
    if let Ok(p) = Postcode::parse(s) {
        return Some(p.sector().to_string());
    }
    let t = s.trim().to_ascii_uppercase();
    let parts: Vec<&str> = t.split_whitespace().collect();
    (parts.len() == 2
        && anchornet_core::postcode::is_valid_outward(parts[0])
        && parts[1].len() == 1
        && parts[1].bytes().all(|b| b.is_ascii_digit()))
    .then(|| format!("{} {}", parts[0], parts[1]))
}

/// Read candidate profiles (layout in docs/employment.md): `candidate_id`,
/// `current_occupation`, `previous_occupations`, `skills`, `home_sector`, `hours_wanted`.
/// A row without an id or current occupation is rejected; a bad sector is reported and the
/// row kept without distances.
pub fn read_candidates(path: &Path) -> (Vec<Candidate>, Vec<Issue>) {
    let mut issues = Vec::new();
    let mut out = Vec::new();
    for (name, rows) in open_rows(path, &mut issues) {
        let mut it = rows.into_iter().skip_while(|r| r.is_blank());
        let Some(header) = it.next() else { continue };
        let h = &header.cells;
        let id = find_col(h, &["candidate id", "id", "reference"]);
        let cur = find_col(
            h,
            &["current occupation", "occupation", "current job title"],
        );
        let (Some(id), Some(cur)) = (id, cur) else {
            issues.push(Issue {
                file: name.clone(),
                line: header.line,
                column: String::new(),
                value: h.join(", "),
                problem: "not a candidates file: needs candidate_id and current_occupation".into(),
                outcome: Outcome::FileError,
            });
            continue;
        };
        let prev = find_col(h, &["previous occupations", "previous occupation"]);
        let skills = find_col(h, &["skills"]);
        let home = find_col(
            h,
            &["home sector", "home postcode sector", "postcode sector"],
        );
        let hours = find_col(h, &["hours wanted", "hours"]);
        for r in it {
            if r.is_blank() {
                continue;
            }
            let cell = |c: Option<usize>| c.map(|i| r.cell(i).trim()).unwrap_or("");
            let issue = |c: usize, problem: &str, outcome| Issue {
                file: name.clone(),
                line: r.line,
                column: header.cell(c).to_string(),
                value: r.cell(c).trim().to_string(),
                problem: problem.to_string(),
                outcome,
            };
            if cell(Some(id)).is_empty() {
                issues.push(issue(id, "no candidate id", Outcome::Rejected));
                continue;
            }
            if cell(Some(cur)).is_empty() {
                issues.push(issue(cur, "no current occupation", Outcome::Rejected));
                continue;
            }
            let home_sector = match (cell(home), home) {
                ("", _) | (_, None) => String::new(),
                (s, Some(c)) => parse_sector(s).unwrap_or_else(|| {
                    issues.push(issue(
                        c,
                        "not a postcode sector (e.g. B12 9): distance not known",
                        Outcome::Warning,
                    ));
                    String::new()
                }),
            };
            out.push(Candidate {
                id: cell(Some(id)).to_string(),
                current: cell(Some(cur)).to_string(),
                previous: split_list(cell(prev)),
                skills: split_list(cell(skills)),
                home_sector,
                hours_wanted: cell(hours).to_string(),
            });
        }
    }
    (out, issues)
}

/// The centroid (latitude, longitude) of a postcode sector: the mean of the coordinates of
/// every postcode in it that the ONS directory holds.
pub fn sector_centroid(geo: &GeoIndex, sector: &str) -> Option<(f64, f64)> {
    // Inward codes: digit + two letters, never C I K M O V (Royal Mail).
    const LETTERS: &str = "ABDEFGHJLNPQRSTUWXYZ";
    let (mut lat, mut lon, mut n) = (0.0, 0.0, 0u32);
    for a in LETTERS.chars() {
        for b in LETTERS.chars() {
            let Ok(p) = Postcode::parse(&format!("{sector}{a}{b}")) else {
                continue;
            };
            if let Some((y, x)) = geo.lookup(&p).and_then(|l| l.lat.zip(l.long)) {
                lat += y;
                lon += x;
                n += 1;
            }
        }
    }
    (n > 0).then(|| (lat / f64::from(n), lon / f64::from(n)))
}

// --- matching -----------------------------------------------------------------------------

/// Options for [`match_all`].
#[derive(Debug, Clone)]
pub struct MatchOptions {
    /// Vacancies kept per candidate.
    pub top: usize,
    /// Only entry-level vacancies.
    pub entry_only: bool,
    /// Only vacancies closing on or after this date.
    pub open_on: Option<PaymentDate>,
    /// Only vacancies within this many km (vacancies of unknown distance are left out).
    pub max_km: Option<f64>,
    /// At most this many vacancies of one unit group per candidate (the best, then nearest).
    pub per_occupation: Option<usize>,
}

/// One candidate–vacancy match.
#[derive(Debug, Clone)]
pub struct Match {
    /// Candidate index.
    pub candidate: usize,
    /// Rank for the candidate (1 = best).
    pub rank: usize,
    /// Vacancy index.
    pub vacancy: usize,
    /// The vacancy's unit group.
    pub soc: SocCode,
    /// Whether the vacancy is entry level.
    pub entry_level: bool,
    /// The skills comparison.
    pub comparison: Comparison,
    /// Straight-line km from the home sector's centroid.
    pub distance_km: Option<f64>,
}

/// What the matching did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct MatchSummary {
    /// Vacancies read.
    pub vacancies: usize,
    /// Of which coded to SOC 2020.
    pub vacancies_coded: usize,
    /// Of which entry level.
    pub vacancies_entry_level: usize,
    /// Candidates read.
    pub candidates: usize,
    /// Candidates whose current occupation was coded.
    pub candidates_coded: usize,
    /// Matches written.
    pub matches: usize,
}

/// A candidate's skills: their occupations' and those they name.
pub fn candidate_skills(sk: &Skills, c: &Candidate) -> (Vec<SocCode>, BTreeSet<usize>) {
    let mut socs = Vec::new();
    let mut skills = BTreeSet::new();
    for o in std::iter::once(&c.current).chain(&c.previous) {
        if let Some(s) = sk.occupation(o) {
            if !socs.contains(&s) {
                socs.push(s);
                skills.extend(sk.skills_of(s));
            }
        }
    }
    for s in &c.skills {
        skills.extend(sk.skills_in(s, SKILLS_PER_TASK));
    }
    (socs, skills)
}

/// Match every candidate with the vacancies: best score first, then nearest, then the
/// vacancy's order in the feed.
pub fn match_all(
    sk: &Skills,
    vacancies: &[Vacancy],
    candidates: &[Candidate],
    geo: Option<&GeoIndex>,
    opt: &MatchOptions,
) -> (Vec<Match>, MatchSummary) {
    let mut summary = MatchSummary {
        vacancies: vacancies.len(),
        candidates: candidates.len(),
        ..Default::default()
    };
    let mut skills_cache: HashMap<SocCode, BTreeSet<usize>> = HashMap::new();
    // (vacancy index, unit group, entry level)
    let mut coded: Vec<(usize, SocCode, bool)> = Vec::new();
    for (i, v) in vacancies.iter().enumerate() {
        let c = sk.coder.code(&v.title);
        let Some(soc) = c.code.filter(|_| c.confidence >= MIN_CONFIDENCE) else {
            continue;
        };
        summary.vacancies_coded += 1;
        let entry = entry_level_soc(soc) && lowest_band(&v.band).is_none_or(|b| b <= ENTRY_BAND);
        if entry {
            summary.vacancies_entry_level += 1;
        }
        if opt.entry_only && !entry {
            continue;
        }
        if let (Some(on), Some(cl)) = (opt.open_on, v.closing) {
            if cl < on {
                continue;
            }
        }
        skills_cache.entry(soc).or_insert_with(|| sk.skills_of(soc));
        coded.push((i, soc, entry));
    }
    let mut out = Vec::new();
    let mut centroids: HashMap<String, Option<(f64, f64)>> = HashMap::new();
    for (ci, c) in candidates.iter().enumerate() {
        let (socs, have) = candidate_skills(sk, c);
        if socs.is_empty() {
            continue;
        }
        summary.candidates_coded += 1;
        let home = match geo {
            Some(g) if !c.home_sector.is_empty() => *centroids
                .entry(c.home_sector.clone())
                .or_insert_with(|| sector_centroid(g, &c.home_sector)),
            _ => None,
        };
        let mut scored: Vec<Match> = Vec::new();
        let mut by_soc: HashMap<SocCode, Comparison> = HashMap::new();
        for &(vi, soc, entry) in &coded {
            let distance_km = home
                .zip(vacancies[vi].point)
                .map(|((a, b), (c, d))| anchornet_geo::distance_km(a, b, c, d));
            if let Some(max) = opt.max_km {
                if distance_km.is_none_or(|d| d > max) {
                    continue;
                }
            }
            let comparison = by_soc
                .entry(soc)
                .or_insert_with(|| sk.compare(&have, &skills_cache[&soc]))
                .clone();
            scored.push(Match {
                candidate: ci,
                rank: 0,
                vacancy: vi,
                soc,
                entry_level: entry,
                comparison,
                distance_km,
            });
        }
        scored.sort_by(|a, b| {
            b.comparison
                .score
                .total_cmp(&a.comparison.score)
                .then(
                    a.distance_km
                        .unwrap_or(f64::INFINITY)
                        .total_cmp(&b.distance_km.unwrap_or(f64::INFINITY)),
                )
                .then(a.vacancy.cmp(&b.vacancy))
        });
        if let Some(k) = opt.per_occupation {
            let mut seen: HashMap<SocCode, usize> = HashMap::new();
            scored.retain(|m| {
                let n = seen.entry(m.soc).or_default();
                *n += 1;
                *n <= k
            });
        }
        scored.truncate(opt.top);
        for (k, m) in scored.iter_mut().enumerate() {
            m.rank = k + 1;
        }
        out.extend(scored);
    }
    summary.matches = out.len();
    (out, summary)
}

/// The columns of `anchornet jobs crosswalk`.
pub const CROSSWALK_COLUMNS: [&str; 6] = [
    "esco_uri",
    "esco_label",
    "soc2020",
    "soc2020_title",
    "method",
    "score",
];

/// The crosswalk's rows, in ESCO file order.
pub fn crosswalk_rows(sk: &Skills) -> Vec<[String; 6]> {
    sk.crosswalk
        .iter()
        .map(|r| {
            let o = &sk.esco.occupations[r.esco];
            [
                o.uri.clone(),
                o.label.clone(),
                r.soc.to_string(),
                sk.coder
                    .soc()
                    .get(r.soc)
                    .map(|g| g.title.clone())
                    .unwrap_or_default(),
                match r.method {
                    CrosswalkMethod::Coder => "coder",
                    CrosswalkMethod::Text => "text",
                }
                .into(),
                format!("{:.3}", r.score),
            ]
        })
        .collect()
}

/// The output columns of `anchornet jobs match`.
pub const MATCH_COLUMNS: [&str; 17] = [
    "candidate_id",
    "candidate_soc2020",
    "rank",
    "vacancy_id",
    "title",
    "employer",
    "band",
    "salary",
    "closing_date",
    "soc2020",
    "soc2020_title",
    "entry_level",
    "score",
    "distance_km",
    "skills_in_common",
    "skill_gaps",
    "esco_occupations",
];

/// The rows of the matches table.
pub fn match_rows(
    sk: &Skills,
    vacancies: &[Vacancy],
    candidates: &[Candidate],
    matches: &[Match],
) -> Vec<Vec<String>> {
    let label = |s: &[usize]| {
        s.iter()
            .map(|&i| sk.esco.skills[i].label.clone())
            .collect::<Vec<_>>()
            .join("; ")
    };
    let mut socs_of: HashMap<usize, String> = HashMap::new();
    matches
        .iter()
        .map(|m| {
            let v = &vacancies[m.vacancy];
            let c = &candidates[m.candidate];
            let cs = socs_of
                .entry(m.candidate)
                .or_insert_with(|| {
                    candidate_skills(sk, c)
                        .0
                        .iter()
                        .map(|s| s.to_string())
                        .collect::<Vec<_>>()
                        .join(";")
                })
                .clone();
            let esco: Vec<String> = sk
                .esco_of(m.soc)
                .iter()
                .take(5)
                .map(|&i| sk.esco.occupations[i].label.clone())
                .collect();
            vec![
                c.id.clone(),
                cs,
                m.rank.to_string(),
                v.id.clone(),
                v.title.clone(),
                v.employer.clone(),
                v.band.clone(),
                v.salary.clone(),
                v.closing.map(|d| d.to_string()).unwrap_or_default(),
                m.soc.to_string(),
                sk.coder
                    .soc()
                    .get(m.soc)
                    .map(|g| g.title.clone())
                    .unwrap_or_default(),
                if m.entry_level { "yes" } else { "no" }.into(),
                format!("{:.3}", m.comparison.score),
                m.distance_km.map(|d| format!("{d:.1}")).unwrap_or_default(),
                label(&m.comparison.common),
                label(&m.comparison.gaps),
                esco.join("; "),
            ]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_and_levels() {
        assert_eq!(lowest_band("5/6"), Some(5));
        assert_eq!(lowest_band("8a"), Some(8));
        assert_eq!(lowest_band("Band 3"), Some(3));
        assert_eq!(lowest_band(""), None);
        assert!(entry_level_soc(SocCode::parse("9263").unwrap()));
        assert!(!entry_level_soc(SocCode::parse("2231").unwrap()));
        assert!(!entry_level_soc(SocCode::parse("5434").unwrap()));
    }

    #[test]
    fn sectors() {
        assert_eq!(parse_sector("b12 9"), Some("B12 9".into()));
        assert_eq!(parse_sector("B12 9AB"), Some("B12 9".into()));
        assert_eq!(parse_sector("B12"), None);
        assert_eq!(parse_sector("nowhere"), None);
    }
}
