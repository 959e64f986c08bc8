//! Special functions the metrics and theory lines need: the normal distribution's CDF and
//! quantile, and the digamma function.

use std::f64::consts::{PI, SQRT_2};

/// Standard normal density.
pub fn normal_pdf(z: f64) -> f64 {
    libm::exp(-0.5 * z * z) / (2.0 * PI).sqrt()
}

/// Standard normal CDF, Φ(z) = erfc(-z/√2)/2, accurate in both tails.
pub fn normal_cdf(z: f64) -> f64 {
    0.5 * libm::erfc(-z / SQRT_2)
}

/// Standard normal quantile Φ⁻¹(u) for u in (0, 1): Acklam's rational approximation (relative
/// error 1.15e-9) refined by one Halley step, which brings it to about machine precision.
#[allow(clippy::excessive_precision)] // Acklam's published coefficients, verbatim.
pub fn normal_quantile(u: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969683028665376e1,
        2.209460984245205e2,
        -2.759285104469687e2,
        1.383577518672690e2,
        -3.066479806614716e1,
        2.506628277459239,
    ];
    const B: [f64; 5] =
        [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
    const C: [f64; 6] = [
        -7.784894002430293e-3,
        -3.223964580411365e-1,
        -2.400758277161838,
        -2.549732539343734,
        4.374664141464968,
        2.938163982698783,
    ];
    const D: [f64; 4] = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
    if u <= 0.0 {
        return f64::NEG_INFINITY;
    }
    if u >= 1.0 {
        return f64::INFINITY;
    }
    let p_low = 0.02425;
    let x = if u < p_low {
        let q = (-2.0 * libm::log(u)).sqrt();
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    } else if u <= 1.0 - p_low {
        let q = u - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        let q = (-2.0 * libm::log(1.0 - u)).sqrt();
        -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    let e = normal_cdf(x) - u;
    let step = e * (2.0 * PI).sqrt() * libm::exp(0.5 * x * x);
    // Far in the tails exp(x²/2) overflows (0 × ∞): Acklam's value is then the best there is.
    if step.is_finite() {
        x - step / (1.0 + 0.5 * x * step)
    } else {
        x
    }
}

/// The digamma function ψ(x) for x > 0: recurrence up to x ≥ 12, then the asymptotic series.
pub fn digamma(mut x: f64) -> f64 {
    let mut acc = 0.0;
    while x < 12.0 {
        acc -= 1.0 / x;
        x += 1.0;
    }
    let f = 1.0 / (x * x);
    acc + libm::log(x)
        - 0.5 / x
        - f * (1.0 / 12.0 - f * (1.0 / 120.0 - f * (1.0 / 252.0 - f * (1.0 / 240.0 - f / 132.0))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_cdf_and_quantile_match_tables_and_invert() {
        assert!((normal_cdf(0.0) - 0.5).abs() < 1e-15);
        assert!((normal_cdf(1.959963984540054) - 0.975).abs() < 1e-12);
        assert!((normal_quantile(0.99) - 2.326347874040841).abs() < 1e-12);
        assert!((normal_quantile(0.01) + 2.326347874040841).abs() < 1e-12);
        for &u in &[1e-10, 1e-4, 0.02, 0.3, 0.5, 0.77, 0.999] {
            assert!((normal_cdf(normal_quantile(u)) - u).abs() < 1e-12 * u.max(1e-3), "{u}");
        }
    }

    #[test]
    fn normal_quantile_is_finite_far_in_the_tails() {
        for u in [1e-300, f64::MIN_POSITIVE, 5e-324, 1.0 - 1e-16] {
            let z = normal_quantile(u);
            assert!(z.is_finite(), "Φ⁻¹({u}) = {z}");
        }
        assert!(normal_quantile(1e-300) < -37.0);
    }

    #[test]
    fn digamma_matches_known_values() {
        // ψ(1) = -γ, ψ(1/2) = -γ - 2 ln 2, ψ(10) = H_9 - γ.
        let gamma = 0.5772156649015329;
        assert!((digamma(1.0) + gamma).abs() < 1e-12);
        assert!((digamma(0.5) + gamma + 2.0 * 2f64.ln()).abs() < 1e-12);
        let h9: f64 = (1..=9).map(|k| 1.0 / k as f64).sum();
        assert!((digamma(10.0) - (h9 - gamma)).abs() < 1e-12);
    }
}
