//! Bounds how deep an HTML page nests before it reaches the DOM and readability.
//!
//! html5ever has no depth cap, its tree builder scans the stack of open elements for
//! many tags, and readability walks ancestors and subtrees of every candidate, so a
//! page nested 100,000 `<div>`s deep costs time quadratic in its size (8,000 levels
//! took seconds, 100,000 never finished). Browsers stop nesting at 512 levels.
//!
//! Two parts, so that no markup trick gets a deep tree past the check:
//! - a **probe** parses the page with html5ever itself into a sink that keeps only
//!   parent links, fed in chunks and stopped as soon as the tree passes the cap (the
//!   tree builder's own rules decide the depth, not a model of them);
//! - a page past the cap is **flattened**: its text in paragraphs, with the head's
//!   title, `<meta>`, `<link>` and JSON-LD kept for the metadata readers. The flat form
//!   holds only `<p>`, `<h1>`, `<br>` and empty `<time>` elements in its body and escapes every
//!   `<` of the text, so it cannot nest, whatever the input was.

use html5ever::interface::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::tokenizer::{
    states::RawKind, BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer,
    TokenizerOpts,
};
use html5ever::{Attribute, ParseOpts, QualName};
use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::rc::Rc;

/// Deepest element nesting (counted from the document node) read as it is. Real news
/// pages stay under 60; a quarter of the browsers' 512 keeps readability's per-node
/// ancestor walks short.
pub const MAX_DEPTH: usize = 128;

/// Elements times the deepest nesting, past which a page is flattened too: readability
/// measures the text under every ancestor of every paragraph, so its work grows with
/// both. A large real page (20,000 elements, 40 deep) is a fifth of this.
pub const MAX_NODE_LEVELS: usize = 4_000_000;

/// Input fed to the probe at a time: the probe stops at the first chunk boundary after
/// the cap is passed, so a chunk bounds the work done past it.
const PROBE_CHUNK: usize = 16 * 1024;

/// The page as it is when it nests at most `MAX_DEPTH` deep, else its flat form.
pub fn bounded(html: &str) -> Cow<'_, str> {
    if nests_deeper_than(html, MAX_DEPTH) {
        Cow::Owned(flatten(html))
    } else {
        Cow::Borrowed(html)
    }
}

/// As [`bounded`], for a fragment (a feed item's content): the flat form has no head.
pub fn bounded_fragment(html: &str) -> Cow<'_, str> {
    if nests_deeper_than(html, MAX_DEPTH) {
        Cow::Owned(flat_body(html))
    } else {
        Cow::Borrowed(html)
    }
}

/// Whether html5ever builds a tree deeper than `max` from `html`, or one whose
/// elements times depth pass `MAX_NODE_LEVELS`.
pub fn nests_deeper_than(html: &str, max: usize) -> bool {
    let sink = ProbeSink::new(max);
    let mut parser = html5ever::parse_document(sink, probe_opts());
    let mut rest = html;
    while !rest.is_empty() {
        let mut cut = rest.len().min(PROBE_CHUNK);
        while !rest.is_char_boundary(cut) {
            cut += 1;
        }
        parser.process(StrTendril::from_slice(&rest[..cut]));
        rest = &rest[cut..];
        if parser.tokenizer.sink.sink.too_deep.get() {
            return true;
        }
    }
    parser.finish()
}

/// The options dom_query parses with, so the probe builds the tree readability reads.
fn probe_opts() -> ParseOpts {
    ParseOpts {
        tree_builder: html5ever::tree_builder::TreeBuilderOpts {
            scripting_enabled: false,
            ..Default::default()
        },
        ..Default::default()
    }
}

const NO_PARENT: u32 = u32::MAX;

struct ProbeNode {
    id: u32,
    name: QualName,
}

