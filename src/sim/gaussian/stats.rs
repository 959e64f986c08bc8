//! Training statistics of the Gaussian family: running moments (and, for the mixture form, the
//! samples or a bounded summary of them), and drawing them exactly without drawing the samples.

use rand_distr::{ChiSquared, Distribution, StandardNormal};

use super::mixture::summarize;
use crate::rng::SimRng;
#[cfg(doc)]
use crate::sim::Family;

/// Training statistics: the running moments, and for the mixture form the samples themselves
/// (EM needs them; a single normal needs only the moments). With `accumulate`, once more than
/// 2 × [`SUMMARY_BINS`] samples are gathered, the mixture form carries them on as a summary
/// (`bins`, see [`Family::carry`]); `samples` then holds those gathered since.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GaussianStats {
    pub moments: MomentStats,
    pub samples: Vec<f64>,
    /// The mixture form's summary of the samples gathered in earlier generations (`accumulate`
    /// only; empty until they outgrow 2 × [`SUMMARY_BINS`]): bins of consecutive values, each its
    /// count, mean and sum of squared deviations ([`summarize`]).
    pub bins: Vec<MomentStats>,
    /// For statistics drawn by [`Family::draw_stats`] from a mixture (the human distribution or
    /// a mixture model): each component's part, whose moments combine to `moments`; the page's
    /// items are drawn given them (see [`Family::batch_given`]). Empty otherwise.
    pub parts: Vec<MomentStats>,
}

impl GaussianStats {
    /// Once the summary and the samples together exceed 2 × `capacity` points, folds the samples
    /// into the summary, which [`summarize`] brings back to at most `capacity` + 1 bins.
    pub fn fold(&mut self, capacity: usize) {
        if self.bins.len() + self.samples.len() > 2 * capacity {
            let mut points = std::mem::take(&mut self.bins);
            points.extend(self.samples.drain(..).map(|x| MomentStats { n: 1.0, mean: x, m2: 0.0 }));
            self.bins = summarize(points, capacity);
        }
    }
}

/// The statistics of `n` draws of N(mean, variance), drawn exactly without the draws: the sample
/// mean is N(mean, variance / n) and the sum of squared deviations variance · χ²(n − 1),
/// independent (Cochran's theorem). Two draws from `rng` (one for n = 1, none for n = 0).
pub(super) fn normal_stats(mean: f64, variance: f64, n: usize, rng: &mut SimRng) -> MomentStats {
    normal_stats_with(mean, variance, &StatsSampler::new(n), rng)
}

/// What [`normal_stats`] draws for `n` items, prepared once for many draws (the same numbers).
#[derive(Clone, Debug)]
pub(super) struct StatsSampler {
    n: usize,
    /// χ²(n − 1), for n > 1.
    chi2: Option<ChiSquared<f64>>,
}

impl StatsSampler {
    pub(super) fn new(n: usize) -> StatsSampler {
        let chi2 = (n > 1).then(|| ChiSquared::new(n as f64 - 1.0).expect("n - 1 >= 1 degrees of freedom"));
        StatsSampler { n, chi2 }
    }
}

/// [`normal_stats`] of `sampler.n` draws.
pub(super) fn normal_stats_with(mean: f64, variance: f64, sampler: &StatsSampler, rng: &mut SimRng) -> MomentStats {
    let n = sampler.n;
    if n == 0 {
        return MomentStats::default();
    }
    let nf = n as f64;
    let z: f64 = StandardNormal.sample(rng);
    let mean = mean + (variance / nf).sqrt() * z;
    let m2 = match &sampler.chi2 {
        Some(chi2) => {
            let chi2: f64 = chi2.sample(rng);
            variance * chi2
        }
        None => 0.0,
    };
    MomentStats { n: nf, mean, m2 }
}

/// `stats.n` items with exactly the sample mean `stats.mean` and sum of squared deviations
/// `stats.m2`, drawn from the conditional law of a normal sample given those statistics:
/// x = x̄ + √SS · (z − z̄) / ‖z − z̄‖ with z ~ N(0, I_n) (the standardised residuals of a normal
/// sample are uniform on the sphere of its residual space, independent of x̄ and SS).
pub(super) fn sample_given(stats: &MomentStats, rng: &mut SimRng, out: &mut Vec<f64>) {
    let n = stats.n as usize;
    if n == 0 {
        return;
    }
    if n == 1 {
        out.push(stats.mean);
        return;
    }
    let z: Vec<f64> = (0..n).map(|_| StandardNormal.sample(rng)).collect();
    let z_mean = z.iter().sum::<f64>() / n as f64;
    let norm = z.iter().map(|v| (v - z_mean) * (v - z_mean)).sum::<f64>().sqrt();
    let scale = if norm > 0.0 { stats.m2.max(0.0).sqrt() / norm } else { 0.0 };
    out.extend(z.iter().map(|v| stats.mean + scale * (v - z_mean)));
}

/// Running sufficient statistics: count, mean and sum of squared deviations (Chan et al.'s
/// pairwise update keeps them accurate when `accumulate` gathers millions of samples).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct MomentStats {
    pub n: f64,
    pub mean: f64,
    pub m2: f64,
}

impl MomentStats {
    pub fn of(xs: &[f64]) -> MomentStats {
        let mut s = MomentStats::default();
        for &x in xs {
            s.n += 1.0;
            let d = x - s.mean;
            s.mean += d / s.n;
            s.m2 += d * (x - s.mean);
        }
        s
    }

    pub fn merge(&mut self, other: &MomentStats) {
        if other.n == 0.0 {
            return;
        }
        let n = self.n + other.n;
        let d = other.mean - self.mean;
        self.mean += d * other.n / n;
        self.m2 += other.m2 + d * d * self.n * other.n / n;
        self.n = n;
    }
}

/// The size of the mixture form's summary of accumulated samples: EM then runs over at most
/// 2 × `SUMMARY_BINS` + 1 points however many generations have been gathered (see
/// [`Family::carry`]).
pub const SUMMARY_BINS: usize = 512;
