//! Scoring prepared samples in batches, without gradients.

use std::time::{Duration, Instant};

use tch::Device;

use super::model::AnswerModel;
use super::sample::{Batch, Sample};
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
        let mut clock = Instant::now();
        let mut lap = |stage: &mut Duration| {
            let now = Instant::now();
            *stage += now - clock;
            clock = now;
        };
        let batch = Batch::new(chunk, device);
        lap(&mut times.tensors);
        let probabilities = tch::no_grad(|| -> Result<Vec<f32>> {
            let encoded = model.encode(&batch, device, false)?;
            lap(&mut times.encoder);
            let features = model.node_features(&batch, &encoded, false);
            lap(&mut times.gcn);
            let logits = model.head_logits(&batch, &encoded, &features);
            Vec::<f32>::try_from(logits.sigmoid().to_device(Device::Cpu))
                .map_err(|e| crate::Error::internal("reading scores", e))
        })?;
        for (i, sample) in chunk.iter().enumerate() {
            let start = batch.offsets[i];
            let nodes = &probabilities[start..start + sample.nodes()];
            scores.push(nodes.iter().map(|&p| f64::from(p)).collect());
        }
        lap(&mut times.head);
    }
    Ok(scores)
}
