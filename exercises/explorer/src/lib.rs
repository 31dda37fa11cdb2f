//! The model checker behind the book's "Explore the model" page. [`explore`] and [`graphs`]
//! answer in JSON, the page's only data format; [`ffi`] exports them to the page's
//! JavaScript when compiled to WebAssembly. The same functions run natively in
//! `cargo xtask build`, which writes their answers for every preset next to the presets, so
//! that the browser check can tell a wasm build that drifted from the native checker.

pub mod ffi;
mod json;

use json::Json;
use model::graph::{from_execution, render};
use model::parse::{OrderingSite, Spelling, ordering_sites};
use model::report::CondText;
use model::verdict::State;
use model::{Model, Program, check, consistent_executions, parse};

/// The file name messages give the program in the editor.
pub const FILE: &str = "program";

/// The model named by the page's selector: 0 is `c++20`, anything else `rc11`.
pub fn model(index: u32) -> Model {
    if index == 0 {
        Model::Cpp20
    } else {
        Model::Rc11
    }
}

/// Every outcome of `text` under `model`, and where its orderings are, as JSON:
/// `{"ok":true, "outcomes":[…], "races":[…], "sites":[…], …}`, or
/// `{"ok":false, "error":"program:3:5: …", "line":3, "column":5, "sites":[…]}`.
pub fn explore(text: &str, model: Model) -> String {
    let sites = Json::array(ordering_sites(text).iter().map(|s| site(text, s)));
    let program = match parse(FILE, text) {
        Ok(program) => program,
        Err(error) => return failure(&error, sites),
    };
    let verdict = match check(&program, model) {
        Ok(verdict) => verdict,
        Err(error) => return failure(&error, sites),
    };
    let names = |state: &State| named_state(&program, state);
    let allowed = verdict.states.iter().map(|(state, info)| {
        Json::object()
            .str("state", &names(state))
            .str("herd", &state.to_string())
            .bool("allowed", true)
            .bool("sc", info.under_sc)
            .bool("thinAir", info.thin_air)
            .bool("racy", info.racy)
            .bool("satisfies", info.satisfies)
            .num("executions", info.executions)
            .finish()
    });
    let forbidden = verdict.forbidden.iter().map(|(state, axioms)| {
        Json::object()
            .str("state", &names(state))
            .str("herd", &state.to_string())
            .bool("allowed", false)
            .raw(
                "axioms",
                Json::array(axioms.iter().map(|a| Json::string(a.name()))),
            )
            .finish()
    });
    let condition = program
        .condition
        .as_ref()
        .map(|c| CondText(c).to_string())
        .unwrap_or_default();
    Json::object()
        .bool("ok", true)
        .str("name", &verdict.name)
        .str("model", model.name())
        .str("condition", &condition)
        .str("observation", &verdict.observation().to_string())
        .num("candidates", verdict.candidates)
        .num("consistent", verdict.consistent)
        .raw("outcomes", Json::array(allowed.chain(forbidden)))
        .raw(
            "races",
            Json::array(verdict.races.iter().map(|r| Json::string(&r.to_string()))),
        )
        .raw("sites", sites)
        .finish()
}

/// The execution graphs (SVG, from the book's own renderer) of the `index`-th outcome that
/// [`explore`] lists, as `{"ok":true, "svgs":[…]}`. A forbidden outcome has no consistent
/// execution, so no graph.
pub fn graphs(text: &str, model: Model, index: usize) -> String {
    let program = match parse(FILE, text) {
        Ok(program) => program,
        Err(error) => return failure(&error, Json::array(std::iter::empty())),
    };
    let found = match consistent_executions(FILE, &program, model) {
        Ok(found) => found,
        Err(error) => return failure(&error, Json::array(std::iter::empty())),
    };
    let mut states: Vec<&State> = found.iter().map(|c| &c.state).collect();
    states.sort();
    states.dedup();
    let Some(wanted) = states.get(index) else {
        return Json::object()
            .bool("ok", true)
            .raw("svgs", Json::array(std::iter::empty()))
            .finish();
    };
    let chosen: Vec<_> = found.iter().filter(|c| &c.state == *wanted).collect();
    let svgs = chosen.iter().enumerate().map(|(e, c)| {
        let mut graph = from_execution(&program, model, c);
        graph.title = format!("{} (execution {} of {})", graph.title, e + 1, chosen.len());
        Json::string(&render(&graph))
    });
    Json::object()
        .bool("ok", true)
        .raw("svgs", Json::array(svgs))
        .finish()
}

