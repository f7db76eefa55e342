//! Deterministic IRIs for the names found in triple tables (MetaQA, PathQuestion).

use oxigraph::model::NamedNode;

/// The default namespace of minted IRIs.
pub const DEFAULT_BASE: &str = "http://example.org/kgqa/";

/// Mints entity and relation IRIs under a base namespace: `{base}entity/{name}` and
/// `{base}relation/{name}`, with the name percent-encoded, so that the same name always gives the
/// same IRI and the name can be read back from it.
#[derive(Debug, Clone)]
pub struct Minter {
    entity_prefix: String,
    relation_prefix: String,
}

impl Minter {
    /// A minter under `base`, which should end with `/` or `#`.
    pub fn new(base: &str) -> Self {
        Self {
            entity_prefix: format!("{base}entity/"),
            relation_prefix: format!("{base}relation/"),
        }
    }

    /// The IRI of the entity called `name`.
    pub fn entity(&self, name: &str) -> NamedNode {
        mint(&self.entity_prefix, name)
    }

    /// The IRI of the relation called `name`.
    pub fn relation(&self, name: &str) -> NamedNode {
        mint(&self.relation_prefix, name)
    }
}

impl Default for Minter {
    fn default() -> Self {
        Self::new(DEFAULT_BASE)
    }
}

fn mint(prefix: &str, name: &str) -> NamedNode {
    let mut iri = String::with_capacity(prefix.len() + name.len() * 3);
    iri.push_str(prefix);
    percent_encode_into(name, &mut iri);
    // Only unreserved characters and %XX escapes follow a valid prefix, so the IRI is valid.
    NamedNode::new_unchecked(iri)
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
pub(crate) fn percent_encode_into(name: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for byte in name.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(byte >> 4)] as char);
            out.push(HEX[usize::from(byte & 15)] as char);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mints_valid_deterministic_iris() {
        let minter = Minter::default();
        let iri = minter.entity("Grégoire Colin");
        assert_eq!(
            iri.as_str(),
            "http://example.org/kgqa/entity/Gr%C3%A9goire%20Colin"
        );
        assert_eq!(iri, minter.entity("Grégoire Colin"));
        NamedNode::new(iri.as_str()).expect("valid IRI");
        NamedNode::new(minter.relation("a|b <c> \"d\" {e}").as_str()).expect("valid IRI");
    }

    #[test]
    fn distinguishes_case() {
        let minter = Minter::default();
        assert_ne!(minter.entity("Comedy"), minter.entity("comedy"));
    }
}
