//! Readers for PETRARCH2's dictionary text formats (actors, agents, verbs).
//! Lenient like PETRARCH itself: a line that cannot be read is reported and
//! skipped, the rest of the file still loads.

use crate::{
    ActorEntry, AgentEntry, DatedCode, EventCodes, Issue, PatternItem, Phrase, VerbBlock, VerbDict,
    VerbForm, VerbPattern,
};

/// Removes `# comment` and HTML-style `<!-- … -->` comment lines.
fn strip_comment(line: &str) -> &str {
    let t = line.trim_start();
    if t.starts_with("<!") || t.ends_with("-->") {
        return "";
    }
    match line.find('#') {
        Some(i) => &line[..i],
        None => line,
    }
}

fn issue(file: &str, line: usize, reason: impl Into<String>) -> Issue {
    Issue {
        file: file.to_string(),
        line,
        reason: reason.into(),
    }
}

/// Splits `PHRASE [CODE ...] {…}` into the text before the first bracket and the
/// bracketed codes.
fn split_codes(s: &str) -> Result<(&str, Vec<&str>), String> {
    let Some(first) = s.find('[') else {
        return Ok((s, Vec::new()));
    };
    let mut codes = Vec::new();
    let mut rest = &s[first..];
    while let Some(open) = rest.find('[') {
        let Some(close) = rest[open..].find(']') else {
            return Err("unclosed '['".into());
        };
        codes.push(&rest[open + 1..open + close]);
        rest = &rest[open + close + 1..];
    }
    Ok((&s[..first], codes))
}

/// `RUSGOV >20040309`, `HOB < 950601`, `USAELI 640101-010120`, `IGOUNO`.
fn parse_dated(raw: &str) -> Result<DatedCode, String> {
    let mut parts = raw.split_whitespace();
    let code = parts.next().ok_or("empty code")?;
    if !code
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '~' | '+' | '-' | '/' | '!'))
    {
        return Err(format!("bad code {code:?}"));
    }
    let range: String = parts.collect();
    let bad = || format!("bad date range {range:?}");
    let (from, to) = if range.is_empty() {
        (None, None)
    } else if let Some(d) = range.strip_prefix('>') {
        (Some(crate::parse_dict_date(d).ok_or_else(bad)?), None)
    } else if let Some(d) = range.strip_prefix('<') {
        (None, Some(crate::parse_dict_date(d).ok_or_else(bad)?))
    } else if let Some((a, b)) = range.split_once('-') {
        (
            Some(crate::parse_dict_date(a).ok_or_else(bad)?),
            Some(crate::parse_dict_date(b).ok_or_else(bad)?),
        )
    } else {
        return Err(bad());
    };
    Ok(DatedCode {
        code: code.to_uppercase(),
        from,
        to,
    })
}

/// Actor dictionaries (`Phoenix.Countries.actors.txt`, …): an entry line
/// `NAME [CODE]`, synonym lines `+NAME`, and indented dated codes `[CODE >YYMMDD]`.
pub fn parse_actors(file: &str, text: &str) -> (Vec<ActorEntry>, Vec<Issue>) {
    let mut out: Vec<ActorEntry> = Vec::new();
    let mut issues = Vec::new();
    let mut open = false;
    for (n, raw) in text.lines().enumerate() {
        let n = n + 1;
        let line = strip_comment(raw);
        if line.trim().is_empty() {
            continue;
        }
        let (phrase_part, codes) = match split_codes(line) {
            Ok(x) => x,
            Err(e) => {
                issues.push(issue(file, n, e));
                continue;
            }
        };
        let trimmed = phrase_part.trim();
        let indented = line.starts_with([' ', '\t']);
        let mut dated = Vec::new();
        for c in &codes {
            match parse_dated(c) {
                Ok(d) => dated.push(d),
                Err(e) => issues.push(issue(file, n, e)),
            }
        }
        if trimmed.is_empty() {
            // A code line for the current entry.
            match out.last_mut() {
                Some(e) if open => e.codes.extend(dated),
                _ => issues.push(issue(file, n, "code line without an actor")),
            }
            continue;
        }
        let (is_synonym, name) = match trimmed.strip_prefix('+') {
            Some(rest) => (true, rest),
            None => (false, trimmed),
        };
        // Braces hold plural forms in some files; the phrase is what precedes them.
        let name = name.split('{').next().unwrap_or("").trim();
        let Some(phrase) = Phrase::parse(name) else {
            issues.push(issue(file, n, "empty actor phrase"));
            continue;
        };
        if is_synonym || (indented && open) {
            match out.last_mut() {
                Some(e) if open => {
                    e.phrases.push(phrase);
                    e.codes.extend(dated);
                }
                _ => issues.push(issue(file, n, "synonym without an actor")),
            }
            continue;
        }
        out.push(ActorEntry {
            phrases: vec![phrase],
            codes: dated,
        });
        open = true;
    }
    // An entry that never got a code cannot code anything.
    let before = out.len();
    out.retain(|e| !e.codes.is_empty());
    if out.len() < before {
        issues.push(issue(
            file,
            0,
            format!("{} actors without a code skipped", before - out.len()),
        ));
    }
    (out, issues)
}

