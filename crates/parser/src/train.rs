//! Parser training: averaged-perceptron epochs with the dynamic oracle over gold trees, fixed seeds, dev scores per epoch.
use crate::features::{label_features, transition_features, Tokens, N_LABEL_FEATS, N_TRANS_FEATS};
use crate::system::{self, State, LEFT, NO_LABEL, N_TRANS, SHIFT};
use crate::weights::TrainTable;
use crate::{best_legal, evaluate_parser, tag_ids, ParserModel, TagSource};
use chronicle_formats::Sentence;
use std::collections::BTreeSet;

#[derive(Debug, Clone, PartialEq)]
pub struct TrainOptions {
    pub epochs: usize,
    pub seed: u64,
    /// First epoch (0-based) in which the parser follows its own mistakes.
    pub explore_from: usize,
    /// Probability of following a wrong prediction once exploring.
    pub explore_prob: f64,
    /// log2 of the transition table's rows.
    pub trans_bits: u32,
    /// log2 of each label table's rows.
    pub label_bits: u32,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            epochs: 15,
            seed: 0x5EED_0FC4_2011,
            explore_from: 1,
            explore_prob: 0.9,
            trans_bits: 20,
            label_bits: 16,
        }
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct EpochReport {
    /// 1-based.
    pub epoch: usize,
    pub epochs: usize,
    /// Share of training transitions the model got right (zero-cost) before updating.
    pub train_accuracy: f64,
    pub dev_uas: Option<f64>,
    pub dev_las: Option<f64>,
    pub seconds: f64,
}

/// SplitMix64; fixed seeds make training byte-for-byte reproducible.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next()) * n as u128) >> 64) as usize
    }
}

struct Example {
    tokens: Tokens,
    /// Projectivised gold heads, indexed by token; the root and none slots
    /// hold the none index.
    gold: Vec<u32>,
    glabel: Vec<u16>,
}

struct Trainer {
    trans: TrainTable,
    labels: [TrainTable; 2],
    /// Global label id -> column in each direction's label table.
    col_of: [Vec<Option<u16>>; 2],
    root_label: u16,
    t_time: i64,
    l_time: i64,
}

fn argmax_cols(scores: &[i64]) -> usize {
    let mut best = 0;
    for (i, &s) in scores.iter().enumerate() {
        if s > scores[best] {
            best = i;
        }
    }
    best
}

