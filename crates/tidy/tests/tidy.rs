//! The workspace's written rules, checked on every `cargo test`: library crates do not
//! print (ARCHITECTURE.md invariant 3), each crate's Cargo.toml dependencies match the
//! code map's "may depend on" column, and every module opens with a `//!` line.
//!
//! The checks read files as text with a small lexer instead of a Rust parser: the rules
//! are about tokens (`println!`, `#[cfg(test)]`, a first line), and a dependency-free crate
//! keeps this test cheap to build.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// Dependencies every crate may use without the code map naming them: the error derive
/// and the serialization derive are the workspace's common vocabulary (the rules say
/// library errors are `thiserror` enums; every layer type derives serde).
const ALWAYS_ALLOWED: &[&str] = &["serde", "thiserror"];

/// The binary: the one crate that prints.
const PRINTING_CRATES: &[&str] = &["cli"];

fn root() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    root.canonicalize().unwrap_or(root)
}

/// Workspace crates by folder name (`crates/<name>`), sorted.
fn crate_dirs() -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(root().join("crates"))
        .expect("crates/ is readable")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("Cargo.toml").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for e in entries.filter_map(|e| e.ok()) {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The `.rs` files under `crates/<name>/src`, as paths relative to the workspace root.
fn src_files(name: &str) -> Vec<String> {
    let root = root();
    let mut files = Vec::new();
    rust_files(&root.join("crates").join(name).join("src"), &mut files);
    let mut rel: Vec<String> = files
        .iter()
        .filter_map(|p| p.strip_prefix(&root).ok())
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .collect();
    rel.sort();
    rel
}

/// `src` with comments and the contents of string and char literals blanked to spaces
/// (newlines kept), so later scans see only code and report true line numbers.
fn code_only(src: &str) -> String {
    let b = src.as_bytes();
    let mut out = b.to_vec();
    let blank = |out: &mut Vec<u8>, from: usize, to: usize| {
        for c in &mut out[from..to] {
            if *c != b'\n' {
                *c = b' ';
            }
        }
    };
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                let end = b[i..]
                    .iter()
                    .position(|&c| c == b'\n')
                    .map_or(b.len(), |p| i + p);
                blank(&mut out, i, end);
                i = end;
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let (mut depth, mut j) = (1, i + 2);
                while j < b.len() && depth > 0 {
                    if b[j] == b'/' && b.get(j + 1) == Some(&b'*') {
                        depth += 1;
                        j += 2;
                    } else if b[j] == b'*' && b.get(j + 1) == Some(&b'/') {
                        depth -= 1;
                        j += 2;
                    } else {
                        j += 1;
                    }
                }
                blank(&mut out, i, j);
                i = j;
            }
            b'r' if matches!(b.get(i + 1), Some(b'"') | Some(b'#'))
                && (i == 0 || !is_ident(b[i - 1])) =>
            {
                let hashes = b[i + 1..].iter().take_while(|&&c| c == b'#').count();
                if b.get(i + 1 + hashes) != Some(&b'"') {
                    i += 1;
                    continue;
                }
                let open = i + 2 + hashes;
                let close: Vec<u8> = std::iter::once(b'"')
                    .chain(std::iter::repeat_n(b'#', hashes))
                    .collect();
                let end = b[open..]
                    .windows(close.len())
                    .position(|w| w == close.as_slice())
                    .map_or(b.len(), |p| open + p);
                blank(&mut out, open, end);
                i = end + close.len();
            }
            b'"' => {
                let mut j = i + 1;
                while j < b.len() && b[j] != b'"' {
                    j += if b[j] == b'\\' { 2 } else { 1 };
                }
                blank(&mut out, i + 1, j.min(b.len()));
                i = j + 1;
            }
            b'\'' => {
                // A char literal ('x', '\n', '\u{..}') rather than a lifetime ('a).
                let end = if b.get(i + 1) == Some(&b'\\') {
                    b[i + 2..]
                        .iter()
                        .position(|&c| c == b'\'')
                        .map(|p| i + 2 + p)
                } else {
                    let len = src[i + 1..].chars().next().map_or(1, char::len_utf8);
                    (b.get(i + 1 + len) == Some(&b'\'')).then_some(i + 1 + len)
                };
                match end {
                    Some(e) => {
                        blank(&mut out, i + 1, e);
                        i = e + 1;
                    }
                    None => i += 1,
                }
            }
            _ => i += 1,
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// Blanks each item that follows a `#[cfg(test)]` attribute: up to its `;`, or through the
/// `{ ... }` block that opens first.
fn without_test_items(code: &str) -> String {
    let mut out = code.as_bytes().to_vec();
    let mut from = 0;
    while let Some(p) = code[from..].find("#[cfg(test)]") {
        let start = from + p;
        let b = code.as_bytes();
        let mut j = start;
        while j < b.len() && b[j] != b'{' && b[j] != b';' {
            j += 1;
        }
        if j < b.len() && b[j] == b'{' {
            let mut depth = 0;
            while j < b.len() {
                match b[j] {
                    b'{' => depth += 1,
                    b'}' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
        }
        let end = (j + 1).min(b.len());
        for c in &mut out[start..end] {
            if *c != b'\n' {
                *c = b' ';
            }
        }
        from = end;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `(line, macro)` for each printing macro called in `code`.
fn print_calls(code: &str) -> Vec<(usize, String)> {
    const PRINTS: &[&str] = &["println", "eprintln", "print", "eprint", "dbg"];
    let b = code.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if is_ident(b[i]) && (i == 0 || !is_ident(b[i - 1])) {
            let end = i + b[i..].iter().take_while(|&&c| is_ident(c)).count();
            let word = &code[i..end];
            if b.get(end) == Some(&b'!') && PRINTS.contains(&word) {
                let line = code[..i].matches('\n').count() + 1;
                found.push((line, format!("{word}!")));
            }
            i = end;
        } else {
            i += 1;
        }
    }
    found
}

/// Library code, as invariant 3 means it: not the binary crate, its `main.rs`, nor a
/// `src/bin/` tool.
fn is_library_file(krate: &str, rel: &str) -> bool {
    !PRINTING_CRATES.contains(&krate) && !rel.contains("/src/bin/") && !rel.ends_with("/main.rs")
}

#[test]
fn library_crates_do_not_print() {
    let mut bad = Vec::new();
    for krate in crate_dirs() {
        for rel in src_files(&krate) {
            if !is_library_file(&krate, &rel) {
                continue;
            }
            let src = fs::read_to_string(root().join(&rel)).expect("source is UTF-8");
            for (line, mac) in print_calls(&without_test_items(&code_only(&src))) {
                bad.push(format!("{rel}:{line}: {mac}"));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "library code prints (ARCHITECTURE.md invariant 3: return the text or an error; \
         only crates/cli prints):\n  {}",
        bad.join("\n  ")
    );
}

/// The code map: crate folder → the "may depend on" column's words, in table order.
fn code_map() -> Vec<(String, BTreeSet<String>)> {
    let text = fs::read_to_string(root().join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let mut rows = Vec::new();
    for line in text.lines() {
        let Some(rest) = line.strip_prefix("| `crates/") else {
            continue;
        };
        let name = rest
            .split('`')
            .next()
            .unwrap_or_default()
            .trim_end_matches('/');
        // The last cell: the job column may hold `|` inside code spans, the last may not.
        let body = line.trim_end().trim_end_matches('|');
        let (_, last) = body
            .rsplit_once(" | ")
            .expect("a code map row has three cells");
        let words = last
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .filter(|w| !w.is_empty())
            .map(str::to_ascii_lowercase)
            .collect();
        rows.push((name.to_string(), words));
    }
    rows
}

/// Names in a Cargo.toml's `[dependencies]` and `[target.'…'.dependencies]` tables.
fn dependencies(krate: &str) -> Vec<String> {
    let path = root().join("crates").join(krate).join("Cargo.toml");
    let text = fs::read_to_string(&path).expect("Cargo.toml");
    let mut deps = Vec::new();
    let mut in_deps = false;
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with('[') {
            in_deps = t == "[dependencies]"
                || (t.starts_with("[target.") && t.ends_with(".dependencies]"));
            continue;
        }
        if !in_deps || !line.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '"') {
            continue;
        }
        if let Some((key, _)) = line.split_once('=') {
            let key = key.trim().trim_matches('"');
            deps.push(key.split('.').next().unwrap_or(key).to_string());
        }
    }
    deps
}

#[test]
fn dependencies_match_the_code_map() {
    let map = code_map();
    let crates = crate_dirs();
    let mut bad = Vec::new();
    for krate in &crates {
        if !map.iter().any(|(n, _)| n == krate) {
            bad.push(format!(
                "crates/{krate} has no row in ARCHITECTURE.md's code map"
            ));
        }
    }
    for (i, (krate, allowed)) in map.iter().enumerate() {
        if !crates.contains(krate) {
            bad.push(format!("code map row crates/{krate} names no crate"));
            continue;
        }
        let above: Vec<&str> = map[..i].iter().map(|(n, _)| n.as_str()).collect();
        let everything_above = allowed.contains("everything") && allowed.contains("above");
        let deps = dependencies(krate);
        for dep in &deps {
            let ok = match dep.strip_prefix("chronicle-") {
                Some(inner) => {
                    allowed.contains(inner) || (everything_above && above.contains(&inner))
                }
                None => allowed.contains(dep.as_str()) || ALWAYS_ALLOWED.contains(&dep.as_str()),
            };
            if !ok {
                bad.push(format!(
                    "crates/{krate}/Cargo.toml depends on `{dep}`, which its code map row \
                     does not list"
                ));
            }
        }
        // The reverse, for workspace crates only: the column is prose, but a word that
        // names a sibling crate is a claim about the dependency graph.
        for word in allowed {
            if word != krate
                && crates.contains(word)
                && !deps.contains(&format!("chronicle-{word}"))
            {
                bad.push(format!(
                    "the code map says crates/{krate} may depend on `{word}`, but its \
                     Cargo.toml does not"
                ));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "Cargo.toml and ARCHITECTURE.md's code map disagree (fix the one that is wrong):\n  {}",
        bad.join("\n  ")
    );
}

#[test]
fn every_module_opens_with_a_doc_line() {
    let mut bad = Vec::new();
    for krate in crate_dirs() {
        for rel in src_files(&krate) {
            let src = fs::read_to_string(root().join(&rel)).expect("source is UTF-8");
            if !src.starts_with("//!") {
                let first = src.lines().next().unwrap_or_default();
                bad.push(format!("{rel}: first line is `{first}`"));
            }
        }
    }
    assert!(
        bad.is_empty(),
        "modules without a `//!` first line saying what they are for:\n  {}",
        bad.join("\n  ")
    );
}

#[test]
fn the_lexer_sees_code_only() {
    let src = "// println!(\"x\")\nlet s = \"dbg!(1)\"; let c = '\"'; print!(\"{}\", s);\n\
               /* eprintln!() */ fn f<'a>(x: &'a str) { dbg!(x); }\n\
               let r = r#\"println!\"#;\n\
               #[cfg(test)]\nmod tests { fn t() { println!(\"ok\"); } }\n\
               #[cfg(test)]\nuse std::println;\neprint!(\"e\");\n";
    let calls = print_calls(&without_test_items(&code_only(src)));
    assert_eq!(
        calls,
        vec![
            (2, "print!".to_string()),
            (3, "dbg!".to_string()),
            (9, "eprint!".to_string())
        ]
    );
}
