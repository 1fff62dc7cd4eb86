//! ECB+ (Cybulska & Vossen 2014), the cross-document event and entity coreference
//! corpus: one XML file per news document (`docs/<topic>/<topic>_<n>ecb[plus].xml`)
//! with its tokens (`t_id`, `sentence`, `number`), markables (mentions anchored on
//! tokens, plus token-less instance markables) and coreference relations; beside
//! them the story gold (`gold/doc_clusters.tsv`), the gold mention lists of the
//! Cybulska setup (`gold/ECB_*_gold_mentions.json`) and the index of fully
//! annotated sentences (`ECBplus_coreference_sentences.csv`).
//!
//! The corpus ships tokens, not text, so [`EcbDocument::text`] rebuilds a plain text
//! with the byte span of every token: our pipeline annotates that text, and a gold
//! mention (sentence + token numbers) maps to a byte span through it.

use crate::{read_to_string, FormatError};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// One token as the corpus writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EcbToken {
    pub t_id: u32,
    /// Sentence index in the document (0 is the headline or, in `ecbplus` files, often the URL).
    pub sentence: u32,
    /// Index of the token inside its sentence (what the gold mention lists call `tokens_number`).
    pub number: u32,
    pub text: String,
}

/// A markable: an element of `<Markables>`. Mentions carry token anchors; instance
/// markables (`TAG_DESCRIPTOR`, `instance_id`) carry none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EcbMarkable {
    pub m_id: u32,
    /// The element name: `ACTION_OCCURRENCE`, `HUMAN_PART_PER`, `TIME_DATE`, ….
    pub kind: String,
    pub t_ids: Vec<u32>,
    pub instance_id: Option<String>,
    pub descriptor: Option<String>,
}

/// A relation of `<Relations>`: `CROSS_DOC_COREF` (its `note` is the cross-document
/// instance id) or `INTRA_DOC_COREF`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EcbRelation {
    pub kind: String,
    pub r_id: String,
    pub note: Option<String>,
    pub sources: Vec<u32>,
    pub target: u32,
}

/// One ECB+ document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EcbDocument {
    /// The file name without `.xml`, as the gold files name documents: `1_10ecbplus`.
    pub name: String,
    pub topic: u32,
    /// The corpus's own `doc_id` attribute.
    pub corpus_id: String,
    pub tokens: Vec<EcbToken>,
    pub markables: Vec<EcbMarkable>,
    pub relations: Vec<EcbRelation>,
}

/// A document's text rebuilt from its tokens: tokens joined by one space (none before
/// closing punctuation and clitics, none after opening brackets), one sentence a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenText {
    pub text: String,
    /// Byte span `[start, end)` of each token of [`EcbDocument::tokens`], in order.
    pub spans: Vec<(usize, usize)>,
}

/// The story gold: one row of `gold/doc_clusters.tsv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocCluster {
    pub doc_id: String,
    pub topic: u32,
    /// One real event: `1ecb` and `1ecbplus` are two events of the same kind.
    pub subtopic: String,
    pub split: String,
}

/// One mention of `gold/ECB_<Split>_<Event|Entity>_gold_mentions.json`.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoldMention {
    pub doc_id: String,
    pub sent_id: u32,
    /// Token numbers inside the sentence (the XML `number` attribute); the sentence is
    /// shifted in `ecbplus` files, see [`EcbDocument::gold_token`].
    pub tokens_number: Vec<u32>,
    pub tokens_str: String,
    pub coref_chain: String,
    pub mention_type: String,
    pub is_singleton: bool,
    pub is_continuous: bool,
    pub score: f64,
}

/// One row of `ECBplus_coreference_sentences.csv`: a fully annotated sentence.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CorefSentence {
    pub topic: u32,
    /// `10ecbplus` (the document name without the topic prefix).
    pub file: String,
    pub sentence: u32,
}

impl CorefSentence {
    /// The document name the gold files use: `1_10ecbplus`.
    pub fn doc_name(&self) -> String {
        format!("{}_{}", self.topic, self.file)
    }
}

