//! English word forms that phrasing derives from relation texts: the verb behind a participle
//! (`directed` → `direct`, `written` → `write`), its past tense, the doer of a verb (`direct` →
//! `director`) and the verb behind a doer (`actors` → `act`). Heuristics over one word, with the
//! common irregular verbs listed; a word they cannot read gives `None`.

use crate::text::past_participle;

/// Irregular verbs: base form, past tense, past participle.
const IRREGULAR: [(&str, &str, &str); 24] = [
    ("bear", "bore", "born"),
    ("begin", "began", "begun"),
    ("build", "built", "built"),
    ("buy", "bought", "bought"),
    ("choose", "chose", "chosen"),
    ("draw", "drew", "drawn"),
    ("drive", "drove", "driven"),
    ("find", "found", "found"),
    ("give", "gave", "given"),
    ("hold", "held", "held"),
    ("know", "knew", "known"),
    ("lead", "led", "led"),
    ("make", "made", "made"),
    ("run", "ran", "run"),
    ("see", "saw", "seen"),
    ("sell", "sold", "sold"),
    ("send", "sent", "sent"),
    ("shoot", "shot", "shot"),
    ("sing", "sang", "sung"),
    ("speak", "spoke", "spoken"),
    ("take", "took", "taken"),
    ("teach", "taught", "taught"),
    ("win", "won", "won"),
    ("write", "wrote", "written"),
];

/// Nouns ending like doers that name no doing (`mother` is not one who moths).
const NOT_DOERS: [&str; 14] = [
    "brother",
    "daughter",
    "father",
    "master",
    "member",
    "mother",
    "number",
    "other",
    "partner",
    "sister",
    "character",
    "letter",
    "water",
    "paper",
];

/// The base form of a verb's past participle: `directed` → `direct`, `starred` → `star`,
/// `produced` → `produce`, `carried` → `carry`, `written` → `write`.
pub fn participle_base(word: &str) -> Option<String> {
    if let Some((base, ..)) = IRREGULAR.iter().find(|(_, _, done)| *done == word) {
        return Some((*base).to_owned());
    }
    let stem = word.strip_suffix("ed").filter(|s| s.len() >= 2)?;
    if let Some(y) = stem.strip_suffix('i').filter(|s| s.len() >= 2) {
        return Some(format!("{y}y"));
    }
    let bytes = stem.as_bytes();
    let (last, before) = (bytes[bytes.len() - 1], bytes[bytes.len() - 2]);
    if last == before && !matches!(last, b'l' | b's' | b'f' | b'z' | b'e' | b'o') {
        return Some(stem[..stem.len() - 1].to_owned());
    }
    Some(if needs_final_e(stem) {
        format!("{stem}e")
    } else {
        stem.to_owned()
    })
}

/// The past tense of a verb's base form: `direct` → `directed`, `star` → `starred`, `write` →
/// `wrote`.
pub fn past_tense(base: &str) -> String {
    IRREGULAR
        .iter()
        .find(|(b, ..)| *b == base)
        .map_or_else(|| regular_past(base), |(_, past, _)| (*past).to_owned())
}

/// The past participle of a verb's base form, irregular verbs included.
pub fn participle(base: &str) -> String {
    IRREGULAR
        .iter()
        .find(|(b, ..)| *b == base)
        .map_or_else(|| regular_past(base), |(.., done)| (*done).to_owned())
}

/// `-ed`, doubling the final consonant of a short verb (`star` → `starred`, `plan` → `planned`).
fn regular_past(base: &str) -> String {
    let vowel = |c: u8| matches!(c, b'a' | b'e' | b'i' | b'o' | b'u');
    let b = base.as_bytes();
    let n = b.len();
    let doubles = n >= 3
        && !vowel(b[n - 1])
        && !matches!(b[n - 1], b'w' | b'x' | b'y')
        && vowel(b[n - 2])
        && !vowel(b[n - 3])
        && syllables(base) == 1;
    if doubles {
        format!("{base}{}ed", b[n - 1] as char)
    } else {
        past_participle(base)
    }
}

/// The one who does what a verb says: `direct` → `director`, `write` → `writer`, `create` →
/// `creator`, `play` → `player`.
pub fn doer(base: &str) -> String {
    if base.ends_with("ct") || base.ends_with("dit") {
        format!("{base}or")
    } else if let Some(stem) = base.strip_suffix("ate") {
        format!("{stem}ator")
    } else if base.ends_with('e') {
        format!("{base}r")
    } else {
        format!("{base}er")
    }
}

