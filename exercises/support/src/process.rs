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
/// binaries — once it has run for `limit`. The exit status is not checked. On Unix, a Ctrl-C
/// (SIGINT) while it runs kills that group too, then this process, as SIGINT would have.
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
    // The child's group is out of the terminal's reach: a Ctrl-C must kill it from here.
    #[cfg(unix)]
    let _live = interrupt::track(child.id());
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

/// Ctrl-C. The terminal sends SIGINT to its foreground process group, which a child of
/// [`run_within`] has left: it leads a group of its own, so that a deadline can kill all it
/// started. Without this, a Ctrl-C would end the runner and leave the child running. The first
/// [`run_within`] installs a handler that kills every live child's group, then lets SIGINT end
/// this process as it would have.
#[cfg(unix)]
mod interrupt {
    use std::sync::Once;
    use std::sync::atomic::{AtomicI32, Ordering};

    // The three calls and two signal numbers this needs, declared here rather than taken from
    // the `libc` crate, so the crate every chapter depends on stays dependency-free. SIGINT is 2
    // and SIGKILL 9 on every Unix.
    const SIGINT: i32 = 2;
    const SIGKILL: i32 = 9;
    const SIG_DFL: usize = 0;

    unsafe extern "C" {
        fn signal(signum: i32, handler: usize) -> usize;
        fn kill(pid: i32, signal: i32) -> i32;
        fn raise(signal: i32) -> i32;
    }

    /// The groups of the children running now; 0 marks a free slot. Atomics in a fixed array,
    /// because a signal handler may not lock or allocate.
    static GROUPS: [AtomicI32; 64] = [const { AtomicI32::new(0) }; 64];

    /// A child's group, recorded while it runs; the slot is freed when this is dropped.
    pub struct Live(Option<usize>);

    /// Records `pid`'s group (the child leads it, so its id is the pid), installing the handler
    /// on the first call. A 65th child at once goes unrecorded: Ctrl-C would miss only it.
    pub fn track(pid: u32) -> Live {
        static INSTALL: Once = Once::new();
        INSTALL.call_once(|| {
            // SAFETY: `on_interrupt` has the signature a handler needs and does only what a
            // handler may (atomic loads, `kill`, `signal`, `raise`).
            unsafe { signal(SIGINT, on_interrupt as extern "C" fn(i32) as usize) };
        });
        let Ok(group) = i32::try_from(pid) else {
            return Live(None);
        };
        let free = GROUPS.iter().position(|slot| {
            // Relaxed: the slot's only data is this value; the handler reads it alone.
            slot.compare_exchange(0, group, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
        });
        Live(free)
    }

    impl Drop for Live {
        fn drop(&mut self) {
            if let Some(slot) = self.0 {
                // Relaxed: a handler that still sees the old value kills a group that has
                // just ended, which is harmless.
                GROUPS[slot].store(0, Ordering::Relaxed);
            }
        }
    }

    extern "C" fn on_interrupt(_signal: i32) {
        for slot in &GROUPS {
            // Relaxed: a child recorded a moment too late for this load is one that started
            // after the Ctrl-C, as far as anyone can tell.
            let group = slot.load(Ordering::Relaxed);
            if group > 0 {
                // SAFETY: `kill` is async-signal-safe; a negative pid names the whole group.
                unsafe { kill(-group, SIGKILL) };
            }
        }
        // SAFETY: both are async-signal-safe. With the default action restored, SIGINT ends
        // this process the way it would have without the handler.
        unsafe {
            signal(SIGINT, SIG_DFL);
            raise(SIGINT);
        }
    }
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

    /// Where the child half of the Ctrl-C test writes the pid of the group it started.
    #[cfg(target_os = "linux")]
    const PID_FILE: &str = "SUPPORT_INTERRUPT_PID_FILE";

    /// The child half of the test below, run by it in a process of its own: starts a group
    /// that sleeps, writes the group's id, and waits for the Ctrl-C.
    #[cfg(target_os = "linux")]
    #[test]
    #[ignore = "the child half of ctrl_c_kills_the_group_of_a_running_child"]
    fn child_waiting_for_ctrl_c() {
        let file = std::env::var_os(PID_FILE).expect("run by the test below, which sets it");
        let mut command = Command::new("sh");
        // `exec`: the sleep keeps the shell's pid, which is the group's id.
        command
            .args(["-c", "echo $$ > \"$0\"; exec sleep 60"])
            .arg(file);
        let _ = run_within(&mut command, Duration::from_secs(120));
        panic!("the sleep was not interrupted");
    }

    /// Whether process `pid` is gone: no entry in /proc, or a zombie nobody has reaped yet.
    #[cfg(target_os = "linux")]
    fn gone(pid: &str) -> bool {
        match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
            Err(_) => true,
            Ok(stat) => stat
                .rsplit_once(") ")
                .is_some_and(|(_, rest)| rest.starts_with('Z')),
        }
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn ctrl_c_kills_the_group_of_a_running_child() {
        use std::os::unix::process::ExitStatusExt;

        let file = std::env::temp_dir().join(format!("support-ctrl-c-{}", std::process::id()));
        let _ = std::fs::remove_file(&file);
        let mut runner = Command::new(std::env::current_exe().unwrap())
            .args([
                "--ignored",
                "--exact",
                "process::tests::child_waiting_for_ctrl_c",
            ])
            .env(PID_FILE, &file)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let started = Instant::now();
        let sleeper = loop {
            let text = std::fs::read_to_string(&file).unwrap_or_default();
            if text.ends_with('\n') {
                break text.trim().to_owned();
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "no child started"
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        // What a Ctrl-C in the terminal does to the runner (its group gets SIGINT; the child's,
        // being its own, does not).
        Command::new("kill")
            .args(["-INT", &runner.id().to_string()])
            .status()
            .unwrap();
        let status = runner.wait().unwrap();
        let _ = std::fs::remove_file(&file);
        let killed = Instant::now();
        while !gone(&sleeper) && killed.elapsed() < Duration::from_secs(10) {
            std::thread::sleep(Duration::from_millis(20));
        }
        let left = !gone(&sleeper);
        if left {
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{sleeper}")])
                .status();
        }
        assert!(!left, "the child's group outlived the interrupted runner");
        assert_eq!(
            status.signal(),
            Some(2),
            "the runner did not end by SIGINT: {status}"
        );
    }
}
