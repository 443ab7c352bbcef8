//! ESCO occupations and skills (English labels and descriptions), bundled, and the text
//! index used to crosswalk them with SOC 2020 and to find the skills in a piece of text.
//!
//! The bundled files (`data/workforce/esco_{occupations,skills}_en_labels_descriptions.csv.xz`,
//! ESCO © European Union, see `data/workforce/README.md`) give each concept its URI and one
//! text: the preferred label, the alternative labels and the description run together. The
//! labels are lower case and the description starts with a capital letter, so the text is
//! split at the first word that starts with a capital followed by a small letter. The
//! preferred label is then guessed (it is only shown, never matched on):
//!
//! * occupations: the longest run of first labels' words that the description starts with
//!   (`kitchen porter pot and pan washer … Kitchen porters wash …` → `kitchen porter`);
//! * skills: ESCO's alternative labels usually end as the preferred label does, so the label
//!   runs to the first occurrence of the last two words of all the labels (`manage musical
//!   staff manage staff of music … direct musical staff` → `manage musical staff`) or to
//!   where the first word comes again, whichever is sooner; failing both, to the first
//!   occurrence of the last word; 2 to 8 words.

use std::collections::HashMap;

use crate::coder::words;
use crate::soc::table_of;

/// The bundled ESCO occupations (ESCO © European Union).
pub const OCCUPATIONS: &[u8] =
    include_bytes!("../../../data/workforce/esco_occupations_en_labels_descriptions.csv.xz");
/// The bundled ESCO skills and knowledge concepts (ESCO © European Union).
pub const SKILLS: &[u8] =
    include_bytes!("../../../data/workforce/esco_skills_en_labels_descriptions.csv.xz");

/// One ESCO concept.
#[derive(Debug, Clone)]
pub struct Concept {
    /// The ESCO URI.
    pub uri: String,
    /// The preferred label, as guessed (for showing).
    pub label: String,
    /// All the labels, run together.
    pub labels: String,
    /// The description.
    pub description: String,
}

/// Split an ESCO text into its labels and its description.
pub fn split_text(text: &str) -> (&str, &str) {
    let mut prev_space = false;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (k, &(i, c)) in chars.iter().enumerate() {
        if i > 0
            && prev_space
            && c.is_ascii_uppercase()
            && chars.get(k + 1).is_some_and(|x| x.1.is_lowercase())
        {
            return (text[..i].trim(), text[i..].trim());
        }
        prev_space = c.is_whitespace();
    }
    (text.trim(), "")
}

fn label_of_occupation(labels: &str, description: &str) -> String {
    let lw: Vec<&str> = labels.split_whitespace().collect();
    let dw: Vec<&str> = description.split_whitespace().collect();
    let same = |a: &str, b: &str| words(a) == words(b);
    let n = lw.iter().zip(&dw).take_while(|(a, b)| same(a, b)).count();
    if n > 0 {
        lw[..n].join(" ")
    } else {
        label_of_skill(labels)
    }
}

fn label_of_skill(labels: &str) -> String {
    let lw: Vec<&str> = labels.split_whitespace().collect();
    let key: Vec<Vec<String>> = lw.iter().map(|w| words(w)).collect();
    let n = key.len();
    if n <= 2 {
        return lw.join(" ");
    }
    // ESCO's alternative labels usually end as the preferred label does (`liaise with typists
    // … liaise with typist`): the label ends at the first occurrence of the labels' last two
    // words (compared as the coder's words, plurals stemmed), or the next label starts as the
    // first does (`cook vegetable products cook vegetable dishes …`): the sooner of the two;
    // with neither, the first occurrence of the last word.
    let tail = &key[n - 2..];
    let bigram = (0..n - 2).find(|&i| key[i..i + 2] == *tail).map(|i| i + 2);
    let restart = key.iter().skip(1).position(|w| *w == key[0]).map(|p| p + 1);
    let last = key.iter().position(|w| *w == key[n - 1]).map(|p| p + 1);
    let end = match (bigram, restart) {
        (Some(a), Some(b)) => a.min(b),
        (Some(a), None) | (None, Some(a)) => a,
        (None, None) => last.unwrap_or(n),
    };
    lw[..end.clamp(2, 8)].join(" ")
}

fn read(name: &str, bytes: &[u8], kind: &str) -> Result<Vec<Concept>, String> {
    let rows = table_of(name, bytes.to_vec())?;
    let mut it = rows.into_iter();
    let header = it.next().ok_or_else(|| format!("{name}: empty"))?;
    let col = |h: &str| {
        header
            .cells
            .iter()
            .position(|c| c.trim() == h)
            .ok_or_else(|| format!("{name}: no column {h:?}"))
    };
    let (ci, cd) = (col("id")?, col("description")?);
    let mut out = Vec::new();
    for r in it {
        let uri = r.cell(ci).trim();
        // Occupations only: the file also holds the ISCO-08 groups.
        if !uri.contains(kind) {
            continue;
        }
        let (labels, description) = split_text(r.cell(cd));
        let label = if kind == "/occupation/" {
            label_of_occupation(labels, description)
        } else {
            label_of_skill(labels)
        };
        out.push(Concept {
            uri: uri.to_string(),
            label,
            labels: labels.to_string(),
            description: description.to_string(),
        });
    }
    Ok(out)
}

