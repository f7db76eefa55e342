//! `kgqa train`: fine-tuning BERT jointly with the graph network on question–answer pairs,
//! labelled or synthesised from the graph ([`data`]), from the pretrained encoder or from an
//! earlier checkpoint.

pub mod data;

use std::time::Instant;

use rand::seq::SliceRandom;
use rand::SeedableRng;
use tch::{nn, nn::OptimizerConfig, Device};

use crate::answer::{calibrate_threshold, outcomes, Prepared};
use crate::config::TrainConfig;
use crate::error::{Error, Result};
use crate::eval::metrics::{summarize, RankingMetrics};
use crate::link::LinkPrior;
use crate::score::{
    loss, Batch, Checkpoint, CheckpointMeta, ModelConfig, Pretrained, Sample, Scorer, MODEL_FORMAT,
};
pub use data::{TrainingData, ValidationSource};

/// Training steps between two encodings of the relation texts: BERT changes little in a few
/// steps, and encoding every relation text at every step would cost as much as the questions.
const RELATION_REFRESH_STEPS: usize = 16;

/// What one epoch did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct EpochReport {
    /// 1-based epoch number.
    pub epoch: usize,
    /// Mean training loss.
    pub loss: f64,
    /// Validation metrics.
    pub validation: RankingMetrics,
    /// Training questions per second.
    pub questions_per_s: f64,
    /// Whether these weights were saved as the best so far.
    pub saved: bool,
}

/// Everything training needs besides the data.
pub struct TrainSetup {
    /// Training options.
    pub config: TrainConfig,
    /// Model shape.
    pub model: ModelConfig,
    /// The linker's prior, saved with the model.
    pub prior: LinkPrior,
    /// Pretrained encoder.
    pub pretrained: Pretrained,
    /// Where to write the checkpoint.
    pub checkpoint: Checkpoint,
    /// Continue from the checkpoint when one is there.
    pub resume: bool,
    /// Start from this checkpoint's weights and shape (BERT, graph network and head), trained on
    /// any graph, instead of the pretrained encoder: fine-tuning, from epoch 1.
    pub init: Option<Checkpoint>,
    /// What the training questions are, saved with the model.
    pub data: Option<TrainingData>,
    /// Where to run.
    pub device: Device,
    /// Triples in the graph, recorded in the checkpoint.
    pub graph_triples: u64,
}

