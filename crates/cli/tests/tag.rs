//! `chronicle tag` end to end on small files written here: outputs, and bad
//! inputs failing alone with file and line while the rest of the batch is written.

use std::path::{Path, PathBuf};
use std::process::Command;

mod common;

fn chronicle(args: &[&str]) -> (i32, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_chronicle"));
    cmd.args(args);
    common::run(cmd)
}

fn write(dir: &Path, name: &str, content: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, content).expect("write fixture");
    p
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

const GOOD: &str = "# newdoc id = fixture\n# sent_id = 1\n# text = The council didn't meet in Varnholm.\n1\tThe\tthe\tDET\tDT\t_\t2\tdet\t2:det\t_\n2\tcouncil\tcouncil\tNOUN\tNN\t_\t5\tnsubj\t5:nsubj\t_\n3-4\tdidn't\t_\t_\t_\t_\t_\t_\t_\t_\n3\tdid\tdo\tAUX\tVBD\t_\t5\taux\t5:aux\t_\n4\tn't\tnot\tPART\tRB\t_\t5\tadvmod\t5:advmod\t_\n5\tmeet\tmeet\tVERB\tVB\t_\t0\troot\t0:root\t_\n6\tin\tin\tADP\tIN\t_\t7\tcase\t7:case\t_\n7\tVarnholm\tVarnholm\tPROPN\tNNP\t_\t5\tobl\t5:obl:in\tSpaceAfter=No\n8\t.\t.\tPUNCT\t.\t_\t5\tpunct\t5:punct\t_\n\n";

#[test]
fn conllu_over_gold_tokens_keeps_the_file_and_fills_predictions() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = write(dir.path(), "good.conllu", GOOD);
    let (code, out, err) = chronicle(&["tag", "--format", "conllu", "--gold-tokens", s(&input)]);
    assert_eq!(code, 0, "{err}");
    for (g, o) in GOOD.lines().zip(out.lines()) {
        let (gc, oc): (Vec<&str>, Vec<&str>) = (g.split('\t').collect(), o.split('\t').collect());
        if gc.len() == 10 && gc[0].bytes().all(|b| b.is_ascii_digit()) {
            assert_eq!((gc[0], gc[1], gc[8], gc[9]), (oc[0], oc[1], oc[8], oc[9]));
        } else {
            assert_eq!(g, o);
        }
    }
    assert_eq!(GOOD.lines().count(), out.lines().count());
    assert!(out.contains("\tVarnholm\tVarnholm\tPROPN\tNNP\t"), "{out}");
}

#[test]
fn conllu_from_raw_text_and_iob2() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = write(
        dir.path(),
        "story.txt",
        "The council didn't meet in Varnholm.\n\nIt met on Friday.",
    );
    let iob2 = write(
        dir.path(),
        "names.iob2",
        "# text = Ilse Varga visited Varnholm\n1\tIlse\tB-PER\t-\t-\n2\tVarga\tI-PER\t-\t-\n3\tvisited\tO\t-\t-\n4\tVarnholm\tB-LOC\t-\t-\n\n",
    );
    let out_dir = dir.path().join("out");
    let (code, _, err) = chronicle(&["tag", "--format", "conllu", "--out", s(&out_dir), s(&text)]);
    assert_eq!(code, 0, "{err}");
    let conllu = std::fs::read_to_string(out_dir.join("story.conllu")).expect("written");
    assert!(
        conllu.starts_with("# newdoc id = story\n# sent_id = story-1\n"),
        "{conllu}"
    );
    assert!(conllu.contains("# newpar\n"), "{conllu}");
    assert!(conllu.contains("\n3-4\tdidn't\t"), "{conllu}");

    let (code, out, err) = chronicle(&["tag", "--format", "iob2", "--out", "-", s(&iob2)]);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "# text = Ilse Varga visited Varnholm");
    assert!(lines[1].starts_with("1\tIlse\t") && lines[1].ends_with("\t-\t-"));
    assert_eq!(lines[3], "3\tvisited\tO\t-\t-");
}

