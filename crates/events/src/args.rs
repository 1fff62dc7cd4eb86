//! Reading a verb's participants off the dependency parse.

use chronicle_actors::{DocActors, Mention};
use chronicle_core::Document;
use chronicle_quotes::spans::SpanIndex;
use std::cell::Cell;

/// Children lists and bounded ancestor walks over the document's dependency arcs.
pub struct Tree {
    children: Vec<Vec<usize>>,
    heads: Vec<Option<usize>>,
    rels: Vec<String>,
    /// Each token's text and lemma in upper case, as the verb patterns spell
    /// words; made once per document, not once per verb and pattern.
    pub upper: Vec<String>,
    pub lemma_upper: Vec<String>,
    /// Their numbers among the verb patterns' words ([`crate::patterns::Compiled`]).
    pub(crate) upper_id: Vec<u32>,
    pub(crate) lemma_id: Vec<u32>,
    /// Tokens that name a currency ("francs", "dollars").
    currency: Vec<bool>,
    /// The document's LOC entities, time expressions and quotations by span: a
    /// verb's questions about them look near it, not through the whole layer.
    locs: SpanIndex,
    times: SpanIndex,
    quotes: SpanIndex,
    /// Actor mentions compared by the pronoun and quote-speaker lookups.
    work: Cell<usize>,
}

/// Longest head chain followed; parses are trees, but a bad one must not loop.
const MAX_DEPTH: usize = 64;

impl Tree {
    /// `currency`: the upper-case words that name a currency (the codebook's
    /// `&CURRENCY` set).
    pub(crate) fn new(
        doc: &Document,
        currency: &std::collections::HashSet<String>,
        patterns: &crate::patterns::Compiled,
    ) -> Tree {
        let n = doc.tokens.len();
        let mut children = vec![Vec::new(); n];
        let mut heads = Vec::with_capacity(n);
        for (i, t) in doc.tokens.iter().enumerate() {
            let h = t.head.filter(|&h| h < n && h != i);
            if let Some(h) = h {
                children[h].push(i);
            }
            heads.push(h);
        }
        let upper: Vec<String> = doc.tokens.iter().map(|t| t.text.to_uppercase()).collect();
        let lemma_upper: Vec<String> = doc
            .tokens
            .iter()
            .map(|t| t.lemma.as_deref().unwrap_or(&t.text).to_uppercase())
            .collect();
        Tree {
            children,
            heads,
            rels: doc
                .tokens
                .iter()
                .map(|t| t.deprel.clone().unwrap_or_default())
                .collect(),
            currency: upper
                .iter()
                .zip(&lemma_upper)
                .map(|(u, l)| currency.contains(u) || currency.contains(l))
                .collect(),
            upper_id: upper.iter().map(|w| patterns.id(w)).collect(),
            lemma_id: lemma_upper.iter().map(|w| patterns.id(w)).collect(),
            upper,
            lemma_upper,
            locs: SpanIndex::of(&doc.entities, |e| (e.start, e.end), |e| e.label == "LOC"),
            times: SpanIndex::new(doc.times.iter().map(|t| (t.start, t.end))),
            quotes: SpanIndex::new(doc.quotes.iter().map(|q| (q.start, q.end))),
            work: Cell::new(0),
        }
    }

    /// Layer items compared by this tree's lookups (for tests of the shape).
    pub fn comparisons(&self) -> usize {
        self.work.get() + self.locs.visited() + self.times.visited() + self.quotes.visited()
    }

    fn count(&self, n: usize) {
        self.work.set(self.work.get() + n);
    }

    /// Whether a time expression covers bytes `[start, end)`.
    fn in_time(&self, start: usize, end: usize) -> bool {
        self.times.any_covering(start, end)
    }

    /// The first LOC entity (index into `doc.entities`) covering `[start, end)`.
    fn loc_covering(&self, start: usize, end: usize) -> Option<usize> {
        self.locs.covering(start, end).first().copied()
    }

    /// Whether a quotation holds byte `b`.
    pub(crate) fn in_quote(&self, b: usize) -> bool {
        self.quotes.any_covering(b, b + 1)
    }