/// A tree sink that keeps parent and child links only. Depths are cached when a node
/// is appended, which is exact until the adoption agency moves a subtree; `finish`
/// recomputes every depth from the links.
struct ProbeSink {
    max: usize,
    parent: RefCell<Vec<u32>>,
    depth: RefCell<Vec<u32>>,
    /// Children as appended; an entry whose parent link points elsewhere is stale.
    children: RefCell<Vec<Vec<u32>>>,
    too_deep: Cell<bool>,
    document: Rc<ProbeNode>,
}

impl ProbeSink {
    fn new(max: usize) -> Self {
        let document = Rc::new(ProbeNode {
            id: 0,
            name: QualName::new(None, Default::default(), Default::default()),
        });
        ProbeSink {
            max,
            parent: RefCell::new(vec![NO_PARENT]),
            depth: RefCell::new(vec![0]),
            children: RefCell::new(vec![Vec::new()]),
            too_deep: Cell::new(false),
            document,
        }
    }

    fn new_node(&self, name: QualName) -> Rc<ProbeNode> {
        let mut parent = self.parent.borrow_mut();
        let id = u32::try_from(parent.len()).unwrap_or(NO_PARENT - 1);
        parent.push(NO_PARENT);
        self.depth.borrow_mut().push(0);
        self.children.borrow_mut().push(Vec::new());
        Rc::new(ProbeNode { id, name })
    }

    fn attach(&self, parent: u32, child: &NodeOrText<Rc<ProbeNode>>) {
        if let NodeOrText::AppendNode(node) = child {
            self.attach_id(parent, node.id);
        }
    }

    fn attach_id(&self, parent: u32, child: u32) {
        let (p, c) = (parent as usize, child as usize);
        let d = {
            let mut links = self.parent.borrow_mut();
            let (Some(_), Some(link)) = (links.get(p).copied(), links.get_mut(c)) else {
                return;
            };
            *link = parent;
            let mut depth = self.depth.borrow_mut();
            let d = depth[p].saturating_add(1);
            depth[c] = d;
            d
        };
        self.children.borrow_mut()[p].push(child);
        if d as usize > self.max {
            self.too_deep.set(true);
        }
    }

    /// Exact depth of the deepest node from the parent links, without recursion.
    fn deepest(&self) -> usize {
        const UNKNOWN: u32 = u32::MAX;
        let parent = self.parent.borrow();
        let mut depth = vec![UNKNOWN; parent.len()];
        let mut path = Vec::new();
        let mut deepest = 0;
        for start in 0..parent.len() {
            // Climb to a node of known depth or to a root, then number the path down.
            let mut n = start;
            while depth[n] == UNKNOWN && path.len() <= parent.len() {
                path.push(n);
                match parent[n] {
                    NO_PARENT => break,
                    p => n = p as usize,
                }
            }
            let mut d = (depth[n] != UNKNOWN).then_some(depth[n]);
            while let Some(m) = path.pop() {
                let dm = d.map_or(0, |x| x.saturating_add(1));
                depth[m] = dm;
                d = Some(dm);
            }
            deepest = deepest.max(depth[start] as usize);
        }
        deepest
    }
}

impl TreeSink for ProbeSink {
    type Handle = Rc<ProbeNode>;
    type Output = bool;
    type ElemName<'a> = &'a QualName;

    fn finish(self) -> bool {
        let deepest = self.deepest();
        let nodes = self.parent.borrow().len();
        // A page already about as flat as its flat form gains nothing from flattening.
        self.too_deep.get()
            || deepest > self.max
            || (deepest > 8 && deepest.saturating_mul(nodes) > MAX_NODE_LEVELS)
    }

