//! `cargo xtask diagrams [--check]`: happens-before graphs, drawn from small spec files.
//!
//! Each `src/diagrams/hb/<name>.hb` describes one execution: threads (one column each), the
//! events on each thread (program order runs down the column) and the edges between them. This
//! task writes `src/diagrams/hb/<name>.svg` next to it. The output depends only on the spec, so
//! `--check` can tell whether a committed SVG is stale. The format, one statement a line
//! (`#` starts a comment; text with spaces goes in double quotes):
//!
//! ```text
//! title "Message passing with Release and Acquire"
//! desc  "What a screen reader says: every event and edge, in words."
//! thread s "thread 1 (sender)"          # id, heading; columns in this order
//! event  w  s 0 "payload = 42"           # id, thread, row (0 is the top), label
//! event  st s 1 "ready.store(true, Release)"
//! edge   sw st ld                        # kind, from, to [, label] [, at=0.3] [, bend=40]
//! note   "A sentence printed under the legend."
//! ```
//!
//! Sequenced-before edges are drawn between consecutive events of a thread without being
//! written. The other kinds: `rf` (reads-from), `sw` (synchronizes-with), `hb` (a
//! happens-before edge that follows from the others) and `nohb` (two accesses that no
//! happens-before path orders: the missing edge of a data race). Each has its own colour and
//! dash pattern, and the legend lists the kinds the graph uses.

use crate::util::{Result, files_under, relative, root, step};
use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// `cargo xtask diagrams` regenerates every SVG; `--check` only reports stale ones.
pub fn run(args: &[String]) -> Result {
    let check = match args {
        [] => false,
        [flag] if flag == "--check" => true,
        _ => return Err("usage: cargo xtask diagrams [--check]".into()),
    };
    let dir = root().join("src/diagrams/hb");
    let specs = spec_files(&dir)?;
    if specs.is_empty() {
        return Err(format!("no .hb graph specs in {}", relative(&dir)).into());
    }
    let mut stale = Vec::new();
    for spec_path in &specs {
        let text = std::fs::read_to_string(spec_path)?;
        let graph = parse(&text).map_err(|e| format!("{}:{e}", relative(spec_path)))?;
        let svg = render(&graph);
        let svg_path = spec_path.with_extension("svg");
        let current = std::fs::read_to_string(&svg_path).ok();
        if current.as_deref() == Some(svg.as_str()) {
            continue;
        }
        if check {
            stale.push(relative(&svg_path));
        } else {
            std::fs::write(&svg_path, &svg)?;
            println!("wrote {}", relative(&svg_path));
        }
    }
    let orphans = orphan_svgs(&dir, &specs)?;
    if !orphans.is_empty() {
        return Err(format!(
            "SVGs in {} without a .hb spec (delete them, or add their spec):\n  {}",
            relative(&dir),
            orphans.join("\n  ")
        )
        .into());
    }
    if !stale.is_empty() {
        return Err(format!(
            "these happens-before graphs do not match their .hb spec:\n  {}\n\
             Run `cargo xtask diagrams` and commit the regenerated SVGs.",
            stale.join("\n  ")
        )
        .into());
    }
    if check {
        step(&format!(
            "{} happens-before graphs match their specs",
            specs.len()
        ));
    }
    Ok(())
}

fn spec_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut specs = files_under(dir)?;
    specs.retain(|p| p.extension().is_some_and(|e| e == "hb"));
    Ok(specs)
}

fn orphan_svgs(dir: &Path, specs: &[PathBuf]) -> Result<Vec<String>> {
    Ok(files_under(dir)?
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "svg"))
        .filter(|p| !specs.contains(&p.with_extension("hb")))
        .map(|p| relative(&p))
        .collect())
}

// ---------------------------------------------------------------------------------------------
// The spec.

/// The kinds of edge a graph can draw, in legend order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Sb,
    Rf,
    Sw,
    Hb,
    NoHb,
}

