//! Tests of the scorer with a tiny random-weight BERT (no pretrained weights needed).

use std::path::PathBuf;

use tch::{nn, Device, Kind, Tensor};

use super::*;

fn tokenizer() -> tokenizers::Tokenizer {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("models/all-minilm-l6-v2/tokenizer.json");
    read_tokenizer(&path).unwrap_or_else(|e| panic!("{e} (run .ci/setup to fetch the tokenizer)"))
}

fn texts(forward: &str, inverse: &str) -> DirectedTexts {
    DirectedTexts {
        forward: forward.into(),
        inverse: inverse.into(),
    }
}

/// libtorch's seed is global and tests run on several threads: models are built one at a time.
static SEEDED: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn model(seed: i64) -> (nn::VarStore, AnswerModel) {
    let _one_at_a_time = SEEDED.lock().unwrap_or_else(|e| e.into_inner());
    tch::manual_seed(seed);
    let vs = nn::VarStore::new(Device::Cpu);
    let model = AnswerModel::new(&vs, &tiny_bert_config(), tokenizer(), tiny_model_config());
    (vs, model)
}

/// topic 0 -r-> 1 -s-> 2, and 0 -s-> 3; answer 2.
fn sample(text: &str) -> Sample {
    Sample {
        text: text.into(),
        distances: vec![0, 1, 2, 1],
        edges: vec![(0, 0, 1), (1, 1, 2), (0, 1, 3)],
        relations: vec![texts("leads to", "led to by"), texts("sets", "set by")],
        positives: vec![2],
        topic_answers: false,
        constraints: Vec::new(),
    }
}

fn batch() -> Batch {
    let (a, b) = (
        sample("what does x lead to"),
        sample("a much longer question about what x leads to in the end"),
    );
    Batch::new(&[&a, &b], Device::Cpu)
}

#[test]
fn scores_every_node() {
    let (_, model) = model(1);
    let batch = batch();
    let encoded = model.encode(&batch, Device::Cpu, false).unwrap();
    assert_eq!(encoded.questions.size(), [2, 32]);
    assert_eq!(encoded.relations.size(), [4, 32]);
    let logits = model.forward(&batch, &encoded, false);
    assert_eq!(logits.size(), [8]);
    let p = model.probabilities(&batch, Device::Cpu).unwrap();
    assert!(p.min().double_value(&[]) >= 0.0 && p.max().double_value(&[]) <= 1.0);
}

#[test]
fn topic_entities_are_candidates_only_when_they_can_answer() {
    let mask = |sample: &Sample| {
        let batch = Batch::new(&[sample], Device::Cpu);
        Vec::<f32>::try_from(&batch.candidates).unwrap()
    };
    let mut sample = sample("who is the child of x's parent");
    assert_eq!(mask(&sample), [0.0, 1.0, 1.0, 1.0]);
    sample.topic_answers = true;
    assert_eq!(mask(&sample), [1.0, 1.0, 1.0, 1.0]);
}

#[test]
fn padding_does_not_change_a_question_vector() {
    let (_, model) = model(1);
    let short = sample("what does x lead to");
    let long = sample("a much longer question about what x leads to in the end");
    let alone = model
        .encode(&Batch::new(&[&short], Device::Cpu), Device::Cpu, false)
        .unwrap()
        .questions;
    let padded = model
        .encode(
            &Batch::new(&[&short, &long], Device::Cpu),
            Device::Cpu,
            false,
        )
        .unwrap()
        .questions
        .get(0)
        .unsqueeze(0);
    let diff = (alone - padded).abs().max().double_value(&[]);
    assert!(diff < 1e-5, "padding changed the encoding by {diff}");
}

