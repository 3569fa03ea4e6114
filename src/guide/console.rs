//! The guide's terminal: what it says goes to stdout wrapped to the terminal's width (80
//! columns when stdout is not a terminal, so that piped output and snapshots are stable);
//! answers come from stdin, the secret with echo off (rpassword reads the controlling
//! terminal). Unattended (`--answers FILE`), every question ends the input at once.

use std::io::BufRead;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use crate::exit::Exit;
use crate::secret::Secret;
use crate::text::wrap_indented;

/// Width when stdout is not a terminal.
const DEFAULT_WIDTH: usize = 80;
/// Narrower than this, wrapping would make every line a word.
const MIN_WIDTH: usize = 40;
/// Wider than this, lines are hard to follow: wide terminals get this.
const MAX_WIDTH: usize = 100;

/// Where the guide's words go and its answers come from.
pub struct Console {
    /// Whether a person answers; `false` with `--answers FILE`.
    interactive: bool,
    /// Set while the hidden prompt reads, the terminal in raw mode: a Ctrl-C there is read
    /// as a key by rpassword, which gives the terminal back its echo and then raises SIGINT.
    hidden: Arc<AtomicBool>,
    /// The terminal's settings from before the hidden prompt, to give back if a SIGTERM stops
    /// the guide there (rpassword's read cannot be interrupted).
    saved: Arc<Mutex<Option<tty::Saved>>>,
}

impl Console {
    pub fn new(interactive: bool) -> Console {
        Console {
            interactive,
            hidden: Arc::new(AtomicBool::new(false)),
            saved: Arc::new(Mutex::new(None)),
        }
    }

    /// From now on a Ctrl-C or SIGTERM ends the guide at once with 130, "interrupted" on
    /// stderr, wherever it is: at a question, during a verification, or at the hidden prompt —
    /// there only once the terminal has its echo back (killed in raw mode, the process used
    /// to leave the person's shell with no echo and no Ctrl-C). Nothing more is written.
    pub fn end_on_interrupt(&self, rt: &tokio::runtime::Runtime) {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let listen = |kind| rt.block_on(async { signal(kind) }).ok();
            let (Some(mut int), Some(mut term)) = (
                listen(SignalKind::interrupt()),
                listen(SignalKind::terminate()),
            ) else {
                return;
            };
            let (hidden, saved) = (self.hidden.clone(), self.saved.clone());
            rt.spawn(async move {
                loop {
                    tokio::select! {
                        _ = int.recv() => {
                            // At the hidden prompt in raw mode, the SIGINT is rpassword's own
                            // (after it restored the terminal); `ask_hidden` ends the run. A
                            // Ctrl-C in the instant before raw mode is the kernel's: end here.
                            let saved = saved.lock().unwrap_or_else(|e| e.into_inner());
                            let rpasswords = hidden.load(Ordering::SeqCst)
                                && saved.as_ref().is_some_and(|s| !s.signals_on());
                            if !rpasswords {
                                if let Some(saved) = saved.as_ref() {
                                    saved.restore();
                                }
                                interrupted();
                            }
                        }
                        _ = term.recv() => {
                            if let Some(saved) = saved.lock().unwrap_or_else(|e| e.into_inner()).take() {
                                saved.restore();
                            }
                            interrupted();
                        }
                    }
                }
            });
        }
        #[cfg(not(unix))]
        let _ = rt;
    }

    /// The width text is wrapped to: the terminal's, within [`MIN_WIDTH`]..=[`MAX_WIDTH`].
    pub fn width(&self) -> usize {
        terminal_size::terminal_size_of(std::io::stdout())
            .map_or(DEFAULT_WIDTH, |(w, _)| usize::from(w.0))
            .clamp(MIN_WIDTH, MAX_WIDTH)
    }

    /// Show text (already redacted), each line wrapped with its own indent.
    pub fn say(&mut self, text: &str) {
        crate::process::print_result(&wrap_indented(text, self.width()));
    }

    /// Ask for one line, trimmed; `None` at the end of input (or unattended).
    pub fn ask(&mut self, prompt: &str) -> Option<String> {
        if !self.interactive {
            return None;
        }
        crate::process::print_result(prompt);
        let mut line = String::new();
        match std::io::stdin().lock().read_line(&mut line) {
            Ok(0) | Err(_) => None,
            Ok(_) => Some(line.trim().to_string()),
        }
    }

    /// Ask for a secret without echo; `None` at the end of input (or unattended).
    pub fn ask_hidden(&mut self, prompt: &str) -> Option<Secret> {
        if !self.interactive {
            return None;
        }
        *self.saved.lock().unwrap_or_else(|e| e.into_inner()) = tty::Saved::now();
        self.hidden.store(true, Ordering::SeqCst);
        let read = rpassword::prompt_password(prompt);
        self.hidden.store(false, Ordering::SeqCst);
        *self.saved.lock().unwrap_or_else(|e| e.into_inner()) = None;
        match read {
            // Ctrl-C: the terminal is restored by now.
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => interrupted(),
            read => read.ok().map(Secret::new),
        }
    }

    /// Ask until the answer is one of `choices` (a whole word or its first letter, any case);
    /// returns that choice, or `None` at the end of input. `hint` is said after a wrong answer.
    pub fn choose(
        &mut self,
        prompt: &str,
        choices: &[&'static str],
        hint: &str,
    ) -> Option<&'static str> {
        loop {
            let answer = self.ask(prompt)?.to_ascii_lowercase();
            let picked = choices
                .iter()
                .find(|c| answer == **c || (answer.len() == 1 && c.starts_with(&answer)));
            match picked {
                Some(choice) => return Some(choice),
                None => self.say(hint),
            }
        }
    }
}

/// The guide's end at a Ctrl-C: a line on stderr (after the `^C` the terminal echoed), 130.
fn interrupted() -> ! {
    crate::process::print_note("\nkraken-doctor guide: interrupted");
    std::process::exit(i32::from(Exit::Interrupted.code()))
}

/// The controlling terminal's settings, saved and given back (Unix; elsewhere nothing).
mod tty {
    /// The terminal (`/dev/tty`, the one rpassword reads) and its settings when saved.
    pub struct Saved {
        #[cfg(unix)]
        tty: std::fs::File,
        #[cfg(unix)]
        settings: rustix::termios::Termios,
    }

    impl Saved {
        /// The settings now, if there is a controlling terminal.
        pub fn now() -> Option<Saved> {
            #[cfg(unix)]
            {
                let tty = std::fs::File::open("/dev/tty").ok()?;
                let settings = rustix::termios::tcgetattr(&tty).ok()?;
                Some(Saved { tty, settings })
            }
            #[cfg(not(unix))]
            None
        }

        /// Whether the terminal now turns Ctrl-C into SIGINT (not in rpassword's raw mode).
        pub fn signals_on(&self) -> bool {
            #[cfg(unix)]
            {
                rustix::termios::tcgetattr(&self.tty).map_or(true, |now| {
                    now.local_modes.contains(rustix::termios::LocalModes::ISIG)
                })
            }
            #[cfg(not(unix))]
            true
        }

        /// Give them back.
        pub fn restore(&self) {
            #[cfg(unix)]
            let _ = rustix::termios::tcsetattr(
                &self.tty,
                rustix::termios::OptionalActions::Now,
                &self.settings,
            );
        }
    }
}
