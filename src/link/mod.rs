//! Entity linking: finding the mentions in a question and the graph nodes they name.
//!
//! Two modes. With MetaQA-style `[bracket]` markup, the bracketed text is the mention. In free text,
//! every run of tokens that equals a node's normalized label (or alternative label) is a candidate
//! mention, scored by what example questions taught the [`LinkPrior`]; overlapping candidates are
//! resolved in favour of the best, and a label shared by several nodes yields all of them, ranked by
//! how exactly the text matches each label and by the node's degree.

mod index;
mod prior;
mod topics;

use std::ops::Range;

use oxigraph::model::NamedNode;

pub use index::{LabelEntry, LabelIndex, NodeId};
pub use prior::LinkPrior;
pub use topics::{topics, Topics};

use crate::error::Result;
use crate::question::{GoldEntity, Question};
use crate::store::Graph;
use crate::text::{self, Token};

/// Bonus of a mention given by bracket markup over any free-text evidence.
const BRACKET_SCORE: f64 = 50.0;
/// Each token of a mention adds this, so that longer exact matches win ties.
const LENGTH_BONUS: f64 = 0.5;
/// Weight of a known question template.
const TEMPLATE_WEIGHT: f64 = 3.0;
/// Weight of a node's degree (log) among the nodes an ambiguous mention names.
const DEGREE_WEIGHT: f64 = 0.05;
/// What a free-text mention loses when the question's words say it names the kind of thing
/// asked for (`which films`, `a film directed by X`) rather than a node the question is about.
const KIND_WORD_PENALTY: f64 = 6.0;
/// What a free-text link loses when a question written with capitals matches a capitalised label
/// in lowercase (`who stars in Ransom` does not mention the film `Stars`).
const CASE_CLASH_PENALTY: f64 = 4.0;
/// Words after which a lowercase word names the kind of thing asked for.
const KIND_DETERMINERS: &[&str] = &["which", "what", "a", "an"];
/// Nouns that, followed by `of`, make the next lowercase word a kind (`what kind of film`).
const KIND_NOUNS: &[&str] = &["kind", "sort", "type", "genre"];
/// Prepositions after which `the {word}` is a relational noun (`the author of X`, `the story for X`).
const RELATIONAL_PREPOSITIONS: &[&str] = &["of", "for"];
/// At most this many nodes of ambiguous mentions have their degree looked up per question (the
/// best scored first, in one query): a question repeating an ambiguous word costs no more.
pub const MAX_DEGREE_LOOKUPS: usize = 256;

/// A node linked from a mention in the question.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Link {
    /// The mention as written in the question.
    pub mention: String,
    /// Byte range of the mention in the question.
    pub span: Range<usize>,
    /// The linked node.
    #[serde(serialize_with = "crate::store::serialize_iri")]
    pub iri: NamedNode,
    /// The node's preferred label.
    pub label: String,
    /// The label that matched (preferred or alternative).
    pub matched: String,
    /// Confidence in [0, 1]; the links of one question sum to at most 1.
    pub score: f64,
    #[serde(skip)]
    raw: f64,
    /// How much the question's text says this span is a mention, whatever node it names:
    /// the prior's token log-odds, length and template (brackets: a fixed high value).
    #[serde(skip)]
    evidence: f64,
    #[serde(skip)]
    node: NodeId,
    /// Whether the mention names several nodes (ranked by degree, then).
    #[serde(skip)]
    ambiguous: bool,
}

impl Link {
    /// The node's id in the linker's label index.
    pub fn node_id(&self) -> NodeId {
        self.node
    }

    /// How much the question's text says this span is a mention (see [`topics`]).
    pub fn evidence(&self) -> f64 {
        self.evidence
    }

    /// Whether `[bracket]` markup gave the mention.
    pub fn is_bracketed(&self) -> bool {
        self.evidence >= BRACKET_SCORE
    }
}

/// Options of the linker.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LinkConfig {
    /// Use `[bracket]` markup when the question has it.
    pub brackets: bool,
    /// At most this many links per question.
    pub max_links: usize,
}

impl Default for LinkConfig {
    fn default() -> Self {
        Self {
            brackets: true,
            max_links: 10,
        }
    }
}

/// Links questions to the nodes of one graph.
#[derive(Clone)]
pub struct Linker {
    graph: Graph,
    index: LabelIndex,
    prior: LinkPrior,
    config: LinkConfig,
}

/// A candidate mention: tokens `tokens` of the question, matching `entries`.
struct Candidate<'a> {
    tokens: Range<usize>,
    entries: &'a [LabelEntry],
    score: f64,
}

