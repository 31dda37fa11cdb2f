//! The drawing primitives: sizes, fonts, numbers written the same way every time, escaping,
//! wrapping, and an edge's path with the point its label sits at.

use super::style::Kind;
use std::fmt::Write as _;

pub const MARGIN: f64 = 24.0;
pub const GAP: f64 = 150.0;
pub const HEADING_Y: f64 = 34.0;
pub const TOP: f64 = 58.0;
pub const ROW: f64 = 74.0;
pub const BOX_H: f64 = 40.0;
pub const EVENT_FONT: f64 = 13.0;
pub const EDGE_FONT: f64 = 12.5;
pub const TEXT_FONT: f64 = 13.0;
pub const MONO: &str =
    "ui-monospace, SFMono-Regular, Menlo, Consolas, 'DejaVu Sans Mono', monospace";
pub const SANS: &str = "system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif";

/// Heading and box colours, thread by thread.
pub const THREAD_COLOURS: [(&str, &str); 4] = [
    ("#1f4e9c", "#e3ecfa"),
    ("#9a3b12", "#fbe9e0"),
    ("#2f6b2f", "#e6f2e3"),
    ("#6a4a00", "#f7efd9"),
];

/// Heading and box colours of the initial writes, which belong to no thread.
pub const INIT_COLOURS: (&str, &str) = ("#555555", "#f0f0f0");

/// A generous estimate of how wide a text is (the SVG is drawn without measuring fonts).
pub fn text_width(text: &str, size: f64, mono: bool) -> f64 {
    let per_char = if mono { 0.62 } else { 0.6 };
    text.chars().count() as f64 * size * per_char
}

/// Writes a number the same way every time, with no trailing `.0`.
pub fn n(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format!("{}", rounded as i64)
    } else {
        format!("{rounded:.1}")
    }
}

/// Escapes text for an SVG element or attribute.
pub fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Splits `text` into lines of at most `max` characters, at spaces.
pub fn wrap(text: &str, max: usize) -> Vec<String> {
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

/// A drawn edge: its path, and the point at which its label sits.
pub struct Route {
    pub path: String,
    pub label_at: (f64, f64),
}

/// A quadratic curve from `a` to `b` bowed `bend` pixels to the side; `at` picks the label
/// point along it.
pub fn route(a: (f64, f64), b: (f64, f64), bend: f64, at: f64) -> Route {
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

/// One edge's path, in its kind's colour, width and dash pattern, with an arrowhead unless
/// the kind has no direction.
pub fn draw_edge(svg: &mut String, kind: Kind, route: &Route) {
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

/// An arrowhead marker in `kind`'s colour, for `<defs>`.
pub fn marker(svg: &mut String, kind: Kind) {
    let _ = writeln!(
        svg,
        "    <marker id=\"arrow-{id}\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" \
         markerWidth=\"10\" markerHeight=\"10\" markerUnits=\"userSpaceOnUse\" \
         orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"{colour}\"/></marker>",
        id = kind.id(),
        colour = kind.colour()
    );
}

/// A label on an edge: the text on a nearly opaque white box, in the edge's colour.
pub fn edge_label(svg: &mut String, kind: Kind, text: &str, (x, y): (f64, f64)) {
    let width = text_width(text, EDGE_FONT, false) + 8.0;
    let _ = writeln!(
        svg,
        "  <rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"3\" fill=\"#ffffff\" \
         fill-opacity=\"0.92\"/>\n  <text x=\"{}\" y=\"{}\" text-anchor=\"middle\" \
         font-size=\"{}\" font-weight=\"bold\" fill=\"{}\">{}</text>",
        n(x - width / 2.0),
        n(y - 9.0),
        n(width),
        n(17.0),
        n(x),
        n(y + 4.5),
        n(EDGE_FONT),
        kind.colour(),
        escape(text)
    );
}

/// An event's box with its label in monospace, centred.
pub fn event_box(
    svg: &mut String,
    (x, y): (f64, f64),
    width: f64,
    colours: (&str, &str),
    label: &str,
) {
    let (ink, fill) = colours;
    let _ = writeln!(
        svg,
        "  <rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"6\" fill=\"{fill}\" \
         stroke=\"{ink}\" stroke-width=\"1.2\"/>\n  <text x=\"{}\" y=\"{}\" \
         text-anchor=\"middle\" font-family=\"{MONO}\" font-size=\"{}\" \
         fill=\"#1a1a1a\">{}</text>",
        n(x),
        n(y),
        n(width),
        n(BOX_H),
        n(x + width / 2.0),
        n(y + BOX_H / 2.0 + EVENT_FONT * 0.36),
        n(EVENT_FONT),
        escape(label)
    );
}