impl Kind {
    const WRITTEN: [(&'static str, Kind); 4] = [
        ("rf", Kind::Rf),
        ("sw", Kind::Sw),
        ("hb", Kind::Hb),
        ("nohb", Kind::NoHb),
    ];

    fn id(self) -> &'static str {
        match self {
            Kind::Sb => "sb",
            Kind::Rf => "rf",
            Kind::Sw => "sw",
            Kind::Hb => "hb",
            Kind::NoHb => "nohb",
        }
    }

    /// The label an edge gets when the spec gives none.
    fn short(self) -> &'static str {
        match self {
            Kind::Sb => "",
            Kind::Rf => "rf",
            Kind::Sw => "sw",
            Kind::Hb => "hb",
            Kind::NoHb => "no hb",
        }
    }

    fn legend(self) -> &'static str {
        match self {
            Kind::Sb => "sequenced-before (program order)",
            Kind::Rf => "rf: reads-from",
            Kind::Sw => "sw: synchronizes-with",
            Kind::Hb => "hb: happens-before, by transitivity",
            Kind::NoHb => "no hb: not ordered by happens-before",
        }
    }

    fn colour(self) -> &'static str {
        match self {
            Kind::Sb => "#6b6b6b",
            Kind::Rf => "#1f6fd1",
            Kind::Sw => "#16803c",
            Kind::Hb => "#7a3db8",
            Kind::NoHb => "#c62828",
        }
    }

    fn width(self) -> f64 {
        match self {
            Kind::Sb => 1.5,
            Kind::Rf => 1.8,
            Kind::Sw => 3.0,
            Kind::Hb => 2.2,
            Kind::NoHb => 2.2,
        }
    }

    fn dash(self) -> Option<&'static str> {
        match self {
            Kind::Sb | Kind::Sw => None,
            Kind::Rf => Some("7 4"),
            Kind::Hb => Some("2 4"),
            Kind::NoHb => Some("9 5"),
        }
    }

    /// A missing edge has no direction.
    fn arrow(self) -> bool {
        self != Kind::NoHb
    }
}

#[derive(Debug)]
struct Thread {
    id: String,
    heading: String,
}

#[derive(Debug)]
struct Event {
    id: String,
    thread: usize,
    row: usize,
    label: String,
}

#[derive(Debug)]
struct Edge {
    kind: Kind,
    from: usize,
    to: usize,
    label: String,
    /// Where along the edge its label sits, 0.0 (source) to 1.0 (target).
    at: Option<f64>,
    /// How far the edge bows out of a straight line, in pixels (sideways from its direction).
    bend: f64,
}

#[derive(Debug)]
struct Graph {
    title: String,
    desc: String,
    threads: Vec<Thread>,
    events: Vec<Event>,
    edges: Vec<Edge>,
    notes: Vec<String>,
}

/// The longest event label the columns are sized for; longer ones are refused rather than
/// allowed to overflow their box.
const MAX_LABEL: usize = 34;

