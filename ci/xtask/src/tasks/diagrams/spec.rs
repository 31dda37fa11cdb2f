//! The `.hb` spec format: a graph laid out by hand, and which event of which program each of
//! its boxes draws. The format is documented in [`super`].

use model::graph::{Edge, Event, Graph, Kind, Thread};

/// A parsed spec: the graph to draw, and what the check against the model needs.
#[derive(Debug)]
pub struct Spec {
    pub graph: Graph,
    /// One per event of [`Graph::events`], in the same order.
    pub events: Vec<SpecEvent>,
    /// One per edge of [`Graph::edges`], in the same order.
    pub edges: Vec<SpecEdge>,
    /// The litmus program the graph draws, as written (relative to the spec), and its line.
    pub program: Option<(String, usize)>,
    /// The threads' ids, in column order.
    pub thread_ids: Vec<String>,
}

#[derive(Debug)]
pub struct SpecEvent {
    pub id: String,
    pub line: usize,
    /// The model event it draws (`= T.K`), if the spec says.
    pub draws: Option<Draws>,
}

/// `T.K` or `T.end`: thread `T` (its name in the program, or its index) and its `K`-th event
/// counting from 0 (a read-modify-write's read and write are one), or its end.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Draws {
    pub thread: String,
    pub at: At,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum At {
    Event(usize),
    End,
}

impl std::fmt::Display for Draws {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.at {
            At::Event(k) => write!(f, "{}.{k}", self.thread),
            At::End => write!(f, "{}.end", self.thread),
        }
    }
}

#[derive(Debug)]
pub struct SpecEdge {
    pub line: usize,
    /// The statement as written, less options and label: `edge sw st ld`.
    pub text: String,
}

/// The longest event label the columns are sized for; longer ones are refused rather than
/// allowed to overflow their box.
pub const MAX_LABEL: usize = 34;

/// The edge kinds a spec writes (sequenced-before is drawn without being written).
const WRITTEN: [Kind; 6] = [Kind::Rf, Kind::Mo, Kind::Rb, Kind::Sw, Kind::Hb, Kind::NoHb];

/// Parses a spec; errors start with the line number (`12: …`).
pub fn parse(text: &str) -> Result<Spec, String> {
    let mut spec = Spec {
        graph: Graph {
            comment: "Drawn from the .hb file of the same name.".into(),
            ..Graph::default()
        },
        events: Vec::new(),
        edges: Vec::new(),
        program: None,
        thread_ids: Vec::new(),
    };
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        let at = |message: String| format!("{number}: {message}");
        let tokens = tokenize(line).map_err(at)?;
        let Some((keyword, args)) = tokens.split_first() else {
            continue;
        };
        statement(&mut spec, number, keyword, args).map_err(at)?;
    }
    let graph = &spec.graph;
    if graph.title.is_empty() || graph.desc.is_empty() {
        return Err("0: a graph needs a `title` and a `desc` (what a screen reader says)".into());
    }
    if graph.threads.is_empty() || graph.events.is_empty() {
        return Err("0: a graph needs at least one thread and one event".into());
    }
    Ok(spec)
}

