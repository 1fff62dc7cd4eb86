//! Average-link agglomerative clustering with a threshold: the batch form of the
//! decision `attach_*` makes one mention at a time.

/// Clusters `n` items: repeatedly merges the two clusters with the highest mean
/// pairwise score while it is at least `threshold`. Returns one cluster id per
/// item (the index of the cluster's first item), deterministic for a given
/// score. Groups larger than [`EXACT_LIMIT`] are clustered greedily in order
/// (each item joins the best cluster so far), which bounds the cost.
pub fn average_link(n: usize, threshold: f32, score: impl Fn(usize, usize) -> f32) -> Vec<usize> {
    if n > EXACT_LIMIT {
        return greedy(n, threshold, score);
    }
    // sum[a][b]: sum of pairwise scores between clusters a and b.
    let mut sum = vec![0f32; n * n];
    for i in 0..n {
        for j in i + 1..n {
            let s = score(i, j);
            sum[i * n + j] = s;
            sum[j * n + i] = s;
        }
    }
    let mut members: Vec<Vec<usize>> = (0..n).map(|i| vec![i]).collect();
    let mut alive: Vec<bool> = vec![true; n];
    loop {
        let mut best: Option<(f32, usize, usize)> = None;
        for a in 0..n {
            if !alive[a] {
                continue;
            }
            for bb in a + 1..n {
                if !alive[bb] {
                    continue;
                }
                let avg = sum[a * n + bb] / (members[a].len() * members[bb].len()) as f32;
                if avg >= threshold && best.is_none_or(|(s, _, _)| avg > s) {
                    best = Some((avg, a, bb));
                }
            }
        }
        let Some((_, a, bb)) = best else { break };
        alive[bb] = false;
        let moved = std::mem::take(&mut members[bb]);
        members[a].extend(moved);
        for c in 0..n {
            if alive[c] && c != a {
                let s = sum[a * n + c] + sum[bb * n + c];
                sum[a * n + c] = s;
                sum[c * n + a] = s;
            }
        }
    }
    let mut out = vec![0usize; n];
    for m in members.iter().filter(|m| !m.is_empty()) {
        let id = m.iter().copied().min().unwrap_or(0);
        for &i in m {
            out[i] = id;
        }
    }
    out
}

/// Above this many items a group is clustered greedily (quadratic, not cubic).
pub const EXACT_LIMIT: usize = 600;

fn greedy(n: usize, threshold: f32, score: impl Fn(usize, usize) -> f32) -> Vec<usize> {
    let mut clusters: Vec<Vec<usize>> = Vec::new();
    let mut out = vec![0usize; n];
    for (i, slot) in out.iter_mut().enumerate() {
        let mut best: Option<(f32, usize)> = None;
        for (c, m) in clusters.iter().enumerate() {
            let avg = m.iter().map(|&j| score(j, i)).sum::<f32>() / m.len() as f32;
            if avg >= threshold && best.is_none_or(|(s, _)| avg > s) {
                best = Some((avg, c));
            }
        }
        match best {
            Some((_, c)) => {
                *slot = clusters[c][0];
                clusters[c].push(i);
            }
            None => {
                *slot = i;
                clusters.push(vec![i]);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_only_above_the_threshold() {
        let groups = [0, 0, 1, 1, 2];
        let s = |i: usize, j: usize| if groups[i] == groups[j] { 0.9 } else { 0.1 };
        assert_eq!(average_link(5, 0.5, s), vec![0, 0, 2, 2, 4]);
        assert_eq!(greedy(5, 0.5, s), vec![0, 0, 2, 2, 4]);
        assert_eq!(average_link(0, 0.5, s), Vec::<usize>::new());
    }
}
