//! `kgqa train`: fine-tuning BERT jointly with the graph network on question–answer pairs.

mod config;
mod data;

use std::path::Path;
use std::time::Instant;

use rand::seq::SliceRandom;
use rand::SeedableRng;
use tch::{nn, nn::OptimizerConfig, Device};

pub use config::TrainConfig;
pub use data::{model_text, prepare, prepare_one, Prepared, MENTION_MASK};

use crate::error::{Error, Result};
use crate::eval::metrics::{summarize, QuestionOutcome, RankingMetrics, ScoredCandidate};
use crate::link::LinkPrior;
use crate::score::{
    load_pretrained, loss, read_bert_config, read_tokenizer, score_samples, AnswerModel, Batch,
    Checkpoint, CheckpointMeta, ModelConfig, RelationVocab, Sample, BERT_PREFIX,
};

/// Where the pretrained encoder is: a directory with `config.json`, `tokenizer.json` and
/// `model.safetensors` (BERT keys without prefix).
#[derive(Debug, Clone)]
pub struct Pretrained<'a> {
    /// The directory.
    pub dir: &'a Path,
}

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
pub struct TrainSetup<'a> {
    /// Training options.
    pub config: TrainConfig,
    /// Model shape.
    pub model: ModelConfig,
    /// Relations of the graph.
    pub vocab: RelationVocab,
    /// The linker's prior, saved with the model.
    pub prior: LinkPrior,
    /// Pretrained encoder.
    pub pretrained: Pretrained<'a>,
    /// Where to write the checkpoint.
    pub checkpoint: Checkpoint,
    /// Continue from the checkpoint when one is there.
    pub resume: bool,
    /// Where to run.
    pub device: Device,
    /// Triples in the graph, recorded in the checkpoint.
    pub graph_triples: u64,
}

/// Trains on `train`, validating on `valid` after each epoch; the best epoch (by validation
/// Hits@1) is saved. `on_step` gets (step, steps in the epoch, loss); `on_epoch` each report.
pub fn train(
    setup: &TrainSetup<'_>,
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
    let mut vs = nn::VarStore::new(setup.device);
    let bert = read_bert_config(&setup.pretrained.dir.join("config.json"))?;
    let tokenizer = read_tokenizer(&setup.pretrained.dir.join("tokenizer.json"))?;
    let model = AnswerModel::new(
        &vs,
        &bert,
        tokenizer,
        setup.model.clone(),
        setup.vocab.clone(),
    );
    let mut start_epoch = 0;
    let mut best = f64::NEG_INFINITY;
    if setup.resume && setup.checkpoint.exists() {
        let (meta, _, _) = setup.checkpoint.read_meta()?;
        load_weights(&mut vs, &setup.checkpoint)?;
        start_epoch = meta.epochs;
        best = meta.validation["hits_at_1"].as_f64().unwrap_or(best);
        tracing::info!(
            epochs = start_epoch,
            "resuming from {}",
            setup.checkpoint.dir().display()
        );
    } else {
        load_pretrained(
            &vs,
            BERT_PREFIX,
            &setup.pretrained.dir.join("model.safetensors"),
        )?;
    }
    if config.freeze_bert {
        for (name, variable) in vs.variables() {
            if name.starts_with(BERT_PREFIX) {
                let _ = variable.set_requires_grad(false);
            }
        }
    }
    let mut optimizer = nn::AdamW {
        wd: config.weight_decay,
        ..Default::default()
    }
    .build(&vs, config.lr_bert)
    .map_err(|e| Error::invalid("optimizer", e.to_string()))?;
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
            let batch = Batch::new(&samples, &setup.vocab, setup.device);
            let questions = if config.freeze_bert {
                tch::no_grad(|| model.encode(&batch, setup.device, false))?
            } else {
                model.encode(&batch, setup.device, true)?
            };
            let batch_loss = loss(&model.forward(&batch, &questions, true), &batch);
            optimizer.zero_grad();
            batch_loss.backward();
            optimizer.clip_grad_norm(config.clip_norm);
            optimizer.step();
            let value = batch_loss.double_value(&[]);
            loss_sum += value;
            on_step(step + 1, steps_per_epoch, value);
        }
        let questions_per_s = train.len() as f64 / started.elapsed().as_secs_f64().max(1e-9);
        let (validation, threshold) = validate(&model, valid, config.batch_size, setup.device)?;
        let saved = validation.hits_at_1 > best;
        if saved {
            best = validation.hits_at_1;
            stale = 0;
            save(setup, &vs, &model, epoch + 1, threshold, &validation)?;
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
                "early stop: no better validation Hits@1 for {stale} epochs"
            );
            break;
        }
    }
    Ok(reports)
}