/// Agents dictionary: `!PERSON! = MAN, WOMAN` substitutions, then lines
/// `PHRASE {PLURALS} [~CODE]`.
pub fn parse_agents(file: &str, text: &str) -> (Vec<AgentEntry>, Vec<Issue>) {
    let mut subs: Vec<(String, Vec<String>)> = Vec::new();
    let mut out = Vec::new();
    let mut issues = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let n = n + 1;
        let line = strip_comment(raw).trim();
        if line.is_empty() {
            continue;
        }
        if line.starts_with('!') {
            if let Some((name, vals)) = line.split_once('=') {
                let vals = vals
                    .split(',')
                    .map(|v| v.trim().to_uppercase())
                    .filter(|v| !v.is_empty())
                    .collect();
                subs.push((name.trim().to_string(), vals));
                continue;
            }
        }
        let (phrase_part, codes) = match split_codes(line) {
            Ok(x) => x,
            Err(e) => {
                issues.push(issue(file, n, e));
                continue;
            }
        };
        let Some(code) = codes.first().map(|c| c.trim().to_uppercase()) else {
            issues.push(issue(file, n, "agent without a code"));
            continue;
        };
        if code.is_empty() || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '~') {
            issues.push(issue(file, n, format!("bad agent code {code:?}")));
            continue;
        }
        let (base, plurals) = match phrase_part.split_once('{') {
            Some((b, p)) => (b, p.trim_end().trim_end_matches('}')),
            None => (phrase_part, ""),
        };
        let mut raws: Vec<String> = vec![base.trim().to_string()];
        raws.extend(plurals.split_whitespace().map(str::to_string));
        for r in raws {
            for expanded in expand_subs(&r, &subs) {
                match Phrase::parse(&expanded) {
                    Some(mut phrase) => {
                        // Agents are matched on lemmas, so plurals come for free and
                        // the last word must match whole.
                        phrase.prefix = false;
                        out.push(AgentEntry {
                            phrase,
                            code: code.clone(),
                        });
                    }
                    None => issues.push(issue(file, n, "empty agent phrase")),
                }
            }
        }
    }
    out.sort();
    out.dedup();
    (out, issues)
}

/// Deepest nesting of `!NAME!` substitutions followed: a substitution that names
/// itself (`!A! = !A! MAN`) must not recurse for ever.
const MAX_SUB_DEPTH: usize = 8;
/// Most phrases one agent line may expand to.
const MAX_EXPANSIONS: usize = 512;

fn expand_subs(s: &str, subs: &[(String, Vec<String>)]) -> Vec<String> {
    let mut out = Vec::new();
    expand_into(s, subs, 0, &mut out);
    out
}

fn expand_into(s: &str, subs: &[(String, Vec<String>)], depth: usize, out: &mut Vec<String>) {
    if out.len() >= MAX_EXPANSIONS {
        return;
    }
    if depth < MAX_SUB_DEPTH {
        if let Some((name, vals)) = subs
            .iter()
            .find(|(name, _)| !name.is_empty() && s.contains(name.as_str()))
        {
            for v in vals {
                expand_into(&s.replacen(name.as_str(), v, 1), subs, depth + 1, out);
            }
            return;
        }
    }
    out.push(s.to_string());
}

fn parse_items(s: &str) -> Vec<PatternItem> {
    s.split(|c: char| c.is_whitespace() || matches!(c, '_' | '(' | ')' | '{' | '}'))
        .filter(|w| !w.is_empty())
        .filter_map(|w| match w {
            "$" => Some(PatternItem::Source),
            "+" => Some(PatternItem::Target),
            "^" | "%" | "|" => None,
            w if w.starts_with('&') => Some(PatternItem::Synset(w.to_uppercase())),
            w => {
                let w = w.trim_start_matches(['+', '$', '%', '^']);
                (!w.is_empty()).then(|| PatternItem::Word(w.to_uppercase()))
            }
        })
        .collect()
}

