//! Text normalization shared by linking and question parsing, and the words of relation names.
//!
//! Labels and questions are compared as sequences of *tokens*: maximal runs of letters and digits after
//! Unicode decomposition, accent stripping and lower-casing. Underscores, hyphens, apostrophes and all
//! other punctuation separate tokens, so `frederica_of_mecklenburg-strelitz`, `Frederica of
//! Mecklenburg-Strelitz` and `FRÉDÉRICA OF MECKLENBURG STRELITZ` all normalize to the same key.

use std::ops::Range;

use unicode_normalization::char::{decompose_compatible, is_combining_mark};

/// One normalized token with the byte range it came from in the original text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The normalized token (lower-case, no accents).
    pub text: String,
    /// Byte range of the token in the original text.
    pub span: Range<usize>,
}

/// Splits `text` into normalized tokens, keeping each token's byte range in `text`.
///
/// ```
/// let tokens = kgqa::text::tokenize("Who directed Amélie_2?");
/// let words: Vec<_> = tokens.iter().map(|t| t.text.as_str()).collect();
/// assert_eq!(words, ["who", "directed", "amelie", "2"]);
/// assert_eq!(&"Who directed Amélie_2?"[tokens[2].span.clone()], "Amélie");
/// ```
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut current: Option<Token> = None;
    for (offset, ch) in text.char_indices() {
        let end = offset + ch.len_utf8();
        let mut word_char = false;
        decompose_compatible(ch, |c| {
            if is_combining_mark(c) {
                // An accent continues the token it decorates.
                word_char |= current.is_some();
                return;
            }
            if c.is_alphanumeric() {
                word_char = true;
                let token = current.get_or_insert_with(|| Token {
                    text: String::new(),
                    span: offset..end,
                });
                token.text.extend(c.to_lowercase());
                token.span.end = end;
            } else if let Some(token) = current.take() {
                tokens.push(token);
            }
        });
        if !word_char {
            if let Some(token) = current.take() {
                tokens.push(token);
            }
        } else if let Some(token) = current.as_mut() {
            token.span.end = end;
        }
    }
    tokens.extend(current);
    tokens
}

/// The normalized key of a label or mention: its tokens joined by single spaces.
///
/// ```
/// assert_eq!(kgqa::text::normalize("  The Lord of the Rings: Return!"), "the lord of the rings return");
/// ```
pub fn normalize(text: &str) -> String {
    join_tokens(&tokenize(text))
}

/// Joins tokens' normalized text with single spaces.
pub fn join_tokens(tokens: &[Token]) -> String {
    let mut key = String::new();
    for (i, token) in tokens.iter().enumerate() {
        if i > 0 {
            key.push(' ');
        }
        key.push_str(&token.text);
    }
    key
}

/// Folds text for a case- and accent-insensitive but punctuation-sensitive comparison.
pub fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    for ch in text.chars() {
        decompose_compatible(ch, |c| {
            if !is_combining_mark(c) {
                folded.extend(c.to_lowercase());
            }
        });
    }
    folded
}

/// Words that end a relation text like `directed by` or `part of`, or start one like `in language`.
const PREPOSITIONS: [&str; 22] = [
    "about", "after", "against", "as", "at", "before", "behind", "below", "by", "for", "from",
    "in", "into", "near", "of", "on", "over", "per", "through", "to", "under", "with",
];

/// Whether `word` is a preposition that relation texts start or end with (`of`, `by`, `in`, …).
pub fn is_preposition(word: &str) -> bool {
    PREPOSITIONS.contains(&word)
}

