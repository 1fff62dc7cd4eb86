//! Saved "not found" pages are refused; short real briefs that share their vocabulary
//! ("404 people", "does not exist") are kept whole. Briefs written for these tests.

use chronicle_ingest::{read_bytes, IngestOptions, LineStats};
use std::path::Path;

fn read(text: &str, name: &str) -> Result<chronicle_core::Document, String> {
    let recs = read_bytes(
        text.as_bytes(),
        Path::new(name),
        &IngestOptions::default(),
        &LineStats::default(),
    )
    .map_err(|e| e.to_string())?;
    assert_eq!(recs.len(), 1);
    recs.into_iter()
        .next()
        .ok_or("no record")?
        .map_err(|e| e.to_string())
}

const BRIEFS: &[&str] = &[
    "Storm kills 404 in coastal province\n\nA cyclone struck the coast of Varnland on Monday, killing 404 people and destroying thousands of homes, officials said.\n",
    "Ferry deaths rise to 404\n\nThe number of people killed when the ferry sank off Osterby rose to 404 on Wednesday.\n",
    "Ministry denies second report\n\nThe ministry said on Friday that a second audit report does not exist.\n\nOpposition members said they had seen it.\n",
    "Route 404 reopens\n\nRoute 404 reopened on Friday after the landslide was cleared, the roads agency said.\n",
    "Site goes dark\n\nThe election board's website showed \"page not found\" for most of Tuesday, election monitors said.\n",
];

#[test]
fn short_briefs_with_error_page_words_are_kept_whole() {
    for brief in BRIEFS {
        let doc = read(brief, "brief.txt").unwrap_or_else(|e| panic!("{brief:?} refused: {e}"));
        let body = brief.split_once("\n\n").map_or("", |(_, b)| b);
        let first_sentence = body.lines().next().unwrap_or("");
        assert!(
            doc.text.contains(first_sentence),
            "{brief:?} lost text: {:?} (removed: {:?})",
            doc.text,
            doc.removed
        );
        assert!(
            doc.removed.iter().all(|r| r.reason != "not-found"),
            "{:?}",
            doc.removed
        );
    }
}

#[test]
fn brief_as_html_is_kept() {
    let html = "<html><head><title>Storm kills 404 in coastal province</title></head><body>\
        <h1>Storm kills 404 in coastal province</h1>\
        <p>A cyclone struck the coast of Varnland on Monday, killing 404 people and destroying thousands of homes, officials said.</p>\
        </body></html>";
    let doc = read(html, "brief.html").expect("kept");
    assert!(doc.text.contains("killing 404 people"), "{}", doc.text);
}

#[test]
fn error_pages_are_refused() {
    for (page, name) in [
        (
            "Harbour plan: live updates | The Eastbrook Post\nPage not found\nThe content you requested does not exist or is not available anymore.\nReturn to the homepage\n",
            "gone.txt",
        ),
        (
            "Error 404\n\nSorry, the article could not be found.\n\nHome\nNews\nSport\n",
            "gone2.txt",
        ),
        (
            "<html><head><title>404 Not Found</title></head><body><nav><a href='/'>Home</a></nav>\
             <h1>Oops! That page can't be found.</h1><p>It looks like nothing was found at this location.</p>\
             <p>Try a search or go back to the front page.</p></body></html>",
            "gone.html",
        ),
    ] {
        let e = read(page, name).expect_err(name);
        assert!(e.contains("\"not found\" error page") || e.contains("no article text"), "{name}: {e}");
    }
}
