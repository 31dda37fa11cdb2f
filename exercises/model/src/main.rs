//! `model [--model c++20|rc11] [--graph DIR [--state STATE]] FILE...`: checks each litmus
//! file and prints herd7's report for it. Bad input: one `file:line:column: message` line on
//! standard error and exit status 2.

use model::{Model, check_file, graph, parse_file, report};
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "\
usage: model [--model c++20|rc11] [--graph DIR [--state STATE]] FILE...

  --model NAME   c++20 (default: the standard as written, no no-thin-air axiom) or rc11
                 (RC11 as published: C++11 release sequences and acyclic(sb ∪ rf))
  --graph DIR    write each consistent execution as an SVG happens-before graph into DIR
  --state STATE  with --graph: only executions ending in STATE, written as the report
                 prints it, for example '0:r0=0; 1:r0=0;'
  FILE           a litmus test, in herd7's C format (first line `C NAME`) or the book's
                 Rust-flavoured form (first line `litmus NAME`)
";

struct Args {
    model: Model,
    graph: Option<PathBuf>,
    state: Option<String>,
    files: Vec<PathBuf>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        model: Model::Cpp20,
        graph: None,
        state: None,
        files: Vec::new(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |flag: &str| it.next().ok_or_else(|| format!("{flag} needs a value"));
        match arg.as_str() {
            "--model" => args.model = value("--model")?.parse()?,
            "--graph" => args.graph = Some(PathBuf::from(value("--graph")?)),
            "--state" => args.state = Some(value("--state")?),
            "-h" | "--help" => return Err(String::new()),
            flag if flag.starts_with('-') => {
                return Err(format!(
                    "unknown option `{flag}`: the options are --model, --graph, --state"
                ));
            }
            file => args.files.push(PathBuf::from(file)),
        }
    }
    if args.files.is_empty() {
        return Err("no litmus file given".into());
    }
    if args.state.is_some() && args.graph.is_none() {
        return Err("--state goes with --graph".into());
    }
    Ok(args)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) if message.is_empty() => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("model: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    for file in &args.files {
        let shown = file.display().to_string();
        let result = parse_file(file).and_then(|program| {
            let verdict = check_file(&shown, &program, args.model)?;
            Ok((program, verdict))
        });
        match result {
            Ok((program, verdict)) => {
                println!("{}", report::render(&verdict, program.condition.as_ref()));
                if let Some(dir) = &args.graph {
                    match graph::write_all(&program, args.model, args.state.as_deref(), dir) {
                        Ok(written) => {
                            eprintln!("model: wrote {written} graph(s) into {}", dir.display())
                        }
                        Err(message) => {
                            eprintln!("model: {message}");
                            return ExitCode::from(2);
                        }
                    }
                }
            }
            Err(error) => {
                eprintln!("{error}");
                return ExitCode::from(2);
            }
        }
    }
    ExitCode::SUCCESS
}
