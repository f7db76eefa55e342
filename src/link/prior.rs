//! What example questions teach the linker about how mentions sit in questions.
//!
//! Two statistics, both learned from questions whose topic entity is known:
//! - per token, how often it is part of an entity mention versus part of the question around it
//!   (`movies`, `directed`, `which` are almost never mentions; unseen words usually are);
//! - question *templates*: the question's tokens with the mention replaced by a placeholder
//!   (`what films did <e> star in`). A candidate mention that turns the question into a known
//!   template is very likely the right one.
//!
//! Without examples a small list of English function and question words stands in.

use std::collections::HashMap;
use std::ops::Range;

use crate::text::Token;

/// The placeholder standing for the mention in a template.
const PLACEHOLDER: &str = "<e>";

/// Common English words that are rarely entity mentions, used when no examples are given.
const STOPWORDS: &[&str] = &[
    "a", "about", "an", "and", "are", "as", "at", "be", "by", "can", "did", "do", "does", "for",
    "from", "has", "have", "how", "i", "in", "is", "it", "its", "me", "my", "of", "on", "or", "s",
    "that", "the", "their", "this", "to", "was", "were", "what", "when", "where", "which", "who",
    "whom", "whose", "why", "with", "you", "your", "show", "list", "tell", "give", "find",
];

/// Statistics learned from example questions.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct LinkPrior {
    /// Per token: (times inside a mention, times outside).
    tokens: HashMap<String, (u32, u32)>,
    /// Template → number of example questions with it.
    templates: HashMap<String, u32>,
    /// Number of examples learned from.
    examples: u32,
}

impl LinkPrior {
    /// A prior that knows nothing but English stopwords.
    pub fn new() -> Self {
        Self::default()
    }

    /// Learns from one question whose mentions (one per constraint: sorted, not overlapping)
    /// cover `tokens[mention]` for each of `mentions`.
    pub fn observe(&mut self, tokens: &[Token], mentions: &[Range<usize>]) {
        for (i, token) in tokens.iter().enumerate() {
            let counts = self.tokens.entry(token.text.clone()).or_default();
            if mentions.iter().any(|m| m.contains(&i)) {
                counts.0 += 1;
            } else {
                counts.1 += 1;
            }
        }
        *self
            .templates
            .entry(template(tokens, mentions))
            .or_default() += 1;
        self.examples += 1;
    }

    /// How many example questions were learned from.
    pub fn examples(&self) -> u32 {
        self.examples
    }

    /// Log-odds that `token` belongs to a mention.
    pub fn token_weight(&self, token: &str) -> f64 {
        if self.examples == 0 {
            // A stopword alone is a poor mention, but inside a title ("The Lord of the Rings") it
            // must not outweigh the content words around it.
            return if STOPWORDS.contains(&token) {
                -0.25
            } else {
                1.0
            };
        }
        let (inside, outside) = self.tokens.get(token).copied().unwrap_or((0, 0));
        // Smoothing favours mentions: words never seen in a question are mostly new entities.
        ((f64::from(inside) + 1.0) / (f64::from(outside) + 0.25)).ln()
    }

    /// Log of (1 + the number of examples) whose template the question has when `tokens[mention]`
    /// is the mention; 0 for an unseen template.
    pub fn template_weight(&self, tokens: &[Token], mention: Range<usize>) -> f64 {
        self.templates_weight(tokens, std::slice::from_ref(&mention))
    }

    /// The same for several mentions at once (sorted, not overlapping): how many examples had
    /// this question's template with every one of them replaced.
    pub fn templates_weight(&self, tokens: &[Token], mentions: &[Range<usize>]) -> f64 {
        if self.templates.is_empty() {
            return 0.0;
        }
        let count = self
            .templates
            .get(&template(tokens, mentions))
            .copied()
            .unwrap_or(0);
        f64::from(count).ln_1p()
    }
}

/// The question's tokens with each of `mentions` (sorted, not overlapping) replaced by the
/// placeholder.
fn template(tokens: &[Token], mentions: &[Range<usize>]) -> String {
    let mut parts: Vec<&str> = Vec::with_capacity(tokens.len());
    let mut next = 0;
    for mention in mentions {
        parts.extend(tokens[next..mention.start].iter().map(|t| t.text.as_str()));
        parts.push(PLACEHOLDER);
        next = mention.end;
    }
    parts.extend(tokens[next..].iter().map(|t| t.text.as_str()));
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::tokenize;

    #[test]
    fn learns_templates_and_token_odds() {
        let mut prior = LinkPrior::new();
        for (q, span) in [
            ("what films did Tom Hanks star in", 3..5),
            ("what films did Meg Ryan star in", 3..5),
        ] {
            prior.observe(&tokenize(q), &[span]);
        }
        let question = tokenize("what films did Julia Roberts star in");
        assert!(prior.template_weight(&question, 3..5) > 1.0);
        assert_eq!(prior.template_weight(&question, 3..4), 0.0);
        assert!(prior.token_weight("films") < 0.0);
        assert!(prior.token_weight("roberts") > 0.0);
        assert!(prior.token_weight("hanks") > prior.token_weight("films"));
    }

    #[test]
    fn learns_templates_with_several_mentions() {
        let mut prior = LinkPrior::new();
        prior.observe(
            &tokenize("which players of Ajax are from Spain"),
            &[3..4, 6..7],
        );
        let question = tokenize("which players of Porto are from Brazil");
        assert!(prior.templates_weight(&question, &[3..4, 6..7]) > 0.5);
        assert_eq!(prior.template_weight(&question, 3..4), 0.0);
        assert!(prior.token_weight("spain") > 0.0 && prior.token_weight("ajax") > 0.0);
        assert!(prior.token_weight("players") < 0.0);
    }

    #[test]
    fn falls_back_to_stopwords() {
        let prior = LinkPrior::new();
        assert!(prior.token_weight("the") < 0.0);
        assert!(prior.token_weight("router") > 0.0);
        assert_eq!(prior.template_weight(&tokenize("a b"), 0..1), 0.0);
    }
}
