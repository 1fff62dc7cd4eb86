//! CAMEO code tables: labels (`eventcodes.tsv`), Goldstein scores (`goldstein.tsv`),
//! and the CAMEO → PLOVER conversion (`CAMEO2PLOVER-2021.txt`).

use crate::Issue;

fn issue(file: &str, line: usize, reason: impl Into<String>) -> Issue {
    Issue {
        file: file.to_string(),
        line,
        reason: reason.into(),
    }
}

fn is_code(s: &str) -> bool {
    (2..=4).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
}

/// Two-column TSV with a header row: `CODE<TAB>VALUE`.
fn tsv_pairs<'a>(file: &str, text: &'a str, issues: &mut Vec<Issue>) -> Vec<(&'a str, &'a str)> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate().skip(1) {
        if line.trim().is_empty() {
            continue;
        }
        match line.split_once('\t') {
            Some((c, v)) if is_code(c.trim()) => out.push((c.trim(), v.trim())),
            _ => issues.push(issue(file, n + 1, "expected CODE<TAB>VALUE")),
        }
    }
    out
}

/// `eventcodes.tsv`: code → label.
pub fn parse_labels(file: &str, text: &str) -> (Vec<(String, String)>, Vec<Issue>) {
    let mut issues = Vec::new();
    let out = tsv_pairs(file, text, &mut issues)
        .into_iter()
        .map(|(c, v)| (c.to_string(), v.to_string()))
        .collect();
    (out, issues)
}

/// `goldstein.tsv`: code → Goldstein score (−10 … +10).
pub fn parse_goldstein(file: &str, text: &str) -> (Vec<(String, f32)>, Vec<Issue>) {
    let mut issues = Vec::new();
    let mut out = Vec::new();
    for (c, v) in tsv_pairs(file, text, &mut issues) {
        match v.parse::<f32>() {
            Ok(g) if (-10.0..=10.0).contains(&g) => out.push((c.to_string(), g)),
            _ => issues.push(issue(file, 0, format!("code {c}: bad score {v:?}"))),
        }
    }
    (out, issues)
}

/// (CAMEO code, PLOVER type, PLOVER mode).
pub type PloverRow = (String, String, Option<String>);

/// `CAMEO2PLOVER`: lines `CODE: TYPE, MODE, CONTEXT # label` → (code, type, mode).
pub fn parse_plover(file: &str, text: &str) -> (Vec<PloverRow>, Vec<Issue>) {
    let mut out = Vec::new();
    let mut issues = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let line = raw.split('#').next().unwrap_or("").trim();
        if line.is_empty() || line.starts_with('~') {
            continue;
        }
        let Some((code, rest)) = line.split_once(':') else {
            issues.push(issue(file, n + 1, "expected CODE: TYPE, MODE, CONTEXT"));
            continue;
        };
        let code = code.trim();
        if !is_code(code) {
            issues.push(issue(file, n + 1, format!("bad CAMEO code {code:?}")));
            continue;
        }
        let mut fields = rest.split(',').map(str::trim);
        let ty = fields.next().unwrap_or("");
        if ty.is_empty() || !ty.chars().all(|c| c.is_ascii_uppercase() || c == '_') {
            issues.push(issue(file, n + 1, format!("bad PLOVER type {ty:?}")));
            continue;
        }
        let mode = fields.next().filter(|m| !m.is_empty()).map(str::to_string);
        out.push((code.to_string(), ty.to_string(), mode));
    }
    (out, issues)
}

/// CAMEO's QuadClass from the root code: 1 verbal cooperation (01–05), 2 material
/// cooperation (06–08), 3 verbal conflict (09–13), 4 material conflict (14–20).
pub fn quad_class(code: &str) -> Option<u8> {
    let root: u8 = code.get(..2)?.parse().ok()?;
    Some(match root {
        1..=5 => 1,
        6..=8 => 2,
        9..=13 => 3,
        14..=20 => 4,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_tables() {
        let (g, i) = parse_goldstein("g", "H\tH\n190\t-10.0\n19x\t1\n012\tabc\n");
        assert_eq!(g, vec![("190".to_string(), -10.0)]);
        assert_eq!(i.len(), 2);
        let (p, i) = parse_plover(
            "p",
            "# c\n04: CONSULT\n042: CONSULT, visit,   # Make a visit\n1x: BAD\n~~~\n",
        );
        assert_eq!(p[1], ("042".into(), "CONSULT".into(), Some("visit".into())));
        assert_eq!(p[0].2, None);
        assert_eq!(i.len(), 1);
        assert_eq!(quad_class("1124"), Some(3));
        assert_eq!(quad_class("x"), None);
    }
}