fn is_closing(tok: &str) -> bool {
    matches!(
        tok,
        "," | "."
            | ";"
            | ":"
            | "!"
            | "?"
            | ")"
            | "]"
            | "}"
            | "''"
            | "%"
            | "n't"
            | "'s"
            | "'re"
            | "'ve"
            | "'ll"
            | "'d"
            | "'m"
            | "'S"
            | "N'T"
    )
}

fn is_opening(tok: &str) -> bool {
    matches!(tok, "(" | "[" | "{" | "``" | "$")
}

impl EcbDocument {
    /// The plain text of the tokens with each token's byte span (see [`TokenText`]).
    pub fn text(&self) -> TokenText {
        let mut text = String::new();
        let mut spans = Vec::with_capacity(self.tokens.len());
        let mut prev: Option<&EcbToken> = None;
        for tok in &self.tokens {
            if let Some(p) = prev {
                if p.sentence != tok.sentence {
                    text.push('\n');
                } else if !is_closing(&tok.text) && !is_opening(&p.text) {
                    text.push(' ');
                }
            }
            let start = text.len();
            text.push_str(&tok.text);
            spans.push((start, text.len()));
            prev = Some(tok);
        }
        TokenText { text, spans }
    }

    /// Index into [`Self::tokens`] of the token at `(sentence, number)`.
    pub fn token_at(&self, sentence: u32, number: u32) -> Option<usize> {
        self.tokens
            .iter()
            .position(|t| t.sentence == sentence && t.number == number)
    }

    /// Index into [`Self::tokens`] of the token a gold mention list names. Those lists
    /// (the Cybulska setup) count the sentences of `ecbplus` files from the first
    /// sentence after the URL line, so their `sent_id` is the XML sentence minus one;
    /// `ecb` files are counted as written (checked on every mention of the corpus).
    pub fn gold_token(&self, sent_id: u32, number: u32) -> Option<usize> {
        let shift = u32::from(self.name.ends_with("ecbplus"));
        self.token_at(sent_id + shift, number)
    }

    /// Index into [`Self::tokens`] by `t_id`.
    pub fn token_by_id(&self) -> HashMap<u32, usize> {
        self.tokens
            .iter()
            .enumerate()
            .map(|(i, t)| (t.t_id, i))
            .collect()
    }
}

fn line_of(xml: &roxmltree::Document, node: &roxmltree::Node) -> usize {
    xml.text_pos_at(node.range().start).row as usize
}

fn num_attr(
    xml: &roxmltree::Document,
    node: &roxmltree::Node,
    attr: &str,
    name: &str,
) -> Result<u32, FormatError> {
    let line = line_of(xml, node);
    let raw = node.attribute(attr).ok_or_else(|| {
        FormatError::malformed(
            name,
            line,
            format!("<{}> without `{attr}`", node.tag_name().name()),
        )
    })?;
    raw.trim().parse().map_err(|_| {
        FormatError::malformed(name, line, format!("`{attr}` is not a number: {raw:?}"))
    })
}

/// Parses a CAT XML file (ECB+, the SemEval-2015 TimeLine documents): XML whose
/// root is `<Document>`.
pub(crate) fn parse_cat<'t>(
    xml_text: &'t str,
    name: &str,
) -> Result<roxmltree::Document<'t>, FormatError> {
    let xml = roxmltree::Document::parse(xml_text)
        .map_err(|e| FormatError::malformed(name, e.pos().row as usize, format!("not XML: {e}")))?;
    if xml.root_element().tag_name().name() != "Document" {
        return Err(FormatError::malformed(
            name,
            1,
            "the root element is not <Document>",
        ));
    }
    Ok(xml)
}