impl Linker {
    /// A linker over `graph`'s labels with no examples learned yet.
    pub fn new(graph: Graph, config: LinkConfig) -> Result<Self> {
        let index = LabelIndex::build(&graph)?;
        Ok(Self {
            graph,
            index,
            prior: LinkPrior::new(),
            config,
        })
    }

    /// The label index.
    pub fn index(&self) -> &LabelIndex {
        &self.index
    }

    /// The prior learned from examples.
    pub fn prior(&self) -> &LinkPrior {
        &self.prior
    }

    /// Replaces the prior (for example with one saved in a model).
    pub fn with_prior(mut self, prior: LinkPrior) -> Self {
        self.prior = prior;
        self
    }

    /// Re-reads the labels of `nodes` from the graph into the index, after an update of the
    /// graph touched them.
    pub fn refresh(&mut self, nodes: &[NamedNode]) -> Result<()> {
        let rows = self.graph.labels_of(nodes)?;
        self.index.replace(nodes, rows);
        Ok(())
    }

    /// The options in use.
    pub fn config(&self) -> &LinkConfig {
        &self.config
    }

    /// Learns the prior from example questions whose topic entity is known. Returns how many of them
    /// could be used (their topic mention was found in the text).
    pub fn learn(&mut self, examples: &[Question]) -> usize {
        let mut prior = LinkPrior::new();
        for question in examples {
            if let Some((tokens, mentions)) = self.gold_mentions(question) {
                prior.observe(&tokens, &mentions);
            }
        }
        let used = prior.examples() as usize;
        self.prior = prior;
        used
    }

    /// The tokens of `question` (brackets removed) and the token ranges of its gold topic
    /// mentions (every bracketed span, else the longest mention of each gold topic), in text
    /// order and not overlapping; `None` when there is none.
    fn gold_mentions(&self, question: &Question) -> Option<(Vec<Token>, Vec<Range<usize>>)> {
        let plain = question.without_brackets();
        let tokens = text::tokenize(&plain);
        let brackets = bracket_spans(&question.text);
        let found: Vec<Range<usize>> = if brackets.is_empty() {
            question
                .topics
                .iter()
                .filter_map(|topic| self.longest_mention(&tokens, &self.resolve(topic)))
                .collect()
        } else {
            // The k-th bracketed span sits 2k + 1 bytes later than in the plain text.
            brackets
                .iter()
                .enumerate()
                .filter_map(|(k, span)| {
                    let shift = 2 * k + 1;
                    token_range(&tokens, &(span.start - shift..span.end - shift))
                })
                .collect()
        };
        let mentions = without_overlaps(found);
        (!mentions.is_empty()).then_some((tokens, mentions))
    }

    /// The longest run of `tokens` that is a label of one of `nodes`.
    fn longest_mention(&self, tokens: &[Token], nodes: &[NodeId]) -> Option<Range<usize>> {
        let mut best: Option<Range<usize>> = None;
        for candidate in self.candidates(tokens) {
            let hit = candidate.entries.iter().any(|e| nodes.contains(&e.node));
            let longer = best
                .as_ref()
                .is_none_or(|b| candidate.tokens.len() > b.len());
            if hit && longer {
                best = Some(candidate.tokens.clone());
            }
        }
        best
    }

    /// The nodes a gold entity names.
    pub fn resolve(&self, gold: &GoldEntity) -> Vec<NodeId> {
        match gold {
            GoldEntity::Iri(iri) => self.index.id(iri).into_iter().collect(),
            GoldEntity::Name(name) => self.index.resolve_name(name),
        }
    }

    /// Links the mentions of `question`, best first.
    pub fn link(&self, question: &str) -> Result<Vec<Link>> {
        let brackets = if self.config.brackets {
            bracket_spans(question)
        } else {
            Vec::new()
        };
        // Without bracket mode, brackets are punctuation like any other and never part of a mention.
        let mut links = if brackets.is_empty() {
            self.link_free_text(question)
        } else {
            self.link_brackets(question, &brackets)
        };
        self.add_degrees(&mut links)?;
        links.sort_by(|a, b| b.raw.total_cmp(&a.raw).then(a.node.cmp(&b.node)));
        links.truncate(self.config.max_links);
        normalize_scores(&mut links);
        Ok(links)
    }

