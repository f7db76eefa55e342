//! Breakdowns: questions grouped by hop count or by question type, with one rule for when a
//! breakdown is shown (when the question file gives the grouping for at least one question).

use std::collections::BTreeMap;

use crate::question::Question;

/// The group of questions whose key the file does not give.
pub const UNKNOWN: &str = "unknown";

/// A question's hop count as a group key, when its file gives one.
pub fn hop_key(question: &Question) -> Option<String> {
    question.hops.map(|h| h.to_string())
}

/// A question's number of constraints (gold topics) as a group key, when its file gives topics.
pub fn constraints_key(question: &Question) -> Option<String> {
    (!question.topics.is_empty()).then(|| question.topics.len().to_string())
}

/// A question's type as a group key, when its file gives one.
pub fn type_key(question: &Question) -> Option<String> {
    question.qtype.clone()
}

/// `items` grouped by `key` (items without a key in [`UNKNOWN`]), keys in order; empty when no
/// item has a key, so that a file without the grouping gets no breakdown.
pub fn breakdown<'a, T>(
    items: impl IntoIterator<Item = &'a T>,
    key: impl Fn(&T) -> Option<String>,
) -> BTreeMap<String, Vec<&'a T>>
where
    T: 'a,
{
    let mut groups: BTreeMap<String, Vec<&T>> = BTreeMap::new();
    let mut known = false;
    for item in items {
        let group = key(item);
        known |= group.is_some();
        groups
            .entry(group.unwrap_or_else(|| UNKNOWN.to_owned()))
            .or_default()
            .push(item);
    }
    if !known {
        groups.clear();
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    fn question(hops: Option<u8>) -> Question {
        Question {
            hops,
            ..Question::plain("q")
        }
    }

    #[test]
    fn groups_by_key_only_when_the_file_gives_keys() {
        let mixed = [
            question(Some(2)),
            question(None),
            question(Some(1)),
            question(Some(2)),
        ];
        let groups = breakdown(&mixed, hop_key);
        let sizes: Vec<(&str, usize)> = groups.iter().map(|(k, v)| (k.as_str(), v.len())).collect();
        assert_eq!(sizes, [("1", 1), ("2", 2), (UNKNOWN, 1)]);
        assert!(breakdown(&[question(None), question(None)], hop_key).is_empty());
        assert_eq!(breakdown(&[question(Some(3))], hop_key).len(), 1);
    }
}