/// One CAT `<token>` element: its ids and its text as written.
pub(crate) fn cat_token(
    xml: &roxmltree::Document,
    node: &roxmltree::Node,
    name: &str,
) -> Result<EcbToken, FormatError> {
    Ok(EcbToken {
        t_id: num_attr(xml, node, "t_id", name)?,
        sentence: num_attr(xml, node, "sentence", name)?,
        number: num_attr(xml, node, "number", name)?,
        text: node.text().unwrap_or_default().to_string(),
    })
}

/// Reads one ECB+ document; `name` is the file name (`1_10ecbplus.xml`), which gives
/// the document name and topic and labels errors.
pub fn read_ecbplus(xml_text: &str, name: &str) -> Result<EcbDocument, FormatError> {
    let xml = parse_cat(xml_text, name)?;
    let root = xml.root_element();
    let base = Path::new(name)
        .file_name()
        .and_then(|f| f.to_str())
        .unwrap_or(name);
    let doc_name = base.strip_suffix(".xml").unwrap_or(base).to_string();
    let topic = doc_name
        .split('_')
        .next()
        .and_then(|t| t.parse().ok())
        .ok_or_else(|| {
            FormatError::malformed(name, 1, "the file name does not start with `<topic>_`")
        })?;
    let mut doc = EcbDocument {
        name: doc_name,
        topic,
        corpus_id: root.attribute("doc_id").unwrap_or_default().to_string(),
        tokens: Vec::new(),
        markables: Vec::new(),
        relations: Vec::new(),
    };
    for child in root.children().filter(|n| n.is_element()) {
        match child.tag_name().name() {
            "token" => doc.tokens.push(cat_token(&xml, &child, name)?),
            "Markables" => {
                for m in child.children().filter(|n| n.is_element()) {
                    let mut t_ids = Vec::new();
                    for a in m.children().filter(|n| n.is_element()) {
                        if a.tag_name().name() != "token_anchor" {
                            return Err(FormatError::malformed(
                                name,
                                line_of(&xml, &a),
                                format!("unexpected <{}> in a markable", a.tag_name().name()),
                            ));
                        }
                        t_ids.push(num_attr(&xml, &a, "t_id", name)?);
                    }
                    doc.markables.push(EcbMarkable {
                        m_id: num_attr(&xml, &m, "m_id", name)?,
                        kind: m.tag_name().name().to_string(),
                        t_ids,
                        instance_id: m.attribute("instance_id").map(str::to_string),
                        descriptor: m.attribute("TAG_DESCRIPTOR").map(str::to_string),
                    });
                }
            }
            "Relations" => {
                for r in child.children().filter(|n| n.is_element()) {
                    let mut sources = Vec::new();
                    let mut target = None;
                    for e in r.children().filter(|n| n.is_element()) {
                        match e.tag_name().name() {
                            "source" => sources.push(num_attr(&xml, &e, "m_id", name)?),
                            "target" => target = Some(num_attr(&xml, &e, "m_id", name)?),
                            other => {
                                return Err(FormatError::malformed(
                                    name,
                                    line_of(&xml, &e),
                                    format!("unexpected <{other}> in a relation"),
                                ))
                            }
                        }
                    }
                    let line = line_of(&xml, &r);
                    doc.relations.push(EcbRelation {
                        kind: r.tag_name().name().to_string(),
                        r_id: r.attribute("r_id").unwrap_or_default().to_string(),
                        note: r.attribute("note").map(str::to_string),
                        sources,
                        target: target.ok_or_else(|| {
                            FormatError::malformed(name, line, "a relation without <target>")
                        })?,
                    });
                }
            }
            other => {
                return Err(FormatError::malformed(
                    name,
                    line_of(&xml, &child),
                    format!("unexpected <{other}> in <Document>"),
                ))
            }
        }
    }
    check_document(&doc, name)?;
    Ok(doc)
}