/// Parses a spec; errors start with the line number (`12: …`).
fn parse(text: &str) -> std::result::Result<Graph, String> {
    let mut graph = Graph {
        title: String::new(),
        desc: String::new(),
        threads: Vec::new(),
        events: Vec::new(),
        edges: Vec::new(),
        notes: Vec::new(),
    };
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        let at = |message: String| format!("{number}: {message}");
        let tokens = tokenize(line).map_err(at)?;
        let Some((keyword, args)) = tokens.split_first() else {
            continue;
        };
        match (keyword.as_str(), args) {
            ("title", [text]) => graph.title = text.clone(),
            ("desc", [text]) => graph.desc = text.clone(),
            ("note", [text]) => graph.notes.push(text.clone()),
            ("thread", [id, heading]) => {
                if graph.threads.iter().any(|t| &t.id == id) {
                    return Err(at(format!("thread `{id}` is declared twice")));
                }
                graph.threads.push(Thread {
                    id: id.clone(),
                    heading: heading.clone(),
                });
            }
            ("event", [id, thread, row, label]) => {
                let thread = graph
                    .threads
                    .iter()
                    .position(|t| &t.id == thread)
                    .ok_or_else(|| {
                        at(format!(
                            "event `{id}` is on thread `{thread}`, which is not declared \
                             (declared: {})",
                            graph
                                .threads
                                .iter()
                                .map(|t| t.id.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ))
                    })?;
                if graph.events.iter().any(|e| &e.id == id) {
                    return Err(at(format!("event `{id}` is declared twice")));
                }
                let row: usize = row
                    .parse()
                    .map_err(|_| at(format!("row `{row}` is not a whole number")))?;
                if graph
                    .events
                    .iter()
                    .any(|e| e.thread == thread && e.row >= row)
                {
                    return Err(at(format!(
                        "event `{id}` must sit below the events already on its thread \
                         (rows run down in program order)"
                    )));
                }
                if label.chars().count() > MAX_LABEL {
                    return Err(at(format!(
                        "the label of `{id}` is {} characters; keep it to {MAX_LABEL}",
                        label.chars().count()
                    )));
                }
                graph.events.push(Event {
                    id: id.clone(),
                    thread,
                    row,
                    label: label.clone(),
                });
            }
            ("edge", [kind, from, to, rest @ ..]) => {
                let edge = parse_edge(&graph, kind, from, to, rest).map_err(at)?;
                graph.edges.push(edge);
            }
            ("title" | "desc" | "note", _) => {
                return Err(at(format!("`{keyword}` takes one quoted text")));
            }
            ("thread", _) => return Err(at("usage: thread <id> \"<heading>\"".into())),
            ("event", _) => {
                return Err(at("usage: event <id> <thread> <row> \"<label>\"".into()));
            }
            ("edge", _) => {
                return Err(at(
                    "usage: edge <kind> <from> <to> [\"<label>\"] [at=<0..1>] [bend=<px>]".into(),
                ));
            }
            (other, _) => {
                return Err(at(format!(
                    "unknown statement `{other}` (title, desc, thread, event, edge, note)"
                )));
            }
        }
    }
    if graph.title.is_empty() || graph.desc.is_empty() {
        return Err("0: a graph needs a `title` and a `desc` (what a screen reader says)".into());
    }
    if graph.threads.is_empty() || graph.events.is_empty() {
        return Err("0: a graph needs at least one thread and one event".into());
    }
    Ok(graph)
}

fn parse_edge(
    graph: &Graph,
    kind: &str,
    from: &str,
    to: &str,
    rest: &[String],
) -> std::result::Result<Edge, String> {
    let kind = match Kind::WRITTEN.iter().find(|(name, _)| *name == kind) {
        Some(&(_, kind)) => kind,
        None if kind == "sb" => {
            return Err(
                "sequenced-before edges are drawn between consecutive events of a thread; \
                 do not write them"
                    .into(),
            );
        }
        None => {
            return Err(format!(
                "unknown edge kind `{kind}` (the kinds: rf, sw, hb, nohb)"
            ));
        }
    };
    let event = |id: &str| {
        graph
            .events
            .iter()
            .position(|e| e.id == id)
            .ok_or_else(|| format!("the edge names event `{id}`, which is not declared"))
    };
    let (from, to) = (event(from)?, event(to)?);
    if from == to {
        return Err("an edge needs two different events".into());
    }
    let mut edge = Edge {
        kind,
        from,
        to,
        label: kind.short().to_owned(),
        at: None,
        bend: 0.0,
    };
    for option in rest {
        if let Some(value) = option.strip_prefix("at=") {
            let at: f64 = value
                .parse()
                .ok()
                .filter(|at| (0.05..=0.95).contains(at))
                .ok_or_else(|| format!("`at={value}` must be a number from 0.05 to 0.95"))?;
            edge.at = Some(at);
        } else if let Some(value) = option.strip_prefix("bend=") {
            edge.bend = value
                .parse()
                .map_err(|_| format!("`bend={value}` must be a number of pixels"))?;
        } else {
            edge.label = option.clone();
        }
    }
    Ok(edge)
}

