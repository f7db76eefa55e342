//! Scoring prepared samples in batches, without gradients.

use tch::Device;

use super::model::AnswerModel;
use super::sample::{Batch, Sample};
use crate::error::Result;

/// The answer probability of every node of every sample, batch by batch.
pub fn score_samples(
    model: &AnswerModel,
    samples: &[&Sample],
    batch_size: usize,
    device: Device,
) -> Result<Vec<Vec<f64>>> {
    let mut scores = Vec::with_capacity(samples.len());
    for chunk in samples.chunks(batch_size.max(1)) {
        let batch = Batch::new(chunk, device);
        let probabilities: Vec<f64> = Vec::<f64>::try_from(
            model
                .probabilities(&batch, device)?
                .to_device(Device::Cpu)
                .to_kind(tch::Kind::Double),
        )
        .map_err(|e| crate::Error::internal("reading scores", e))?;
        for (i, sample) in chunk.iter().enumerate() {
            let start = batch.offsets[i];
            scores.push(probabilities[start..start + sample.nodes()].to_vec());
        }
    }
    Ok(scores)
}