#[test]
fn gradients_reach_bert_and_the_graph_network() {
    let (vs, model) = model(1);
    let batch = batch();
    let encoded = model.encode(&batch, Device::Cpu, true).unwrap();
    let loss = loss(&model.forward(&batch, &encoded, true), &batch);
    assert!(loss.double_value(&[]).is_finite());
    loss.backward();
    let grad_norm = |prefix: &str| -> f64 {
        vs.variables()
            .iter()
            .filter(|(name, _)| name.starts_with(prefix))
            .map(|(_, v)| {
                let g = v.grad();
                if g.defined() {
                    g.abs().sum(Kind::Float).double_value(&[])
                } else {
                    0.0
                }
            })
            .sum()
    };
    assert!(grad_norm("bert.encoder") > 0.0, "no gradient in BERT");
    assert!(grad_norm("gcn.layer0") > 0.0, "no gradient in the GCN");
    assert!(grad_norm("head") > 0.0, "no gradient in the head");
}

#[test]
fn the_seed_fixes_the_weights() {
    let out = |seed| {
        let (_, model) = model(seed);
        model.probabilities(&batch(), Device::Cpu).unwrap()
    };
    assert_eq!(out(7), out(7));
    assert_ne!(out(7), out(8));
}

#[test]
fn loss_prefers_the_gold_answer() {
    let batch = batch();
    let mut good = vec![-5f32; 8];
    good[2] = 5.0;
    good[6] = 5.0;
    let bad: Vec<f32> = good.iter().map(|x| -x).collect();
    let good = loss(&Tensor::from_slice(&good), &batch).double_value(&[]);
    let bad = loss(&Tensor::from_slice(&bad), &batch).double_value(&[]);
    assert!(good < 0.1 && bad > 5.0, "good {good}, bad {bad}");
}

#[test]
fn weights_round_trip_through_a_checkpoint() {
    let dir = tempfile::tempdir().unwrap();
    let (vs, model) = model(3);
    let path = dir.path().join("model.safetensors");
    vs.save(&path).unwrap();
    let expected = model.probabilities(&batch(), Device::Cpu).unwrap();
    let (mut other_vs, other) = model_with_seed_loaded(9, &path);
    other_vs.load(&path).unwrap();
    assert_eq!(
        other.probabilities(&batch(), Device::Cpu).unwrap(),
        expected
    );
}

fn model_with_seed_loaded(seed: i64, path: &std::path::Path) -> (nn::VarStore, AnswerModel) {
    let (mut vs, model) = model(seed);
    vs.load(path).unwrap();
    (vs, model)
}

#[test]
fn loading_weights_of_another_shape_fails_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let (vs, _) = model(3);
    let path = dir.path().join("model.safetensors");
    vs.save(&path).unwrap();
    let _one_at_a_time = SEEDED.lock().unwrap_or_else(|e| e.into_inner());
    let mut other = nn::VarStore::new(Device::Cpu);
    let bigger = ModelConfig {
        head_hidden: 12,
        ..ModelConfig::default()
    };
    let _model = AnswerModel::new(&other, &tiny_bert_config(), tokenizer(), bigger);
    assert!(other.load(&path).is_err());
}

/// The probabilities of `sample`'s nodes, scored alone.
fn scores(model: &AnswerModel, sample: &Sample) -> Vec<f32> {
    let batch = Batch::new(&[sample], Device::Cpu);
    Vec::<f32>::try_from(&model.probabilities(&batch, Device::Cpu).unwrap()).unwrap()
}

#[test]
fn relations_are_read_from_their_texts_alone() {
    let (_, model) = model(1);
    let seen = sample("what does x lead to");
    // The same subgraph over relations of another graph (other IRIs, so other subgraph
    // relation lists) with the same texts scores the same; other texts score otherwise.
    let mut same_texts = seen.clone();
    same_texts.relations = vec![texts("leads to", "led to by"), texts("sets", "set by")];
    assert_eq!(scores(&model, &seen), scores(&model, &same_texts));
    let mut other_texts = seen.clone();
    other_texts.relations = vec![texts("plays in club", "club of"), texts("sets", "set by")];
    assert_ne!(scores(&model, &seen), scores(&model, &other_texts));
}

