//! Where everything goes: one column per thread (initial writes in a row above them), rows
//! running down in program order, and each edge's path between the boxes it joins.

use super::svg::{BOX_H, EVENT_FONT, GAP, HEADING_Y, MARGIN, ROW, Route, TEXT_FONT, TOP};
use super::svg::{route, text_width};
use super::{Edge, Event, Graph};

/// How far the threads move down when the graph has a row of initial writes above them.
const INIT_BAND: f64 = BOX_H + 56.0;
/// Room on the right for the edges from an initial write down its own column, which bow out
/// of the boxes' right-hand side.
const INIT_BOW: f64 = 48.0;

/// The initial writes' boxes sit this far apart when there are more of them than threads
/// (otherwise each sits over a thread's column).
const INIT_SPACING: f64 = 24.0;

/// The columns' width and the graph's, and where the rows start.
pub struct Layout {
    pub column: f64,
    pub width: f64,
    /// How far the threads' headings and rows sit below where they would without initial
    /// writes.
    pub offset: f64,
    /// The initial writes' boxes: their width, and the distance from one's left edge to the
    /// next's, when they do not sit over the threads' columns.
    init: Option<(f64, f64)>,
}

impl Layout {
    pub fn new(graph: &Graph) -> Layout {
        let widest = graph
            .events
            .iter()
            .filter(|e| e.thread.is_some())
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
        let mut width = 2.0 * MARGIN + threads * column + (threads - 1.0) * GAP;
        let inits: Vec<&Event> = graph.events.iter().filter(|e| e.thread.is_none()).collect();
        if inits.is_empty() {
            return Layout {
                column,
                width,
                offset: 0.0,
                init: None,
            };
        }
        let widest_init = inits
            .iter()
            .map(|e| text_width(&e.label, EVENT_FONT, true))
            .fold(0.0, f64::max);
        let init = if inits.len() > graph.threads.len() || widest_init + 28.0 > column {
            let box_width = (widest_init + 28.0).max(120.0).ceil();
            let pitch = box_width + INIT_SPACING;
            let row = 2.0 * MARGIN + inits.len() as f64 * pitch - INIT_SPACING;
            width = width.max(row);
            Some((box_width, pitch))
        } else {
            None
        };
        Layout {
            column,
            width: width + INIT_BOW,
            offset: INIT_BAND,
            init,
        }
    }
    /// The left edge of column `index`.
    pub fn left(&self, index: usize) -> f64 {
        MARGIN + index as f64 * (self.column + GAP)
    }

    /// The top of thread row `row`.
    pub fn top(&self, row: usize) -> f64 {
        TOP + self.offset + row as f64 * ROW
    }

    /// Where the threads' headings sit.
    pub fn heading_y(&self) -> f64 {
        HEADING_Y + self.offset
    }

    /// The bottom of the lowest box.
    pub fn bottom(&self, graph: &Graph) -> f64 {
        let rows = graph
            .events
            .iter()
            .filter(|e| e.thread.is_some())
            .map(|e| e.row)
            .max()
            .unwrap_or(0)
            + 1;
        self.top(rows - 1) + BOX_H
    }

    /// The top-left corner of an event's box.
    pub fn corner(&self, event: &Event) -> (f64, f64) {
        match (event.thread, self.init) {
            (Some(t), _) => (self.left(t), self.top(event.row)),
            (None, None) => (self.left(event.row), TOP),
            (None, Some((_, pitch))) => (MARGIN + event.row as f64 * pitch, TOP),
        }
    }

    /// The width of an event's box.
    pub fn box_width(&self, event: &Event) -> f64 {
        match (event.thread, self.init) {
            (None, Some((width, _))) => width,
            _ => self.column,
        }
    }

    /// The horizontal middle of an event's box.
    fn middle(&self, event: &Event) -> f64 {
        self.corner(event).0 + self.box_width(event) / 2.0
    }

    /// Whether two boxes are one above the other (their horizontal spans overlap), so that an
    /// edge between them goes out of the side and back rather than across.
    fn stacked(&self, a: &Event, b: &Event) -> bool {
        let (ax, bx) = (self.corner(a).0, self.corner(b).0);
        ax < bx + self.box_width(b) && bx < ax + self.box_width(a)
    }