fn statement(spec: &mut Spec, line: usize, keyword: &str, args: &[String]) -> Result<(), String> {
    let graph = &mut spec.graph;
    match (keyword, args) {
        ("title", [text]) => graph.title = text.clone(),
        ("desc", [text]) => graph.desc = text.clone(),
        ("note", [text]) => graph.notes.push(text.clone()),
        ("program", [path]) => {
            if spec.program.is_some() {
                return Err("a graph draws one program; `program` is given twice".into());
            }
            spec.program = Some((path.clone(), line));
        }
        ("thread", [id, heading]) => {
            if spec.thread_ids.contains(id) {
                return Err(format!("thread `{id}` is declared twice"));
            }
            spec.thread_ids.push(id.clone());
            graph.threads.push(Thread {
                heading: heading.clone(),
            });
        }
        ("event", [id, thread, row, label, rest @ ..]) => {
            let draws = match rest {
                [] => None,
                [eq, draws] if eq == "=" => Some(parse_draws(draws)?),
                [joined] if joined.len() > 1 && joined.starts_with('=') => {
                    Some(parse_draws(&joined[1..])?)
                }
                _ => return Err(format!("event `{id}`: after the label comes only `= T.K`")),
            };
            let event = parse_event(spec, id, thread, row, label)?;
            spec.graph.events.push(event);
            spec.events.push(SpecEvent {
                id: id.clone(),
                line,
                draws,
            });
        }
        ("edge", [kind, from, to, rest @ ..]) => {
            let edge = parse_edge(spec, kind, from, to, rest)?;
            spec.graph.edges.push(edge);
            spec.edges.push(SpecEdge {
                line,
                text: format!("edge {kind} {from} {to}"),
            });
        }
        ("title" | "desc" | "note", _) => {
            return Err(format!("`{keyword}` takes one quoted text"));
        }
        ("program", _) => return Err("usage: program \"<path to a .litmus file>\"".into()),
        ("thread", _) => return Err("usage: thread <id> \"<heading>\"".into()),
        ("event", _) => {
            return Err("usage: event <id> <thread> <row> \"<label>\" [= <T>.<K>]".into());
        }
        ("edge", _) => {
            return Err(
                "usage: edge <kind> <from> <to> [\"<label>\"] [at=<0..1>] [bend=<px>]".into(),
            );
        }
        (other, _) => {
            return Err(format!(
                "unknown statement `{other}` (title, desc, program, thread, event, edge, note)"
            ));
        }
    }
    Ok(())
}

/// `T.K` or `T.end`.
fn parse_draws(text: &str) -> Result<Draws, String> {
    let usage = || {
        format!(
            "`= {text}` must name a thread of the program and one of its events: `T.K` (thread \
             T's K-th event, from 0) or `T.end`"
        )
    };
    let (thread, at) = text.rsplit_once('.').ok_or_else(usage)?;
    if thread.is_empty() {
        return Err(usage());
    }
    let at = match at {
        "end" => At::End,
        k => At::Event(k.parse().map_err(|_| usage())?),
    };
    Ok(Draws {
        thread: thread.to_owned(),
        at,
    })
}

fn parse_event(
    spec: &Spec,
    id: &str,
    thread: &str,
    row: &str,
    label: &str,
) -> Result<Event, String> {
    let thread = spec
        .thread_ids
        .iter()
        .position(|t| t == thread)
        .ok_or_else(|| {
            format!(
                "event `{id}` is on thread `{thread}`, which is not declared (declared: {})",
                spec.thread_ids.join(", ")
            )
        })?;
    if spec.events.iter().any(|e| e.id == id) {
        return Err(format!("event `{id}` is declared twice"));
    }
    let row: usize = row
        .parse()
        .map_err(|_| format!("row `{row}` is not a whole number"))?;
    if spec
        .graph
        .events
        .iter()
        .any(|e| e.thread == Some(thread) && e.row >= row)
    {
        return Err(format!(
            "event `{id}` must sit below the events already on its thread \
             (rows run down in program order)"
        ));
    }
    if label.chars().count() > MAX_LABEL {
        return Err(format!(
            "the label of `{id}` is {} characters; keep it to {MAX_LABEL}",
            label.chars().count()
        ));
    }
    Ok(Event {
        thread: Some(thread),
        row,
        label: label.to_owned(),
    })
}

fn parse_edge(
    spec: &Spec,
    kind: &str,
    from: &str,
    to: &str,
    rest: &[String],
) -> Result<Edge, String> {
    let kind = match WRITTEN.iter().find(|k| k.id() == kind) {
        Some(&kind) => kind,
        None if kind == "sb" => {
            return Err(
                "sequenced-before edges are drawn between consecutive events of a thread; \
                 do not write them"
                    .into(),
            );
        }
        None => {
            let kinds: Vec<&str> = WRITTEN.iter().map(|k| k.id()).collect();
            return Err(format!(
                "unknown edge kind `{kind}` (the kinds: {})",
                kinds.join(", ")
            ));
        }
    };
    let event = |id: &str| {
        spec.events
            .iter()
            .position(|e| e.id == id)
            .ok_or_else(|| format!("the edge names event `{id}`, which is not declared"))
    };
    let (from, to) = (event(from)?, event(to)?);
    if from == to {
        return Err("an edge needs two different events".into());
    }
    let mut edge = Edge::new(kind, from, to);
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
pub fn tokenize(line: &str) -> Result<Vec<String>, String> {
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