    fn parse_error(&self, _msg: Cow<'static, str>) {}

    fn get_document(&self) -> Rc<ProbeNode> {
        self.document.clone()
    }

    fn elem_name<'a>(&'a self, target: &'a Rc<ProbeNode>) -> &'a QualName {
        &target.name
    }

    fn create_element(
        &self,
        name: QualName,
        _attrs: Vec<Attribute>,
        _flags: ElementFlags,
    ) -> Rc<ProbeNode> {
        self.new_node(name)
    }

    fn create_comment(&self, _text: StrTendril) -> Rc<ProbeNode> {
        self.new_node(QualName::new(None, Default::default(), Default::default()))
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> Rc<ProbeNode> {
        self.new_node(QualName::new(None, Default::default(), Default::default()))
    }

    fn append(&self, parent: &Rc<ProbeNode>, child: NodeOrText<Rc<ProbeNode>>) {
        self.attach(parent.id, &child);
    }

    fn append_based_on_parent_node(
        &self,
        element: &Rc<ProbeNode>,
        prev_element: &Rc<ProbeNode>,
        child: NodeOrText<Rc<ProbeNode>>,
    ) {
        let parent = self
            .parent
            .borrow()
            .get(element.id as usize)
            .copied()
            .unwrap_or(NO_PARENT);
        if parent == NO_PARENT {
            self.attach(prev_element.id, &child);
        } else {
            self.attach(parent, &child);
        }
    }

    fn append_doctype_to_document(&self, _: StrTendril, _: StrTendril, _: StrTendril) {}

    fn get_template_contents(&self, target: &Rc<ProbeNode>) -> Rc<ProbeNode> {
        // The contents fragment hangs below its template: what nests inside a
        // template still costs readability nothing, but html5ever's stack holds it.
        let contents = self.new_node(target.name.clone());
        self.attach(target.id, &NodeOrText::AppendNode(contents.clone()));
        contents
    }

    fn same_node(&self, x: &Rc<ProbeNode>, y: &Rc<ProbeNode>) -> bool {
        x.id == y.id
    }

    fn set_quirks_mode(&self, _mode: QuirksMode) {}

    fn append_before_sibling(&self, sibling: &Rc<ProbeNode>, new_node: NodeOrText<Rc<ProbeNode>>) {
        let parent = self
            .parent
            .borrow()
            .get(sibling.id as usize)
            .copied()
            .unwrap_or(NO_PARENT);
        if parent != NO_PARENT {
            self.attach(parent, &new_node);
        }
    }

    fn add_attrs_if_missing(&self, _target: &Rc<ProbeNode>, _attrs: Vec<Attribute>) {}

    fn remove_from_parent(&self, target: &Rc<ProbeNode>) {
        if let Some(p) = self.parent.borrow_mut().get_mut(target.id as usize) {
            *p = NO_PARENT;
        }
    }

    fn reparent_children(&self, node: &Rc<ProbeNode>, new_parent: &Rc<ProbeNode>) {
        let moved = match self.children.borrow_mut().get_mut(node.id as usize) {
            Some(list) => std::mem::take(list),
            None => return,
        };
        for c in moved {
            let still_here = self.parent.borrow().get(c as usize) == Some(&node.id);
            if still_here {
                self.attach_id(new_parent.id, c);
            }
        }
    }
}

/// Block elements: each start or end of one is a paragraph break in the flat form.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "li",
    "listing",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

/// What the tokenizer is inside of, when it reads raw text.
enum Raw {
    /// Script or style content: dropped, except JSON-LD, which goes to the head.
    Script { keep: bool, text: String },
    /// `<title>`: its text goes to the head.
    Title(String),
    /// `<textarea>`: its text is body text.
    Textarea,
}

#[derive(Default)]
struct Flattener {
    head: RefCell<String>,
    body: RefCell<String>,
    raw: RefCell<Option<Raw>>,
    /// A paragraph break is pending: emitted before the next text.
    brk: Cell<bool>,
}

fn push_escaped_text(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\0' => {}
            c => out.push(c),
        }
    }
}

