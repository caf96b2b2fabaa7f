//! Precision, recall and F1 from true-positive, false-positive and false-negative counts: the one arithmetic
//! every evaluation in rasid reports (tokeniser agreement, NER, event detection).

/// `a / b`, or 0 when `b` is 0 (a rate over nothing is reported as 0, never NaN).
#[inline]
pub fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Precision: `tp / (tp + fp)`, 0 when nothing was predicted.
#[inline]
pub fn precision(tp: usize, fp: usize) -> f64 {
    ratio(tp, tp + fp)
}

/// Recall: `tp / (tp + fn)`, 0 when there was nothing to find.
#[inline]
pub fn recall(tp: usize, fn_: usize) -> f64 {
    ratio(tp, tp + fn_)
}

/// The harmonic mean of precision and recall, 0 when both are 0.
#[inline]
pub fn f1(precision: f64, recall: f64) -> f64 {
    if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_follow_their_definitions() {
        assert_eq!(precision(3, 1), 0.75);
        assert_eq!(recall(3, 3), 0.5);
        assert!((f1(0.75, 0.5) - 0.6).abs() < 1e-12);
    }

    #[test]
    fn empty_counts_score_zero_not_nan() {
        assert_eq!(precision(0, 0), 0.0);
        assert_eq!(recall(0, 0), 0.0);
        assert_eq!(f1(0.0, 0.0), 0.0);
        assert_eq!(ratio(5, 0), 0.0);
    }
}
