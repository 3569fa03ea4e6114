//! The report formats, as plain data: names and one line each. `cli` turns this list into
//! clap's `--format` values (help, completions, did-you-mean), so the report knows no clap.

/// How a report is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReportFormat {
    /// For a person at a terminal.
    #[default]
    Human,
    /// One JSON document (schemas/report-v1.schema.json).
    Json,
    /// JUnit XML, one testcase per check.
    Junit,
    /// For GitHub: a summary line, a table of the checks, then the fixes.
    Markdown,
    /// OpenMetrics text, for Prometheus (node_exporter's textfile collector).
    Openmetrics,
}

impl ReportFormat {
    /// Every format, in the order `--help` lists them.
    pub const ALL: [ReportFormat; 5] = [
        ReportFormat::Human,
        ReportFormat::Json,
        ReportFormat::Junit,
        ReportFormat::Markdown,
        ReportFormat::Openmetrics,
    ];

    /// The name `--format` takes.
    pub fn name(self) -> &'static str {
        match self {
            ReportFormat::Human => "human",
            ReportFormat::Json => "json",
            ReportFormat::Junit => "junit",
            ReportFormat::Markdown => "markdown",
            ReportFormat::Openmetrics => "openmetrics",
        }
    }

    /// What it is for, in one line (`--help`).
    pub fn about(self) -> &'static str {
        match self {
            ReportFormat::Human => "For a person at a terminal",
            ReportFormat::Json => "One JSON document (schemas/report-v1.schema.json)",
            ReportFormat::Junit => "JUnit XML, one testcase per check",
            ReportFormat::Markdown => {
                "For GitHub: a summary line, a table of the checks, then the fixes"
            }
            ReportFormat::Openmetrics => {
                "OpenMetrics text for Prometheus: check statuses, exit code, token lifetime"
            }
        }
    }

    /// The format with this name.
    pub fn from_name(name: &str) -> Option<ReportFormat> {
        ReportFormat::ALL.into_iter().find(|f| f.name() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::ReportFormat;

    #[test]
    fn names_round_trip_and_are_distinct() {
        for f in ReportFormat::ALL {
            assert_eq!(ReportFormat::from_name(f.name()), Some(f));
            assert!(!f.about().is_empty() && !f.about().ends_with('.'));
        }
        assert_eq!(ReportFormat::from_name("xml"), None);
    }
}