#[test]
fn bad_inputs_fail_alone_with_file_and_line_and_leave_no_output() {
    let dir = tempfile::tempdir().expect("tempdir");
    let good = write(dir.path(), "good.conllu", GOOD);
    let swap = |from: &str, to: &str| GOOD.replacen(from, to, 1);
    let bad = [
        // (file, content, expected line, expected reason)
        (
            "columns.conllu",
            swap("\tdet\t2:det\t_\n", "\tdet\n"),
            4,
            "10 tab-separated columns",
        ),
        (
            "id.conllu",
            swap("\n2\tcouncil", "\ntwo\tcouncil"),
            5,
            "not a positive integer",
        ),
        (
            "range.conllu",
            swap("\t2\tdet\t", "\t12\tdet\t"),
            4,
            "out of range",
        ),
        (
            "cycle.conllu",
            swap("\t5\tnsubj\t", "\t1\tnsubj\t"),
            4,
            "cycle",
        ),
        (
            "truncated.conllu",
            GOOD.trim_end().to_string() + "\n",
            12,
            "blank line",
        ),
    ];
    let mut args = vec!["tag", "--format", "conllu", "--gold-tokens", "--out"];
    let out_dir = dir.path().join("out");
    args.push(s(&out_dir));
    let paths: Vec<PathBuf> = bad
        .iter()
        .map(|(name, content, _, _)| write(dir.path(), name, content))
        .collect();
    args.push(s(&good));
    args.extend(paths.iter().map(|p| s(p)));
    let (code, _, err) = chronicle(&args);
    assert_eq!(code, 1, "{err}");
    for ((name, _, line, reason), path) in bad.iter().zip(&paths) {
        let expected = format!("{}:{line}: ", path.display());
        let msg = err
            .lines()
            .find(|l| l.contains(&expected))
            .unwrap_or_else(|| panic!("no error naming {expected} in\n{err}"));
        assert!(msg.contains(reason), "{name}: {msg}");
    }
    let written: Vec<String> = std::fs::read_dir(&out_dir)
        .expect("out dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(written, vec!["good.conllu".to_string()]);
}

#[test]
fn iob2_inside_tag_after_o_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = write(
        dir.path(),
        "bad.iob2",
        "1\tin\tO\t-\t-\n2\tVarnholm\tI-LOC\t-\t-\n\n",
    );
    let (code, out, err) = chronicle(&["tag", "--format", "iob2", s(&bad)]);
    assert_eq!(code, 1);
    assert!(out.is_empty(), "{out}");
    assert!(
        err.contains(&format!(
            "{}:2: I-LOC does not continue a LOC entity",
            bad.display()
        )),
        "{err}"
    );
}

const TIMEML: &str = r#"<?xml version="1.0" ?>
<TimeML>
<DOCID>fixture</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="2016-10-15" functionInDocument="CREATION_TIME">October 15, 2016</TIMEX3></DCT>
<TEXT>
The council of Varnholm <EVENT eid="e1">met</EVENT> <TIMEX3 tid="t7" type="DATE" value="2016-10-13">on Thursday</TIMEX3> and will meet again on 3 November 2016.
</TEXT>
<TLINK lid="l1" relType="IS_INCLUDED" eventInstanceID="ei1" relatedToTime="t7"/>
</TimeML>
"#;

#[test]
fn timeml_replaces_gold_times_and_fails_alone_on_bad_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let good = write(dir.path(), "good.tml", TIMEML);
    let bad_xml = write(
        dir.path(),
        "badxml.tml",
        &TIMEML.replace("</EVENT>", "</EVNT>"),
    );
    let no_dct = write(
        dir.path(),
        "nodct.tml",
        &TIMEML.replace(
            r#"<DCT><TIMEX3 tid="t0" type="DATE" value="2016-10-15" functionInDocument="CREATION_TIME">October 15, 2016</TIMEX3></DCT>"#,
            "",
        ),
    );
    let out_dir = dir.path().join("out");
    let (code, _, err) = chronicle(&[
        "tag",
        "--format",
        "timeml",
        "--out",
        s(&out_dir),
        s(&bad_xml),
        s(&good),
        s(&no_dct),
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains(&format!("{}:6: not well-formed XML", bad_xml.display())),
        "{err}"
    );
    assert!(
        err.contains(&format!("{}: no document creation time", no_dct.display())),
        "{err}"
    );
    let written: Vec<String> = std::fs::read_dir(&out_dir)
        .expect("out dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(written, vec!["good.tml".to_string()]);
    let tml = std::fs::read_to_string(out_dir.join("good.tml")).expect("written");
    assert!(
        tml.contains(r#"<DCT><TIMEX3 tid="t0" type="DATE" value="2016-10-15""#),
        "{tml}"
    );
    assert!(!tml.contains("t7") && !tml.contains("TLINK"), "{tml}");
    assert!(tml.contains(r#"<EVENT eid="e1">met</EVENT>"#), "{tml}");
    assert!(
        tml.contains(r#"value="2016-10-13" anchorTimeID="t0">Thursday</TIMEX3>"#)
            || tml.contains(r#"value="2016-10-13" anchorTimeID="t0">on Thursday</TIMEX3>"#),
        "{tml}"
    );
    assert!(
        tml.contains(r#"value="2016-11-03">3 November 2016</TIMEX3>"#),
        "{tml}"
    );
}

#[test]
fn brat_writes_the_ann_and_its_text() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = "“The bridge will reopen in May,” the mayor of Varnholm said.\n";
    let input = write(dir.path(), "story.txt", text);
    let out_dir = dir.path().join("out");
    let (code, _, err) = chronicle(&["tag", "--format", "brat", "--out", s(&out_dir), s(&input)]);
    assert_eq!(code, 0, "{err}");
    let ann = std::fs::read_to_string(out_dir.join("story.ann")).expect("ann written");
    assert_eq!(
        std::fs::read_to_string(out_dir.join("story.txt")).expect("text beside it"),
        text
    );
    assert!(
        ann.contains("\tContent 0 32\t“The bridge will reopen in May,”\n"),
        "{ann}"
    );
    assert!(ann.contains("\tCue 55 59\tsaid\n"), "{ann}");
    assert!(
        ann.lines().any(|l| l.starts_with("E1\tAttribution:")),
        "{ann}"
    );
    // In the input's own folder the text is not copied over itself.
    let (code, _, err) = chronicle(&["tag", "--format", "brat", "--out", s(dir.path()), s(&input)]);
    assert_eq!(code, 0, "{err}");
    assert!(dir.path().join("story.ann").exists());
}