/// `b.r1 = 1, b.r2 = 0, x = 2`: a state with the threads' names, as the program names them.
fn named_state(program: &Program, state: &State) -> String {
    let parts: Vec<String> = state
        .0
        .iter()
        .map(|(var, value)| match var {
            model::program::Var::Reg { thread, reg } => {
                let name = program
                    .threads
                    .get(*thread)
                    .map_or("?", |t| t.name.as_str());
                format!("{name}.{reg} = {value}")
            }
            model::program::Var::Loc(loc) => format!("{loc} = {value}"),
        })
        .collect();
    parts.join(", ")
}

fn failure(error: &model::Error, sites: String) -> String {
    Json::object()
        .bool("ok", false)
        .str("error", &error.to_string())
        .num("line", error.span.line.into())
        .num("column", error.span.column.into())
        .raw("sites", sites)
        .finish()
}

/// One ordering site, its offsets in UTF-16 code units (JavaScript's string indices), the
/// orderings its menu offers (each with the word to write, in the program's own spelling, and
/// a short label), and the reason for refusing each ordering it may not have (Rust's for a
/// Rust program, C++'s for a C one).
fn site(text: &str, site: &OrderingSite) -> String {
    let utf16 = |byte: usize| text[..byte].encode_utf16().count() as u64;
    let spelling = site.spelling;
    let choices = Spelling::CHOICES.into_iter().filter_map(|mode| {
        Some(
            Json::object()
                .str("mode", mode.rust_name())
                .str("word", spelling.word(mode)?)
                .str("label", spelling.label(mode)?)
                .finish(),
        )
    });
    let refusals = Spelling::CHOICES
        .into_iter()
        .fold(Json::object(), |o, mode| match site.refusal(mode) {
            Some(reason) => o.str(mode.rust_name(), &reason),
            None => o,
        });
    Json::object()
        .num("start", utf16(site.start))
        .num("end", utf16(site.end))
        .num("line", site.line.into())
        .num("column", site.column.into())
        .str("mode", site.mode.rust_name())
        .str("kind", site.kind.name())
        .str("call", &site.call)
        .raw("choices", Json::array(choices))
        .raw("refusals", refusals.finish())
        .finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    const MP: &str = "litmus MP\nthread a { x.store(1, Relaxed); y.store(1, Relaxed); }\n\
                      thread b { let r1 = y.load(Relaxed); let r2 = x.load(Relaxed); }\n\
                      exists (b.r1 == 1 && b.r2 == 0)\n";

    #[test]
    fn mp_relaxed_allows_the_weak_outcome_and_lists_the_forbidden_ones() {
        let json = explore(MP, Model::Cpp20);
        assert!(json.starts_with("{\"ok\":true"), "{json}");
        assert!(
            json.contains(
                "{\"state\":\"b.r1 = 1, b.r2 = 0\",\"herd\":\"1:r1=1; 1:r2=0;\",\"allowed\":true,\"sc\":false"
            ),
            "{json}"
        );
        assert!(json.contains("\"kind\":\"load\""), "{json}");
        assert!(
            json.contains("{\"mode\":\"AcqRel\",\"word\":\"AcqRel\",\"label\":\"AcqRel\"}"),
            "{json}"
        );
        assert!(
            json.contains("there is no such thing as a release load"),
            "{json}"
        );
    }

    #[test]
    fn a_c_program_offers_cs_words_and_is_refused_with_cpps_reason() {
        let lb = "C LB\n{ x = 0; y = 0; }\nP0 (atomic_int* x, atomic_int* y) {\n\
                  int r0 = atomic_load_explicit(x, memory_order_relaxed);\n\
                  atomic_store_explicit(y, 1, memory_order_relaxed);\n}\n";
        let json = explore(lb, Model::Cpp20);
        assert!(json.starts_with("{\"ok\":true"), "{json}");
        assert!(
            json.contains(
                "{\"mode\":\"AcqRel\",\"word\":\"memory_order_acq_rel\",\"label\":\"acq_rel\"}"
            ),
            "{json}"
        );
        assert!(
            json.contains("\"Release\":\"memory_order_release is not allowed on a load: C++"),
            "{json}"
        );
        assert!(!json.contains("Rust panics"), "{json}");
    }

    #[test]
    fn a_syntax_error_is_one_message_with_its_place() {
        let json = explore("litmus X\nthread a { x.store(1 Relaxed); }\n", Model::Cpp20);
        assert!(json.contains("\"ok\":false"), "{json}");
        assert!(json.contains("\"error\":\"program:2:22: "), "{json}");
    }

    #[test]
    fn an_allowed_outcome_has_svg_graphs() {
        let json = graphs(MP, Model::Cpp20, 0);
        assert!(json.contains("<svg") && json.contains("<title"), "{json}");
    }
}
