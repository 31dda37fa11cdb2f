//! The one description of the machine that every "Measured on" line uses (benchmarks, litmus
//! results): CPU model, logical CPUs, physical cores and SMT siblings, NUMA nodes, the frequency
//! governor when the kernel exposes one, the OS, the kernel and the compiler.
//!
//! Everything is read from `/proc` and `/sys` (no `uname`, no `lscpu`), and every reader is a pure
//! function over the file's text so the tests below need no particular machine. A fact that
//! cannot be read is left out of the line rather than guessed.

use crate::util::{Result, anyhow, capture, cmd};
use std::fs;
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

/// What the machine is, as far as the kernel tells.
#[derive(Debug, Clone, PartialEq)]
pub struct Machine {
    /// `model name` from `/proc/cpuinfo`.
    pub cpu: String,
    /// Logical CPUs this process may run on.
    pub logical: usize,
    /// Distinct physical cores among them (`None` when the topology files are missing).
    pub cores: Option<usize>,
    /// Logical CPUs per core: 1 without SMT, 2 with two hyperthreads per core.
    pub smt: Option<usize>,
    /// NUMA nodes (`/sys/devices/system/node/node*`).
    pub numa_nodes: Option<usize>,
    /// The cpufreq governor of CPU 0 (virtual machines usually have none).
    pub governor: Option<String>,
    /// `/etc/os-release`'s `PRETTY_NAME`.
    pub os: String,
    /// `/proc/sys/kernel/osrelease`.
    pub kernel: String,
    /// `rustc --version`.
    pub rustc: String,
}

/// Reads the machine's facts. Only `rustc --version` failing is an error: the other facts fall
/// back to "unknown" or are left out.
pub fn read() -> Result<Machine> {
    let text = |path: &str| fs::read_to_string(path).ok();
    let cpu = text("/proc/cpuinfo")
        .and_then(|t| cpu_model(&t))
        .unwrap_or_else(|| "unknown CPU".to_owned());
    let logical = std::thread::available_parallelism().map_or(1, |n| n.get());
    let siblings = sibling_lists(Path::new("/sys/devices/system/cpu"));
    let (cores, smt) = match core_count(&siblings) {
        Some((cores, smt)) => (Some(cores), Some(smt)),
        None => (None, None),
    };
    let numa_nodes = fs::read_dir("/sys/devices/system/node").ok().map(|dir| {
        dir.filter_map(|e| e.ok())
            .filter(|e| is_node_dir(&e.file_name().to_string_lossy()))
            .count()
    });
    let governor = text("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor")
        .map(|g| g.trim().to_owned())
        .filter(|g| !g.is_empty());
    let os = text("/etc/os-release")
        .and_then(|t| pretty_name(&t))
        .unwrap_or_else(|| std::env::consts::OS.to_owned());
    let kernel = text("/proc/sys/kernel/osrelease")
        .map(|k| k.trim().to_owned())
        .filter(|k| !k.is_empty())
        .unwrap_or_else(|| "unknown".to_owned());
    let rustc = first_line("rustc", &["--version"])
        .ok_or_else(|| anyhow!("`rustc --version` failed: is rustc on PATH?"))?;
    Ok(Machine {
        cpu,
        logical,
        cores,
        smt,
        numa_nodes: numa_nodes.filter(|&n| n > 0),
        governor,
        os,
        kernel,
        rustc,
    })
}

/// One line naming the machine, system and compiler, for a "Measured on" sentence.
pub fn machine() -> Result<String> {
    Ok(describe(&read()?))
}

/// The line [`machine`] prints, from facts already read.
pub fn describe(m: &Machine) -> String {
    let mut topology = format!("{} logical CPUs", m.logical);
    if let (Some(cores), Some(smt)) = (m.cores, m.smt) {
        let smt = if smt > 1 {
            format!("{smt} SMT siblings per core")
        } else {
            "no SMT siblings".to_owned()
        };
        let plural = if cores == 1 { "" } else { "s" };
        topology = format!("{topology} on {cores} core{plural}, {smt}");
    }
    if let Some(nodes) = m.numa_nodes {
        let plural = if nodes == 1 { "" } else { "s" };
        topology = format!("{topology}, {nodes} NUMA node{plural}");
    }
    let governor = m.governor.as_ref().map_or_else(
        || "no cpufreq governor exposed".to_owned(),
        |g| format!("governor {g}"),
    );
    format!(
        "{} ({}), {topology}, {governor}; {}, kernel {}; {}",
        m.cpu,
        std::env::consts::ARCH,
        m.os,
        m.kernel,
        m.rustc
    )
}

/// Today's UTC date as `YYYY-MM-DD`.
pub fn today() -> Result<String> {
    let secs = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs();
    let (year, month, day) = civil_date(secs);
    Ok(format!("{year:04}-{month:02}-{day:02}"))
}