/// Anchors must name tokens of the document and relations markables of it, and
/// tokens must run in sentence order: the text rebuild and mention spans rely on it.
fn check_document(doc: &EcbDocument, name: &str) -> Result<(), FormatError> {
    let by_id = doc.token_by_id();
    if by_id.len() != doc.tokens.len() {
        return Err(FormatError::malformed(name, 1, "a token `t_id` repeats"));
    }
    for w in doc.tokens.windows(2) {
        if (w[1].sentence, w[1].number) <= (w[0].sentence, w[0].number) {
            return Err(FormatError::malformed(
                name,
                1,
                format!("token {} is out of sentence order", w[1].t_id),
            ));
        }
    }
    for m in &doc.markables {
        if let Some(t) = m.t_ids.iter().find(|t| !by_id.contains_key(t)) {
            return Err(FormatError::malformed(
                name,
                1,
                format!("markable {} anchors on missing token {t}", m.m_id),
            ));
        }
    }
    let m_ids: std::collections::HashSet<u32> = doc.markables.iter().map(|m| m.m_id).collect();
    for r in &doc.relations {
        if let Some(m) = r
            .sources
            .iter()
            .chain(std::iter::once(&r.target))
            .find(|m| !m_ids.contains(m))
        {
            return Err(FormatError::malformed(
                name,
                1,
                format!("relation {} names missing markable {m}", r.r_id),
            ));
        }
    }
    Ok(())
}

/// Reads one ECB+ XML file.
pub fn read_ecbplus_file(path: &Path) -> Result<EcbDocument, FormatError> {
    let text = read_to_string(path)?;
    let name = path.display().to_string();
    read_ecbplus(&text, &name)
}

/// The document files under `root/docs` in corpus order: topics by number, then
/// file names in byte order inside a topic (as `ls` shows them).
pub fn ecbplus_doc_files(root: &Path) -> Result<Vec<PathBuf>, FormatError> {
    let docs = root.join("docs");
    let io = |path: &Path, err| FormatError::Io {
        path: path.to_path_buf(),
        err,
    };
    let mut topics = Vec::new();
    for entry in std::fs::read_dir(&docs).map_err(|e| io(&docs, e))? {
        let entry = entry.map_err(|e| io(&docs, e))?;
        let path = entry.path();
        if !path.is_dir() {
            continue;
        }
        let topic: u32 = match path
            .file_name()
            .and_then(|f| f.to_str())
            .and_then(|f| f.parse().ok())
        {
            Some(t) => t,
            None => {
                return Err(FormatError::malformed(
                    &path.display().to_string(),
                    0,
                    "a topic folder name is not a number",
                ))
            }
        };
        topics.push((topic, path));
    }
    topics.sort();
    let mut files = Vec::new();
    for (_, dir) in topics {
        let mut in_topic = Vec::new();
        for entry in std::fs::read_dir(&dir).map_err(|e| io(&dir, e))? {
            let path = entry.map_err(|e| io(&dir, e))?.path();
            if path.extension().is_some_and(|e| e == "xml") {
                in_topic.push(path);
            }
        }
        in_topic.sort();
        files.extend(in_topic);
    }
    Ok(files)
}

/// Reads `gold/doc_clusters.tsv` text (header `doc_id topic subtopic split`).
pub fn read_doc_clusters(text: &str, name: &str) -> Result<Vec<DocCluster>, FormatError> {
    let mut lines = text.lines().enumerate();
    match lines.next() {
        Some((_, h))
            if h.split('\t').collect::<Vec<_>>() == ["doc_id", "topic", "subtopic", "split"] => {}
        _ => {
            return Err(FormatError::malformed(
                name,
                1,
                "the header is not `doc_id\\ttopic\\tsubtopic\\tsplit`",
            ))
        }
    }
    let mut rows = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (i, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() != 4 {
            return Err(FormatError::malformed(
                name,
                i + 1,
                format!("{} fields, expected 4", f.len()),
            ));
        }
        let topic = f[1].parse().map_err(|_| {
            FormatError::malformed(name, i + 1, format!("topic {:?} is not a number", f[1]))
        })?;
        if !seen.insert(f[0].to_string()) {
            return Err(FormatError::malformed(
                name,
                i + 1,
                format!("document {} repeats", f[0]),
            ));
        }
        rows.push(DocCluster {
            doc_id: f[0].to_string(),
            topic,
            subtopic: f[2].to_string(),
            split: f[3].to_string(),
        });
    }
    Ok(rows)
}