/// The text by which a relation is known: its `rdfs:label` when the graph has one, else the local
/// name of its IRI split into words. A label that is itself an identifier (`directed_by`, no
/// spaces) is split the same way.
///
/// ```
/// use kgqa::text::relation_text;
/// assert_eq!(relation_text("http://x/ns#plays_in_club", None), "plays in club");
/// assert_eq!(relation_text("http://x/vocab/directedBy", None), "directed by");
/// assert_eq!(relation_text("http://x/ns#hasPart", Some("has  part")), "has part");
/// assert_eq!(relation_text("http://x/r/directed_by", Some("directed_by")), "directed by");
/// ```
pub fn relation_text(iri: &str, label: Option<&str>) -> String {
    let label = label.map(str::trim).filter(|l| !l.is_empty());
    let text = match label {
        Some(label) if label.contains(char::is_whitespace) => {
            label.split_whitespace().collect::<Vec<_>>().join(" ")
        }
        Some(label) => identifier_words(label),
        None => identifier_words(&local_name(iri)),
    };
    if text.is_empty() {
        "related to".to_owned()
    } else {
        text
    }
}

/// The text of a relation followed backwards (from object to subject), given its forward
/// [`relation_text`]: `has part` ↔ `part of`, `directed by` → `directed`, `fixes error` →
/// `error fixed by`, `release year` → `release year of`, `in language` → `language of`.
///
/// ```
/// use kgqa::text::inverse_relation_text;
/// assert_eq!(inverse_relation_text("has part"), "part of");
/// assert_eq!(inverse_relation_text("is part of"), "has part");
/// assert_eq!(inverse_relation_text("directed by"), "directed");
/// assert_eq!(inverse_relation_text("indicates"), "indicated by");
/// assert_eq!(inverse_relation_text("release year"), "release year of");
/// ```
pub fn inverse_relation_text(text: &str) -> String {
    let mut words: Vec<&str> = text.split_whitespace().collect();
    if words.len() > 1 && matches!(words[0], "is" | "are" | "was" | "were") {
        words.remove(0);
    }
    let (first, last) = match (words.first(), words.last()) {
        (Some(&first), Some(&last)) => (first, last),
        _ => return "inverse of related to".to_owned(),
    };
    let rest = |from: usize, to: usize| words[from..to].join(" ");
    let n = words.len();
    if n > 1 && matches!(first, "has" | "have") {
        format!("{} of", rest(1, n))
    } else if n > 1 && last == "of" {
        format!("has {}", rest(0, n - 1))
    } else if n > 1 && last == "by" {
        rest(0, n - 1)
    } else if n > 1 && is_preposition(first) {
        format!("{} of", rest(1, n))
    } else if is_preposition(last) {
        format!("inverse of {}", words.join(" "))
    } else if let Some(base) = verb_base(first, n == 1) {
        let done = past_participle(&base);
        match words.get(1) {
            None => format!("{done} by"),
            Some(next) if is_preposition(next) => format!("{done} {} by", rest(1, n)),
            Some(_) => format!("{} {done} by", rest(1, n)),
        }
    } else {
        format!("{} of", words.join(" "))
    }
}

/// The base form of `word` when it reads as a verb in the third person singular (`indicates` →
/// `indicate`, `fixes` → `fix`, `applies` → `apply`, `has` → `have`), or `None`. A word alone
/// (`alone`) is taken for a plural noun rather than a verb when it ends like one (`parents`,
/// `actors`, `tags`, `languages`).
pub fn verb_base(word: &str, alone: bool) -> Option<String> {
    const NOT_VERBS: [&str; 14] = [
        "ss", "us", "is", "ics", "ers", "ors", "nts", "ngs", "ags", "ges", "res", "ons", "als",
        "ias",
    ];
    match word {
        "has" => return Some("have".into()),
        "is" => return Some("be".into()),
        "does" => return Some("do".into()),
        "goes" => return Some("go".into()),
        _ => {}
    }
    if word.chars().count() < 3 || !word.ends_with('s') || !word.chars().all(char::is_lowercase) {
        return None;
    }
    if NOT_VERBS[..3].iter().any(|e| word.ends_with(e))
        || (alone && NOT_VERBS.iter().any(|e| word.ends_with(e)))
    {
        return None;
    }
    let stem = &word[..word.len() - 1];
    if let Some(y) = word.strip_suffix("ies").filter(|s| s.len() > 1) {
        Some(format!("{y}y"))
    } else if ["sses", "shes", "ches", "xes", "zes", "oes"]
        .iter()
        .any(|e| word.ends_with(e))
    {
        Some(word[..word.len() - 2].to_owned())
    } else {
        Some(stem.to_owned())
    }
}

