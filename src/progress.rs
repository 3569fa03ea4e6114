//! A live progress line for a person at a terminal: what is being checked ([`status`]), and
//! while the tool waits on purpose (a rate limit's back-off, `--wait-for-grant`'s pause) what
//! is awaited and how long is left, counting down. It is one line on stderr, never wider than
//! the terminal (a wrapped line could not be erased; a long client id or URL is cut with an
//! ellipsis), and it is erased ([`clear`]) before the report starts, so the report is
//! untouched. On anything but a terminal it prints nothing: logs, pipes, tests and CI see
//! exactly what they saw before.
//!
//! Several waits may run at once (probes sent together are rate-limited together): one line
//! shows the wait with the most time left and how many others there are.

use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Waits shorter than this are not shown: a line that flashes for a moment says nothing.
const SHOWN_FROM: Duration = Duration::from_secs(1);
/// How often the countdown is redrawn.
const TICK: Duration = Duration::from_millis(250);
/// Erase the cursor's line: back to its start, clear to its end.
const ERASE: &str = "\r\x1b[K";

/// The waits going on, what is being done, and the line on the screen (empty when none).
#[derive(Default)]
struct Board {
    waits: Vec<(u64, String, Instant)>,
    status: Option<String>,
    shown: String,
}

impl Board {
    /// The line for `now`: the wait ending last (the time left first, so that a narrow
    /// terminal cuts the description, never the countdown), and how many others there are.
    fn line(&self, now: Instant) -> Option<String> {
        // A wait whose time is up is over, even before its task wakes to say so.
        let going: Vec<_> = self
            .waits
            .iter()
            .filter(|(_, _, until)| *until > now)
            .collect();
        let Some((_, what, until)) = going.iter().max_by_key(|(_, _, until)| *until) else {
            return self.status.clone();
        };
        let left = remaining(until.saturating_duration_since(now));
        let others = match going.len() - 1 {
            0 => String::new(),
            n => format!(" (and {n} more)"),
        };
        Some(format!("waiting {left}{others} {what}"))
    }

    /// What to write so the screen shows the current state, fitted to `width` columns (a
    /// wrapped line could not be erased); nothing when the screen shows it already.
    fn frame(&mut self, now: Instant, width: usize) -> String {
        let frame = match self.line(now) {
            Some(line) => format!("{ERASE}{}", fit(&line, width)),
            None if self.shown.is_empty() => String::new(),
            None => ERASE.to_string(),
        };
        if frame == self.shown || (frame == ERASE && self.shown.is_empty()) {
            return String::new();
        }
        self.shown = if frame == ERASE {
            String::new()
        } else {
            frame.clone()
        };
        frame
    }
}

static BOARD: Mutex<Board> = Mutex::new(Board {
    waits: Vec::new(),
    status: None,
    shown: String::new(),
});

/// `line` cut to fit a terminal `width` columns wide with the cursor after it (one column
/// spare), an ellipsis where it was cut.
fn fit(line: &str, width: usize) -> String {
    let room = width.saturating_sub(1);
    if line.chars().count() <= room {
        return line.to_string();
    }
    let cut: String = line.chars().take(room.saturating_sub(1)).collect();
    format!("{cut}…")
}

/// Shows `text` ("checking staging (https://…)…") as the progress line, on a terminal,
/// until [`clear`] or a wait's countdown takes the line.
pub fn status(text: &str) {
    if !std::io::stderr().is_terminal() {
        return;
    }
    BOARD.lock().unwrap_or_else(|e| e.into_inner()).status = Some(text.to_string());
    draw(Instant::now());
}

/// Erases the progress line: called before a report is printed.
pub fn clear() {
    BOARD.lock().unwrap_or_else(|e| e.into_inner()).status = None;
    draw(Instant::now());
}
static NEXT_ID: AtomicU64 = AtomicU64::new(0);

/// `4 s`, `1 m 05 s`: whole seconds, rounded up so that `0 s` never shows while waiting.
fn remaining(left: Duration) -> String {
    let secs = left.as_secs() + u64::from(left.subsec_nanos() > 0);
    if secs < 60 {
        format!("{secs} s")
    } else {
        format!("{} m {:02} s", secs / 60, secs % 60)
    }
}

/// The width of stderr's terminal, or 80.
fn stderr_width() -> usize {
    terminal_size::terminal_size_of(std::io::stderr())
        .map(|(terminal_size::Width(w), _)| usize::from(w))
        .unwrap_or(80)
}

