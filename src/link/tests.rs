use super::*;
use crate::testing;

const MOVIES: &str = r#"
    ex:heat rdfs:label "Heat" ; ex:directed_by ex:mann ; ex:has_genre ex:Crime .
    ex:mann rdfs:label "Michael Mann" .
    ex:Crime rdfs:label "Crime" .
    ex:crime_tag rdfs:label "crime" .
    ex:m1 ex:has_tags ex:crime_tag . ex:m2 ex:has_tags ex:crime_tag .
    ex:amelie rdfs:label "Amélie" ; skos:altLabel "Le Fabuleux Destin d'Amélie Poulain" .
    ex:lotr rdfs:label "The Lord of the Rings" .
    ex:lord rdfs:label "Lord" .
    ex:films rdfs:label "Films" .
    ex:film_tag rdfs:label "film" .
    ex:stars rdfs:label "Stars" .
    ex:ransom rdfs:label "Ransom" ; ex:starred_actors ex:gibson .
    ex:gibson rdfs:label "Mel Gibson" .
    ex:author_tag rdfs:label "author" .
    ex:fmecklenburg rdfs:label "frederica_of_mecklenburg-strelitz" .
"#;

fn linker() -> Linker {
    Linker::new(testing::graph(MOVIES), LinkConfig::default()).unwrap()
}

fn top(linker: &Linker, question: &str) -> String {
    linker.link(question).unwrap()[0].iri.as_str().to_owned()
}

#[test]
fn brackets_name_the_mention() {
    let linker = linker();
    let links = linker.link("what films did [Michael Mann] direct").unwrap();
    assert_eq!(links[0].iri.as_str(), "http://ex.org/mann");
    assert_eq!(links[0].mention, "Michael Mann");
    assert!(links[0].score > 0.99);
}

#[test]
fn free_text_prefers_the_longest_informative_match() {
    let linker = linker();
    assert_eq!(
        top(&linker, "what films did michael mann direct?"),
        "http://ex.org/mann"
    );
    assert_eq!(
        top(&linker, "who directed the lord of the rings"),
        "http://ex.org/lotr"
    );
}

#[test]
fn handles_accents_underscores_and_alternative_labels() {
    let linker = linker();
    assert_eq!(top(&linker, "who directed AMELIE"), "http://ex.org/amelie");
    assert_eq!(
        top(
            &linker,
            "who starred in le fabuleux destin d'amelie poulain"
        ),
        "http://ex.org/amelie"
    );
    assert_eq!(
        top(
            &linker,
            "which nationality is frederica of mecklenburg strelitz 's couple ?"
        ),
        "http://ex.org/fmecklenburg"
    );
}

#[test]
fn shared_labels_return_every_node_ranked_by_exactness() {
    let linker = linker();
    let links = linker.link("which movies are about crime").unwrap();
    let crime: Vec<&str> = links
        .iter()
        .filter(|l| l.mention == "crime")
        .map(|l| l.iri.as_str())
        .collect();
    assert_eq!(crime, ["http://ex.org/crime_tag", "http://ex.org/Crime"]);
    let links = linker.link("which movies are in Crime").unwrap();
    assert_eq!(links[0].iri.as_str(), "http://ex.org/Crime");
    let total: f64 = links.iter().map(|l| l.score).sum();
    assert!((total - 1.0).abs() < 1e-9);
}

#[test]
fn overlapping_mentions_keep_the_best() {
    let linker = linker();
    let links = linker.link("who directed the lord of the rings").unwrap();
    assert!(
        links.iter().all(|l| l.iri.as_str() != "http://ex.org/lord"),
        "{links:?}"
    );
}

#[test]
fn learns_templates_from_examples() {
    let mut linker = linker();
    let examples: Vec<Question> = [
        "what films are [Heat] about",
        "what films are [Crime] about",
    ]
    .iter()
    .map(|q| Question {
        topics: Vec::new(),
        ..Question::plain(*q)
    })
    .collect();
    assert_eq!(linker.learn(&examples), 2);
    // "Films" is a node too, but the learned template says the mention is what follows "are".
    assert_eq!(
        top(&linker, "what films are Amélie about"),
        "http://ex.org/amelie"
    );
}

#[test]
fn learns_from_gold_iris_without_brackets() {
    let mut linker = linker();
    let example = Question {
        topics: vec![GoldEntity::Iri(
            NamedNode::new("http://ex.org/heat").unwrap(),
        )],
        ..Question::plain("who directed heat")
    };
    assert_eq!(linker.learn(&[example]), 1);
}

#[test]
fn every_constraining_mention_is_a_topic() {
    let mut linker = linker();
    let examples: Vec<Question> = [
        "what films are [Heat] about",
        "what films are [Crime] about",
        "which films did [Michael Mann] direct about [Crime]",
    ]
    .iter()
    .map(|q| Question::plain(*q))
    .collect();
    assert_eq!(linker.learn(&examples), 3);
    let links = linker
        .link("which films did michael mann direct about crime")
        .unwrap();
    let chosen = topics(&links);
    let iris: Vec<Vec<&str>> = chosen
        .constraints()
        .iter()
        .map(|nodes| nodes.iter().map(|n| n.as_str()).collect())
        .collect();
    // "films" names a node too, but examples showed it around mentions, never in one.
    assert_eq!(iris.len(), 2, "{iris:?}");
    assert_eq!(iris[0], ["http://ex.org/mann"]);
    assert!(iris[1].contains(&"http://ex.org/crime_tag"), "{iris:?}");
    assert_eq!(
        chosen.entities().len(),
        iris.iter().map(Vec::len).sum::<usize>()
    );

    // Brackets: every bracketed mention is a constraint, in the order of confidence.
    let links = linker
        .link("which films did [Michael Mann] direct about [Heat]")
        .unwrap();
    assert_eq!(topics(&links).constraints().len(), 2);
    // One mention: one constraint, as before.
    let links = linker.link("what films are [Heat] about").unwrap();
    assert_eq!(topics(&links).constraints(), [vec![links[0].iri.clone()]]);
}