/// The first line a command prints, if it succeeds.
fn first_line(program: &str, args: &[&str]) -> Option<String> {
    let output = capture(cmd(program).args(args)).ok()?;
    let text = String::from_utf8(output.stdout).ok()?;
    let line = text.lines().next()?.trim();
    (output.status.success() && !line.is_empty()).then(|| line.to_owned())
}

/// The `model name` line of `/proc/cpuinfo`.
pub fn cpu_model(cpuinfo: &str) -> Option<String> {
    cpuinfo.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        (key.trim() == "model name").then(|| value.split_whitespace().collect::<Vec<_>>().join(" "))
    })
}

/// `PRETTY_NAME` from `/etc/os-release`, unquoted.
pub fn pretty_name(os_release: &str) -> Option<String> {
    os_release.lines().find_map(|line| {
        let value = line.strip_prefix("PRETTY_NAME=")?;
        Some(value.trim().trim_matches('"').trim_matches('\'').to_owned())
    })
}

/// `node0`, `node1`, ... but not `node` files such as `online`.
fn is_node_dir(name: &str) -> bool {
    name.strip_prefix("node")
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Each online CPU's `topology/thread_siblings_list` (e.g. `0,4` or `0-1`), trimmed.
fn sibling_lists(cpu_dir: &Path) -> Vec<String> {
    let Ok(entries) = fs::read_dir(cpu_dir) else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok())
        .filter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.strip_prefix("cpu")
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        })
        .filter_map(|e| fs::read_to_string(e.path().join("topology/thread_siblings_list")).ok())
        .map(|s| s.trim().to_owned())
        .collect()
}

/// `(physical cores, logical CPUs per core)` from every CPU's sibling list: CPUs that list the
/// same siblings share a core.
pub fn core_count(sibling_lists: &[String]) -> Option<(usize, usize)> {
    if sibling_lists.is_empty() {
        return None;
    }
    let mut distinct: Vec<&str> = sibling_lists.iter().map(String::as_str).collect();
    distinct.sort_unstable();
    distinct.dedup();
    let cores = distinct.len();
    Some((cores, sibling_lists.len().div_ceil(cores)))
}

/// The UTC calendar date `(year, month, day)` of a Unix time (Howard Hinnant's `civil_from_days`).
pub fn civil_date(unix_secs: u64) -> (i64, u32, u32) {
    let days = (unix_secs / 86_400) as i64 + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * shifted_month + 2) / 5 + 1) as u32;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn machine_facts_are_read_from_system_files() {
        let cpuinfo = "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC  7763 64-Core Processor\n";
        assert_eq!(
            cpu_model(cpuinfo).as_deref(),
            Some("AMD EPYC 7763 64-Core Processor")
        );
        let os_release =
            "NAME=\"Debian GNU/Linux\"\nPRETTY_NAME=\"Debian GNU/Linux 13 (trixie)\"\n";
        assert_eq!(
            pretty_name(os_release).as_deref(),
            Some("Debian GNU/Linux 13 (trixie)")
        );
        assert!(is_node_dir("node0") && is_node_dir("node12"));
        assert!(!is_node_dir("node") && !is_node_dir("online") && !is_node_dir("nodex"));
    }

    #[test]
    fn siblings_give_cores_and_smt() {
        let lists = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(core_count(&lists(&["0", "1"])), Some((2, 1)));
        assert_eq!(
            core_count(&lists(&["0,2", "1,3", "0,2", "1,3"])),
            Some((2, 2))
        );
        assert_eq!(core_count(&lists(&["0-1", "0-1"])), Some((1, 2)));
        assert_eq!(core_count(&[]), None);
    }

    #[test]
    fn the_line_states_topology_and_missing_facts() {
        let m = Machine {
            cpu: "AMD EPYC".into(),
            logical: 2,
            cores: Some(2),
            smt: Some(1),
            numa_nodes: Some(1),
            governor: None,
            os: "Debian".into(),
            kernel: "6.1.0".into(),
            rustc: "rustc 1.95.0".into(),
        };
        let line = describe(&m);
        assert!(
            line.contains("2 logical CPUs on 2 cores, no SMT siblings, 1 NUMA node"),
            "{line}"
        );
        assert!(line.contains("no cpufreq governor exposed"), "{line}");
        assert!(
            line.ends_with("; Debian, kernel 6.1.0; rustc 1.95.0"),
            "{line}"
        );
        let smt = describe(&Machine {
            smt: Some(2),
            cores: Some(1),
            governor: Some("performance".into()),
            ..m
        });
        assert!(smt.contains("on 1 core, 2 SMT siblings per core"), "{smt}");
        assert!(smt.contains("governor performance"), "{smt}");
    }

    #[test]
    fn dates_are_utc_calendar_days() {
        assert_eq!(civil_date(0), (1970, 1, 1));
        assert_eq!(civil_date(951_782_400), (2000, 2, 29));
        assert_eq!(civil_date(1_779_235_200 + 86_399), (2026, 5, 20));
    }
}