/// ESCO occupations (ISCO groups left out) and skills.
pub struct Esco {
    /// Occupations.
    pub occupations: Vec<Concept>,
    /// Skills and knowledge.
    pub skills: Vec<Concept>,
}

impl Esco {
    /// The bundled edition.
    pub fn bundled() -> Result<Esco, String> {
        Ok(Esco {
            occupations: read("esco_occupations.csv.xz", OCCUPATIONS, "/occupation/")?,
            skills: read("esco_skills.csv.xz", SKILLS, "/skill/")?,
        })
    }
}

/// A bag of words weighted by TF-IDF and normalised to length 1.
pub type Vector = Vec<(u32, f64)>;

/// TF-IDF over a collection of documents, with cosine similarity and an inverted index.
pub struct TextIndex {
    vocab: HashMap<String, u32>,
    idf: Vec<f64>,
    docs: Vec<Vector>,
    postings: Vec<Vec<(u32, f64)>>,
}

impl TextIndex {
    /// Index documents; IDF is computed over them and over `extra` (documents that only
    /// share the vocabulary's weights, e.g. the other side of a crosswalk).
    pub fn new(docs: &[String], extra: &[String]) -> TextIndex {
        let mut vocab: HashMap<String, u32> = HashMap::new();
        let mut df: Vec<usize> = Vec::new();
        let all = docs.len() + extra.len();
        for d in docs.iter().chain(extra) {
            let mut ws = words(d);
            ws.sort();
            ws.dedup();
            for w in ws {
                let n = vocab.len() as u32;
                let id = *vocab.entry(w).or_insert(n);
                if id as usize == df.len() {
                    df.push(0);
                }
                df[id as usize] += 1;
            }
        }
        let idf: Vec<f64> = df.iter().map(|&d| (all as f64 / d as f64).ln()).collect();
        let mut ix = TextIndex {
            vocab,
            idf,
            docs: Vec::new(),
            postings: Vec::new(),
        };
        ix.postings = vec![Vec::new(); ix.idf.len()];
        for (i, d) in docs.iter().enumerate() {
            let v = ix.vector(d);
            for &(w, x) in &v {
                ix.postings[w as usize].push((i as u32, x));
            }
            ix.docs.push(v);
        }
        ix
    }

    /// The normalised TF-IDF vector of a text (words not in the collection are left out).
    pub fn vector(&self, text: &str) -> Vector {
        let mut tf: HashMap<u32, f64> = HashMap::new();
        for w in words(text) {
            if let Some(&id) = self.vocab.get(&w) {
                *tf.entry(id).or_default() += 1.0;
            }
        }
        let mut v: Vector = tf
            .into_iter()
            .map(|(id, n)| (id, n * self.idf[id as usize]))
            .filter(|x| x.1 > 0.0)
            .collect();
        let norm = v.iter().map(|x| x.1 * x.1).sum::<f64>().sqrt();
        if norm > 0.0 {
            for x in &mut v {
                x.1 /= norm;
            }
        }
        v.sort_by_key(|x| x.0);
        v
    }

    /// A word's IDF weight (the word as [`words`] gives it), if the collection has it.
    pub fn idf(&self, word: &str) -> Option<f64> {
        self.vocab.get(word).map(|&i| self.idf[i as usize])
    }

    /// The indexed document's vector.
    pub fn doc(&self, i: usize) -> &Vector {
        &self.docs[i]
    }

    /// The `k` documents most similar to a vector (cosine, highest first; ties to the lower
    /// index).
    pub fn nearest(&self, v: &Vector, k: usize) -> Vec<(usize, f64)> {
        let mut acc: HashMap<u32, f64> = HashMap::new();
        for &(w, x) in v {
            for &(d, y) in &self.postings[w as usize] {
                *acc.entry(d).or_default() += x * y;
            }
        }
        let mut s: Vec<(usize, f64)> = acc.into_iter().map(|(d, x)| (d as usize, x)).collect();
        s.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        s.truncate(k);
        s
    }
}

/// Cosine similarity of two normalised vectors.
pub fn cosine(a: &Vector, b: &Vector) -> f64 {
    let (mut i, mut j, mut s) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                s += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_split_into_labels_and_description() {
        let (l, d) = split_text("kitchen porter pot and pan washer KP Kitchen porters wash pans.");
        assert_eq!(l, "kitchen porter pot and pan washer KP");
        assert_eq!(d, "Kitchen porters wash pans.");
        assert_eq!(label_of_occupation(l, d), "kitchen porter");
        assert_eq!(
            label_of_skill("manage musical staff manage staff of music direct musical staff"),
            "manage musical staff"
        );
        assert_eq!(
            label_of_skill("cook vegetable products cook vegetable dishes prepare vegetables"),
            "cook vegetable products"
        );
        assert_eq!(
            label_of_skill("liaise with typists cooperate with typists liaise with typist"),
            "liaise with typists"
        );
    }

    /// Counts from the shared data's SOURCES.md and python's csv module: 3,658 occupation rows,
    /// 3,039 of them occupations (the rest ISCO groups),
    /// 13,939 skill rows.
    #[test]
    fn bundled_esco_reads() {
        let e = Esco::bundled().unwrap();
        assert_eq!(e.skills.len(), 13_939);
        assert_eq!(e.occupations.len(), 3_039);
        assert!(e.occupations.iter().all(|o| !o.label.is_empty()));
    }
}
