//! Training options.

/// How a model is trained. Saved, resolved, with every checkpoint.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TrainConfig {
    /// Passes over the training questions, at most.
    pub epochs: usize,
    /// Questions per step.
    pub batch_size: usize,
    /// Peak learning rate of BERT.
    pub lr_bert: f64,
    /// Peak learning rate of the graph network and head.
    pub lr_graph: f64,
    /// AdamW weight decay.
    pub weight_decay: f64,
    /// Fraction of the steps over which learning rates warm up linearly (then decay linearly).
    pub warmup: f64,
    /// Gradients are clipped to this global norm.
    pub clip_norm: f64,
    /// Stop after this many epochs without a better validation (Hits@1, then MRR, then AUC).
    pub patience: usize,
    /// Keep BERT's pretrained weights fixed (train the graph network and head only).
    pub freeze_bert: bool,
    /// Seed of weight initialisation, dropout and shuffling.
    pub seed: u64,
    /// When labelled and synthesised questions are mixed, the labelled ones are repeated until
    /// they make at least this share of an epoch (a few dozen would otherwise be drowned).
    pub labelled_share: f64,
    /// The share of synthesised questions held out for validation when no `--dev` is given.
    pub synthetic_valid: f64,
}

impl Default for TrainConfig {
    fn default() -> Self {
        Self {
            epochs: 8,
            batch_size: 32,
            lr_bert: 3e-5,
            lr_graph: 1e-3,
            weight_decay: 0.01,
            warmup: 0.1,
            clip_norm: 1.0,
            patience: 2,
            freeze_bert: false,
            seed: 42,
            labelled_share: 0.3,
            synthetic_valid: 0.1,
        }
    }
}

impl TrainConfig {
    /// Checks the shares, naming the bad one.
    pub fn validate(&self) -> Result<(), String> {
        for (name, value, top) in [
            ("labelled_share", self.labelled_share, 1.0),
            ("synthetic_valid", self.synthetic_valid, 0.5),
        ] {
            if !(0.0..top).contains(&value) {
                return Err(format!(
                    "[train] {name}: must be at least 0 and below {top}, not {value}"
                ));
            }
        }
        Ok(())
    }

    /// The learning-rate multiplier at `step` of `total`: linear warmup, then linear decay.
    pub fn schedule(&self, step: usize, total: usize) -> f64 {
        let total = total.max(1) as f64;
        let warmup = (self.warmup * total).max(1.0);
        let step = step as f64;
        if step < warmup {
            (step + 1.0) / warmup
        } else {
            ((total - step) / (total - warmup).max(1.0)).clamp(0.0, 1.0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warms_up_then_decays() {
        let config = TrainConfig {
            warmup: 0.1,
            ..TrainConfig::default()
        };
        assert!((config.schedule(0, 100) - 0.1).abs() < 1e-9);
        assert!((config.schedule(9, 100) - 1.0).abs() < 1e-9);
        assert!(config.schedule(50, 100) < 1.0);
        assert!(config.schedule(99, 100) > 0.0);
        assert_eq!(config.schedule(100, 100), 0.0);
    }
}
