//! Dependency parsing scored with our own tags: the arcs `benchmark accuracy --task
//! parse` scores and `chronicle tag --format conllu --gold-tokens` writes, from one
//! function.

use chronicle_formats::Sentence;
use chronicle_parser::{score_arcs, Arc, ParseScores, ParserModel, TagSource};
use chronicle_tagger::PosModel;
use serde::Serialize;

/// `benchmark accuracy --task parse`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParseReport {
    #[serde(flatten)]
    pub scores: ParseScores,
    /// Where the parser's input tags came from: `gold` or `predicted`.
    pub tags: &'static str,
}

/// Parses every gold sentence with tags from `tagger` (or the file's own tags).
pub fn parse_with_our_tags(
    tagger: &PosModel,
    parser: &ParserModel,
    sentences: &[Sentence],
    gold_tags: bool,
) -> Vec<Vec<Arc>> {
    let tag_fn = |words: &[&str]| -> Vec<(String, String)> {
        tagger
            .tag(words)
            .into_iter()
            .map(|t| (t.upos.to_string(), t.xpos.to_string()))
            .collect()
    };
    let source = if gold_tags {
        TagSource::Gold
    } else {
        TagSource::Predicted(&tag_fn)
    };
    chronicle_parser::predict(parser, sentences, &source)
}

/// UAS/LAS of `parser` on gold sentences, with `tagger`'s tags or the gold ones.
pub fn score_parse(
    tagger: &PosModel,
    parser: &ParserModel,
    sentences: &[Sentence],
    gold_tags: bool,
) -> ParseReport {
    let arcs = parse_with_our_tags(tagger, parser, sentences, gold_tags);
    ParseReport {
        scores: score_arcs(sentences, &arcs),
        tags: if gold_tags { "gold" } else { "predicted" },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gold_tags_are_named_in_the_report() {
        let p = crate::pipeline().expect("embedded models");
        let gold = chronicle_formats::read_conllu(
            "1\tThey\tthey\tPRON\tPRP\t_\t2\tnsubj\t_\t_\n2\tleft\tleave\tVERB\tVBD\t_\t0\troot\t_\t_\n\n",
            "g",
        )
        .unwrap();
        let r = score_parse(&p.pos, &p.parser, &gold, true);
        assert_eq!((r.tags, r.scores.words), ("gold", 2));
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json["tags"], "gold");
        assert!(json["uas"].is_number() && json["per_deprel"].is_object());
        let arcs = parse_with_our_tags(&p.pos, &p.parser, &gold, false);
        assert_eq!(arcs[0].len(), 2);
    }
}