/// Reads `gold/doc_clusters.tsv`.
pub fn read_doc_clusters_file(path: &Path) -> Result<Vec<DocCluster>, FormatError> {
    read_doc_clusters(&read_to_string(path)?, &path.display().to_string())
}

/// Reads a gold mention list (a JSON array of [`GoldMention`]).
pub fn read_gold_mentions(text: &str, name: &str) -> Result<Vec<GoldMention>, FormatError> {
    let mentions: Vec<GoldMention> = serde_json::from_str(text)
        .map_err(|e| FormatError::malformed(name, e.line(), e.to_string()))?;
    if let Some(m) = mentions.iter().find(|m| m.tokens_number.is_empty()) {
        return Err(FormatError::malformed(
            name,
            0,
            format!(
                "a mention of {} (chain {}) has no tokens",
                m.doc_id, m.coref_chain
            ),
        ));
    }
    Ok(mentions)
}

/// Reads `gold/ECB_<Split>_<Event|Entity>_gold_mentions.json`.
pub fn read_gold_mentions_file(path: &Path) -> Result<Vec<GoldMention>, FormatError> {
    read_gold_mentions(&read_to_string(path)?, &path.display().to_string())
}

/// Reads `ECBplus_coreference_sentences.csv` text (header `Topic,File,Sentence Number`).
pub fn read_coref_sentences(text: &str, name: &str) -> Result<Vec<CorefSentence>, FormatError> {
    let mut lines = text.lines().enumerate();
    match lines.next() {
        Some((_, h)) if h.trim() == "Topic,File,Sentence Number" => {}
        _ => {
            return Err(FormatError::malformed(
                name,
                1,
                "the header is not `Topic,File,Sentence Number`",
            ))
        }
    }
    let mut rows = Vec::new();
    for (i, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.trim().split(',').collect();
        let bad = |what: &str| FormatError::malformed(name, i + 1, what.to_string());
        if f.len() != 3 {
            return Err(bad(&format!("{} fields, expected 3", f.len())));
        }
        rows.push(CorefSentence {
            topic: f[0].parse().map_err(|_| bad("the topic is not a number"))?,
            file: f[1].to_string(),
            sentence: f[2]
                .parse()
                .map_err(|_| bad("the sentence is not a number"))?,
        });
    }
    Ok(rows)
}