/// Trains on `train` (gold tags and trees) and reports after every epoch; dev
/// scores use the averaged weights with the dev file's gold tags.
pub fn train_parser(
    train: &[Sentence],
    dev: Option<&[Sentence]>,
    opts: &TrainOptions,
    progress: &mut dyn FnMut(EpochReport),
) -> ParserModel {
    let mut label_set = BTreeSet::new();
    let mut upos_set = BTreeSet::new();
    let mut xpos_set = BTreeSet::new();
    for s in train {
        for w in &s.words {
            label_set.insert(w.deprel.clone());
            upos_set.insert(w.upos.clone());
            xpos_set.insert(w.xpos.clone());
        }
    }
    label_set.insert("root".to_string());
    label_set.insert("dep".to_string());
    let labels: Vec<String> = label_set.into_iter().collect();
    let label_id = |l: &str| labels.iter().position(|x| x == l).map_or(0, |i| i as u16);
    let root_label = label_id("root");
    let upos: Vec<String> = upos_set.into_iter().collect();
    let xpos: Vec<String> = xpos_set.into_iter().collect();
    let upos_ids = tag_ids(&upos);
    let xpos_ids = tag_ids(&xpos);

    let mut examples = Vec::with_capacity(train.len());
    let mut dir_sets = [BTreeSet::new(), BTreeSet::new()];
    for s in train {
        let n = s.words.len();
        if n == 0 || s.words.iter().all(|w| w.head == 0) && n > 1 {
            continue;
        }
        let mut heads: Vec<u32> = std::iter::once(0)
            .chain(s.words.iter().map(|w| w.head as u32))
            .collect();
        // A tree with several root words has no arc-hybrid derivation under
        // the single-root constraint; such sentences are rare enough to skip.
        if heads[1..].iter().filter(|&&h| h == 0).count() != 1 {
            continue;
        }
        system::projectivize(&mut heads);
        let none = n as u32 + 1;
        heads[0] = none;
        heads.push(none);
        let mut glabel = vec![NO_LABEL; n + 2];
        for (i, w) in s.words.iter().enumerate() {
            let d = i + 1;
            glabel[d] = label_id(&w.deprel);
            let h = heads[d] as usize;
            if h != 0 {
                dir_sets[usize::from(d > h)].insert(glabel[d]);
            }
        }
        let words: Vec<&str> = s.words.iter().map(|w| w.form.as_str()).collect();
        let up: Vec<&str> = s.words.iter().map(|w| w.upos.as_str()).collect();
        let xp: Vec<&str> = s.words.iter().map(|w| w.xpos.as_str()).collect();
        let mut tokens = Tokens::default();
        tokens.fill(&words, &up, &xp, &upos_ids, &xpos_ids);
        examples.push(Example {
            tokens,
            gold: heads,
            glabel,
        });
    }
    let dir_labels: [Vec<u16>; 2] = [
        dir_sets[0].iter().copied().collect(),
        dir_sets[1].iter().copied().collect(),
    ];
    let col_of = |cols: &[u16]| {
        let mut m = vec![None; labels.len()];
        for (c, &g) in cols.iter().enumerate() {
            m[usize::from(g)] = Some(c as u16);
        }
        m
    };
    let mut tr = Trainer {
        trans: TrainTable::new(opts.trans_bits, 4),
        labels: [
            TrainTable::new(opts.label_bits, dir_labels[0].len().max(1)),
            TrainTable::new(opts.label_bits, dir_labels[1].len().max(1)),
        ],
        col_of: [col_of(&dir_labels[0]), col_of(&dir_labels[1])],
        root_label,
        t_time: 0,
        l_time: 0,
    };
    let build = |tr: &Trainer| ParserModel {
        labels: labels.clone(),
        root_label,
        dir_labels: dir_labels.clone(),
        upos: upos.clone(),
        xpos: xpos.clone(),
        upos_ids: upos_ids.clone(),
        xpos_ids: xpos_ids.clone(),
        trans: tr.trans.average_trans(tr.t_time),
        label_tables: [
            tr.labels[0].average_labels(tr.l_time),
            tr.labels[1].average_labels(tr.l_time),
        ],
    };

    let mut rng = Rng(opts.seed);
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut state = State::new(0);
    let mut on_stack = Vec::new();
    let mut model = build(&tr);
    for epoch in 0..opts.epochs {
        let started = std::time::Instant::now();
        for i in (1..order.len()).rev() {
            let j = rng.below(i + 1);
            order.swap(i, j);
        }
        let explore = epoch >= opts.explore_from;
        let (mut right, mut total) = (0u64, 0u64);
        for &i in &order {
            let (r, t) = tr.train_sentence(
                &examples[i],
                &mut state,
                &mut on_stack,
                explore.then_some(opts.explore_prob),
                &mut rng,
            );
            right += r;
            total += t;
        }
        model = build(&tr);
        let (dev_uas, dev_las) = match dev {
            Some(d) => {
                let sc = evaluate_parser(&model, d, TagSource::Gold);
                (Some(sc.uas), Some(sc.las))
            }
            None => (None, None),
        };
        progress(EpochReport {
            epoch: epoch + 1,
            epochs: opts.epochs,
            train_accuracy: right as f64 / total.max(1) as f64,
            dev_uas,
            dev_las,
            seconds: started.elapsed().as_secs_f64(),
        });
    }
    model
}