/// Verb dictionary (`CAMEO.2.0.txt`): synonym sets `&NAME` + `+ITEM` lines, verb
/// blocks `--- NAME [CODE] ---` with verb lines `VERB [CODE] {IRREGULAR FORMS}` and
/// pattern lines `- PRE * POST [CODE]`. The transformation section (`~ …`) is not read.
pub fn parse_verbs(file: &str, text: &str) -> (VerbDict, Vec<Issue>) {
    let mut dict = VerbDict::default();
    let mut issues = Vec::new();
    let mut synset: Option<String> = None;
    for (n, raw) in text.lines().enumerate() {
        let n = n + 1;
        let line = strip_comment(raw).trim();
        // Blank lines may sit inside a synonym set (CAMEO.2.0's &CURRENCY); only a
        // new set or a verb block ends one.
        if line.is_empty() || line.starts_with('~') {
            continue;
        }
        if let Some(name) = line.strip_prefix('&') {
            let name = name.split_whitespace().next().unwrap_or("").to_uppercase();
            let name = format!("&{name}");
            dict.synsets.entry(name.clone()).or_default();
            synset = Some(name);
            continue;
        }
        if line.starts_with("---") {
            synset = None;
            let inner = line.trim_matches('-').trim();
            let (name, codes) = match split_codes(inner) {
                Ok(x) => x,
                Err(e) => {
                    issues.push(issue(file, n, e));
                    continue;
                }
            };
            let code = codes
                .first()
                .and_then(|c| EventCodes::parse(c))
                .unwrap_or_default();
            dict.blocks.push(VerbBlock {
                name: name
                    .split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .to_uppercase(),
                code,
                patterns: Vec::new(),
            });
            continue;
        }
        if let Some(set) = &synset {
            if let Some(item) = line.strip_prefix('+') {
                match Phrase::parse(item) {
                    Some(p) => dict.synsets.entry(set.clone()).or_default().push(p),
                    None => issues.push(issue(file, n, "empty synonym")),
                }
                continue;
            }
        }
        let Some(block) = dict.blocks.len().checked_sub(1) else {
            issues.push(issue(file, n, "line outside any verb block"));
            continue;
        };
        let (body, codes) = match split_codes(line) {
            Ok(x) => x,
            Err(e) => {
                issues.push(issue(file, n, e));
                continue;
            }
        };
        let code = match codes.first() {
            Some(c) => match EventCodes::parse(c) {
                Some(c) => Some(c),
                None => {
                    issues.push(issue(file, n, format!("bad event code [{c}]")));
                    continue;
                }
            },
            None => None,
        };
        if let Some(pat) = line.strip_prefix('-') {
            let pat = split_codes(pat).map(|x| x.0).unwrap_or(pat);
            let Some(code) = code else {
                issues.push(issue(file, n, "pattern without a code"));
                continue;
            };
            let Some((before, after)) = pat.split_once('*') else {
                issues.push(issue(file, n, "pattern without '*'"));
                continue;
            };
            dict.blocks[block].patterns.push(VerbPattern {
                before: parse_items(before),
                after: parse_items(after),
                code,
            });
            continue;
        }
        // A verb line: `VERB`, `VERB {FORMS}`, `+ASK_FOR {…}`, `KLM_NOP_+RST`.
        let (phrase, forms) = match body.split_once('{') {
            Some((p, f)) => (p.trim(), f.trim_end().trim_end_matches('}')),
            None => (body.trim(), ""),
        };
        let words: Vec<&str> = phrase
            .split(|c: char| c == '_' || c.is_whitespace())
            .filter(|w| !w.is_empty())
            .collect();
        if words.is_empty() || words.iter().any(|w| w.starts_with('&')) {
            issues.push(issue(file, n, "unreadable verb line"));
            continue;
        }
        let head = words.iter().position(|w| w.starts_with('+')).unwrap_or(0);
        let up = |w: &&str| w.trim_start_matches('+').to_uppercase();
        dict.forms.push(VerbForm {
            verb: up(&words[head]),
            before: words[..head].iter().map(up).collect(),
            after: words[head + 1..].iter().map(up).collect(),
            forms: forms
                .split_whitespace()
                .map(|f| f.trim_start_matches('+').to_uppercase())
                // Multi-word irregular forms (`+ASKED_FOR`) name the verb word only.
                .map(|f| f.split('_').next().unwrap_or("").to_string())
                .filter(|f| !f.contains('|'))
                .filter(|f| !f.is_empty())
                .collect(),
            block,
            code,
        });
    }
    (dict, issues)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Found by the `dictionaries` fuzz target: a substitution naming itself
    /// recursed until the stack overflowed.
    #[test]
    fn self_referring_substitutions_stop() {
        let text = "!A! = !A! MAN, WOMAN\n!B! = !A!!B!\n!B! SOLDIER [~MIL]\n";
        let (agents, _) = parse_agents("f", text);
        assert!(!agents.is_empty() && agents.len() <= MAX_EXPANSIONS);
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        /// Any text loads (bad lines reported), and what loads survives the asset
        /// round trip: the fuzz target `dictionaries` checks the same.
        #[test]
        fn any_text_loads_and_roundtrips(text in "(\\PC{0,40}\n){0,30}|([-+&~\\[\\]{}()$*_ #A-Z0-9:<>\t]{0,30}\n){0,30}") {
            let (book, _) = crate::Codebook::from_sources(&crate::Sources {
                actors: vec![("a", &text)],
                agents: vec![("g", &text)],
                verbs: vec![("v", &text)],
                ..Default::default()
            });
            let back = crate::Codebook::from_text(&book.to_text());
            prop_assert!(back.is_ok(), "{:?}", back.err());
            let back = back.unwrap();
            prop_assert_eq!(back.to_text(), book.to_text());
            let _ = crate::Codebook::from_text(&text);
        }
    }

    #[test]
    fn actors_with_dated_roles() {
        let text = "# c\nSERGEY_LAVROV_  # info\n+LAVROV\n\t[RUSGOV 19940922-20040712]\n\t[RUSGOV >040309]\nGOLLUM\n+SMEAGOL\n\t[HOB < 950601]\n\t[HOBGOV 19950601 - 19990815]\nBAD [XX 99]\n+ORPHAN [Q\nNOCODE\n";
        let (a, issues) = parse_actors("t", text);
        assert_eq!(a.len(), 2, "{a:?}");
        assert_eq!(a[0].phrases.len(), 2);
        assert_eq!(a[0].code_on(Some(20161001)), Some("RUSGOV"));
        assert_eq!(a[1].code_on(Some(19940101)), Some("HOB"));
        assert_eq!(a[1].code_on(Some(19970101)), Some("HOBGOV"));
        assert!(issues.iter().any(|i| i.line == 10), "{issues:?}");
        assert!(issues.iter().any(|i| i.line == 11), "{issues:?}");
    }

    #[test]
    fn agents_expand_substitutions() {
        let text = "!PERSON! = MAN, WOMAN\nCONGRESS!PERSON! [~LEG]\nMSF {} [NGO~]\nBROKEN\n";
        let (a, issues) = parse_agents("t", text);
        let phrases: Vec<String> = a.iter().map(|a| a.phrase.words.join(" ")).collect();
        assert!(phrases.contains(&"CONGRESSMAN".to_string()));
        assert!(phrases.contains(&"CONGRESSWOMAN".to_string()));
        let msf = a.iter().find(|a| a.phrase.words == ["MSF"]).unwrap();
        assert_eq!(msf.combine(Some("FRA")), "NGOFRA");
        assert_eq!(issues.len(), 1);
    }

    #[test]
    fn verbs_blocks_patterns_synsets() {
        let text = "&FOOD\n+BREAD\n+RICE_\n\n--- ASK [---] ---\n+ASK_FOR {+ASKED_FOR} [020]\nASK [020]\nQUERY {QUERIED}\n- * EXTRADITION [0213] # c\n- $ * (FOR &FOOD) + [0233]\n- * [0x]\n--- MEET [040] ---\nMEET {MET}\n- * (IN THIRD) [044:044]\n~ a (a b ATTACK) SAY = a b 015\n";
        let (d, issues) = parse_verbs("t", text);
        assert_eq!(d.blocks.len(), 2);
        assert_eq!(d.synsets["&FOOD"].len(), 2);
        assert_eq!(d.forms[0].verb, "ASK");
        assert_eq!(d.forms[0].after, vec!["FOR"]);
        assert_eq!(d.forms[2].forms, vec!["QUERIED"]);
        assert_eq!(d.blocks[0].patterns.len(), 2);
        assert_eq!(d.blocks[0].patterns[1].before, vec![PatternItem::Source]);
        assert_eq!(d.blocks[1].patterns[0].code.reverse.as_deref(), Some("044"));
        assert_eq!(issues.len(), 1, "{issues:?}");
    }
}