/// The verb behind a doer, singular or plural: `actors` → `act`, `writer` → `write`, `directors`
/// → `direct`, `creators` → `create`; `None` for a noun that names no doer (`genre`, `mother`).
pub fn doer_verb(noun: &str) -> Option<String> {
    let word = singular(noun);
    if word.len() < 5 || NOT_DOERS.contains(&word.as_str()) {
        return None;
    }
    if let Some(stem) = word.strip_suffix("ator") {
        return Some(format!("{stem}ate"));
    }
    if word.ends_with("ctor") || word.ends_with("ditor") {
        return Some(word[..word.len() - 2].to_owned());
    }
    let stem = word.strip_suffix("er")?;
    if stem.ends_with(|c: char| !c.is_ascii_alphabetic()) || stem.ends_with("th") {
        return None;
    }
    Some(if needs_final_e(stem) && !stem.ends_with("ng") {
        format!("{stem}e")
    } else {
        stem.to_owned()
    })
}

/// The last word of a noun phrase, its head (`starred actors` → `actors`).
pub fn head_word(noun: &str) -> &str {
    noun.rsplit(' ').next().unwrap_or(noun)
}

/// The singular of a plural noun (`actors` → `actor`, `countries` → `country`); other words as
/// they are.
pub fn singular(noun: &str) -> String {
    if let Some(y) = noun.strip_suffix("ies").filter(|s| s.len() > 1) {
        return format!("{y}y");
    }
    let keeps = ["ss", "us", "is"].iter().any(|e| noun.ends_with(e));
    match noun.strip_suffix('s') {
        Some(stem) if !keeps && stem.len() > 1 => stem.to_owned(),
        _ => noun.to_owned(),
    }
}

/// Whether a stem lost a final `e` before `-ed` or `-er`: `produc`, `releas`, `creat`, `nam`,
/// `writ`, `chang`.
fn needs_final_e(stem: &str) -> bool {
    let vowel = |c: u8| matches!(c, b'a' | b'e' | b'i' | b'o' | b'u');
    let b = stem.as_bytes();
    let n = b.len();
    let last = b[n - 1];
    let before = b[n - 2];
    match last {
        b'c' | b'v' | b'z' | b'u' => true,
        b'g' => matches!(before, b'n' | b'r'),
        b's' => vowel(before) || before == b'r' || before == b'l',
        b'r' => before == b'u',
        b'w' | b'x' | b'y' => false,
        _ if vowel(last) || n < 3 => false,
        b't' if before == b'a' => true,
        _ => vowel(before) && !vowel(b[n - 3]) && syllables(stem) == 1 && n <= 4,
    }
}

/// Groups of vowels in a word: its syllables, roughly.
fn syllables(word: &str) -> usize {
    let vowel = |c: char| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y');
    let mut count = 0;
    let mut previous = false;
    for c in word.chars() {
        let v = vowel(c);
        if v && !previous {
            count += 1;
        }
        previous = v;
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn participles_give_their_verbs() {
        for (word, base) in [
            ("directed", "direct"),
            ("written", "write"),
            ("starred", "star"),
            ("produced", "produce"),
            ("created", "create"),
            ("released", "release"),
            ("carried", "carry"),
            ("played", "play"),
            ("named", "name"),
            ("called", "call"),
            ("founded", "found"),
            ("composed", "compose"),
            ("edited", "edit"),
            ("used", "use"),
            ("owned", "own"),
            ("caused", "cause"),
            ("manufactured", "manufacture"),
            ("published", "publish"),
            ("located", "locate"),
        ] {
            assert_eq!(participle_base(word).as_deref(), Some(base), "{word}");
        }
        assert_eq!(participle_base("genre"), None);
        assert_eq!(participle_base("red"), None);
    }

    #[test]
    fn doers_and_their_verbs() {
        for (base, one) in [
            ("direct", "director"),
            ("write", "writer"),
            ("create", "creator"),
            ("play", "player"),
            ("produce", "producer"),
            ("edit", "editor"),
            ("publish", "publisher"),
        ] {
            assert_eq!(doer(base), one);
            assert_eq!(doer_verb(one).as_deref(), Some(base), "{one}");
            assert_eq!(
                doer_verb(&format!("{one}s")).as_deref(),
                Some(base),
                "{one}s"
            );
        }
        assert_eq!(doer_verb("actors").as_deref(), Some("act"));
        for noun in ["genre", "mother", "members", "tags", "language", "year"] {
            assert_eq!(doer_verb(noun), None, "{noun}");
        }
    }

    #[test]
    fn tenses_of_regular_and_irregular_verbs() {
        assert_eq!(past_tense("direct"), "directed");
        assert_eq!(past_tense("write"), "wrote");
        assert_eq!(past_tense("star"), "starred");
        assert_eq!(past_tense("act"), "acted");
        assert_eq!(past_tense("play"), "played");
        assert_eq!(participle("write"), "written");
        assert_eq!(participle("release"), "released");
        assert_eq!(singular("countries"), "country");
        assert_eq!(singular("actors"), "actor");
        assert_eq!(singular("genus"), "genus");
    }
}