    /// The time expressions (indices into `doc.times`) within bytes `[start, end]`.
    pub(crate) fn times_within(&self, start: usize, end: usize) -> Vec<usize> {
        self.times.within(start, end)
    }

    /// "Swiss francs", "US dollars": a nationality that only names a currency.
    pub fn modifies_currency(&self, t: usize) -> bool {
        self.currency.get(t).copied().unwrap_or(false)
            || self
                .head(t)
                .is_some_and(|h| self.currency.get(h).copied().unwrap_or(false))
    }

    pub fn children(&self, t: usize) -> &[usize] {
        self.children.get(t).map(Vec::as_slice).unwrap_or(&[])
    }

    pub fn head(&self, t: usize) -> Option<usize> {
        self.heads.get(t).copied().flatten()
    }

    pub fn rel(&self, t: usize) -> &str {
        self.rels.get(t).map(String::as_str).unwrap_or("")
    }

    /// Whether `a` is `b` or one of its ancestors.
    pub fn dominates(&self, a: usize, b: usize) -> bool {
        let mut cur = Some(b);
        for _ in 0..MAX_DEPTH {
            match cur {
                Some(c) if c == a => return true,
                Some(c) => cur = self.head(c),
                None => return false,
            }
        }
        false
    }

    /// `t` and its descendants, without the subtrees hanging off `t` by a relation
    /// in `skip`, in token order.
    pub fn subtree(&self, t: usize, skip: &[&str]) -> Vec<usize> {
        let mut out = vec![t];
        let mut stack: Vec<(usize, usize)> = vec![(t, 0)];
        while let Some((n, depth)) = stack.pop() {
            if depth >= MAX_DEPTH {
                continue;
            }
            for &c in self.children(n) {
                if n == t && skip.contains(&self.rel(c)) {
                    continue;
                }
                out.push(c);
                stack.push((c, depth + 1));
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// Clause-level relations that start another predication.
pub const OTHER_CLAUSES: &[&str] = &[
    "ccomp",
    "parataxis",
    "advcl",
    "conj",
    "csubj",
    "acl:relcl",
    "acl",
    "cc",
    "punct",
    "xcomp",
];

#[derive(Debug, Clone, Default)]
pub struct Args {
    pub sources: Vec<Mention>,
    pub targets: Vec<Mention>,
    pub location: Option<String>,
}

fn lemma(doc: &Document, t: usize) -> String {
    let k = &doc.tokens[t];
    k.lemma.as_deref().unwrap_or(&k.text).to_lowercase()
}

fn case_of(doc: &Document, tree: &Tree, t: usize) -> Option<String> {
    tree.children(t)
        .iter()
        .find(|&&c| tree.rel(c) == "case")
        .map(|&c| lemma(doc, c))
}

const PLACE_CASES: &[&str] = &[
    "in",
    "at",
    "near",
    "outside",
    "inside",
    "across",
    "throughout",
    "around",
];

/// Prepositions that place an oblique in time, not space.
const TIME_CASES: &[&str] = &[
    "before", "after", "during", "since", "until", "till", "ahead",
];

/// The actors of the first candidate phrase that names someone other than the
/// sources.
fn first_other_actors(
    doc: &Document,
    tree: &Tree,
    actors: &DocActors,
    candidates: impl IntoIterator<Item = usize>,
    sources: &[Mention],
) -> Option<Vec<Mention>> {
    candidates.into_iter().find_map(|c| {
        let found: Vec<Mention> = actors_of(doc, tree, actors, c)
            .into_iter()
            .filter(|m| !sources.iter().any(|s| s.code == m.code))
            .collect();
        (!found.is_empty()).then_some(found)
    })
}

/// Whether token `t` is inside a recognized time expression ("said on Friday
/// in Moscow": the parser may hang the place on the day).
fn is_time(doc: &Document, tree: &Tree, t: usize) -> bool {
    let tok = &doc.tokens[t];
    tree.in_time(tok.start, tok.end)
}

/// The source, target and place of verb `v`.
pub fn arguments(doc: &Document, tree: &Tree, actors: &DocActors, v: usize) -> Args {
    arguments_at(doc, tree, actors, v, 0)
}

fn arguments_at(doc: &Document, tree: &Tree, actors: &DocActors, v: usize, depth: usize) -> Args {
    let cl = Clause {
        doc,
        tree,
        actors,
        v,
        kids: tree.children(v),
    };
    let subj = cl.subject();
    let passive = cl
        .kids
        .iter()
        .any(|&c| tree.rel(c) == "nsubj:pass" || tree.rel(c) == "aux:pass");
    let agent = cl.kids.iter().copied().find(|&c| cl.is_by_agent(c));
    let speech = crate::SPEECH.contains(&lemma(doc, v).as_str());
    let mut args = Args::default();
    let (src, tgt_head) = if passive { (agent, subj) } else { (subj, None) };
    if let Some(s) = src {
        args.sources = cl.sources(s, passive);
    }
    // A target naming only a sector ("military aid", "the police") is kept
    // for when nothing better turns up.
    let mut weak_target: Option<Vec<Mention>> = None;
    match tgt_head {
        Some(t) => args.targets = actors_of(doc, tree, actors, t),
        None => {
            for o in cl.objects(agent, speech) {
                let found = actors_of(doc, tree, actors, o);
                if found.is_empty() {
                    continue;
                }
                if found.iter().all(weak) {
                    weak_target.get_or_insert(found);
                    continue;
                }
                args.targets = found;
                break;
            }
        }
    }
    if args.targets.is_empty() && tgt_head.is_none() && depth < 2 && !speech {
        if let Some(found) = cl.complement_targets(depth, &args.sources) {
            args.targets = found;
        }
    }
    if args.targets.is_empty() && tgt_head.is_none() && !speech {
        if let Some(found) = cl.place_targets(&args.sources) {
            args.targets = found;
        }
    }
    if args.targets.is_empty() && tgt_head.is_none() && tree.rel(v) == "xcomp" {
        if let Some(found) = cl.governor_targets(&args.sources) {
            args.targets = found;
        }
    }
    if args.targets.is_empty() {
        args.targets = weak_target.unwrap_or_default();
    }
    args.location = location(doc, tree, actors, v);
    args
}

/// Verb `v` of a clause, with its dependents.
struct Clause<'a> {
    doc: &'a Document,
    tree: &'a Tree,
    actors: &'a DocActors,
    v: usize,
    kids: &'a [usize],
}

impl Clause<'_> {
    /// The `by` agent phrase ("hit by air strikes").
    fn is_by_agent(&self, c: usize) -> bool {
        let tree = self.tree;
        tree.rel(c) == "obl:agent"
            || (tree.rel(c).starts_with("obl")
                && case_of(self.doc, tree, c).as_deref() == Some("by"))
    }

    /// The verb's subject: its own, the noun a misread reduced relative hangs on, or
    /// one shared down an xcomp, conj or advcl chain.
    fn subject(&self) -> Option<usize> {
        let (doc, tree, v, kids) = (self.doc, self.tree, self.v, self.kids);
        let find = |rels: &[&str]| kids.iter().copied().find(|&c| rels.contains(&tree.rel(c)));
        let mut subj = find(&["nsubj", "nsubj:pass", "csubj"]);
        // "Zambia extradited X to Britain, an official said": the parser reads the
        // news verb as a reduced relative on its subject (acl). A participle that
        // takes a direct object is active (unlike "a ship carrying arms", a past
        // form), so the noun it hangs on is its subject.
        if subj.is_none()
            && tree.rel(v) == "acl"
            && matches!(doc.tokens[v].xpos.as_deref(), Some("VBN" | "VBD"))
            && kids.iter().any(|&c| {
                tree.rel(c) == "obj"
                    || (tree.rel(c) == "xcomp"
                        && tree.children(c).iter().any(|&o| tree.rel(o) == "obj"))
            })
            && tree.head(v).is_some_and(|h| h < v)
        {
            subj = tree.head(v);
        }
        // Subjects are shared down xcomp and conj chains ("agreed to meet", "met and
        // agreed").
        let mut cur = v;
        for _ in 0..3 {
            if subj.is_some() {
                break;
            }
            if !matches!(tree.rel(cur), "xcomp" | "conj" | "advcl") {
                break;
            }
            let Some(h) = tree.head(cur) else { break };
            subj = tree
                .children(h)
                .iter()
                .copied()
                .find(|&c| matches!(tree.rel(c), "nsubj" | "nsubj:pass"));
            // Under a passive ("hospitals were hit by air strikes, killing seven"),
            // the doer is the `by` agent, not the passive subject.
            if subj.is_some_and(|s| tree.rel(s) == "nsubj:pass") {
                subj = tree
                    .children(h)
                    .iter()
                    .copied()
                    .find(|&c| self.is_by_agent(c));
            }
            cur = h;
        }
        subj
    }

    /// The actors of source phrase `s`, with a second active subject's.
    fn sources(&self, s: usize, passive: bool) -> Vec<Mention> {
        let (doc, tree, actors) = (self.doc, self.tree, self.actors);
        let mut sources = actors_of(doc, tree, actors, s);
        // "Fornost and the evil awful Gondor welcomed …" parsed with two subjects:
        // a second subject of the same verb is a second source.
        if !passive && tree.rel(s) == "nsubj" {
            for &o in self
                .kids
                .iter()
                .filter(|&&o| o != s && tree.rel(o) == "nsubj")
            {
                // A bare sector ("itself a victim of …") is an apposition misread.
                for m in actors_of(doc, tree, actors, o)
                    .into_iter()
                    .filter(|m| !weak(m))
                {
                    if !sources.contains(&m) {
                        sources.push(m);
                    }
                }
            }
        }
        sources
    }

    /// Target candidates in order: objects, then obliques that are neither the
    /// agent, a time nor (after a speech verb, or naming no actor) a place.
    fn objects(&self, agent: Option<usize>, speech: bool) -> Vec<usize> {
        let (doc, tree, actors) = (self.doc, self.tree, self.actors);
        let mut objects: Vec<usize> = self
            .kids
            .iter()
            .copied()
            .filter(|&c| matches!(tree.rel(c), "obj" | "iobj"))
            .collect();
        let obliques = self.kids.iter().copied().filter(|&c| {
            tree.rel(c).starts_with("obl") && Some(c) != agent && tree.rel(c) != "obl:tmod"
        });
        objects.extend(obliques.filter(|&c| {
            let case = case_of(doc, tree, c).unwrap_or_default();
            let place = PLACE_CASES.contains(&case.as_str());
            // "said in Moscow": where words were spoken is not whom they were
            // aimed at; "before the Lausanne meeting" is a time.
            let when = TIME_CASES.contains(&case.as_str()) || (speech && is_time(doc, tree, c));
            !when && (!place || (!speech && has_actor(doc, tree, actors, c)))
        }));
        objects
    }

    /// The complement's participants: "demanded that Serbia withdraw" (its
    /// subject), "threatened to deliver blows to the US" (its object).
    fn complement_targets(&self, depth: usize, sources: &[Mention]) -> Option<Vec<Mention>> {
        let (doc, tree, actors) = (self.doc, self.tree, self.actors);
        for &c in self.kids {
            let rel = tree.rel(c);
            if rel != "ccomp" && rel != "xcomp" {
                continue;
            }
            let inner = arguments_at(doc, tree, actors, c, depth + 1);
            let nominal_clause = matches!(doc.tokens[c].upos.as_deref(), Some("PROPN" | "NOUN"));
            let found = if rel == "ccomp" && !inner.sources.is_empty() {
                inner.sources
            } else if rel == "ccomp" && nominal_clause && inner.targets.is_empty() {
                // "demanded that the Democratic People's Republic of Korea forsake …"
                // with the name itself read as the clause: it is whom the demand is on.
                actors_of(doc, tree, actors, c)
            } else {
                inner.targets
            };
            let found: Vec<Mention> = found
                .into_iter()
                .filter(|m| !sources.iter().any(|s| s == m || s.code == m.code))
                .collect();
            if !found.is_empty() {
                return Some(found);
            }
        }
        None
    }

    /// Last, a place the act was aimed at or happened in ("arrived in Amman",
    /// "reimposed blockades in the West Bank").
    fn place_targets(&self, sources: &[Mention]) -> Option<Vec<Mention>> {
        let (doc, tree) = (self.doc, self.tree);
        // Obliques of the verb, then modifiers of its object ("reimposed
        // blockades in the West Bank", "providing intelligence to Macedonia").
        // Where something was said is not whom it was said to, and "before the
        // Lausanne meeting" dates the act rather than aiming it.
        let mut places: Vec<usize> = self
            .kids
            .iter()
            .copied()
            .filter(|&c| tree.rel(c).starts_with("obl"))
            .filter(|&c| {
                let case = case_of(doc, tree, c).unwrap_or_default();
                !TIME_CASES.contains(&case.as_str())
            })
            .collect();
        for &o in self.kids.iter().filter(|&&c| tree.rel(c) == "obj") {
            places.extend(tree.children(o).iter().copied().filter(|&c| {
                tree.rel(c) == "nmod" && case_of(doc, tree, c).is_some_and(|k| k != "of")
            }));
        }
        first_other_actors(doc, tree, self.actors, places, sources)
    }

    /// "is about to restore ties with Gondor" with "with Gondor" hung on
    /// "about": a with/to/against phrase after the verb, on its governor.
    fn governor_targets(&self, sources: &[Mention]) -> Option<Vec<Mention>> {
        let (doc, tree, v) = (self.doc, self.tree, self.v);
        let h = tree.head(v)?;
        let aimed = tree.children(h).iter().copied().filter(|&c| {
            let case = case_of(doc, tree, c).unwrap_or_default();
            c > v
                && tree.rel(c).starts_with("obl")
                && matches!(
                    case.as_str(),
                    "with" | "to" | "against" | "toward" | "towards"
                )
        });
        first_other_actors(doc, tree, self.actors, aimed, sources)
    }
}

/// A mention coded by a generic agent word alone, with no country or name.
fn weak(m: &Mention) -> bool {
    m.origin == "agent"
}

fn has_actor(doc: &Document, tree: &Tree, actors: &DocActors, t: usize) -> bool {
    !actors_of(doc, tree, actors, t).is_empty() && !is_place(doc, tree, t)
}

/// Whether the head word is a place name (LOC entity) rather than a party.
fn is_place(doc: &Document, tree: &Tree, t: usize) -> bool {
    let k = &doc.tokens[t];
    tree.loc_covering(k.start, k.end).is_some()
}

/// The coded actors a noun phrase headed by `h` names; conjuncts give several.
pub fn actors_of(doc: &Document, tree: &Tree, actors: &DocActors, h: usize) -> Vec<Mention> {
    let mut out: Vec<Mention> = Vec::new();
    let conjuncts = |t: usize| {
        tree.children(t)
            .iter()
            .copied()
            .filter(|&c| tree.rel(c) == "conj")
            .collect::<Vec<_>>()
    };
    // Conjunct chains, of the head and of the actor found inside its phrase
    // ("ties between Gondor and Osgiliath"); bounded, a parse may be odd.
    // Each entry carries the sector a bare country found there inherits: "the
    // ambassadors of Arnor, Osgiliath and Gondor" are all ambassadors.
    let mut stack: Vec<(usize, Option<String>)> = vec![(h, None)];
    let mut seen = std::collections::BTreeSet::new();
    while let Some((head, sector)) = stack.pop() {
        if !seen.insert(head) || seen.len() > MAX_CONJUNCTS {
            continue;
        }
        stack.extend(conjuncts(head).into_iter().map(|c| (c, sector.clone())));
        if let Some(mut m) = actor_of(doc, tree, actors, head) {
            if let (Some(sfx), Some(code)) = (&sector, m.code.as_deref()) {
                if code.len() == 3 {
                    m.code = Some(format!("{code}{sfx}"));
                }
            }
            let own_sector = m
                .code
                .as_deref()
                .filter(|c| c.len() > 3)
                .map(|c| c[3..].to_string());
            for t in m.tok_start..m.tok_end.min(doc.tokens.len()) {
                // Only a country named in the agent's of-phrase passes the sector on.
                let of_country = tree.rel(t).starts_with("nmod")
                    && doc.tokens[t].upos.as_deref() == Some("PROPN");
                let inherit = if of_country { own_sector.clone() } else { None };
                stack.extend(conjuncts(t).into_iter().map(|c| (c, inherit.clone())));
            }
            if !out.contains(&m) {
                out.push(m);
            }
        }
    }
    // "Erdogan and Russian counterpart Vladimir Putin" with "Russian" read as the
    // conjunct: the named actor of that country right after it is the one meant.
    let phrase = tree.subtree(
        h,
        &["acl", "acl:relcl", "advcl", "ccomp", "xcomp", "parataxis"],
    );
    for m in out.iter_mut() {
        let Some(country) = m.code.clone().filter(|c| c.len() == 3) else {
            continue;
        };
        // Mentions are in text order: look only at those starting within three
        // tokens after this one (scanning them all per argument made a long
        // document cost mentions × arguments).
        let from = actors.mentions.partition_point(|n| n.tok_start < m.tok_end);
        let named = actors.mentions[from..]
            .iter()
            .take_while(|n| n.tok_start <= m.tok_end + 3)
            .find(|n| {
                phrase.contains(&n.tok_start)
                    && n.code
                        .as_deref()
                        .is_some_and(|c| c.len() > 3 && c.starts_with(&country))
                    && (m.tok_end..n.tok_start).all(|t| !matches!(tree.rel(t), "cc" | "punct"))
            });
        if let Some(n) = named {
            *m = n.clone();
        }
    }
    out.dedup();
    out.sort_by_key(|m| m.tok_start);
    out
}

/// Most conjuncts followed from one argument.
const MAX_CONJUNCTS: usize = 16;

fn actor_of(doc: &Document, tree: &Tree, actors: &DocActors, h: usize) -> Option<Mention> {
    let coded = |m: &&Mention| m.code.is_some();
    if let Some(m) = actors.at(h).filter(coded) {
        return Some(m.clone());
    }
    let word = lemma(doc, h);
    if matches!(word.as_str(), "i" | "we" | "me" | "us") {
        // In a quotation, the first person is the quote's speaker.
        if let Some(m) = quote_speaker(doc, tree, actors, h) {
            return Some(m);
        }
    }
    if matches!(word.as_str(), "it" | "they" | "we" | "he" | "she") {
        // In reported speech the pronoun subject is the speaker: "Syria says it
        // is willing", "the rebels said they will release".
        if let Some(speaker) = speaker_of(doc, tree, actors, h) {
            return Some(speaker);
        }
    }
    if matches!(word.as_str(), "he" | "she" | "him" | "her") {
        // The last person coded before the pronoun. Mentions are in text order
        // and do not overlap, so their ends rise: only those ending in the 80
        // tokens before it are compared.
        let before = actors.mentions.partition_point(|m| m.tok_end <= h);
        let mut compared = 0;
        let found = actors.mentions[..before]
            .iter()
            .rev()
            .take_while(|m| h - m.tok_end < 80)
            .inspect(|_| compared += 1)
            .find(|m| m.code.is_some() && m.actor.is_some() && m.role.is_some())
            .cloned();
        tree.count(compared);
        return found;
    }
    // Modifiers of the head: "Russian jets", "Turkey's efforts", "forces of Syria".
    let np = tree.subtree(
        h,
        &[
            "acl",
            "acl:relcl",
            "conj",
            "cc",
            "punct",
            "advcl",
            "ccomp",
            "parataxis",
        ],
    );
    let mut best: Option<(usize, &Mention)> = None;
    for &t in &np {
        if t == h {
            continue;
        }
        if let Some(m) = actors
            .at(t)
            .filter(coded)
            .filter(|_| !tree.modifies_currency(t))
        {
            // A named, sector-coded actor ("his Russian counterpart Sergei Lavrov")
            // outranks a bare country modifier; then the nearest, left first.
            let bare = m.code.as_deref().is_some_and(|c| c.len() <= 3) as usize + weak(m) as usize;
            let dist = bare * 10_000 + if t < h { h - t } else { 1000 + t - h };
            if best.is_none_or(|(b, _)| dist < b) {
                best = Some((dist, m));
            }
        }
    }
    best.map(|(_, m)| m.clone())
}

/// Where it happened: an `in`/`at`/`near` oblique of the verb (or of its object)
/// naming a place.
fn location(doc: &Document, tree: &Tree, actors: &DocActors, v: usize) -> Option<String> {
    // Place phrases anywhere in the verb's own clause ("in Moscow" under "on
    // Friday", "hospitals in Aleppo"), nearest to the verb first.
    let mut cands: Vec<usize> = tree
        .subtree(v, OTHER_CLAUSES)
        .into_iter()
        .filter(|&c| c != v && (tree.rel(c).starts_with("obl") || tree.rel(c) == "nmod"))
        .collect();
    cands.sort_by_key(|&c| c.abs_diff(v));
    for c in cands {
        if !PLACE_CASES.contains(&case_of(doc, tree, c).unwrap_or_default().as_str()) {
            continue;
        }
        let k = &doc.tokens[c];
        if let Some(e) = tree.loc_covering(k.start, k.end).map(|i| &doc.entities[i]) {
            return Some(e.text.clone());
        }
        if let Some(m) = actors.at(c) {
            if m.code.as_deref().is_some_and(|c| c.len() == 3) {
                let a = doc.tokens.get(m.tok_start)?;
                let b = doc.tokens.get(m.tok_end.checked_sub(1)?)?;
                return doc.text.get(a.start..b.end).map(str::to_string);
            }
        }
    }
    None
}

/// The subject of the speech verb whose complement holds pronoun `h`.
pub(crate) fn speaker_of(
    doc: &Document,
    tree: &Tree,
    actors: &DocActors,
    h: usize,
) -> Option<Mention> {
    let mut cur = tree.head(h)?;
    for _ in 0..4 {
        let head = tree.head(cur)?;
        if matches!(tree.rel(cur), "ccomp" | "parataxis")
            && crate::SPEECH.contains(&lemma(doc, head).as_str())
        {
            let subj = tree
                .children(head)
                .iter()
                .copied()
                .find(|&c| tree.rel(c) == "nsubj")?;
            if subj == h {
                return None;
            }
            return actor_of(doc, tree, actors, subj);
        }
        cur = head;
    }
    None
}

/// The coded speaker of the quotation that holds token `h`.
pub(crate) fn quote_speaker(
    doc: &Document,
    tree: &Tree,
    actors: &DocActors,
    h: usize,
) -> Option<Mention> {
    let k = doc.tokens.get(h)?;
    let q = &doc.quotes[*tree.quotes.covering(k.start, k.end).first()?];
    let span = q.speaker_span?;
    // Mentions are in text order and do not overlap: only those from the first
    // ending after the speaker's start, up to the first starting after its end,
    // can overlap it.
    let end_byte = |m: &Mention| {
        m.tok_end
            .checked_sub(1)
            .and_then(|l| doc.tokens.get(l))
            .map_or(usize::MAX, |t| t.end)
    };
    let from = actors
        .mentions
        .partition_point(|m| end_byte(m) <= span.start);
    let mut compared = 0;
    let found = actors.mentions[from..]
        .iter()
        .take_while(|m| {
            doc.tokens
                .get(m.tok_start)
                .is_none_or(|a| a.start < span.end)
        })
        .inspect(|_| compared += 1)
        .find(|m| {
            let (Some(a), Some(b)) = (
                doc.tokens.get(m.tok_start),
                doc.tokens.get(m.tok_end.saturating_sub(1)),
            ) else {
                return false;
            };
            m.code.is_some() && a.start < span.end && span.start < b.end
        })
        .cloned();
    tree.count(compared);
    found
}