/// Reads `ECBplus_coreference_sentences.csv`.
pub fn read_coref_sentences_file(path: &Path) -> Result<Vec<CorefSentence>, FormatError> {
    read_coref_sentences(&read_to_string(path)?, &path.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    // Written for this test: two sentences, one event mention, one relation.
    const FIXTURE: &str = r#"<Document doc_name="3_7ecb.xml" doc_id="DOC1">
<token t_id="1" sentence="0" number="0">Storm</token>
<token t_id="2" sentence="0" number="1">hits</token>
<token t_id="3" sentence="0" number="2">town</token>
<token t_id="4" sentence="1" number="0">It</token>
<token t_id="5" sentence="1" number="1">did</token>
<token t_id="6" sentence="1" number="2">n't</token>
<token t_id="7" sentence="1" number="3">stop</token>
<token t_id="8" sentence="1" number="4">(</token>
<token t_id="9" sentence="1" number="5">yet</token>
<token t_id="10" sentence="1" number="6">)</token>
<token t_id="11" sentence="1" number="7">.</token>
<Markables>
<ACTION_OCCURRENCE m_id="1"  >
  <token_anchor t_id="2"/>
</ACTION_OCCURRENCE>
<ACTION_OCCURRENCE m_id="2" RELATED_TO="" TAG_DESCRIPTOR="t3_hit" instance_id="ACT9" />
</Markables>
<Relations>
<CROSS_DOC_COREF r_id="5" note="ACT9" >
  <source m_id="1" />
  <target m_id="2" />
</CROSS_DOC_COREF>
</Relations>
</Document>"#;

    #[test]
    fn reads_tokens_markables_relations() {
        let doc = read_ecbplus(FIXTURE, "3_7ecb.xml").unwrap();
        assert_eq!(doc.name, "3_7ecb");
        assert_eq!(doc.topic, 3);
        assert_eq!(doc.tokens.len(), 11);
        assert_eq!(doc.markables[0].t_ids, vec![2]);
        assert_eq!(doc.markables[1].instance_id.as_deref(), Some("ACT9"));
        assert_eq!(doc.relations[0].note.as_deref(), Some("ACT9"));
        assert_eq!(doc.relations[0].sources, vec![1]);
        assert_eq!(doc.token_at(1, 3), Some(6));
    }

    #[test]
    fn text_rebuild_gives_token_spans() {
        let doc = read_ecbplus(FIXTURE, "3_7ecb.xml").unwrap();
        let t = doc.text();
        assert_eq!(t.text, "Storm hits town\nIt didn't stop (yet).");
        for (tok, &(s, e)) in doc.tokens.iter().zip(&t.spans) {
            assert_eq!(&t.text[s..e], tok.text);
        }
    }

    #[test]
    fn errors_name_file_and_reason() {
        let bad = FIXTURE.replace("<token_anchor t_id=\"2\"/>", "<token_anchor t_id=\"99\"/>");
        let err = read_ecbplus(&bad, "3_7ecb.xml").unwrap_err().to_string();
        assert!(
            err.contains("3_7ecb.xml") && err.contains("missing token 99"),
            "{err}"
        );
        let bad = FIXTURE.replace("t_id=\"4\" sentence=\"1\"", "t_id=\"x\" sentence=\"1\"");
        let err = read_ecbplus(&bad, "3_7ecb.xml").unwrap_err().to_string();
        assert!(
            err.contains("3_7ecb.xml:5") && err.contains("t_id"),
            "{err}"
        );
        assert!(read_ecbplus(FIXTURE, "seven.xml").is_err());
    }

    #[test]
    fn reads_gold_tables() {
        let rows = read_doc_clusters(
            "doc_id\ttopic\tsubtopic\tsplit\n3_7ecb\t3\t3ecb\ttrain\n",
            "doc_clusters.tsv",
        )
        .unwrap();
        assert_eq!(rows[0].subtopic, "3ecb");
        assert!(read_doc_clusters("doc_id\ttopic\n", "x").is_err());
        let m = read_gold_mentions(
            r#"[{"coref_chain":"ACT9","doc_id":"3_7ecb","is_continuous":true,"is_singleton":false,
            "mention_type":"ACT","score":-1.0,"sent_id":0,"tokens_number":[1],"tokens_str":"hits"}]"#,
            "m.json",
        )
        .unwrap();
        assert_eq!(m[0].tokens_number, vec![1]);
        let s = read_coref_sentences("Topic,File,Sentence Number\n3,7ecb,1\n", "s.csv").unwrap();
        assert_eq!(s[0].doc_name(), "3_7ecb");
    }

    proptest::proptest! {
        #[test]
        fn spans_cover_tokens(words in proptest::collection::vec("[a-z,.()']{1,5}", 1..20)) {
            let mut xml = String::from("<Document doc_name=\"1_1ecb.xml\" doc_id=\"D\">\n");
            for (i, w) in words.iter().enumerate() {
                xml.push_str(&format!(
                    "<token t_id=\"{}\" sentence=\"{}\" number=\"{}\">{}</token>\n",
                    i + 1, i / 4, i % 4, w.replace('\'', "&apos;")
                ));
            }
            xml.push_str("</Document>");
            let doc = read_ecbplus(&xml, "1_1ecb.xml").unwrap();
            let t = doc.text();
            for (w, &(s, e)) in words.iter().zip(&t.spans) {
                proptest::prop_assert_eq!(&t.text[s..e], w.as_str());
            }
        }
    }
}
