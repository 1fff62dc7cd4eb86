//! Arc-hybrid transition system (Kuhlmann et al. 2011) with the dynamic oracle
//! of Goldberg & Nivre (2013).
//!
//! Token 0 is the artificial root and starts on the stack; words are 1..=n.
//! Index `n + 1` is a "none" token whose attributes are sentinels, so feature
//! extraction can look up absent positions (empty stack slot, missing child)
//! without branching.

pub(crate) const SHIFT: usize = 0;
pub(crate) const LEFT: usize = 1;
pub(crate) const RIGHT: usize = 2;
pub(crate) const N_TRANS: usize = 3;

/// Label id meaning "no label" (unattached token or the none token).
pub(crate) const NO_LABEL: u16 = u16::MAX;

#[derive(Debug, Clone)]
pub(crate) struct State {
    pub n: u32,
    pub none: u32,
    pub stack: Vec<u32>,
    /// Front of the buffer; the buffer is empty when `b > n`.
    pub b: u32,
    pub head: Vec<u32>,
    pub label: Vec<u16>,
    /// Leftmost / second-leftmost / rightmost / second-rightmost dependents.
    pub lc1: Vec<u32>,
    pub lc2: Vec<u32>,
    pub rc1: Vec<u32>,
    pub rc2: Vec<u32>,
    pub nl: Vec<u8>,
    pub nr: Vec<u8>,
    /// Sets of dependency labels on each side, as bitsets over label ids mod 128.
    pub lset: Vec<u128>,
    pub rset: Vec<u128>,
}

impl State {
    pub fn new(n: usize) -> State {
        let mut s = State {
            n: 0,
            none: 0,
            stack: Vec::new(),
            b: 0,
            head: Vec::new(),
            label: Vec::new(),
            lc1: Vec::new(),
            lc2: Vec::new(),
            rc1: Vec::new(),
            rc2: Vec::new(),
            nl: Vec::new(),
            nr: Vec::new(),
            lset: Vec::new(),
            rset: Vec::new(),
        };
        s.reset(n);
        s
    }

    /// Reinitialises for a sentence of `n` words, reusing the allocations.
    pub fn reset(&mut self, n: usize) {
        let n32 = n as u32;
        let none = n32 + 1;
        let len = n + 2;
        self.n = n32;
        self.none = none;
        self.stack.clear();
        self.stack.push(0);
        self.b = 1;
        for v in [
            &mut self.head,
            &mut self.lc1,
            &mut self.lc2,
            &mut self.rc1,
            &mut self.rc2,
        ] {
            v.clear();
            v.resize(len, none);
        }
        self.label.clear();
        self.label.resize(len, NO_LABEL);
        self.nl.clear();
        self.nl.resize(len, 0);
        self.nr.clear();
        self.nr.resize(len, 0);
        self.lset.clear();
        self.lset.resize(len, 0);
        self.rset.clear();
        self.rset.resize(len, 0);
    }

    #[inline]
    pub fn s(&self, i: usize) -> u32 {
        let l = self.stack.len();
        if i < l {
            self.stack[l - 1 - i]
        } else {
            self.none
        }
    }

    #[inline]
    pub fn buf(&self, i: u32) -> u32 {
        let x = self.b + i;
        if x <= self.n {
            x
        } else {
            self.none
        }
    }

    #[inline]
    pub fn buffer_empty(&self) -> bool {
        self.b > self.n
    }

    pub fn is_terminal(&self) -> bool {
        self.buffer_empty() && self.stack.len() == 1
    }

    /// Legal transitions. RIGHT onto the root is only allowed once the buffer
    /// is empty: that is what guarantees exactly one root word, and it never
    /// excludes a gold derivation of a single-rooted tree (the root word's
    /// subtree spans the whole sentence, so it is attached last).
    #[inline]
    pub fn legal(&self) -> [bool; N_TRANS] {
        let depth = self.stack.len();
        let buf = !self.buffer_empty();
        [buf, buf && depth >= 2, depth >= 3 || (depth == 2 && !buf)]
    }