/// Loads a checkpoint's weights into `vs`, with an error that says what does not fit.
pub fn load_weights(vs: &mut nn::VarStore, checkpoint: &Checkpoint) -> Result<()> {
    vs.load(checkpoint.weights()).map_err(|e| {
        Error::invalid(
            "--model",
            format!(
                "the weights in {} do not fit this model configuration: {e}",
                checkpoint.dir().display()
            ),
        )
    })
}

fn save(
    setup: &TrainSetup<'_>,
    vs: &nn::VarStore,
    model: &AnswerModel,
    epochs: usize,
    threshold: f64,
    validation: &RankingMetrics,
) -> Result<()> {
    let meta = CheckpointMeta {
        kgqa_version: env!("CARGO_PKG_VERSION").to_owned(),
        model: model.config().clone(),
        train: serde_json::to_value(&setup.config).unwrap_or_default(),
        seed: setup.config.seed,
        epochs,
        threshold,
        validation: serde_json::to_value(validation).unwrap_or_default(),
        graph_triples: setup.graph_triples,
    };
    setup.checkpoint.copy_encoder_files(setup.pretrained.dir)?;
    setup
        .checkpoint
        .write_meta(&meta, model.vocab(), &setup.prior)?;
    let weights = setup.checkpoint.weights();
    let partial = weights.with_extension("partial.safetensors");
    vs.save(&partial)
        .map_err(|e| Error::invalid(partial.display().to_string(), e.to_string()))?;
    std::fs::rename(&partial, &weights).map_err(|e| Error::io(&weights, e))
}

/// Scores `prepared` and turns the scores into per-question outcomes.
pub fn outcomes(
    model: &AnswerModel,
    prepared: &[Prepared],
    batch_size: usize,
    device: Device,
) -> Result<Vec<QuestionOutcome>> {
    let samples: Vec<&Sample> = prepared.iter().map(|p| &p.sample).collect();
    let scores = score_samples(model, &samples, batch_size, device)?;
    Ok(prepared
        .iter()
        .zip(scores)
        .map(|(p, scores)| outcome(&p.sample, &scores, p.gold))
        .collect())
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

/// The scored candidates of one sample.
pub fn outcome(sample: &Sample, scores: &[f64], gold: usize) -> QuestionOutcome {
    let candidates = scores
        .iter()
        .enumerate()
        .filter(|&(i, _)| sample.is_candidate(i))
        .map(|(i, &score)| ScoredCandidate::new(score, sample.positives.contains(&(i as u32))))
        .collect();
    QuestionOutcome {
        candidates,
        gold_answers: gold,
    }
}

fn validate(
    model: &AnswerModel,
    valid: &[Prepared],
    batch_size: usize,
    device: Device,
) -> Result<(RankingMetrics, f64)> {
    let outcomes = outcomes(model, valid, batch_size, device)?;
    Ok((summarize(&outcomes), calibrate_threshold(&outcomes)))
}

/// The answer threshold that maximizes (questions answered right) − (questions answered wrong)
/// on validation outcomes: below it, saying "I don't know" beats guessing.
pub fn calibrate_threshold(outcomes: &[QuestionOutcome]) -> f64 {
    let mut tops: Vec<(f64, bool)> = outcomes
        .iter()
        .filter_map(|o| {
            o.candidates
                .iter()
                .max_by(|a, b| a.score.total_cmp(&b.score))
                .map(|c| (c.score, c.positive))
        })
        .collect();
    tops.sort_by(|a, b| b.0.total_cmp(&a.0));
    let (mut best, mut best_threshold, mut net) = (0i64, 0.5, 0i64);
    for (score, right) in tops {
        net += if right { 1 } else { -1 };
        if net > best {
            best = net;
            best_threshold = score;
        }
    }
    best_threshold
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(score: f64, positive: bool) -> QuestionOutcome {
        QuestionOutcome {
            candidates: vec![ScoredCandidate::new(score, positive)],
            gold_answers: 1,
        }
    }

    #[test]
    fn threshold_separates_right_from_wrong_tops() {
        let outcomes = [
            outcome(0.9, true),
            outcome(0.8, true),
            outcome(0.3, false),
            outcome(0.2, false),
        ];
        assert_eq!(calibrate_threshold(&outcomes), 0.8);
        assert_eq!(calibrate_threshold(&[]), 0.5);
    }
}