/// Splits a line into words and double-quoted texts (`\"` and `\\` escape inside quotes).
fn tokenize(line: &str) -> std::result::Result<Vec<String>, String> {
    let mut tokens = Vec::new();
    let mut chars = line.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
        } else if c == '#' {
            break;
        } else if c == '"' {
            chars.next();
            let mut text = String::new();
            loop {
                match chars.next() {
                    Some('"') => break,
                    Some('\\') => match chars.next() {
                        Some(escaped @ ('"' | '\\')) => text.push(escaped),
                        _ => return Err("only \\\" and \\\\ are escapes".into()),
                    },
                    Some(c) => text.push(c),
                    None => return Err("a quoted text is not closed".into()),
                }
            }
            tokens.push(text);
        } else {
            let mut word = String::new();
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                word.push(c);
                chars.next();
            }
            tokens.push(word);
        }
    }
    Ok(tokens)
}

// ---------------------------------------------------------------------------------------------
// The drawing.

const MARGIN: f64 = 24.0;
const GAP: f64 = 150.0;
const HEADING_Y: f64 = 34.0;
const TOP: f64 = 58.0;
const ROW: f64 = 74.0;
const BOX_H: f64 = 40.0;
const EVENT_FONT: f64 = 13.0;
const EDGE_FONT: f64 = 12.5;
const TEXT_FONT: f64 = 13.0;
const MONO: &str = "ui-monospace, SFMono-Regular, Menlo, Consolas, 'DejaVu Sans Mono', monospace";
const SANS: &str = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif";

/// Heading and box colours, thread by thread.
const THREAD_COLOURS: [(&str, &str); 4] = [
    ("#1f4e9c", "#e3ecfa"),
    ("#9a3b12", "#fbe9e0"),
    ("#2f6b2f", "#e6f2e3"),
    ("#6a4a00", "#f7efd9"),
];

/// A generous estimate of how wide a text is (the SVG is drawn without measuring fonts).
fn text_width(text: &str, size: f64, mono: bool) -> f64 {
    let per_char = if mono { 0.62 } else { 0.6 };
    text.chars().count() as f64 * size * per_char
}

struct Layout {
    column: f64,
    width: f64,
}

impl Layout {
    fn new(graph: &Graph) -> Layout {
        let widest = graph
            .events
            .iter()
            .map(|e| text_width(&e.label, EVENT_FONT, true))
            .chain(
                graph
                    .threads
                    .iter()
                    .map(|t| text_width(&t.heading, TEXT_FONT + 1.0, false)),
            )
            .fold(0.0, f64::max);
        let column = (widest + 28.0).max(150.0).ceil();
        let threads = graph.threads.len() as f64;
        let width = 2.0 * MARGIN + threads * column + (threads - 1.0) * GAP;
        Layout { column, width }
    }

    fn left(&self, thread: usize) -> f64 {
        MARGIN + thread as f64 * (self.column + GAP)
    }

    fn top(&self, row: usize) -> f64 {
        TOP + row as f64 * ROW
    }
}