    /// Ranks the nodes of ambiguous mentions by degree: one query for the distinct nodes of the
    /// whole question, at most [`MAX_DEGREE_LOOKUPS`] of them, the best scored first.
    fn add_degrees(&self, links: &mut [Link]) -> Result<()> {
        let mut ambiguous: Vec<&Link> = links.iter().filter(|l| l.ambiguous).collect();
        ambiguous.sort_by(|a, b| b.raw.total_cmp(&a.raw));
        let mut seen = std::collections::HashSet::new();
        let nodes: Vec<NamedNode> = ambiguous
            .into_iter()
            .filter(|l| seen.insert(l.node))
            .take(MAX_DEGREE_LOOKUPS)
            .map(|l| l.iri.clone())
            .collect();
        if nodes.is_empty() {
            return Ok(());
        }
        let degrees = self.graph.degrees(&nodes)?;
        for link in links.iter_mut().filter(|l| l.ambiguous) {
            if let Some(&degree) = degrees.get(&link.iri) {
                link.raw += DEGREE_WEIGHT * (degree as f64).ln_1p();
            }
        }
        Ok(())
    }

    fn link_brackets(&self, question: &str, spans: &[Range<usize>]) -> Vec<Link> {
        let mut links = Vec::new();
        for span in spans {
            let mention = &question[span.clone()];
            let entries = self.index.lookup(&text::normalize(mention));
            if entries.is_empty() {
                // Unknown bracketed text: fall back to free-text linking inside it.
                links.extend(self.link_free_text(mention).into_iter().map(|mut l| {
                    l.span = span.start + l.span.start..span.start + l.span.end;
                    l
                }));
                continue;
            }
            links.extend(self.entry_links(question, span.clone(), entries, BRACKET_SCORE));
        }
        links
    }

    /// Links the free-text mentions of `text`; spans are relative to `text`.
    fn link_free_text(&self, text: &str) -> Vec<Link> {
        let tokens = text::tokenize(text);
        let case = uses_case(text);
        let mut candidates: Vec<Candidate<'_>> = self.candidates(&tokens).collect();
        for candidate in &mut candidates {
            candidate.score = self.mention_score(&tokens, candidate.tokens.clone());
            if names_a_kind(text, case, &tokens, &candidate.tokens) {
                candidate.score -= KIND_WORD_PENALTY;
            }
        }
        candidates.sort_by(|a, b| {
            b.score
                .total_cmp(&a.score)
                .then(b.tokens.len().cmp(&a.tokens.len()))
                .then(a.tokens.start.cmp(&b.tokens.start))
        });
        let mut taken: Vec<Range<usize>> = Vec::new();
        let mut links = Vec::new();
        for candidate in candidates {
            let overlaps = taken
                .iter()
                .any(|t| t.start < candidate.tokens.end && candidate.tokens.start < t.end);
            if overlaps {
                continue;
            }
            let span = tokens[candidate.tokens.start].span.start
                ..tokens[candidate.tokens.end - 1].span.end;
            let mut found = self.entry_links(text, span, candidate.entries, candidate.score);
            if case {
                for link in found
                    .iter_mut()
                    .filter(|l| case_clash(&l.mention, &l.matched))
                {
                    link.raw -= CASE_CLASH_PENALTY;
                    link.evidence -= CASE_CLASH_PENALTY;
                }
            }
            links.extend(found);
            taken.push(candidate.tokens);
        }
        links
    }

    /// Every run of tokens that is some node's label.
    fn candidates<'a>(&'a self, tokens: &'a [Token]) -> impl Iterator<Item = Candidate<'a>> + 'a {
        let max = self.index.max_tokens();
        (0..tokens.len()).flat_map(move |start| {
            let mut key = String::new();
            (start..tokens.len().min(start + max)).filter_map(move |end| {
                if end > start {
                    key.push(' ');
                }
                key.push_str(&tokens[end].text);
                let entries = self.index.lookup(&key);
                (!entries.is_empty()).then(|| Candidate {
                    tokens: start..end + 1,
                    entries,
                    score: 0.0,
                })
            })
        })
    }

    fn mention_score(&self, tokens: &[Token], mention: Range<usize>) -> f64 {
        let words: f64 = tokens[mention.clone()]
            .iter()
            .map(|t| self.prior.token_weight(&t.text))
            .sum();
        words
            + LENGTH_BONUS * mention.len() as f64
            + TEMPLATE_WEIGHT * self.prior.template_weight(tokens, mention)
    }

    /// One link per node labelled by the mention at `span` of `text` (their degrees are added
    /// later, for the whole question at once).
    fn entry_links(
        &self,
        text: &str,
        span: Range<usize>,
        entries: &[LabelEntry],
        base: f64,
    ) -> Vec<Link> {
        let surface = &text[span.clone()];
        let ambiguous = entries.len() > 1;
        entries
            .iter()
            .map(|entry| Link {
                mention: surface.to_owned(),
                span: span.clone(),
                iri: self.index.iri(entry.node).clone(),
                label: self.index.display(entry.node).to_owned(),
                matched: entry.label.clone(),
                score: 0.0,
                raw: base + exactness(surface, entry),
                evidence: base,
                node: entry.node,
                ambiguous,
            })
            .collect()
    }
}