/// Brings stderr up to date with the board.
fn draw(now: Instant) {
    let mut board = BOARD.lock().unwrap_or_else(|e| e.into_inner());
    let frame = board.frame(now, stderr_width());
    if !frame.is_empty() {
        let mut err = std::io::stderr().lock();
        let _ = err.write_all(frame.as_bytes()).and_then(|_| err.flush());
    }
}

/// Sleeps for `duration`, showing the time left and `what` (how the line goes on after
/// "waiting 4 s": "for …", "after …") on stderr when `show` is true, stderr is a terminal and the wait is long enough to
/// read. The line is erased before this returns.
pub async fn sleep(what: &str, duration: Duration, show: bool) {
    if !show || duration < SHOWN_FROM || !std::io::stderr().is_terminal() {
        tokio::time::sleep(duration).await;
        return;
    }
    let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
    let until = Instant::now() + duration;
    BOARD
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .waits
        .push((id, what.to_string(), until));
    // Removes this wait from the board however the sleep ends (a dropped future included).
    struct Leave(u64);
    impl Drop for Leave {
        fn drop(&mut self) {
            let mut board = BOARD.lock().unwrap_or_else(|e| e.into_inner());
            board.waits.retain(|(id, _, _)| *id != self.0);
            drop(board);
            draw(Instant::now());
        }
    }
    let _leave = Leave(id);
    loop {
        let now = Instant::now();
        if now >= until {
            break;
        }
        draw(now);
        tokio::time::sleep(TICK.min(until - now)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_says_what_is_awaited_and_how_long_is_left() {
        let now = Instant::now();
        let mut board = Board::default();
        assert_eq!(board.frame(now, 80), "", "nothing to draw, nothing drawn");
        let soon = now + Duration::from_millis(4200);
        board.waits.push((1, "for the API".into(), soon));
        assert_eq!(board.frame(now, 80), "\r\x1b[Kwaiting 5 s for the API");
        assert_eq!(board.frame(now, 80), "", "the screen shows it already");
        board
            .waits
            .push((2, "for later".into(), now + Duration::from_secs(75)));
        board
            .waits
            .push((3, "for soon".into(), now + Duration::from_secs(1)));
        assert_eq!(
            board.frame(now, 80),
            "\r\x1b[Kwaiting 1 m 15 s (and 2 more) for later"
        );
        board.waits.truncate(1);
        assert_eq!(
            board.frame(now, 14),
            "\r\x1b[Kwaiting 5 s …",
            "fits the width, cut with an ellipsis"
        );
        board.waits.clear();
        assert_eq!(board.frame(now, 80), ERASE, "erased when the waits end");
        assert_eq!(board.frame(now, 80), "", "and only once");
    }

    #[test]
    fn the_status_line_is_cut_to_the_width_and_gives_way_to_a_wait() {
        let now = Instant::now();
        let mut board = Board {
            status: Some(format!(
                "checking {} (https://auth.example/token/)…",
                "c".repeat(90)
            )),
            ..Board::default()
        };
        let frame = board.frame(now, 80);
        let shown = frame.strip_prefix(ERASE).expect("a fresh line");
        assert_eq!(shown.chars().count(), 79, "{shown}");
        assert!(shown.ends_with('…'));
        board
            .waits
            .push((1, "for the API".into(), now + Duration::from_secs(3)));
        assert_eq!(board.frame(now, 80), "\r\x1b[Kwaiting 3 s for the API");
        board.waits.clear();
        assert!(
            board.frame(now, 80).starts_with("\r\x1b[Kchecking"),
            "back to the status"
        );
        board.status = None;
        assert_eq!(board.frame(now, 80), ERASE, "erased when cleared");
        assert_eq!(fit("short", 80), "short");
    }

    #[test]
    fn the_time_left_never_reads_zero_while_waiting() {
        assert_eq!(remaining(Duration::from_millis(1)), "1 s");
        assert_eq!(remaining(Duration::from_secs(59)), "59 s");
        assert_eq!(remaining(Duration::from_secs(60)), "1 m 00 s");
        assert_eq!(remaining(Duration::ZERO), "0 s");
    }

    #[tokio::test]
    async fn off_a_terminal_it_only_sleeps() {
        // Under a test runner stderr is a pipe: nothing is registered or drawn.
        if std::io::stderr().is_terminal() {
            return;
        }
        let started = Instant::now();
        sleep("waiting", Duration::from_millis(1100), true).await;
        assert!(started.elapsed() >= Duration::from_millis(1100));
        assert!(BOARD.lock().unwrap().waits.is_empty());
        assert!(BOARD.lock().unwrap().shown.is_empty());
    }
}