/// Trains on `train`, validating on `valid` after each epoch; the best epoch (by validation
/// Hits@1, ties broken by MRR, then by pooled AUC: see [`Selection`]) is saved. `on_step` gets (step, steps in the epoch, loss); `on_epoch` each report.
pub fn train(
    setup: &TrainSetup,
    train: &[Prepared],
    valid: &[Prepared],
    on_step: &dyn Fn(usize, usize, f64),
    on_epoch: &dyn Fn(&EpochReport),
) -> Result<Vec<EpochReport>> {
    if train.is_empty() || valid.is_empty() {
        return Err(Error::invalid(
            "questions",
            "training and validation questions are both needed",
        ));
    }
    warn_if_topics_answer(train);
    let config = &setup.config;
    tch::manual_seed(config.seed as i64);
    let (mut scorer, start_epoch, mut best) = start(setup)?;
    if config.freeze_bert {
        scorer.freeze_bert();
    }
    let mut optimizer = nn::AdamW {
        wd: config.weight_decay,
        ..Default::default()
    }
    .build(scorer.vars(), config.lr_bert)
    .map_err(|e| Error::internal("building the optimizer", e))?;
    let steps_per_epoch = train.len().div_ceil(config.batch_size.max(1));
    let total_steps = steps_per_epoch * config.epochs;
    let mut rng = rand::rngs::StdRng::seed_from_u64(config.seed);
    let mut order: Vec<usize> = (0..train.len()).collect();
    let mut reports = Vec::new();
    let mut stale = 0;
    for epoch in start_epoch..config.epochs {
        let started = Instant::now();
        order.shuffle(&mut rng);
        let mut loss_sum = 0.0;
        for (step, chunk) in order.chunks(config.batch_size.max(1)).enumerate() {
            let rate = config.schedule(epoch * steps_per_epoch + step, total_steps);
            optimizer.set_lr_group(0, config.lr_bert * rate);
            optimizer.set_lr_group(1, config.lr_graph * rate);
            let samples: Vec<&Sample> = chunk.iter().map(|&i| &train[i].sample).collect();
            let model = scorer.model();
            if step % RELATION_REFRESH_STEPS == 0 && !config.freeze_bert {
                model.forget_relations();
            }
            let batch = Batch::new(&samples, setup.device);
            let encoded = if config.freeze_bert {
                tch::no_grad(|| model.encode(&batch, setup.device, false))?
            } else {
                model.encode(&batch, setup.device, true)?
            };
            let batch_loss = loss(&model.forward(&batch, &encoded, true), &batch);
            optimizer.zero_grad();
            batch_loss.backward();
            optimizer.clip_grad_norm(config.clip_norm);
            optimizer.step();
            let value = batch_loss.double_value(&[]);
            loss_sum += value;
            on_step(step + 1, steps_per_epoch, value);
        }
        let questions_per_s = train.len() as f64 / started.elapsed().as_secs_f64().max(1e-9);
        scorer.model().forget_relations();
        let (validation, threshold) = validate(&scorer, valid, config.batch_size)?;
        let score = Selection::of(&validation);
        let saved = score > best;
        if saved {
            best = score;
            stale = 0;
            save(setup, &scorer, epoch + 1, threshold, &validation)?;
        } else {
            stale += 1;
        }
        let report = EpochReport {
            epoch: epoch + 1,
            loss: loss_sum / steps_per_epoch.max(1) as f64,
            validation,
            questions_per_s,
            saved,
        };
        on_epoch(&report);
        reports.push(report);
        if stale >= config.patience {
            tracing::info!(
                epoch = epoch + 1,
                "early stop: no better validation (Hits@1, then MRR, then AUC) for {stale} epochs"
            );
            break;
        }
    }
    Ok(reports)
}

/// How an epoch's validation ranks against the others: Hits@1 first; at equal Hits@1 (common on a
/// few hundred questions), MRR, then the AUC pooled over all candidates, which still tell a
/// model that ranks its answers more surely from one that only ranks them the same.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub struct Selection {
    hits_at_1: f64,
    mrr: f64,
    auc_micro: f64,
}

impl Selection {
    /// Worse than any validation.
    pub const WORST: Selection = Selection {
        hits_at_1: f64::NEG_INFINITY,
        mrr: f64::NEG_INFINITY,
        auc_micro: f64::NEG_INFINITY,
    };

    /// The key of `metrics`.
    pub fn of(metrics: &RankingMetrics) -> Self {
        Self {
            hits_at_1: metrics.hits_at_1,
            mrr: metrics.mrr,
            auc_micro: metrics.auc_micro.unwrap_or(f64::NEG_INFINITY),
        }
    }

    /// The key of a checkpoint's saved validation (older checkpoints lack some fields).
    fn of_saved(validation: &serde_json::Value) -> Self {
        let field = |name: &str| validation[name].as_f64().unwrap_or(f64::NEG_INFINITY);
        Self {
            hits_at_1: field("hits_at_1"),
            mrr: field("mrr"),
            auc_micro: field("auc_micro"),
        }
    }
}

/// The model to train, the epoch to start from and the best validation so far: from the
/// checkpoint when resuming, else from the `--init` checkpoint, else from the pretrained encoder.
fn start(setup: &TrainSetup) -> Result<(Scorer, usize, Selection)> {
    if setup.resume && setup.checkpoint.exists() {
        return resume(setup);
    }
    if let Some(init) = &setup.init {
        let loaded = init.load(setup.device)?;
        tracing::info!(
            epochs = loaded.meta.epochs,
            "starting from the weights in {}",
            init.dir().display()
        );
        return Ok((loaded.scorer, 0, Selection::WORST));
    }
    let scorer = fresh_scorer(setup)?;
    scorer.load_encoder(&setup.pretrained)?;
    Ok((scorer, 0, Selection::WORST))
}

