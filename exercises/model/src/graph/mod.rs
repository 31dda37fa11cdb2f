//! Execution graphs as SVG: one column per thread, events in program order down each column,
//! and the relations between them as arrows, each kind in its own colour and dash pattern
//! with a legend, and a `<title>` and `<desc>` that say in words what the picture shows.
//!
//! A [`Graph`] is what gets drawn; [`render`] draws it. The book's hand-laid-out graphs
//! (`cargo xtask diagrams`, from `src/diagrams/hb/*.hb`) are built as [`Graph`]s by their
//! spec's parser; [`from_execution`] builds one from an execution the checker found, and
//! [`write_all`] (`model --graph DIR`) writes every consistent execution of a program.

mod execution;
mod layout;
mod render;
pub mod style;
pub mod svg;
mod write;

pub use execution::{JOIN_LABEL, SPAWN_LABEL, from_execution};
pub use render::render;
pub use style::Kind;
pub use write::{file_name, select, write_all};

/// What one graph shows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Graph {
    /// The SVG's `<title>`: what the graph is about, in a line.
    pub title: String,
    /// The SVG's `<desc>`: what a screen reader says, every event and edge in words.
    pub desc: String,
    /// An XML comment after the description saying where the file comes from (none if
    /// empty).
    pub comment: String,
    /// The columns, left to right.
    pub threads: Vec<Thread>,
    pub events: Vec<Event>,
    /// The edges to draw besides sequenced-before, which is drawn between consecutive events
    /// of each thread without being listed.
    pub edges: Vec<Edge>,
    /// Sentences printed under the legend.
    pub notes: Vec<String>,
}

/// One column.
#[derive(Clone, Debug, PartialEq)]
pub struct Thread {
    pub heading: String,
}

/// One box.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    /// The thread's index in [`Graph::threads`]; `None` for an initial write, drawn in a row
    /// above the threads.
    pub thread: Option<usize>,
    /// For a thread's event, its row (0 is the top; rows run down in program order). For an
    /// initial write, its place along the top row (0 is the leftmost).
    pub row: usize,
    pub label: String,
}

/// One arrow (or, for [`Kind::NoHb`], one line without a head).
#[derive(Clone, Debug, PartialEq)]
pub struct Edge {
    pub kind: Kind,
    /// Indices into [`Graph::events`].
    pub from: usize,
    pub to: usize,
    /// The text on the edge (none if empty).
    pub label: String,
    /// Where along the edge its label sits, 0.0 (source) to 1.0 (target); `None` lets the
    /// layout choose.
    pub at: Option<f64>,
    /// How far the edge bows out of a straight line, in pixels (sideways from its direction).
    pub bend: f64,
}

impl Edge {
    /// A straight edge with its kind's short label, placed by the layout.
    pub fn new(kind: Kind, from: usize, to: usize) -> Edge {
        Edge {
            kind,
            from,
            to,
            label: kind.short().to_owned(),
            at: None,
            bend: 0.0,
        }
    }
}