/// The constraints chosen for `question` by a linker that learned from synthesised questions
/// which never say `film` or `stars`, as IRIs.
fn constraints_of(linker: &Linker, question: &str) -> Vec<Vec<String>> {
    topics(&linker.link(question).unwrap())
        .constraints()
        .iter()
        .map(|nodes| nodes.iter().map(|n| n.as_str().to_owned()).collect())
        .collect()
}

#[test]
fn words_of_the_question_itself_are_no_constraints() {
    let mut linker = linker();
    let examples: Vec<Question> = [
        "who starred in [Heat]",
        "which things did [Mel Gibson] star in",
    ]
    .iter()
    .map(|q| Question::plain(*q))
    .collect();
    linker.learn(&examples);
    // The kind of thing asked for, after `which`, `what`, `a` or `an`.
    assert_eq!(
        constraints_of(&linker, "can you name a film directed by Michael Mann"),
        [["http://ex.org/mann"]]
    );
    assert_eq!(
        constraints_of(&linker, "what kind of film is Heat"),
        [["http://ex.org/heat"]]
    );
    // A relational noun: `the author of X`.
    assert_eq!(
        constraints_of(&linker, "who is the author of heat"),
        [["http://ex.org/heat"]]
    );
    // A lowercase word naming the kind of the name after it.
    assert_eq!(
        constraints_of(&linker, "who directed the film Heat"),
        [["http://ex.org/heat"]]
    );
    // A lowercase word where the question writes names with capitals.
    assert_eq!(
        constraints_of(&linker, "who stars in Ransom"),
        [["http://ex.org/ransom"]]
    );
    // Still a constraint: the same word said as a name, or in a question without capitals.
    assert_eq!(top(&linker, "who stars in Stars"), "http://ex.org/stars");
    assert_eq!(constraints_of(&linker, "who stars in ransom").len(), 2);
}

/// A free-text link of `mention` at `span` with confidence `score` and mention evidence
/// `evidence`.
fn link_of(mention: &str, span: Range<usize>, score: f64, evidence: f64) -> Link {
    Link {
        mention: mention.to_owned(),
        span,
        iri: NamedNode::new(format!("http://ex.org/{mention}")).unwrap(),
        label: mention.to_owned(),
        matched: mention.to_owned(),
        score,
        raw: score,
        evidence,
        node: 0,
        ambiguous: false,
    }
}

#[test]
fn a_clitic_is_no_constraint_however_often_examples_showed_it_inside_mentions() {
    // "who's the director of heat": "s" is a node of MetaQA's graph, and "Ocean's Eleven" showed
    // the word inside mentions.
    let heat = link_of("heat", 22..26, 0.8, 2.0);
    let clitic = link_of("s", 4..5, 0.1, 2.0);
    let chosen = topics(&[heat.clone(), clitic]);
    assert_eq!(chosen.constraints(), [vec![heat.iri.clone()]]);
    // A word of two letters with the same evidence is a constraint, and so is a bracketed letter.
    let word = link_of("ax", 4..6, 0.1, 2.0);
    assert_eq!(topics(&[heat.clone(), word]).constraints().len(), 2);
    let bracketed = link_of("m", 4..5, 0.1, BRACKET_SCORE);
    assert!(bracketed.is_bracketed());
    assert_eq!(topics(&[heat, bracketed]).constraints().len(), 2);
}

#[test]
fn nothing_to_link() {
    let linker = linker();
    assert!(linker.link("").unwrap().is_empty());
    assert!(linker.link("??? !!!").unwrap().is_empty());
    assert!(linker
        .link("completely unrelated words")
        .unwrap()
        .is_empty());
}

#[test]
fn refreshing_after_an_update_links_new_and_renamed_nodes() {
    let mut linker = linker();
    let update = crate::store::GraphUpdate::from_ntriples(
        "<http://ex.org/zorblax> <http://www.w3.org/2000/01/rdf-schema#label> \"Zorblax\" .\n\
         <http://ex.org/mann> <http://www.w3.org/2000/01/rdf-schema#label> \"M. Mann\" .",
        "<http://ex.org/mann> <http://www.w3.org/2000/01/rdf-schema#label> \"Michael Mann\" .",
    )
    .unwrap();
    crate::store::Graph::apply(&linker.graph, &update).unwrap();
    assert!(linker.link("who is zorblax").unwrap().is_empty());
    linker.refresh(&update.subjects()).unwrap();
    assert_eq!(top(&linker, "who is zorblax"), "http://ex.org/zorblax");
    assert!(linker
        .link("what did [michael mann] direct")
        .unwrap()
        .is_empty());
    assert_eq!(
        top(&linker, "what did [M. Mann] direct"),
        "http://ex.org/mann"
    );
}
