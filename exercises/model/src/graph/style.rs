//! The kinds of edge a graph draws, and how each looks: colour, width, dash pattern, arrow,
//! and the words the legend and the text description use.

/// The kinds of edge, in legend order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// Sequenced-before between consecutive events of a thread.
    Sb,
    /// Reads-from.
    Rf,
    /// Modification order, between consecutive writes of a location.
    Mo,
    /// Reads-before (from-read): a read to the write that overwrites what it read.
    Rb,
    /// Synchronizes-with.
    Sw,
    /// A happens-before edge that follows from the others.
    Hb,
    /// Two accesses that no happens-before path orders: the missing edge of a data race.
    NoHb,
}

impl Kind {
    /// Every kind, in legend order.
    pub const ALL: [Kind; 7] = [
        Kind::Sb,
        Kind::Rf,
        Kind::Mo,
        Kind::Rb,
        Kind::Sw,
        Kind::Hb,
        Kind::NoHb,
    ];

    /// The short name: the `.hb` spec's keyword and the arrowhead's id.
    pub fn id(self) -> &'static str {
        match self {
            Kind::Sb => "sb",
            Kind::Rf => "rf",
            Kind::Mo => "mo",
            Kind::Rb => "rb",
            Kind::Sw => "sw",
            Kind::Hb => "hb",
            Kind::NoHb => "nohb",
        }
    }

    /// The label an edge gets when none is given.
    pub fn short(self) -> &'static str {
        match self {
            Kind::Sb => "",
            Kind::NoHb => "no hb",
            other => other.id(),
        }
    }

    /// The legend's entry.
    pub fn legend(self) -> &'static str {
        match self {
            Kind::Sb => "sequenced-before (program order)",
            Kind::Rf => "rf: reads-from",
            Kind::Mo => "mo: modification order",
            Kind::Rb => "rb: reads-before (overwritten by)",
            Kind::Sw => "sw: synchronizes-with",
            Kind::Hb => "hb: happens-before, by transitivity",
            Kind::NoHb => "no hb: not ordered by happens-before",
        }
    }

    /// How a text description says `a → b`: "`a` {words} `b`".
    pub fn words(self) -> &'static str {
        match self {
            Kind::Sb => "is sequenced before",
            Kind::Rf => "is read by",
            Kind::Mo => "is followed in modification order by",
            Kind::Rb => "reads a value overwritten by",
            Kind::Sw => "synchronizes with",
            Kind::Hb => "happens before",
            Kind::NoHb => "is not ordered by happens-before with",
        }
    }

    pub fn colour(self) -> &'static str {
        match self {
            Kind::Sb => "#6b6b6b",
            Kind::Rf => "#1f6fd1",
            Kind::Mo => "#b35900",
            Kind::Rb => "#00838f",
            Kind::Sw => "#16803c",
            Kind::Hb => "#7a3db8",
            Kind::NoHb => "#c62828",
        }
    }

    pub fn width(self) -> f64 {
        match self {
            Kind::Sb => 1.5,
            Kind::Rf | Kind::Mo | Kind::Rb => 1.8,
            Kind::Sw => 3.0,
            Kind::Hb | Kind::NoHb => 2.2,
        }
    }

    /// The stroke's dash pattern; `None` is solid.
    pub fn dash(self) -> Option<&'static str> {
        match self {
            Kind::Sb | Kind::Sw => None,
            Kind::Rf => Some("7 4"),
            Kind::Mo => Some("12 3 3 3"),
            Kind::Rb => Some("4 2 1 2"),
            Kind::Hb => Some("2 4"),
            Kind::NoHb => Some("9 5"),
        }
    }

    /// A missing edge has no direction.
    pub fn arrow(self) -> bool {
        self != Kind::NoHb
    }
}
