use async_graphql::parser::types::DocumentOperations;

use super::super::executed::tests::lowered;

/// The lowered tree is the one async-graphql's own parser makes of the same text, every
/// position included (queries whose sets all collect a field, so nothing is added).
#[test]
fn the_lowered_tree_is_the_engines_own_with_every_position() {
    let queries: &[(&str, Option<&str>)] = &[
        ("{ a }", None),
        (
            "query Q($id: ID!, $n: Int = 3, $l: [[String!]]! = [[\"x\"]]) @d(a: 1) {\n  \
             property(id: $id) { id ...F ... on T @include(if: true) { x } ... { y } }\n  \
             b: c(o: {k: [1, 2.5, -3e2, true, null, ENUM, \"s\\u00e9\"]}, s: \"\"\"\n  \
             block\n  \"\"\") # a comment { with braces }\n}\n\
             fragment F on Property @f { measurements(first: 1) { edges { node { value } } } }",
            None,
        ),
        (
            "query A { a }\nquery B($x: String) { b(x: $x) { c } }",
            Some("B"),
        ),
        ("# é comment\n  {\n\tab: a(x: \"é\") { b } }", None),
        ("mutation M { m(input: {a: {b: [{c: 1}]}}) { ok } }", None),
    ];
    for &(query, operation) in queries {
        let ours = lowered(query, operation);
        assert!(ours.alias.is_none(), "{query}: nothing to add");
        let engine = async_graphql::parser::parse_query(query).expect("the engine parses it");
        let theirs = match (&engine.operations, operation) {
            (DocumentOperations::Single(op), _) => op,
            (DocumentOperations::Multiple(ops), Some(name)) => &ops[name],
            (DocumentOperations::Multiple(ops), None) => ops.values().next().expect("one"),
        };
        let (_, ours_op) = ours
            .document
            .operations
            .iter()
            .next()
            .expect("one operation");
        let json = |v: &dyn erased::Serialize| serde_json::to_value(v).expect("serialises");
        assert_eq!(json(ours_op), json(theirs), "{query}");
        assert_eq!(
            json(&ours.document.fragments),
            json(&engine.fragments),
            "{query}"
        );
    }
}

mod erased {
    /// `serde::Serialize` as a trait object, for the comparisons above.
    pub(super) trait Serialize {
        fn value(&self) -> serde_json::Result<serde_json::Value>;
    }
    impl<T: serde::Serialize> Serialize for T {
        fn value(&self) -> serde_json::Result<serde_json::Value> {
            serde_json::to_value(self)
        }
    }
    impl serde::Serialize for dyn Serialize + '_ {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            self.value()
                .map_err(serde::ser::Error::custom)?
                .serialize(s)
        }
    }
}