/// The past participle of a verb's base form: `indicate` → `indicated`, `fix` → `fixed`, `apply`
/// → `applied`, and a few common irregular verbs (`know` → `known`, `write` → `written`).
pub fn past_participle(base: &str) -> String {
    const IRREGULAR: [(&str, &str); 16] = [
        ("be", "been"),
        ("build", "built"),
        ("do", "done"),
        ("give", "given"),
        ("go", "gone"),
        ("have", "had"),
        ("hold", "held"),
        ("know", "known"),
        ("lead", "led"),
        ("make", "made"),
        ("see", "seen"),
        ("sell", "sold"),
        ("show", "shown"),
        ("take", "taken"),
        ("win", "won"),
        ("write", "written"),
    ];
    if let Some((_, done)) = IRREGULAR.iter().find(|(b, _)| *b == base) {
        return (*done).to_owned();
    }
    let consonant_y = base.len() > 1
        && base.ends_with('y')
        && !base[..base.len() - 1].ends_with(['a', 'e', 'i', 'o', 'u']);
    if base.ends_with('e') {
        format!("{base}d")
    } else if consonant_y {
        format!("{}ied", &base[..base.len() - 1])
    } else {
        format!("{base}ed")
    }
}

/// The local name of an IRI, percent-decoded: what follows its last `#`, else its last `/`, else
/// its last `:` (a trailing separator is skipped).
///
/// ```
/// assert_eq!(kgqa::text::local_name("http://x/ns#hasPart"), "hasPart");
/// assert_eq!(kgqa::text::local_name("http://x/relation/has%20part/"), "has part");
/// assert_eq!(kgqa::text::local_name("urn:ex:knows"), "knows");
/// ```
pub fn local_name(iri: &str) -> String {
    let trimmed = iri.trim_end_matches(['/', '#']);
    let start = trimmed
        .rfind('#')
        .or_else(|| trimmed.rfind('/'))
        .or_else(|| trimmed.rfind(':'))
        .map_or(0, |i| i + 1);
    percent_decode(&trimmed[start..])
}

/// Decodes `%XX` escapes (invalid UTF-8 is replaced, a malformed escape is kept as written).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Splits an identifier into words: at `_`, `-`, `.`, spaces and other punctuation, and at
/// camel-case humps (`directedBy`, `hasURLPath` → `has URL path`). Words are lower-cased, except
/// acronyms (two or more capitals).
///
/// ```
/// assert_eq!(kgqa::text::identifier_words("plays_in_club"), "plays in club");
/// assert_eq!(kgqa::text::identifier_words("hasURLPath"), "has URL path");
/// ```
pub fn identifier_words(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            flush_word(&mut word, &mut words);
            continue;
        }
        let previous = i.checked_sub(1).map(|p| chars[p]);
        let next = chars.get(i + 1).copied();
        let hump = c.is_uppercase()
            && previous.is_some_and(|p| {
                p.is_lowercase()
                    || p.is_numeric()
                    || (p.is_uppercase() && next.is_some_and(char::is_lowercase))
            });
        if hump {
            flush_word(&mut word, &mut words);
        }
        word.push(c);
    }
    flush_word(&mut word, &mut words);
    words.join(" ")
}

