//! Text normalization shared by linking and question parsing.
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
}
