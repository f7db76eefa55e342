//! What can be wrong with a synthesis request or its graph.

/// Why questions cannot be synthesised.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SynthError {
    /// No question was asked for.
    #[error("the number of questions must be at least 1")]
    NoQuestions,
    /// A path length outside 1 to 3, or none at all.
    #[error("hops must be a non-empty list of 1, 2 and 3 (got {0:?})")]
    Hops(Vec<u8>),
    /// A fraction outside 0 to 1.
    #[error("{name} must be between 0 and 1 (got {value})")]
    Fraction {
        /// The setting.
        name: &'static str,
        /// Its value.
        value: f64,
    },
    /// A limit of zero, which no question meets.
    #[error("{0} must be at least 1")]
    ZeroLimit(&'static str),
    /// Two-constraint questions were asked for, but no path length they use (1 or 2).
    #[error("two-constraint questions combine a 1- or 2-hop path with a 1-hop one: hops must include 1 or 2 (got {0:?})")]
    ConjunctiveHops(Vec<u8>),
    /// The graph has nothing to ask about.
    #[error(
        "the graph has no entity with an unambiguous rdfs:label or skos:altLabel to ask about"
    )]
    NoTopics,
}
