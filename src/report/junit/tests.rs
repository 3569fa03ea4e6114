use super::*;
use crate::report::fixtures;
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};
use std::collections::HashMap;

#[test]
fn healthy_report_snapshot() {
    fixtures::snapshot!("report__junit_healthy", &render(&fixtures::healthy()));
}

#[test]
fn broken_report_snapshot() {
    fixtures::snapshot!("report__junit_broken", &render(&fixtures::broken()));
}

/// What a parser sees: each testcase's name and the elements inside it, each suite's
/// attributes, and every attribute value and text node (unescaped).
#[derive(Default)]
struct Parsed {
    suites: Vec<HashMap<String, String>>,
    cases: Vec<(String, Vec<String>)>,
    attributes: Vec<String>,
    texts: Vec<String>,
}

fn attributes(e: &BytesStart) -> HashMap<String, String> {
    e.attributes()
        .map(|a| {
            let a = a.expect("well-formed attribute");
            let value = a
                .normalized_value(XmlVersion::Explicit1_0)
                .expect("valid escapes");
            (a.key.as_ref().to_string(), value.into_owned())
        })
        .collect()
}

fn parse(xml: &str) -> Parsed {
    let mut reader = Reader::from_str(xml);
    let mut parsed = Parsed::default();
    let mut stack: Vec<String> = Vec::new();
    let mut text = String::new();
    loop {
        let event = reader.read_event().expect("well-formed XML");
        match &event {
            Event::Start(e) | Event::Empty(e) => {
                text.clear();
                let name = e.name().as_ref().to_string();
                let attrs = attributes(e);
                parsed.attributes.extend(attrs.values().cloned());
                match name.as_str() {
                    "testsuite" => parsed.suites.push(attrs),
                    "testcase" => parsed.cases.push((attrs["name"].clone(), vec![])),
                    _ if stack.last().map(String::as_str) == Some("testcase") => {
                        parsed.cases.last_mut().unwrap().1.push(name.clone())
                    }
                    _ => {}
                }
                if matches!(event, Event::Start(_)) {
                    stack.push(name);
                }
            }
            Event::End(_) => {
                stack.pop().expect("balanced elements");
                if !text.trim().is_empty() {
                    parsed.texts.push(text.clone());
                }
                text.clear();
            }
            Event::Text(t) => text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => match r.resolve_char_ref().expect("valid char ref") {
                Some(c) => text.push(c),
                None => {
                    let name = r.xml10_content();
                    let resolved =
                        quick_xml::escape::resolve_xml_entity(&name).expect("a predefined entity");
                    text.push_str(resolved);
                }
            },
            Event::Eof => break,
            _ => {}
        }
    }
    assert!(stack.is_empty(), "every element is closed");
    parsed
}

fn kinds(parsed: &Parsed, id: &str) -> Vec<String> {
    parsed
        .cases
        .iter()
        .find(|(name, _)| name == id)
        .unwrap_or_else(|| panic!("no testcase {id}"))
        .1
        .clone()
}

#[test]
fn counts_and_element_kinds_follow_the_status() {
    let report = fixtures::broken();
    let xml = render(&report);
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"));
    let parsed = parse(&xml);
    assert_eq!(parsed.suites.len(), 1);
    let suite = &parsed.suites[0];
    assert_eq!(suite["name"], "kraken-doctor");
    let s = &report.summary;
    assert_eq!(suite["tests"], report.checks.len().to_string());
    assert_eq!(suite["failures"], s.fail.to_string());
    assert_eq!(suite["errors"], s.error.to_string());
    assert_eq!(suite["skipped"], (s.skip + s.manual).to_string());
    assert_eq!(suite["time"], "31.960");
    assert_eq!(parsed.cases.len(), report.checks.len());

    for check in &report.checks {
        let expected: &[&str] = match check.status {
            Status::Pass => &[],
            Status::Warn => &["system-out"],
            Status::Fail => &["failure"],
            Status::Error => &["error"],
            Status::Skip | Status::Manual => &["skipped", "system-out"],
        };
        assert_eq!(kinds(&parsed, &check.id), expected, "{}", check.id);
    }
}

#[test]
fn strict_turns_warnings_into_failures() {
    let mut report = fixtures::broken();
    report.strict = true;
    let parsed = parse(&render(&report));
    assert_eq!(kinds(&parsed, "auth.methods"), ["failure"]);
    let expected = report.summary.fail + report.summary.warn;
    assert_eq!(parsed.suites[0]["failures"], expected.to_string());
}

#[test]
fn multi_has_one_named_suite_per_target_and_totals() {
    let reports = [fixtures::broken(), fixtures::healthy()];
    let xml = render_multi(&reports);
    let parsed = parse(&xml);
    let names: Vec<_> = parsed.suites.iter().map(|s| s["name"].clone()).collect();
    assert_eq!(
        names,
        ["kraken-doctor staging", "kraken-doctor kd-healthy-0001"]
    );
    let total: usize = reports.iter().map(|r| r.checks.len()).sum();
    assert!(xml.contains(&format!(
        "<testsuites name=\"kraken-doctor\" tests=\"{total}\""
    )));
    assert_eq!(parsed.cases.len(), total);
}

#[test]
fn hostile_strings_are_escaped_and_illegal_characters_dropped() {
    let report = fixtures::hostile();
    let xml = render(&report);
    let illegal = |c: char| {
        (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
    };
    assert!(!xml.chars().any(illegal), "no character illegal in XML 1.0");
    assert!(!xml.contains('\r'), "carriage returns travel as &#13;");

    let parsed = parse(&xml);
    // What survives is the original minus the dropped characters, byte for byte.
    let nasty = &report.checks[0].summary;
    let kept: String = nasty.chars().filter(|&c| !illegal(c)).collect();
    assert!(kept.contains("<b>&amp;\"quoted\" 'single'</b>"));
    assert!(
        parsed.attributes.iter().any(|a| a == &kept),
        "attributes round-trip"
    );
    assert!(
        parsed.texts.iter().any(|t| t.contains(&kept)),
        "text round-trips: {:#?}",
        parsed.texts
    );
    assert_eq!(parsed.cases.len(), report.checks.len());
}

#[test]
fn escape_covers_markup_quotes_and_whitespace() {
    assert_eq!(
        escape("<a href='x'>&\"</a>", false),
        "&lt;a href=&apos;x&apos;&gt;&amp;&quot;&lt;/a&gt;"
    );
    assert_eq!(escape("a\tb\nc\rd", true), "a&#9;b&#10;c&#13;d");
    assert_eq!(escape("a\tb\nc\rd", false), "a\tb\nc&#13;d");
    assert_eq!(
        escape("x\u{0}\u{8}\u{b}\u{1b}\u{7f}\u{85}\u{fffe}\u{ffff}y", false),
        "xy"
    );
    assert_eq!(escape("é 😀 \u{fffd}", true), "é 😀 \u{fffd}");
}

#[test]
fn seconds_have_three_decimals() {
    assert_eq!(seconds(0), "0.000");
    assert_eq!(seconds(12), "0.012");
    assert_eq!(seconds(30018), "30.018");
}
