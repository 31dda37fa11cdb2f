//! A [`Graph`] as SVG text, piece by piece: the frame with its title and description, the
//! headings, the edges, the boxes, the edges' labels, the legend and the notes.

use super::layout::Layout;
use super::style::Kind;
use super::svg::{self, INIT_COLOURS, MARGIN, SANS, TEXT_FONT, THREAD_COLOURS, escape, n};
use super::{Event, Graph};
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// The heading of the row of initial writes.
const INIT_HEADING: &str = "initial writes";

/// The graph as a standalone SVG document. The same graph always gives the same bytes.
pub fn render(graph: &Graph) -> String {
    let layout = Layout::new(graph);
    let kinds = legend_kinds(graph);
    let (legend, legend_bottom) = legend_places(&kinds, &layout, layout.bottom(graph));
    let chars_per_line = ((layout.width - 2.0 * MARGIN) / (TEXT_FONT * 0.56)) as usize;
    let note_lines: Vec<String> = graph
        .notes
        .iter()
        .flat_map(|note| svg::wrap(note, chars_per_line))
        .collect();
    let notes_top = legend_bottom + 32.0;
    let height = (notes_top + note_lines.len() as f64 * 19.0 + 12.0).ceil();

    let mut out = String::new();
    frame(&mut out, graph, &layout, height, &kinds);
    headings(&mut out, graph, &layout);
    // Edges first, so boxes and labels sit on top of them.
    let routes = layout.edge_routes(graph);
    for route in layout.sb_routes(graph) {
        svg::draw_edge(&mut out, Kind::Sb, &route);
    }
    for (edge, route) in graph.edges.iter().zip(&routes) {
        svg::draw_edge(&mut out, edge.kind, route);
    }
    for event in &graph.events {
        svg::event_box(
            &mut out,
            layout.corner(event),
            layout.box_width(event),
            colours(event),
            &event.label,
        );
    }
    for (edge, route) in graph.edges.iter().zip(&routes) {
        if !edge.label.is_empty() {
            svg::edge_label(&mut out, edge.kind, &edge.label, route.label_at);
        }
    }
    for (kind, x, y) in legend {
        legend_entry(&mut out, kind, x, y);
    }
    for (i, line) in note_lines.iter().enumerate() {
        text(&mut out, MARGIN, notes_top + i as f64 * 19.0, line);
    }
    out.push_str("</svg>\n");
    out
}

/// The kinds the legend lists: those the graph draws, sequenced-before included when some
/// thread has two events.
fn legend_kinds(graph: &Graph) -> BTreeSet<Kind> {
    let mut kinds: BTreeSet<Kind> = graph.edges.iter().map(|e| e.kind).collect();
    let has_sb = (0..graph.threads.len())
        .any(|t| graph.events.iter().filter(|e| e.thread == Some(t)).count() > 1);
    if has_sb {
        kinds.insert(Kind::Sb);
    }
    kinds
}

/// The legend's entries laid out left to right under the graph, wrapped at its width; and
/// the baseline of the last line.
fn legend_places(
    kinds: &BTreeSet<Kind>,
    layout: &Layout,
    bottom: f64,
) -> (Vec<(Kind, f64, f64)>, f64) {
    let mut legend = Vec::new();
    let (mut x, mut y) = (MARGIN, bottom + 40.0);
    for &kind in kinds {
        let item = 44.0 + svg::text_width(kind.legend(), TEXT_FONT, false) + 28.0;
        if x > MARGIN && x + item > layout.width - MARGIN {
            x = MARGIN;
            y += 24.0;
        }
        legend.push((kind, x, y));
        x += item;
    }
    (legend, y)
}

/// The opening tag, title, description, background and arrowheads.
fn frame(out: &mut String, graph: &Graph, layout: &Layout, height: f64, kinds: &BTreeSet<Kind>) {
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" \
         width=\"{width}\" height=\"{height}\" role=\"img\" aria-labelledby=\"title desc\" \
         font-family=\"{SANS}\" font-size=\"{font}\">",
        width = n(layout.width),
        height = n(height),
        font = n(TEXT_FONT),
    );
    let _ = writeln!(
        out,
        "  <title id=\"title\">{}</title>",
        escape(&graph.title)
    );
    let _ = writeln!(out, "  <desc id=\"desc\">{}</desc>", escape(&graph.desc));
    if !graph.comment.is_empty() {
        let _ = writeln!(out, "  <!-- {} -->", graph.comment.replace("--", "- -"));
    }
    let _ = writeln!(
        out,
        "  <rect width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>",
        n(layout.width),
        n(height)
    );
    let _ = writeln!(out, "  <defs>");
    for &kind in kinds.iter().filter(|k| k.arrow()) {
        svg::marker(out, kind);
    }
    let _ = writeln!(out, "  </defs>");
}

/// Each thread's heading over its column, and the initial writes' over theirs.
fn headings(out: &mut String, graph: &Graph, layout: &Layout) {
    for (t, thread) in graph.threads.iter().enumerate() {
        let (ink, _) = THREAD_COLOURS[t % THREAD_COLOURS.len()];
        heading(
            out,
            layout.left(t) + layout.column / 2.0,
            layout.heading_y(),
            ink,
            &thread.heading,
        );
    }
    let first_init = graph
        .events
        .iter()
        .find(|e| e.thread.is_none() && e.row == 0);
    if let Some(init) = first_init {
        let (ink, _) = INIT_COLOURS;
        let x = layout.corner(init).0 + layout.box_width(init) / 2.0;
        heading(out, x, svg::HEADING_Y, ink, INIT_HEADING);
    }
}

fn heading(out: &mut String, x: f64, y: f64, ink: &str, text: &str) {
    let _ = writeln!(
        out,
        "  <text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-weight=\"bold\" \
         font-size=\"{}\" fill=\"{ink}\">{}</text>",
        n(x),
        n(y),
        n(TEXT_FONT + 1.0),
        escape(text)
    );
}

fn colours(event: &Event) -> (&'static str, &'static str) {
    match event.thread {
        Some(t) => THREAD_COLOURS[t % THREAD_COLOURS.len()],
        None => INIT_COLOURS,
    }
}

/// One legend entry: a sample of the edge and what it means.
fn legend_entry(out: &mut String, kind: Kind, x: f64, y: f64) {
    let sample = svg::route((x, y), (x + 36.0, y), 0.0, 0.5);
    svg::draw_edge(out, kind, &sample);
    text(out, x + 44.0, y + 4.5, kind.legend());
}

fn text(out: &mut String, x: f64, y: f64, line: &str) {
    let _ = writeln!(
        out,
        "  <text x=\"{}\" y=\"{}\" fill=\"#333333\">{}</text>",
        n(x),
        n(y),
        escape(line)
    );
}
