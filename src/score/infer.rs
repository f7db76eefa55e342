//! Scoring prepared samples in batches, without gradients.

use std::time::{Duration, Instant};

use tch::{Device, Tensor};

use super::model::AnswerModel;
use super::sample::{Batch, Sample};
use super::threads::IntraOpThreads;
use crate::error::Result;

/// Time spent in each stage of scoring, summed over batches. On a GPU the stages run
/// asynchronously, so only the total is exact there.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ScoringTimes {
    /// Packing samples into the batch's tensors ([`Batch::new`]).
    pub tensors: Duration,
    /// The question encoder (and relation texts not yet cached).
    pub encoder: Duration,
    /// The graph network and distance features.
    pub gcn: Duration,
    /// The classifier head, and reading the scores back.
    pub head: Duration,
}

impl ScoringTimes {
    /// All stages together.
    pub fn total(&self) -> Duration {
        self.tensors + self.encoder + self.gcn + self.head
    }
}

/// The answer probability of every node of every sample, batch by batch.
pub fn score_samples(
    model: &AnswerModel,
    samples: &[&Sample],
    batch_size: usize,
    device: Device,
) -> Result<Vec<Vec<f64>>> {
    score_samples_timed(
        model,
        samples,
        batch_size,
        device,
        &mut ScoringTimes::default(),
    )
}

/// [`score_samples`], adding the time of each stage to `times`.
pub fn score_samples_timed(
    model: &AnswerModel,
    samples: &[&Sample],
    batch_size: usize,
    device: Device,
    times: &mut ScoringTimes,
) -> Result<Vec<Vec<f64>>> {
    let mut scores = Vec::with_capacity(samples.len());
    for chunk in samples.chunks(batch_size.max(1)) {
        scores.extend(score_batch(model, chunk, None, device, times)?);
    }
    Ok(scores)
}

/// Scores `samples` as one batch whose questions were encoded already, `questions` holding one
/// row per sample in order (from [`AnswerModel::encode_questions`] of their texts).
pub fn score_encoded_timed(
    model: &AnswerModel,
    samples: &[&Sample],
    questions: &Tensor,
    device: Device,
    times: &mut ScoringTimes,
) -> Result<Vec<Vec<f64>>> {
    if questions.size().first() != Some(&(samples.len() as i64)) {
        return Err(crate::Error::internal(
            "scoring",
            format!(
                "{:?} question vectors for {} samples",
                questions.size(),
                samples.len()
            ),
        ));
    }
    score_batch(model, samples, Some(questions), device, times)
}

/// Scores one batch, encoding its questions unless `questions` holds them already.
fn score_batch(
    model: &AnswerModel,
    samples: &[&Sample],
    questions: Option<&Tensor>,
    device: Device,
    times: &mut ScoringTimes,
) -> Result<Vec<Vec<f64>>> {
    let _threads = IntraOpThreads::for_batch(samples.len());
    let mut clock = Instant::now();
    let mut lap = |stage: &mut Duration| {
        let now = Instant::now();
        *stage += now - clock;
        clock = now;
    };
    let batch = Batch::new(samples, device);
    lap(&mut times.tensors);
    let probabilities = tch::no_grad(|| -> Result<Vec<f32>> {
        let encoded = match questions {
            Some(questions) => model.encode_with_questions(&batch, questions, device)?,
            None => model.encode(&batch, device, false)?,
        };
        lap(&mut times.encoder);
        let features = model.node_features(&batch, &encoded, false);
        lap(&mut times.gcn);
        let logits = model.head_logits(&batch, &encoded, &features);
        Vec::<f32>::try_from(logits.sigmoid().to_device(Device::Cpu))
            .map_err(|e| crate::Error::internal("reading scores", e))
    })?;
    let scores = samples
        .iter()
        .enumerate()
        .map(|(i, sample)| {
            let start = batch.offsets[i];
            let nodes = &probabilities[start..start + sample.nodes()];
            nodes.iter().map(|&p| f64::from(p)).collect()
        })
        .collect();
    lap(&mut times.head);
    Ok(scores)
}