    /// The (head, dependent) pair an arc transition would create.
    #[inline]
    pub fn arc_of(&self, t: usize) -> (u32, u32) {
        if t == LEFT {
            (self.b, self.s(0))
        } else {
            (self.s(1), self.s(0))
        }
    }

    pub fn apply(&mut self, t: usize, label: u16) {
        match t {
            SHIFT => {
                self.stack.push(self.b);
                self.b += 1;
            }
            _ => {
                let (h, d) = self.arc_of(t);
                self.stack.pop();
                self.attach(h, d, label);
            }
        }
    }

    fn attach(&mut self, h: u32, d: u32, label: u16) {
        let (hu, du) = (h as usize, d as usize);
        self.head[du] = h;
        self.label[du] = label;
        let bit = if label == NO_LABEL {
            0
        } else {
            1u128 << (label % 128)
        };
        // Arc-hybrid adds left dependents right-to-left and right dependents
        // left-to-right, so the new one is always the outermost.
        if d < h {
            self.lc2[hu] = self.lc1[hu];
            self.lc1[hu] = d;
            self.nl[hu] = self.nl[hu].saturating_add(1);
            self.lset[hu] |= bit;
        } else {
            self.rc2[hu] = self.rc1[hu];
            self.rc1[hu] = d;
            self.nr[hu] = self.nr[hu].saturating_add(1);
            self.rset[hu] |= bit;
        }
    }

    /// Dynamic-oracle cost of each transition: how many gold arcs that are
    /// still reachable become unreachable (Goldberg & Nivre 2013, arc-hybrid).
    /// `gold[d]` is the gold head of word d (`gold[0]` unused). Exact for
    /// projective gold trees. `on_stack` must mirror `self.stack`.
    pub fn costs(&self, gold: &[u32], on_stack: &[bool]) -> [u32; N_TRANS] {
        let mut c = [0u32; N_TRANS];
        let s0 = self.s(0);
        let s1 = self.s(1);
        let n = self.n;
        if !self.buffer_empty() {
            let b0 = self.b;
            // SHIFT: b0 can no longer take a head from the stack below s0,
            // nor collect dependents waiting on the stack.
            let hb = gold[b0 as usize];
            let mut cost = u32::from(hb != s0 && hb <= n && on_stack[hb as usize]);
            for &d in &self.stack {
                if d != 0 && gold[d as usize] == b0 {
                    cost += 1;
                }
            }
            c[SHIFT] = cost;
        }
        if s0 != 0 && s0 != self.none {
            let h0 = gold[s0 as usize];
            let mut deps_in_buffer = 0;
            for d in self.b..=n {
                if gold[d as usize] == s0 {
                    deps_in_buffer += 1;
                }
            }
            let head_in_buffer = h0 >= self.b && h0 <= n;
            // LEFT: s0 takes b0 as head; loses a head at s1 or deeper in the buffer.
            c[LEFT] = deps_in_buffer + u32::from((head_in_buffer && h0 != self.b) || h0 == s1);
            // RIGHT: s0 takes s1 as head; loses a head in the buffer.
            c[RIGHT] = deps_in_buffer + u32::from(head_in_buffer);
        }
        c
    }
}

/// Lifts non-projective arcs to the grandparent until the tree is projective
/// (the "lifting" step of pseudo-projective parsing, without label encoding).
/// `heads[d]` for d in 1..=n, `heads[0]` ignored. Shortest arcs are lifted
/// first, which changes the fewest attachments.
pub(crate) fn projectivize(heads: &mut [u32]) {
    let n = heads.len().saturating_sub(1);
    // Each lift moves an arc strictly up the tree, so this terminates; the
    // bound is a guard against malformed (cyclic) input.
    for _ in 0..n * n + 1 {
        let mut worst: Option<(usize, usize)> = None;
        for d in 1..=n {
            let h = heads[d] as usize;
            if h > n {
                continue;
            }
            if !arc_is_projective(heads, h, d) {
                let len = h.abs_diff(d);
                let shorter = match worst {
                    None => true,
                    Some((_, l)) => len < l,
                };
                if shorter {
                    worst = Some((d, len));
                }
            }
        }
        match worst {
            Some((d, _)) => {
                let h = heads[d] as usize;
                heads[d] = if h == 0 { 0 } else { heads[h] };
            }
            None => return,
        }
    }
}