    /// Sequenced-before: down each column, between consecutive events of a thread.
    pub fn sb_routes(&self, graph: &Graph) -> Vec<Route> {
        let mut routes = Vec::new();
        for t in 0..graph.threads.len() {
            let on_thread: Vec<&Event> = graph
                .events
                .iter()
                .filter(|e| e.thread == Some(t))
                .collect();
            for pair in on_thread.windows(2) {
                let (x, y0) = self.corner(pair[0]);
                let (_, y1) = self.corner(pair[1]);
                let cx = x + self.column / 2.0;
                routes.push(route((cx, y0 + BOX_H), (cx, y1 - 1.0), 0.0, 0.5));
            }
        }
        routes
    }

    /// The path of each of `graph.edges`, in order.
    pub fn edge_routes(&self, graph: &Graph) -> Vec<Route> {
        (0..graph.edges.len())
            .map(|index| self.edge_route(graph, index))
            .collect()
    }

    fn edge_route(&self, graph: &Graph, index: usize) -> Route {
        let edge = &graph.edges[index];
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
        if self.stacked(from, to) {
            self.within_column(edge, (from, to), offset, at)
        } else {
            self.across_columns(graph, edge, offset, at)
        }
    }

    /// Within one column: out of the right-hand side and back, bowed outwards.
    fn within_column(
        &self,
        edge: &Edge,
        (from, to): (&Event, &Event),
        offset: f64,
        at: f64,
    ) -> Route {
        let (fx, fy) = self.corner(from);
        let (tx, ty) = self.corner(to);
        let (start_x, end_x) = (fx + self.box_width(from), tx + self.box_width(to));
        let bend = if edge.bend == 0.0 { 30.0 } else { edge.bend };
        let sign = if ty > fy { -1.0 } else { 1.0 };
        route(
            (start_x, fy + BOX_H / 2.0 + offset),
            (end_x, ty + BOX_H / 2.0 + offset),
            sign * bend,
            at,
        )
    }

    /// Between columns: from the side of one box that faces the other.
    fn across_columns(&self, graph: &Graph, edge: &Edge, offset: f64, at: f64) -> Route {
        let (from, to) = (&graph.events[edge.from], &graph.events[edge.to]);
        let (fx, fy) = self.corner(from);
        let (tx, ty) = self.corner(to);
        let rightwards = self.middle(to) > self.middle(from);
        let start_x = if rightwards {
            fx + self.box_width(from)
        } else {
            fx
        };
        let end_x = if rightwards {
            tx
        } else {
            tx + self.box_width(to)
        };
        // Leave one pixel before the box so the arrow tip stays visible.
        let end_x = end_x + if rightwards { -1.0 } else { 1.0 };
        let spread = |event, towards_right, shift| {
            if self.crowded(graph, event, towards_right) {
                shift
            } else {
                0.0
            }
        };
        let start_y = fy + BOX_H / 2.0 + spread(edge.from, rightwards, 7.0);
        let end_y = ty + BOX_H / 2.0 + spread(edge.to, !rightwards, -7.0);
        // Side-by-side edges keep their ends on the boxes' sides, so they are moved apart
        // vertically, by more on a slant: a vertical shift of `offset / cos` keeps two
        // slanted edges `offset` apart.
        let (dx, dy) = (end_x - start_x, end_y - start_y);
        let cos = dx.abs() / (dx * dx + dy * dy).sqrt().max(1.0);
        let shift_y = offset / cos.max(0.6);
        route(
            (start_x, start_y + shift_y),
            (end_x, end_y + shift_y),
            edge.bend,
            at,
        )
    }

    /// Whether edges both leave and enter `event`'s side that faces right (or left): then the
    /// arrivals go in above the middle and the departures leave below it, so an arrowhead never
    /// sits on another edge's start.
    fn crowded(&self, graph: &Graph, event: usize, towards_right: bool) -> bool {
        let middle = |e: usize| self.middle(&graph.events[e]);
        let side = |other: usize| middle(other) > middle(event);
        let across = |e: &&Edge| !self.stacked(&graph.events[e.from], &graph.events[e.to]);
        let leaves = graph
            .edges
            .iter()
            .filter(across)
            .any(|e| e.from == event && side(e.to) == towards_right);
        let enters = graph
            .edges
            .iter()
            .filter(across)
            .any(|e| e.to == event && side(e.from) == towards_right);
        leaves && enters
    }
}