/// Whether the one-word mention `tokens[mention]` of `text` is a lowercase word of the question's
/// frame rather than a node it is about: the kind asked for, right after `which`, `what`, `a`,
/// `an` or `kind of` (`which films`, `can you name a film directed by X`, `what kind of film`);
/// a kind right before a capitalised name in a question written with capitals (`the film Heat`,
/// `the actor Tom Hanks`); or a relational noun between `the` and `of` or `for` (`the author of
/// X`, `the story for X`). `case`: whether `text` [`uses_case`].
fn names_a_kind(text: &str, case: bool, tokens: &[Token], mention: &Range<usize>) -> bool {
    if mention.len() != 1 {
        return false;
    }
    let original = |i: usize| &text[tokens[i].span.clone()];
    if has_capitals(original(mention.start)) {
        return false;
    }
    let word = |offset: isize| {
        mention
            .start
            .checked_add_signed(offset)
            .and_then(|i| tokens.get(i))
            .map_or("", |t| t.text.as_str())
    };
    let after_determiner = KIND_DETERMINERS.contains(&word(-1))
        || (word(-1) == "of" && KIND_NOUNS.contains(&word(-2)));
    let before_name =
        case && mention.end < tokens.len() && original(mention.end).starts_with(char::is_uppercase);
    let relational = word(-1) == "the" && RELATIONAL_PREPOSITIONS.contains(&word(1));
    after_determiner || before_name || relational
}

/// Whether `text` is written with capitals beyond its first letter (so that a lowercase word in
/// it is not a name).
fn uses_case(text: &str) -> bool {
    text.chars().skip(1).any(char::is_uppercase)
}

/// Whether `text` has a capital letter anywhere.
fn has_capitals(text: &str) -> bool {
    text.chars().any(char::is_uppercase)
}

/// Whether a lowercase `surface` matched a `label` that has capitals.
fn case_clash(surface: &str, label: &str) -> bool {
    !has_capitals(surface) && has_capitals(label)
}

/// How exactly the surface text matches a label: same characters, same letters up to case and
/// accents, preferred rather than alternative label.
fn exactness(surface: &str, entry: &LabelEntry) -> f64 {
    let mut bonus = 0.0;
    if surface == entry.label {
        bonus += 2.0;
    } else if text::fold(surface) == text::fold(&entry.label) {
        bonus += 1.0;
    }
    if !entry.alternative {
        bonus += 0.3;
    }
    bonus
}

/// Turns raw scores into confidences with a softmax over the question's links.
fn normalize_scores(links: &mut [Link]) {
    let Some(max) = links.iter().map(|l| l.raw).reduce(f64::max) else {
        return;
    };
    let total: f64 = links.iter().map(|l| (l.raw - max).exp()).sum();
    for link in links {
        link.score = (link.raw - max).exp() / total;
    }
}

/// Byte ranges of the texts inside `[` `]` pairs.
fn bracket_spans(question: &str) -> Vec<Range<usize>> {
    let mut spans = Vec::new();
    let mut open = None;
    for (i, ch) in question.char_indices() {
        match ch {
            '[' => open = Some(i + 1),
            ']' => {
                if let Some(start) = open.take() {
                    if i > start {
                        spans.push(start..i);
                    }
                }
            }
            _ => {}
        }
    }
    spans
}

/// `ranges` sorted by start, each dropped that overlaps one kept before it.
fn without_overlaps(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut kept: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for range in ranges {
        if kept.last().is_none_or(|last| last.end <= range.start) {
            kept.push(range);
        }
    }
    kept
}

/// The tokens lying within byte range `span`.
fn token_range(tokens: &[Token], span: &Range<usize>) -> Option<Range<usize>> {
    let start = tokens.iter().position(|t| t.span.start >= span.start)?;
    let end = tokens.iter().rposition(|t| t.span.end <= span.end)? + 1;
    (start < end).then_some(start..end)
}

#[cfg(test)]
mod tests;