fn push_attrs(out: &mut String, attrs: &[Attribute]) {
    for a in attrs {
        let name: &str = &a.name.local;
        if name.is_empty()
            || !name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':'))
        {
            continue;
        }
        out.push(' ');
        out.push_str(name);
        out.push_str("=\"");
        for c in a.value.chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '"' => out.push_str("&quot;"),
                '\0' => {}
                c => out.push(c),
            }
        }
        out.push('"');
    }
}

impl Flattener {
    fn text(&self, t: &str) {
        if let Some(raw) = self.raw.borrow_mut().as_mut() {
            match raw {
                Raw::Script { keep: true, text } | Raw::Title(text) => text.push_str(t),
                Raw::Script { keep: false, .. } => {}
                Raw::Textarea => {
                    let mut body = self.body.borrow_mut();
                    push_escaped_text(&mut body, t);
                }
            }
            return;
        }
        if t.trim().is_empty() {
            if !t.is_empty() {
                self.body.borrow_mut().push(' ');
            }
            return;
        }
        let mut body = self.body.borrow_mut();
        if self.brk.replace(false) {
            body.push_str("\n<p>");
        }
        push_escaped_text(&mut body, t);
    }

    fn end_raw(&self) {
        let Some(raw) = self.raw.borrow_mut().take() else {
            return;
        };
        let mut head = self.head.borrow_mut();
        match raw {
            // `<!--` could change how the script's end is read when parsed again.
            Raw::Script { keep: true, text } if !text.contains("<!--") => {
                head.push_str("<script type=\"application/ld+json\">");
                head.push_str(&text);
                head.push_str("</script>");
            }
            Raw::Title(text) => {
                head.push_str("<title>");
                push_escaped_text(&mut head, &text);
                head.push_str("</title>");
            }
            _ => {}
        }
    }
}

impl TokenSink for Flattener {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        match token {
            Token::CharacterTokens(t) => self.text(&t),
            Token::TagToken(tag) => {
                let name: &str = &tag.name;
                if self.raw.borrow().is_some() {
                    // The tokenizer leaves raw text only at the matching end tag.
                    if tag.kind == TagKind::EndTag {
                        self.end_raw();
                    }
                    return TokenSinkResult::Continue;
                }
                if tag.kind == TagKind::EndTag {
                    if name == "h1" {
                        self.body.borrow_mut().push_str("</h1>");
                    }
                    if BLOCKS.contains(&name) {
                        self.brk.set(true);
                    }
                    return TokenSinkResult::Continue;
                }
                match name {
                    "script" | "style" | "xmp" | "iframe" | "noembed" | "noframes" => {
                        let keep = name == "script"
                            && tag.attrs.iter().any(|a| {
                                &*a.name.local == "type"
                                    && a.value.to_ascii_lowercase().contains("ld+json")
                            });
                        *self.raw.borrow_mut() = Some(Raw::Script {
                            keep,
                            text: String::new(),
                        });
                        return TokenSinkResult::RawData(if name == "script" {
                            RawKind::ScriptData
                        } else {
                            RawKind::Rawtext
                        });
                    }
                    "title" | "textarea" => {
                        *self.raw.borrow_mut() = Some(if name == "title" {
                            Raw::Title(String::new())
                        } else {
                            self.brk.set(true);
                            Raw::Textarea
                        });
                        return TokenSinkResult::RawData(RawKind::Rcdata);
                    }
                    "plaintext" => {
                        self.brk.set(true);
                        *self.raw.borrow_mut() = Some(Raw::Textarea);
                        return TokenSinkResult::Plaintext;
                    }
                    "meta" | "link" => {
                        let mut head = self.head.borrow_mut();
                        head.push('<');
                        head.push_str(name);
                        push_attrs(&mut head, &tag.attrs);
                        head.push('>');
                    }
                    "time" => {
                        let dt: Vec<Attribute> = tag
                            .attrs
                            .iter()
                            .filter(|a| &*a.name.local == "datetime")
                            .cloned()
                            .collect();
                        if !dt.is_empty() {
                            let mut body = self.body.borrow_mut();
                            body.push_str("<time");
                            push_attrs(&mut body, &dt);
                            body.push_str("></time>");
                        }
                    }
                    "br" => self.body.borrow_mut().push_str("<br>"),
                    // The headline stays a heading for readability's title; a heading
                    // start closes an open paragraph or heading, so it cannot nest.
                    "h1" => {
                        self.brk.set(false);
                        self.body.borrow_mut().push_str("\n<h1>");
                    }
                    _ if BLOCKS.contains(&name) => self.brk.set(true),
                    _ => {}
                }
            }
            Token::EOFToken => self.end_raw(),
            Token::DoctypeToken(_)
            | Token::CommentToken(_)
            | Token::NullCharacterToken
            | Token::ParseError(_) => {}
        }
        TokenSinkResult::Continue
    }
}

