//! FA-KES (a fake-news dataset on the Syrian war) CSV: one article per row with
//! its `article_content`, publication `date` (`m/d/yy`) and the death toll it
//! reports, split into `nb_civilians` and `nb_noncivilians`. Other columns are
//! allowed and ignored.

use crate::FormatError;
use std::fmt;
use std::path::Path;

/// One article row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FakesArticle {
    /// 1-based line where the row starts (the header is line 1).
    pub line: usize,
    pub content: String,
    pub date: FakesDate,
    pub civilians: u64,
    pub noncivilians: u64,
}

impl FakesArticle {
    /// Everyone the article reports killed.
    pub fn killed(&self) -> u64 {
        self.civilians + self.noncivilians
    }
}

/// A calendar day; displays as `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct FakesDate {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl fmt::Display for FakesDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// FA-KES writes `m/d/yy`; a two-digit year is in this century (the articles date
/// from 2011 to 2018).
fn parse_date(s: &str) -> Option<FakesDate> {
    let mut it = s.trim().split('/');
    let month: u32 = it.next()?.parse().ok()?;
    let day: u32 = it.next()?.parse().ok()?;
    let year: i32 = it.next()?.parse().ok()?;
    if it.next().is_some() || !(1..=12).contains(&month) {
        return None;
    }
    let year = if year < 100 { 2000 + year } else { year };
    (1..=days_in_month(year, month))
        .contains(&day)
        .then_some(FakesDate { year, month, day })
}

/// Reads FA-KES CSV bytes; `name` labels errors.
pub fn read_fakes(bytes: &[u8], name: &str) -> Result<Vec<FakesArticle>, FormatError> {
    let mut reader = csv::Reader::from_reader(bytes);
    let csv_error = |e: csv::Error| {
        let line = e.position().map_or(1, |p| p.line() as usize);
        FormatError::malformed(name, line, e.to_string())
    };
    let headers = reader.headers().map_err(csv_error)?.clone();
    let column = |wanted: &str| {
        headers
            .iter()
            .position(|h| h == wanted)
            .ok_or_else(|| FormatError::malformed(name, 1, format!("no `{wanted}` column")))
    };
    let content = column("article_content")?;
    let date = column("date")?;
    let civilians = column("nb_civilians")?;
    let noncivilians = column("nb_noncivilians")?;
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(csv_error)?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        let field = |i: usize| record.get(i).unwrap_or_default();
        let count = |i: usize, what: &str| {
            field(i).trim().parse::<u64>().map_err(|_| {
                FormatError::malformed(name, line, format!("{what} {:?} is not a count", field(i)))
            })
        };
        out.push(FakesArticle {
            line,
            content: field(content).to_string(),
            date: parse_date(field(date)).ok_or_else(|| {
                FormatError::malformed(
                    name,
                    line,
                    format!("date {:?} is not a day written m/d/yy", field(date)),
                )
            })?,
            civilians: count(civilians, "nb_civilians")?,
            noncivilians: count(noncivilians, "nb_noncivilians")?,
        });
    }
    Ok(out)
}

pub fn read_fakes_file(path: &Path) -> Result<Vec<FakesArticle>, FormatError> {
    let bytes = std::fs::read(path).map_err(|err| FormatError::Io {
        path: path.to_path_buf(),
        err,
    })?;
    read_fakes(&bytes, &path.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const CSV: &str = "unit_id,article_content,source,date,nb_civilians,nb_noncivilians,label\n\
        1,\"Shelling killed 12 people, officials said.\nA second line.\",x,4/7/17,10,2,1\n\
        2,Calm day.,y,12/31/2016, 0 ,0,0\n";

    #[test]
    fn reads_articles_with_their_lines() {
        let a = read_fakes(CSV.as_bytes(), "f.csv").unwrap();
        assert_eq!(a.len(), 2);
        assert_eq!(a[0].line, 2);
        assert!(a[0].content.ends_with("A second line."));
        assert_eq!(a[0].date.to_string(), "2017-04-07");
        assert_eq!(a[0].killed(), 12);
        assert_eq!(a[1].line, 4);
        assert_eq!(a[1].date.to_string(), "2016-12-31");
        assert_eq!(a[1].killed(), 0);
    }

    #[test]
    fn dates_are_checked_against_the_calendar() {
        assert_eq!(
            parse_date("2/29/16").map(|d| d.to_string()).as_deref(),
            Some("2016-02-29")
        );
        assert_eq!(parse_date("2/29/17"), None);
        assert_eq!(parse_date("13/1/17"), None);
        assert_eq!(parse_date("4/31/17"), None);
        assert_eq!(parse_date("4/7"), None);
        assert_eq!(parse_date("4/7/17/1"), None);
        assert_eq!(parse_date("2017-04-07"), None);
    }

    fn error(csv: &str) -> String {
        read_fakes(csv.as_bytes(), "f.csv").unwrap_err().to_string()
    }

    #[test]
    fn errors_name_the_file_and_line() {
        let head = "article_content,date,nb_civilians,nb_noncivilians\n";
        let e = error(&format!("{head}a,1/1/17,1,1\nb,2/30/17,1,1\n"));
        assert!(e.starts_with("f.csv:3: ") && e.contains("2/30/17"), "{e}");
        let e = error(&format!("{head}a,1/1/17,several,1\n"));
        assert!(
            e.starts_with("f.csv:2: ") && e.contains("nb_civilians"),
            "{e}"
        );
        let e = error(&format!("{head}a,1/1/17,1\n"));
        assert!(e.starts_with("f.csv:2: "), "{e}");
        let e = error("article_content,date,nb_civilians\n");
        assert!(
            e.starts_with("f.csv:1: ") && e.contains("nb_noncivilians"),
            "{e}"
        );
    }

    proptest::proptest! {
        /// Every day of the calendar reads back; nothing panics.
        #[test]
        fn dates_round_trip(y in 0i32..100, m in 1u32..13, d in 1u32..32) {
            let parsed = parse_date(&format!("{m}/{d}/{y:02}"));
            proptest::prop_assert_eq!(parsed.is_some(), d <= days_in_month(2000 + y, m));
            if let Some(p) = parsed {
                proptest::prop_assert_eq!(p.to_string(), format!("{:04}-{m:02}-{d:02}", 2000 + y));
            }
        }

        #[test]
        fn never_panics(csv in "[a-z0-9/,\"\n ]{0,80}") {
            let text = format!("article_content,date,nb_civilians,nb_noncivilians\n{csv}");
            if let Err(e) = read_fakes(text.as_bytes(), "f.csv") {
                proptest::prop_assert!(e.to_string().starts_with("f.csv:"));
            }
        }
    }
}