/// Writes a number the same way every time, with no trailing `.0`.
fn n(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format!("{}", rounded as i64)
    } else {
        format!("{rounded:.1}")
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Splits `text` into lines of at most `max` characters, at spaces.
fn wrap(text: &str, max: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > max {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// A drawn edge: its path, and the point and direction at which its label sits.
struct Route {
    path: String,
    label_at: (f64, f64),
}

/// A quadratic curve from `a` to `b` bowed `bend` pixels to the side; `at` picks the label
/// point along it.
fn route(a: (f64, f64), b: (f64, f64), bend: f64, at: f64) -> Route {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let length = (dx * dx + dy * dy).sqrt().max(1.0);
    // The control point: the midpoint, pushed sideways (perpendicular to the edge).
    let control = (
        (a.0 + b.0) / 2.0 - dy / length * bend * 2.0,
        (a.1 + b.1) / 2.0 + dx / length * bend * 2.0,
    );
    let point = |t: f64| {
        let u = 1.0 - t;
        (
            u * u * a.0 + 2.0 * u * t * control.0 + t * t * b.0,
            u * u * a.1 + 2.0 * u * t * control.1 + t * t * b.1,
        )
    };
    let path = if bend == 0.0 {
        format!("M{},{} L{},{}", n(a.0), n(a.1), n(b.0), n(b.1))
    } else {
        format!(
            "M{},{} Q{},{} {},{}",
            n(a.0),
            n(a.1),
            n(control.0),
            n(control.1),
            n(b.0),
            n(b.1)
        )
    };
    Route {
        path,
        label_at: point(at),
    }
}

fn render(graph: &Graph) -> String {
    let layout = Layout::new(graph);
    let rows = graph.events.iter().map(|e| e.row).max().unwrap_or(0) + 1;
    let graph_bottom = layout.top(rows - 1) + BOX_H;

    // The legend: the kinds this graph draws, laid out left to right and wrapped.
    let mut kinds: BTreeSet<Kind> = graph.edges.iter().map(|e| e.kind).collect();
    let has_sb = graph
        .threads
        .iter()
        .enumerate()
        .any(|(t, _)| graph.events.iter().filter(|e| e.thread == t).count() > 1);
    if has_sb {
        kinds.insert(Kind::Sb);
    }
    let mut legend = Vec::new();
    let (mut x, mut y) = (MARGIN, graph_bottom + 40.0);
    for kind in &kinds {
        let item = 44.0 + text_width(kind.legend(), TEXT_FONT, false) + 28.0;
        if x > MARGIN && x + item > layout.width - MARGIN {
            x = MARGIN;
            y += 24.0;
        }
        legend.push((*kind, x, y));
        x += item;
    }
    let chars_per_line = ((layout.width - 2.0 * MARGIN) / (TEXT_FONT * 0.56)) as usize;
    let note_lines: Vec<String> = graph
        .notes
        .iter()
        .flat_map(|note| wrap(note, chars_per_line))
        .collect();
    let notes_top = y + 32.0;
    let height = (notes_top + note_lines.len() as f64 * 19.0 + 12.0).ceil();

    let mut svg = String::new();
    let w = &mut svg;
    let _ = writeln!(
        w,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" \
         width=\"{width}\" height=\"{height}\" role=\"img\" aria-labelledby=\"title desc\" \
         font-family=\"{SANS}\" font-size=\"{font}\">",
        width = n(layout.width),
        height = n(height),
        font = n(TEXT_FONT),
    );
    let _ = writeln!(w, "  <title id=\"title\">{}</title>", escape(&graph.title));
    let _ = writeln!(w, "  <desc id=\"desc\">{}</desc>", escape(&graph.desc));
    let _ = writeln!(
        w,
        "  <!-- Generated by `cargo xtask diagrams` from the .hb file of the same name. -->"
    );
    let _ = writeln!(
        w,
        "  <rect width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>",
        n(layout.width),
        n(height)
    );
    let _ = writeln!(w, "  <defs>");
    for kind in kinds.iter().filter(|k| k.arrow()) {
        let _ = writeln!(
            w,
            "    <marker id=\"arrow-{id}\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" \
             markerWidth=\"10\" markerHeight=\"10\" markerUnits=\"userSpaceOnUse\" \
             orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"{colour}\"/></marker>",
            id = kind.id(),
            colour = kind.colour()
        );
    }
    let _ = writeln!(w, "  </defs>");

    // Thread headings.
    for (t, thread) in graph.threads.iter().enumerate() {
        let (ink, _) = THREAD_COLOURS[t % THREAD_COLOURS.len()];
        let _ = writeln!(
            w,
            "  <text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-weight=\"bold\" \
             font-size=\"{}\" fill=\"{ink}\">{}</text>",
            n(layout.left(t) + layout.column / 2.0),
            n(HEADING_Y),
            n(TEXT_FONT + 1.0),
            escape(&thread.heading)
        );
    }

    // Edges first, so boxes and labels sit on top of them.
    let mut edge_svg = String::new();
    let mut label_svg = String::new();
    let event_box = |e: &Event| (layout.left(e.thread), layout.top(e.row));
    for (t, _) in graph.threads.iter().enumerate() {
        let on_thread: Vec<&Event> = graph.events.iter().filter(|e| e.thread == t).collect();
        for pair in on_thread.windows(2) {
            let (x, y0) = event_box(pair[0]);
            let (_, y1) = event_box(pair[1]);
            let cx = x + layout.column / 2.0;
            draw_edge(
                &mut edge_svg,
                Kind::Sb,
                &route((cx, y0 + BOX_H), (cx, y1 - 1.0), 0.0, 0.5),
            );
        }
    }
    // A box side that edges both leave and enter: the arrivals go in above the middle and
    // the departures leave below it, so an arrowhead never sits on another edge's start.
    let side = |event: usize, other: usize| graph.events[other].thread > graph.events[event].thread;
    let crowded = |event: usize, towards_right: bool| {
        let cross = |e: &&Edge| graph.events[e.from].thread != graph.events[e.to].thread;
        let leaves = graph
            .edges
            .iter()
            .filter(cross)
            .any(|e| e.from == event && side(event, e.to) == towards_right);
        let enters = graph
            .edges
            .iter()
            .filter(cross)
            .any(|e| e.to == event && side(event, e.from) == towards_right);
        leaves && enters
    };
    for (index, edge) in graph.edges.iter().enumerate() {
        // Edges joining the same two events are drawn side by side, and their labels
        // staggered along them.
        let same: Vec<usize> = graph
            .edges
            .iter()
            .enumerate()
            .filter(|(_, other)| {
                (other.from, other.to) == (edge.from, edge.to)
                    || (other.from, other.to) == (edge.to, edge.from)
            })
            .map(|(i, _)| i)
            .collect();
        let rank = same.iter().position(|&i| i == index).unwrap_or(0) as f64;
        let count = same.len() as f64;
        let offset = (rank - (count - 1.0) / 2.0) * 12.0;
        // Labels of side-by-side edges sit at different points along them, clear of the
        // middle, where a diagonal edge is most likely to cross.
        let at = edge
            .at
            .unwrap_or(0.5 + (rank - (count - 1.0) / 2.0) * (0.5 / count));

        let (from, to) = (&graph.events[edge.from], &graph.events[edge.to]);
        let (fx, fy) = event_box(from);
        let (tx, ty) = event_box(to);
        let route = if from.thread == to.thread {
            // Within one column: out of the right-hand side and back, bowed outwards.
            let x = fx + layout.column;
            let bend = if edge.bend == 0.0 { 30.0 } else { edge.bend };
            let sign = if ty > fy { -1.0 } else { 1.0 };
            route(
                (x, fy + BOX_H / 2.0 + offset),
                (x, ty + BOX_H / 2.0 + offset),
                sign * bend,
                at,
            )
        } else {
            let rightwards = to.thread > from.thread;
            let start_x = if rightwards { fx + layout.column } else { fx };
            let end_x = if rightwards { tx } else { tx + layout.column };
            // Leave one pixel before the box so the arrow tip stays visible.
            let end_x = end_x + if rightwards { -1.0 } else { 1.0 };
            let spread = |event, towards_right, shift| {
                if crowded(event, towards_right) {
                    shift
                } else {
                    0.0
                }
            };
            let start_y = fy + BOX_H / 2.0 + spread(edge.from, rightwards, 7.0);
            let end_y = ty + BOX_H / 2.0 + spread(edge.to, !rightwards, -7.0);
            // Side-by-side edges keep their ends on the boxes' sides, so they are moved
            // apart vertically, by more on a slant: a vertical shift of `offset / cos` keeps
            // two slanted edges `offset` apart.
            let (dx, dy) = (end_x - start_x, end_y - start_y);
            let cos = dx.abs() / (dx * dx + dy * dy).sqrt().max(1.0);
            let shift_y = offset / cos.max(0.6);
            route(
                (start_x, start_y + shift_y),
                (end_x, end_y + shift_y),
                edge.bend,
                at,
            )
        };
        draw_edge(&mut edge_svg, edge.kind, &route);
        if !edge.label.is_empty() {
            let (lx, ly) = route.label_at;
            let width = text_width(&edge.label, EDGE_FONT, false) + 8.0;
            let _ = writeln!(
                label_svg,
                "  <rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\" fill=\"#ffffff\" \
                 fill-opacity=\"0.92\"/>\n  <text x=\"{}\" y=\"{}\" text-anchor=\"middle\" \
                 font-size=\"{}\" font-weight=\"bold\" fill=\"{}\">{}</text>",
                n(lx - width / 2.0),
                n(ly - 9.0),
                n(width),
                n(17.0),
                n(lx),
                n(ly + 4.5),
                n(EDGE_FONT),
                edge.kind.colour(),
                escape(&edge.label)
            );
        }
    }
    svg.push_str(&edge_svg);

    // Event boxes.
    for event in &graph.events {
        let (x, y) = event_box(event);
        let (ink, fill) = THREAD_COLOURS[event.thread % THREAD_COLOURS.len()];
        let _ = writeln!(
            svg,
            "  <rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"6\" fill=\"{fill}\" \
             stroke=\"{ink}\" stroke-width=\"1.2\"/>\n  <text x=\"{}\" y=\"{}\" \
             text-anchor=\"middle\" font-family=\"{MONO}\" font-size=\"{}\" \
             fill=\"#1a1a1a\">{}</text>",
            n(x),
            n(y),
            n(layout.column),
            n(BOX_H),
            n(x + layout.column / 2.0),
            n(y + BOX_H / 2.0 + EVENT_FONT * 0.36),
            n(EVENT_FONT),
            escape(&event.label)
        );
    }
    svg.push_str(&label_svg);

    // Legend and notes.
    for (kind, x, y) in legend {
        let sample = route((x, y), (x + 36.0, y), 0.0, 0.5);
        draw_edge(&mut svg, kind, &sample);
        let _ = writeln!(
            svg,
            "  <text x=\"{}\" y=\"{}\" fill=\"#333333\">{}</text>",
            n(x + 44.0),
            n(y + 4.5),
            escape(kind.legend())
        );
    }
    for (i, line) in note_lines.iter().enumerate() {
        let _ = writeln!(
            svg,
            "  <text x=\"{}\" y=\"{}\" fill=\"#333333\">{}</text>",
            n(MARGIN),
            n(notes_top + i as f64 * 19.0),
            escape(line)
        );
    }
    svg.push_str("</svg>\n");
    svg
}

fn draw_edge(svg: &mut String, kind: Kind, route: &Route) {
    let dash = kind
        .dash()
        .map(|d| format!(" stroke-dasharray=\"{d}\""))
        .unwrap_or_default();
    let arrow = if kind.arrow() {
        format!(" marker-end=\"url(#arrow-{})\"", kind.id())
    } else {
        String::new()
    };
    let _ = writeln!(
        svg,
        "  <path d=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"{}\"{dash}{arrow}/>",
        route.path,
        kind.colour(),
        n(kind.width()),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = r#"
        # message passing
        title "MP"
        desc "Two threads hand over a payload."
        thread a "thread A"
        thread b "thread B"
        event w a 0 "data = 1"
        event s a 1 "flag.store(1, Release)"
        event l b 1 "flag.load(Acquire) -> 1"
        event r b 2 "read data -> 1"
        edge rf s l
        edge sw s l
        edge hb w r "hb" at=0.3
        note "A note & <escapes>."
    "#;

    fn error(spec: &str) -> String {
        parse(spec).unwrap_err()
    }

    #[test]
    fn a_spec_renders_with_title_desc_every_event_and_a_legend() {
        let svg = render(&parse(SPEC).unwrap());
        assert!(svg.contains("<title id=\"title\">MP</title>"), "{svg}");
        assert!(svg.contains("<desc id=\"desc\">Two threads hand over a payload.</desc>"));
        assert!(svg.contains("flag.load(Acquire) -&gt; 1"));
        assert!(svg.contains("A note &amp; &lt;escapes&gt;."));
        for kind in [Kind::Sb, Kind::Rf, Kind::Sw, Kind::Hb] {
            assert!(svg.contains(kind.legend()), "legend lacks {kind:?}");
        }
        // Not used, so not in the legend.
        assert!(!svg.contains(Kind::NoHb.legend()));
        // Two sequenced-before edges, one per thread, drawn without being written.
        let sb = format!("stroke=\"{}\"", Kind::Sb.colour());
        assert_eq!(
            svg.matches(&sb).count(),
            2 + 1,
            "two edges and the legend sample"
        );
    }

    #[test]
    fn rendering_is_deterministic() {
        assert_eq!(render(&parse(SPEC).unwrap()), render(&parse(SPEC).unwrap()));
    }

    #[test]
    fn an_unknown_edge_kind_is_named_with_its_line() {
        let spec = SPEC.replace("edge rf s l", "edge mo s l");
        let message = error(&spec);
        assert!(
            message.starts_with("11: unknown edge kind `mo`"),
            "{message}"
        );
        assert!(message.contains("rf, sw, hb, nohb"), "{message}");
    }

    #[test]
    fn a_written_sequenced_before_edge_is_refused() {
        let message = error(&SPEC.replace("edge rf s l", "edge sb w s"));
        assert!(
            message.contains("drawn between consecutive events"),
            "{message}"
        );
    }

    #[test]
    fn an_event_on_an_undeclared_thread_is_an_error() {
        let message = error(&SPEC.replace("event l b 1", "event l c 1"));
        assert!(
            message.starts_with("9: event `l` is on thread `c`"),
            "{message}"
        );
        assert!(message.contains("declared: a, b"), "{message}");
    }

    #[test]
    fn an_edge_to_an_undeclared_event_is_an_error() {
        let message = error(&SPEC.replace("edge sw s l", "edge sw s x"));
        assert!(
            message.contains("event `x`, which is not declared"),
            "{message}"
        );
    }

    #[test]
    fn events_must_go_down_their_thread() {
        let message = error(&SPEC.replace("event s a 1", "event s a 0"));
        assert!(message.contains("must sit below"), "{message}");
    }

    #[test]
    fn a_label_too_long_for_its_box_is_refused() {
        let long = "x".repeat(MAX_LABEL + 1);
        let message = error(&SPEC.replace("data = 1", &long));
        assert!(message.contains("keep it to"), "{message}");
    }

    #[test]
    fn a_spec_without_a_desc_is_refused() {
        let message = error(&SPEC.replace("desc \"Two threads hand over a payload.\"", ""));
        assert!(
            message.contains("needs a `title` and a `desc`"),
            "{message}"
        );
    }

    #[test]
    fn bad_options_and_statements_are_errors() {
        assert!(error(&SPEC.replace("at=0.3", "at=2")).contains("from 0.05 to 0.95"));
        assert!(error(&SPEC.replace("at=0.3", "bend=far")).contains("number of pixels"));
        assert!(error(&format!("{SPEC}\nnode x")).contains("unknown statement `node`"));
        assert!(error("title \"open").contains("not closed"));
    }

    #[test]
    fn words_and_quoted_texts_split_and_comments_end_a_line() {
        let tokens = tokenize(r#"event w a 0 "say \"hi\"" # the rest is ignored"#).unwrap();
        assert_eq!(tokens, ["event", "w", "a", "0", "say \"hi\""]);
    }

    #[test]
    fn numbers_print_without_noise() {
        assert_eq!(n(12.0), "12");
        assert_eq!(n(12.25), "12.3");
        assert_eq!(n(-0.04), "0");
    }

    #[test]
    fn notes_wrap_at_spaces() {
        assert_eq!(wrap("aa bb cc", 5), ["aa bb", "cc"]);
    }
}