fn fresh_scorer(setup: &TrainSetup) -> Result<Scorer> {
    Ok(Scorer::new(
        setup.pretrained.bert_config()?,
        setup.pretrained.tokenizer()?,
        setup.model.clone(),
        setup.device,
    ))
}

fn resume(setup: &TrainSetup) -> Result<(Scorer, usize, Selection)> {
    let mut scorer = fresh_scorer(setup)?;
    let (meta, _) = setup.checkpoint.read_meta()?;
    setup.checkpoint.load_weights(&mut scorer)?;
    tracing::info!(
        epochs = meta.epochs,
        "resuming from {}",
        setup.checkpoint.dir().display()
    );
    Ok((scorer, meta.epochs, Selection::of_saved(&meta.validation)))
}

fn save(
    setup: &TrainSetup,
    scorer: &Scorer,
    epochs: usize,
    threshold: f64,
    validation: &RankingMetrics,
) -> Result<()> {
    let meta = CheckpointMeta {
        kgqa_version: env!("CARGO_PKG_VERSION").to_owned(),
        format: MODEL_FORMAT,
        model: scorer.model().config().clone(),
        train: serde_json::to_value(&setup.config).unwrap_or_default(),
        seed: setup.config.seed,
        epochs,
        threshold,
        validation: serde_json::to_value(validation).unwrap_or_default(),
        graph_triples: setup.graph_triples,
        data: serde_json::to_value(&setup.data).unwrap_or_default(),
    };
    setup.checkpoint.save(scorer, &meta, &setup.prior)
}

/// Warns when training questions answer with their own topic entity while topic entities are not
/// candidates: those questions cannot be answered, and `[retrieve] topic_answers` is likely wanted.
fn warn_if_topics_answer(train: &[Prepared]) {
    let unreachable = train
        .iter()
        .filter(|p| p.answers_topic && !p.sample.topic_answers)
        .count();
    if unreachable > 0 {
        tracing::warn!(
            "{unreachable} of {} training questions answer with their own topic entity, which is \
             not a candidate; set `topic_answers = true` under [retrieve] to score topic entities too",
            train.len()
        );
    }
}

fn validate(
    scorer: &Scorer,
    valid: &[Prepared],
    batch_size: usize,
) -> Result<(RankingMetrics, f64)> {
    let outcomes = outcomes(scorer, valid, batch_size)?;
    Ok((summarize(&outcomes), calibrate_threshold(&outcomes)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metrics(hits_at_1: f64, mrr: f64, auc_micro: Option<f64>) -> RankingMetrics {
        RankingMetrics {
            questions: 10,
            hits_at_1,
            hits_at_5: 1.0,
            mrr,
            auc_macro: None,
            auc_questions: 0,
            auc_micro,
            candidates_mean: 5.0,
            coverage: 1.0,
        }
    }

    #[test]
    fn selection_ranks_hits_first_then_mrr_then_pooled_auc() {
        let base = Selection::of(&metrics(0.9, 0.95, Some(0.99)));
        assert!(Selection::of(&metrics(0.91, 0.91, Some(0.90))) > base);
        assert!(Selection::of(&metrics(0.9, 0.96, Some(0.90))) > base);
        assert!(Selection::of(&metrics(0.9, 0.95, Some(0.995))) > base);
        assert!(Selection::of(&metrics(0.9, 0.95, None)) < base);
        assert!(Selection::of(&metrics(0.9, 0.95, Some(0.99))) <= base);
        assert!(Selection::WORST < Selection::of(&metrics(0.0, 0.0, None)));
    }

    #[test]
    fn a_saved_validation_gives_the_key_it_was_saved_from() {
        let validation = metrics(0.9, 0.95, Some(0.99));
        let saved = serde_json::to_value(&validation).unwrap();
        assert_eq!(Selection::of_saved(&saved), Selection::of(&validation));
        let older = serde_json::json!({ "hits_at_1": 0.9 });
        assert!(Selection::of_saved(&older) < Selection::of(&validation));
    }
}
