//! Running a child process with a time limit, so a check that shells out (a nested `cargo`
//! build, a checker binary, Miri) fails with what hung instead of hanging. The task runner
//! (`ci/xtask`) and the chapters' tests share this one implementation.

use std::io::Read;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// How a command run by [`run_within`] ended.
#[derive(Debug)]
pub struct Run {
    /// Its status and everything it printed, up to the end or to the kill.
    pub output: Output,
    /// Whether it was still running at the deadline and was killed.
    pub timed_out: bool,
}

/// Runs `command` to completion with its output captured, like [`Command::output`], but kills
/// it — on Unix, its whole process group, so a `cargo` kills with its `rustc`s and test
/// binaries — once it has run for `limit`. The exit status is not checked.
///
/// # Errors
/// If the command cannot start.
pub fn run_within(command: &mut Command, limit: Duration) -> std::io::Result<Run> {
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(command, 0);
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    // Both pipes read on threads of their own: a child that fills one would otherwise block
    // forever while we wait for it to exit.
    let pipe = |mut reader: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = reader.read_to_end(&mut bytes);
            bytes
        })
    };
    let stdout = pipe(Box::new(child.stdout.take().expect("piped")));
    let stderr = pipe(Box::new(child.stderr.take().expect("piped")));
    let started = Instant::now();
    let mut timed_out = false;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if started.elapsed() > limit {
            timed_out = true;
            // The group's id is the child's pid (`process_group(0)`).
            #[cfg(unix)]
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", child.id())])
                .status();
            let _ = child.kill();
            break child.wait()?;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let output = Output {
        status,
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
    };
    Ok(Run { output, timed_out })
}

/// [`run_within`] for a test: panics with `what` if the command cannot start or runs past
/// `limit`.
///
/// # Panics
/// If the command cannot start, or runs past `limit`.
pub fn output_within(command: &mut Command, limit: Duration, what: &str) -> Output {
    let run = run_within(command, limit).unwrap_or_else(|e| panic!("{what}: could not start: {e}"));
    if run.timed_out {
        panic!("{what}: still running after {} s, killed", limit.as_secs());
    }
    run.output
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_command_past_its_deadline_is_killed_with_what_it_started() {
        let started = Instant::now();
        let mut command = Command::new("sh");
        // A child that starts a grandchild holding the pipes open: the whole group must go,
        // or reading the pipes would wait for the grandchild's 30 s.
        command.args(["-c", "echo started; sleep 30 & sleep 30"]);
        let run = run_within(&mut command, Duration::from_secs(1)).unwrap();
        assert!(run.timed_out);
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "not stopped in time"
        );
        assert_eq!(String::from_utf8_lossy(&run.output.stdout), "started\n");
    }

    #[test]
    fn a_command_that_finishes_is_not_marked_timed_out() {
        let run = run_within(&mut Command::new("true"), Duration::from_secs(10)).unwrap();
        assert!(!run.timed_out && run.output.status.success());
    }
}