fn flatten_parts(html: &str) -> (String, String) {
    let tokenizer = Tokenizer::new(Flattener::default(), TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let sink = tokenizer.sink;
    (sink.head.into_inner(), sink.body.into_inner())
}

fn flat_body(html: &str) -> String {
    format!("<p>{}", flatten_parts(html).1)
}

/// The flat form of a page: head metadata, then its text as paragraphs.
pub fn flatten(html: &str) -> String {
    let (head, body) = flatten_parts(html);
    let mut out = String::with_capacity(head.len() + body.len() + 64);
    out.push_str("<!DOCTYPE html><html><head>");
    out.push_str(&head);
    out.push_str("</head><body><p>");
    out.push_str(&body);
    out.push_str("</body></html>");
    out
}

/// Markup pieces that nest, close, reopen and switch parser modes; fuzzing and the
/// property test build pages from them (random bytes rarely nest 128 deep).
#[doc(hidden)]
pub const NESTING_PIECES: &[&str] = &[
    "<div>",
    "</div>",
    "<p>",
    "</p>",
    "<b>",
    "</b>",
    "<b id=1>",
    "<table>",
    "<tr>",
    "<td>",
    "</td>",
    "</table>",
    "<ul>",
    "<li>",
    "</ul>",
    "<svg>",
    "<g>",
    "<g/>",
    "</svg>",
    "<math>",
    "<mi>",
    "<select>",
    "</select>",
    "<template>",
    "</template>",
    "<a href=x>",
    "</a>",
    "<span>",
    "</span>",
    "<font color=red>",
    "<font data-color=x/>",
    "<!--",
    "-->",
    "<script>",
    "</script>",
    "<title>",
    "</title>",
    "<textarea>",
    "<noscript>",
    "<div/>",
    "<button>",
    "<form>",
    "<h1>",
    "<dl><dt>",
    "<foreignObject>",
    "x",
    " ",
    "&amp;",
    "<",
    ">",
    "\"",
    "'",
    "<plaintext>",
    "<frameset>",
    "<body>",
    "</body>",
    "<html>",
    "</p></b>",
];

/// A page from `(piece, repeats)` pairs, as the fuzz target and property test build it.
#[doc(hidden)]
pub fn page_from_pieces(pieces: &[(u8, u8)]) -> String {
    let mut html = String::new();
    for &(piece, reps) in pieces {
        let p = NESTING_PIECES[piece as usize % NESTING_PIECES.len()];
        for _ in 0..=(reps % 64) {
            html.push_str(p);
        }
    }
    html
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// Whatever the markup, readability never gets a tree past the cap, and the
        /// flat form stays flat.
        #[test]
        fn no_markup_gets_a_deep_tree_through(pieces in proptest::collection::vec((any::<u8>(), any::<u8>()), 0..120)) {
            let html = page_from_pieces(&pieces);
            prop_assert!(!nests_deeper_than(&flatten(&html), 8));
            prop_assert!(!nests_deeper_than(&bounded(&html), MAX_DEPTH));
        }
    }

    fn nested(n: usize, inner: &str) -> String {
        format!(
            "<html><body>{}{inner}{}</body></html>",
            "<div>".repeat(n),
            "</div>".repeat(n)
        )
    }

    #[test]
    fn shallow_pages_pass_unchanged() {
        let page = nested(20, "<p>Text.</p>");
        assert!(matches!(bounded(&page), Cow::Borrowed(_)));
    }

    #[test]
    fn the_probe_counts_html5ever_depth() {
        // html, body, then the divs
        assert!(!nests_deeper_than(&nested(MAX_DEPTH - 2, ""), MAX_DEPTH));
        assert!(nests_deeper_than(&nested(MAX_DEPTH - 1, ""), MAX_DEPTH));
        // Unclosed paragraphs close each other; unclosed divs do not.
        assert!(!nests_deeper_than(&"<p>x".repeat(5000), MAX_DEPTH));
        assert!(nests_deeper_than(&"<div>x".repeat(5000), MAX_DEPTH));
    }

    #[test]
    fn tricks_that_nest_without_matching_tags_are_caught() {
        // Unclosed formatting elements are reopened in every paragraph (reconstruction);
        // a block inside an inline element survives the inline's end tag (adoption).
        let reopen: String = (0..400).map(|i| format!("<p><b id={i}>x</p>")).collect();
        assert!(nests_deeper_than(&reopen, MAX_DEPTH));
        assert!(nests_deeper_than(
            &"<span><div></span>x".repeat(400),
            MAX_DEPTH
        ));
        assert!(nests_deeper_than(&"<b><div></b>x".repeat(400), MAX_DEPTH));
        assert!(nests_deeper_than(
            &format!("<svg>{}", "<g><div/>".repeat(400)),
            MAX_DEPTH
        ));
    }

    #[test]
    fn flat_form_keeps_text_and_head_metadata() {
        let page = format!(
            "<html><head><title>A &amp; B</title><meta property=\"og:title\" content=\"Q &quot;x&quot;\">\
             <script type=\"application/ld+json\">{{\"datePublished\":\"2025-03-06\"}}</script>\
             <script>var x = '<div>';</script></head><body>{}</body></html>",
            nested(
                3000,
                "<article><h1>Head</h1><p>First &lt;para&gt;.</p><p>Second <b>para</b>.<time datetime=\"2025-03-06\">x</time></p></article>"
            )
        );
        let flat = flatten(&page);
        assert!(!nests_deeper_than(&flat, 8), "{flat}");
        let dom = dom_query::Document::from(flat.as_str());
        assert_eq!(dom.select("title").text().to_string(), "A & B");
        assert_eq!(
            dom.select("meta[property='og:title']")
                .attr("content")
                .map(|s| s.to_string())
                .as_deref(),
            Some("Q \"x\"")
        );
        assert!(dom
            .select("script[type='application/ld+json']")
            .text()
            .contains("datePublished"));
        let paras: Vec<String> = dom
            .select("p")
            .iter()
            .map(|p| p.text().trim().to_string())
            .filter(|t| !t.is_empty())
            .collect();
        assert_eq!(dom.select("h1").text().to_string(), "Head");
        assert_eq!(paras, ["First <para>.", "Second para.x"]);
        assert_eq!(
            dom.select("time")
                .attr("datetime")
                .map(|s| s.to_string())
                .as_deref(),
            Some("2025-03-06")
        );
        assert!(!flat.contains("var x"));
    }

    #[test]
    fn flat_form_escapes_what_the_tokenizer_read_as_text() {
        // A `<` that is text in the page must stay text, never become markup.
        let flat = flatten("<p>a < b and <3 <div =\"x>\">still</div>");
        assert!(!nests_deeper_than(&flat, 4));
        let dom = dom_query::Document::from(flat.as_str());
        assert!(dom.select("body").text().contains("a < b and <3"));
    }
}