fn arc_is_projective(heads: &[u32], h: usize, d: usize) -> bool {
    let (lo, hi) = if h < d { (h, d) } else { (d, h) };
    let n = heads.len() - 1;
    (lo + 1..hi).all(|k| {
        let mut x = k;
        for _ in 0..=n {
            if x == h {
                return true;
            }
            if x == 0 {
                return false;
            }
            x = heads[x] as usize;
            if x > n {
                return false;
            }
        }
        false
    })
}

#[cfg(test)]
pub(crate) fn is_projective(heads: &[u32]) -> bool {
    (1..heads.len()).all(|d| arc_is_projective(heads, heads[d] as usize, d))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tiny deterministic generator so tests need no extra crates.
    struct Lcg(u64);
    impl Lcg {
        fn below(&mut self, n: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((self.0 >> 33) as usize) % n.max(1)
        }
    }

    /// Random projective single-rooted tree over n words: heads[0] unused.
    fn random_projective(n: usize, rng: &mut Lcg) -> Vec<u32> {
        fn build(lo: usize, hi: usize, head: u32, heads: &mut [u32], rng: &mut Lcg) {
            // Words lo..hi (exclusive) all hang under `head`: pick a root of
            // the span, recurse on both sides.
            if lo >= hi {
                return;
            }
            let r = lo + rng.below(hi - lo);
            heads[r] = head;
            build(lo, r, r as u32, heads, rng);
            build(r + 1, hi, r as u32, heads, rng);
        }
        let mut heads = vec![0u32; n + 1];
        build(1, n + 1, 0, &mut heads, rng);
        heads
    }

    fn with_sentinels(heads: &[u32]) -> Vec<u32> {
        let n = heads.len() - 1;
        let mut g = heads.to_vec();
        g[0] = n as u32 + 1;
        g.push(n as u32 + 1);
        g
    }

    /// Runs transitions chosen by `pick` and returns (heads, total cost paid).
    fn run(
        gold: &[u32],
        mut pick: impl FnMut(&State, [bool; N_TRANS], [u32; N_TRANS]) -> usize,
    ) -> (Vec<u32>, u32) {
        let n = gold.len() - 2;
        let mut st = State::new(n);
        let mut on_stack = vec![false; n + 2];
        on_stack[0] = true;
        let mut paid = 0;
        let mut steps = 0;
        while !st.is_terminal() {
            let legal = st.legal();
            assert!(legal.iter().any(|&l| l), "no legal transition");
            let costs = st.costs(gold, &on_stack);
            let t = pick(&st, legal, costs);
            assert!(legal[t]);
            paid += costs[t];
            if t == SHIFT {
                on_stack[st.b as usize] = true;
            } else {
                on_stack[st.s(0) as usize] = false;
            }
            st.apply(t, 0);
            steps += 1;
            assert!(steps <= 2 * n, "more than 2n transitions");
        }
        assert_eq!(steps, 2 * n);
        (st.head[1..=n].to_vec(), paid)
    }

    fn assert_tree(heads: &[u32]) {
        let n = heads.len();
        assert_eq!(heads.iter().filter(|&&h| h == 0).count(), 1);
        for d in 1..=n {
            let mut x = d as u32;
            for _ in 0..=n {
                if x == 0 {
                    break;
                }
                x = heads[x as usize - 1];
                assert!(x as usize <= n);
            }
            assert_eq!(x, 0, "cycle through {d}");
        }
    }

    fn min_cost(legal: [bool; N_TRANS], costs: [u32; N_TRANS]) -> u32 {
        (0..N_TRANS)
            .filter(|&t| legal[t])
            .map(|t| costs[t])
            .min()
            .unwrap_or(0)
    }

    #[test]
    fn random_legal_sequences_build_single_rooted_trees() {
        let mut rng = Lcg(7);
        for n in 1..40 {
            let gold = with_sentinels(&vec![0; n + 1]);
            for _ in 0..20 {
                let (heads, _) = run(&gold, |_, legal, _| loop {
                    let t = rng.below(N_TRANS);
                    if legal[t] {
                        break t;
                    }
                });
                assert_tree(&heads);
            }
        }
    }

    #[test]
    fn oracle_reproduces_projective_trees_with_zero_cost() {
        let mut rng = Lcg(11);
        for n in 1..60 {
            for _ in 0..10 {
                let heads = random_projective(n, &mut rng);
                assert!(is_projective(&heads));
                let gold = with_sentinels(&heads);
                // Whatever tie-breaking order among zero-cost transitions.
                for order in [
                    [SHIFT, LEFT, RIGHT],
                    [RIGHT, LEFT, SHIFT],
                    [LEFT, RIGHT, SHIFT],
                ] {
                    let (got, paid) = run(&gold, |_, legal, costs| {
                        assert_eq!(
                            min_cost(legal, costs),
                            0,
                            "gold path lost its zero-cost move"
                        );
                        order
                            .into_iter()
                            .find(|&t| legal[t] && costs[t] == 0)
                            .unwrap_or(RIGHT)
                    });
                    assert_eq!(paid, 0);
                    assert_eq!(got, heads[1..]);
                }
            }
        }
    }

    /// Arc-decomposability: from any state, the best reachable tree loses
    /// exactly the arcs the costs charged on the way there.
    #[test]
    fn costs_count_lost_arcs_exactly() {
        let mut rng = Lcg(3);
        for n in 1..40 {
            for _ in 0..10 {
                let heads = random_projective(n, &mut rng);
                let gold = with_sentinels(&heads);
                let wander = rng.below(2 * n);
                let mut step = 0;
                let (got, paid) = run(&gold, |_, legal, costs| {
                    step += 1;
                    if step <= wander {
                        loop {
                            let t = rng.below(N_TRANS);
                            if legal[t] {
                                break t;
                            }
                        }
                    } else {
                        let m = min_cost(legal, costs);
                        (0..N_TRANS)
                            .find(|&t| legal[t] && costs[t] == m)
                            .unwrap_or(RIGHT)
                    }
                });
                let correct = got.iter().zip(&heads[1..]).filter(|(a, b)| a == b).count();
                assert_eq!(n - correct, paid as usize, "heads {heads:?} got {got:?}");
            }
        }
    }

    #[test]
    fn projectivize_removes_crossing_arcs() {
        // 1 <- 3 crosses 2 -> 4 (classic non-projective pattern).
        let mut heads = vec![0, 3, 0, 2, 2];
        assert!(!is_projective(&heads));
        projectivize(&mut heads);
        assert!(is_projective(&heads));
        let mut rng = Lcg(5);
        for n in 2..30 {
            for _ in 0..20 {
                // Random single-rooted tree (often non-projective).
                let mut h = vec![0u32; n + 1];
                let root = 1 + rng.below(n);
                let mut placed = vec![root];
                let mut rest: Vec<usize> = (1..=n).filter(|&x| x != root).collect();
                while !rest.is_empty() {
                    let d = rest.swap_remove(rng.below(rest.len()));
                    h[d] = placed[rng.below(placed.len())] as u32;
                    placed.push(d);
                }
                projectivize(&mut h);
                assert!(is_projective(&h));
                assert_tree(&h[1..]);
            }
        }
    }
}