#[test]
fn a_question_scores_the_same_whatever_else_is_in_its_batch() {
    let (_, model) = model(1);
    let first = sample("what does x lead to");
    let mut other = sample("who plays in the club of x");
    other.relations = vec![
        texts("plays in club", "club of"),
        texts("born in", "birthplace of"),
    ];
    // Two constraints (topics 0 and 1): the batch has two reachability channels.
    other.distances = vec![0, 0, 2, 1];
    other.constraints = vec![vec![0], vec![1]];
    let together = Batch::new(&[&first, &other], Device::Cpu);
    let batched =
        Vec::<f32>::try_from(&model.probabilities(&together, Device::Cpu).unwrap()).unwrap();
    let alone = scores(&model, &first);
    for (a, b) in alone.iter().zip(&batched[..first.nodes()]) {
        assert!((a - b).abs() < 1e-5, "alone {alone:?}, batched {batched:?}");
    }
}

#[test]
fn relation_encodings_are_cached_until_forgotten() {
    let (vs, model) = model(1);
    let batch = batch();
    let first = model.encode(&batch, Device::Cpu, false).unwrap().relations;
    tch::no_grad(|| {
        for (_, mut variable) in vs.variables() {
            let _ = variable.g_add_scalar_(0.01);
        }
    });
    let cached = model.encode(&batch, Device::Cpu, false).unwrap().relations;
    assert_eq!(first, cached, "cached: the new weights are not used yet");
    model.forget_relations();
    let fresh = model.encode(&batch, Device::Cpu, false).unwrap().relations;
    assert_ne!(
        first, fresh,
        "forgotten: encoded again with the new weights"
    );
}

/// Topic A (0) and topic B (1), A -r-> 2 <-s- B, and A -r-> 3: node 2 is reached from both
/// topics, node 3 only from A.
fn two_constraints() -> Sample {
    Sample {
        text: "what does a lead to that b sets".into(),
        distances: vec![0, 0, 1, 1],
        edges: vec![(0, 0, 2), (1, 1, 2), (0, 0, 3)],
        relations: vec![texts("leads to", "led to by"), texts("sets", "set by")],
        positives: vec![2],
        topic_answers: false,
        constraints: vec![vec![0], vec![1]],
    }
}

/// The GCN's features of `sample` (one layer: reachability within one hop), and the column of
/// its intersection feature.
fn one_layer_features(sample: &Sample) -> (Tensor, i64) {
    let _one_at_a_time = SEEDED.lock().unwrap_or_else(|e| e.into_inner());
    tch::manual_seed(3);
    let vs = nn::VarStore::new(Device::Cpu);
    let config = GcnConfig {
        layers: 1,
        ..GcnConfig::default()
    };
    let gcn = Gcn::new(vs.root(), &config, 32);
    let batch = Batch::new(&[sample], Device::Cpu);
    let questions = Tensor::randn([1, 32], (Kind::Float, Device::Cpu));
    let relations = Tensor::randn(
        [batch.relation_texts.len() as i64, 32],
        (Kind::Float, Device::Cpu),
    );
    let features = gcn.forward(&batch.graph, &questions, &relations, false);
    // state, one reachability per layer, their mixture, then the intersection.
    (features, config.hidden + config.layers + 1)
}

#[test]
fn the_intersection_is_reached_from_every_constraint_and_the_union_from_any() {
    let (features, column) = one_layer_features(&two_constraints());
    let intersection = Vec::<f32>::try_from(&features.select(1, column)).unwrap();
    let union = Vec::<f32>::try_from(&features.select(1, column - 2)).unwrap();
    assert!(intersection[2] > 0.0, "{intersection:?}");
    assert_eq!(intersection[3], 0.0, "node 3 is not reached from topic B");
    assert!(union[2] > 0.0 && union[3] > 0.0, "{union:?}");

    // The same graph as one constraint: the intersection is the union.
    let one = Sample {
        constraints: Vec::new(),
        ..two_constraints()
    };
    let (features, column) = one_layer_features(&one);
    let intersection = features.select(1, column);
    let union = features.select(1, column - 2);
    assert!(
        (intersection - union).abs().max().double_value(&[]) < 1e-6,
        "one constraint: intersection and union agree"
    );
}