impl Trainer {
    fn train_sentence(
        &mut self,
        ex: &Example,
        st: &mut State,
        on_stack: &mut Vec<bool>,
        explore: Option<f64>,
        rng: &mut Rng,
    ) -> (u64, u64) {
        let n = ex.gold.len() - 2;
        st.reset(n);
        on_stack.clear();
        on_stack.resize(n + 2, false);
        on_stack[0] = true;
        let mut tf = [0u64; N_TRANS_FEATS];
        let mut lf = [0u64; N_LABEL_FEATS];
        let mut scores = [0i64; 4];
        let mut lscores = vec![0i64; self.labels[0].width.max(self.labels[1].width)];
        let (mut right, mut total) = (0u64, 0u64);
        while !st.is_terminal() {
            let legal = st.legal();
            let k = transition_features(st, &ex.tokens, &mut tf);
            let feats = &tf[..k];
            self.trans.score(feats, &mut scores);
            let pred = best_legal(&scores[..N_TRANS], &legal);
            let costs = st.costs(&ex.gold, on_stack);
            let min_cost = (0..N_TRANS)
                .filter(|&t| legal[t])
                .map(|t| costs[t])
                .min()
                .unwrap_or(0);
            let zero: [bool; N_TRANS] = std::array::from_fn(|t| legal[t] && costs[t] == min_cost);
            let best_gold = best_legal(&scores[..N_TRANS], &zero);
            self.t_time += 1;
            total += 1;
            let next = if costs[pred] == min_cost {
                right += 1;
                pred
            } else {
                self.trans.update(feats, best_gold, 1, self.t_time);
                self.trans.update(feats, pred, -1, self.t_time);
                match explore {
                    Some(p) if rng.unit() < p => pred,
                    _ => best_gold,
                }
            };
            let label = if next == SHIFT {
                NO_LABEL
            } else {
                let (h, d) = st.arc_of(next);
                self.label_step(
                    st,
                    ex,
                    h,
                    d,
                    usize::from(next != LEFT),
                    &mut lf,
                    &mut lscores,
                )
            };
            if next == SHIFT {
                on_stack[st.b as usize] = true;
            } else {
                on_stack[st.s(0) as usize] = false;
            }
            st.apply(next, label);
        }
        (right, total)
    }

    /// Predicts the label of a new arc, learning from it when the arc is gold.
    /// Gold arcs get their gold label so later features see the truth; wrong
    /// arcs keep the prediction, as at parse time.
    #[allow(clippy::too_many_arguments)]
    fn label_step(
        &mut self,
        st: &State,
        ex: &Example,
        h: u32,
        d: u32,
        dir: usize,
        lf: &mut [u64; N_LABEL_FEATS],
        lscores: &mut [i64],
    ) -> u16 {
        let glabel = ex.glabel[d as usize];
        let is_gold = ex.gold[d as usize] == h;
        if h == 0 {
            return self.root_label;
        }
        let width = self.labels[dir].width;
        let k = label_features(st, &ex.tokens, h, d, lf);
        let feats = &lf[..k];
        self.labels[dir].score(feats, lscores);
        let pred_col = argmax_cols(&lscores[..width]);
        let gold_col = self.col_of[dir].get(usize::from(glabel)).copied().flatten();
        match (is_gold, gold_col) {
            (true, Some(gc)) => {
                self.l_time += 1;
                let gc = usize::from(gc);
                if gc != pred_col {
                    self.labels[dir].update(feats, gc, 1, self.l_time);
                    self.labels[dir].update(feats, pred_col, -1, self.l_time);
                }
                glabel
            }
            _ => self.dir_label(dir, pred_col),
        }
    }

    fn dir_label(&self, dir: usize, col: usize) -> u16 {
        self.col_of[dir]
            .iter()
            .position(|c| *c == Some(col as u16))
            .map_or(NO_LABEL, |g| g as u16)
    }
}