fn flush_word(word: &mut String, words: &mut Vec<String>) {
    if word.is_empty() {
        return;
    }
    let acronym = word.chars().filter(|c| c.is_uppercase()).count() > 1
        && !word.chars().any(char::is_lowercase);
    words.push(if acronym {
        std::mem::take(word)
    } else {
        std::mem::take(word).to_lowercase()
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        tokenize(text).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn splits_on_punctuation_and_underscores() {
        assert_eq!(
            words("which nationality is frederica_of_mecklenburg-strelitz 's couple ?"),
            [
                "which",
                "nationality",
                "is",
                "frederica",
                "of",
                "mecklenburg",
                "strelitz",
                "s",
                "couple"
            ]
        );
    }

    #[test]
    fn strips_accents_and_case() {
        assert_eq!(words("Grégoire COLIN"), ["gregoire", "colin"]);
        assert_eq!(normalize("Ōkami"), "okami");
    }

    #[test]
    fn keeps_byte_spans_of_the_original() {
        let text = "what does [Grégoire Colin] appear in";
        let tokens = tokenize(text);
        assert_eq!(&text[tokens[2].span.clone()], "Grégoire");
        assert_eq!(&text[tokens[3].span.clone()], "Colin");
    }

    #[test]
    fn handles_empty_and_symbol_only_text() {
        assert!(tokenize("").is_empty());
        assert!(tokenize("?!  --").is_empty());
        assert_eq!(normalize("C-3PO"), "c 3po");
    }

    #[test]
    fn fold_keeps_punctuation() {
        assert_eq!(fold("Amélie!"), "amelie!");
    }

    #[test]
    fn splits_identifiers_of_every_style() {
        for (name, words) in [
            ("plays_in_club", "plays in club"),
            ("directedBy", "directed by"),
            ("DirectedBy", "directed by"),
            ("has-part", "has part"),
            ("hasURLPath", "has URL path"),
            ("ISBN", "ISBN"),
            ("release_year2", "release year2"),
            ("P31", "p31"),
            ("__x__", "x"),
            ("", ""),
        ] {
            assert_eq!(identifier_words(name), words, "{name}");
        }
    }

    #[test]
    fn relation_text_prefers_the_label() {
        assert_eq!(relation_text("http://x/ns#hasPart", None), "has part");
        assert_eq!(relation_text("http://x/ns#hasPart", Some("  ")), "has part");
        assert_eq!(
            relation_text("http://x/ns#hasPart", Some("contains\tpart")),
            "contains part"
        );
        assert_eq!(
            relation_text("http://example.org/kgqa/relation/in_language", None),
            "in language"
        );
        assert_eq!(
            relation_text("http://x/r/has%20imdb%20rating", None),
            "has imdb rating"
        );
        assert_eq!(relation_text("http://x/", None), "x");
        assert_eq!(relation_text("http://x/%%", None), "related to");
    }

    #[test]
    fn local_names_of_hash_slash_and_urn_iris() {
        assert_eq!(local_name("http://x/ns#hasPart"), "hasPart");
        assert_eq!(local_name("http://x/a/b/"), "b");
        assert_eq!(local_name("urn:ex:knows"), "knows");
        assert_eq!(local_name("http://x/Am%C3%A9lie"), "Amélie");
        assert_eq!(local_name("http://x/100%"), "100%");
    }

    #[test]
    fn inverse_texts_read_backwards() {
        for (forward, inverse) in [
            ("has part", "part of"),
            ("has genre", "genre of"),
            ("part of", "has part"),
            ("is part of", "has part"),
            ("directed by", "directed"),
            ("in language", "language of"),
            ("indicates", "indicated by"),
            ("fixes error", "error fixed by"),
            ("plays in club", "played in club by"),
            ("knows", "known by"),
            ("applies", "applied by"),
            ("release year", "release year of"),
            ("starred actors", "starred actors of"),
            ("parents", "parents of"),
            ("compatible with", "inverse of compatible with"),
        ] {
            assert_eq!(inverse_relation_text(forward), inverse, "{forward}");
        }
    }

    #[test]
    fn verbs_and_plural_nouns() {
        assert_eq!(verb_base("addresses", false).as_deref(), Some("address"));
        assert_eq!(verb_base("requires", false).as_deref(), Some("require"));
        assert_eq!(verb_base("plays", false).as_deref(), Some("play"));
        assert_eq!(verb_base("requires", true), None);
        assert_eq!(verb_base("actors", true), None);
        assert_eq!(verb_base("class", false), None);
        assert_eq!(verb_base("genre", false), None);
        assert_eq!(past_participle("supply"), "supplied");
        assert_eq!(past_participle("play"), "played");
        assert_eq!(past_participle("write"), "written");
    }
}