#[test]
fn a_batch_is_padded_to_its_longest_question_not_to_the_tokenizers_fixed_length() {
    // The pretrained tokenizer.json pads every text to 128 tokens; the encoder must not.
    let vs = nn::VarStore::new(Device::Cpu);
    let encoder = QuestionEncoder::new(vs.root(), &tiny_bert_config(), tokenizer(), 8);
    let texts = ["what does x lead to".to_owned(), "x".to_owned()];
    let (ids, mask) = encoder.tokenize(&texts, Device::Cpu).unwrap();
    // [CLS] what does x lead to [SEP]
    assert_eq!(ids.size(), [2, 7]);
    assert_eq!(
        Vec::<i64>::try_from(mask.sum_dim_intlist(1, false, Kind::Int64)).unwrap(),
        [7, 3]
    );
    let long = ["one two three four five six seven eight nine ten".to_owned()];
    let (ids, _) = encoder.tokenize(&long, Device::Cpu).unwrap();
    let ids = Vec::<i64>::try_from(ids.view([-1])).unwrap();
    assert_eq!(ids.len(), 8, "truncated to max_tokens");
    let sep = i64::from(tokenizer().token_to_id("[SEP]").unwrap());
    assert_eq!(ids[7], sep, "the final [SEP] is kept");
}

/// The encoder's vectors for `texts`, and the same after packing its weights for answering.
fn unpacked_and_packed(texts: &[String]) -> (Tensor, Tensor) {
    let (vs, mut model) = model(7);
    let unpacked = model.encode_questions(texts, Device::Cpu).unwrap();
    let packed = PackedBert::pack(&vs, BERT_PREFIX, &tiny_bert_config()).unwrap();
    assert!(packed.is_some(), "a CPU model with GELU is packed");
    model.encoder_mut().pack(packed);
    (
        unpacked,
        model.encode_questions(texts, Device::Cpu).unwrap(),
    )
}

fn largest_difference(a: &Tensor, b: &Tensor) -> f64 {
    (a - b).abs().max().double_value(&[])
}

#[test]
fn packed_weights_encode_small_batches_as_the_model_does_to_fp16_precision() {
    let texts = [
        "what does x lead to".to_owned(),
        "who set [MASK]".to_owned(),
    ];
    let (unpacked, packed) = unpacked_and_packed(&texts);
    assert_eq!(packed.size(), unpacked.size());
    let difference = largest_difference(&unpacked, &packed);
    // Not zero: the packed path ran (fp16 weights round); within fp16's precision of the model.
    assert!(difference > 0.0, "the packed path was not taken");
    assert!(difference < 5e-3, "packed vectors differ by {difference}");
    let scale = unpacked.abs().max().double_value(&[]);
    assert!(scale > 0.1, "vectors of size {scale} compare nothing");
}

#[test]
fn packed_weights_leave_large_batches_to_the_model() {
    let texts: Vec<String> = (0..8)
        .map(|i| format!("question number {i} about what x leads to in the end"))
        .collect();
    let (unpacked, packed) = unpacked_and_packed(&texts);
    assert!(texts.len() * 12 > PACKED_MAX_ROWS as usize);
    assert_eq!(largest_difference(&unpacked, &packed), 0.0);
}

#[test]
fn packed_weights_ignore_padding() {
    let short = "what does x lead to".to_owned();
    let (_, alone) = unpacked_and_packed(std::slice::from_ref(&short));
    let (_, padded) = unpacked_and_packed(&[short, "a longer question about x".to_owned()]);
    assert!(largest_difference(&alone, &padded.get(0).unsqueeze(0)) < 1e-5);
}
