//! Scenario files: built-in scenarios, `extends`, `--set` overrides, and error locations.
//!
//! A scenario is TOML. `extends = "NAME"` names a built-in scenario (or, through the caller's
//! resolver, another file) whose tables this file overrides key by key; arrays of named tables
//! (`[[nations]]`, `[[firms]]`, `[[regimes]]`) merge entry by entry, matched by `name` (a new
//! name appends an entry), and other arrays (`[[shocks]]`) are replaced whole. Overrides `section.key=value` (`firms[2].cash_usd=1e9` for
//! arrays) apply last. Every error names where it comes from: the file, line and column when the
//! key is written in a file, the key path, and the allowed range.
//!
//! This module does no I/O: callers pass file contents and a resolver for `extends`.

use serde::Deserialize;
use toml::{Table, Value};

use crate::params::{self, ParamError, Scenario};

/// Built-in scenarios, embedded in every binary and the WebAssembly module.
pub const BUILTIN: &[(&str, &str)] = &[
    ("baseline", include_str!("../../scenarios/baseline.toml")),
    ("classroom", include_str!("../../scenarios/classroom.toml")),
    (
        "compute-antitrust",
        include_str!("../../scenarios/compute-antitrust.toml"),
    ),
    ("history", include_str!("../../scenarios/history.toml")),
    ("interop-mandate", include_str!("../../scenarios/interop-mandate.toml")),
    (
        "nation-deal-rules",
        include_str!("../../scenarios/nation-deal-rules.toml"),
    ),
    (
        "no-export-controls",
        include_str!("../../scenarios/no-export-controls.toml"),
    ),
    (
        "open-source-funding",
        include_str!("../../scenarios/open-source-funding.toml"),
    ),
    (
        "proportional-compliance",
        include_str!("../../scenarios/proportional-compliance.toml"),
    ),
    ("public-compute", include_str!("../../scenarios/public-compute.toml")),
    (
        "security-standards",
        include_str!("../../scenarios/security-standards.toml"),
    ),
    (
        "self-preferencing-ban",
        include_str!("../../scenarios/self-preferencing-ban.toml"),
    ),
    ("supply-shock", include_str!("../../scenarios/supply-shock.toml")),
    ("talent-visas", include_str!("../../scenarios/talent-visas.toml")),
    ("tiny", include_str!("../../scenarios/tiny.toml")),
];

/// The text of a built-in scenario.
pub fn builtin(name: &str) -> Option<&'static str> {
    BUILTIN.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
}

/// Where a problem is.
#[derive(Debug, Clone, PartialEq)]
pub struct Location {
    /// File path, `builtin:NAME`, or `--set`.
    pub origin: String,
    /// 1-based line and column, when known.
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.origin)?;
        if let (Some(l), Some(c)) = (self.line, self.column) {
            write!(f, ":{l}:{c}")?;
        }
        Ok(())
    }
}

/// A scenario that cannot be loaded.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ScenarioError {
    /// Not valid TOML, or a key or type the schema does not have.
    #[error("{location}: {message}")]
    Parse { location: Location, message: String },
    /// `extends` names nothing that can be found, or loops.
    #[error("{location}: extends = {name:?}: {message}")]
    Extends {
        location: Location,
        name: String,
        message: String,
    },
    /// A `--set` override that is malformed or names no parameter.
    #[error("--set {assignment}: {message}")]
    Override { assignment: String, message: String },
    /// Values out of range or inconsistent.
    #[error("{}", .0.iter().map(|(l, e)| format!("{l}: {e}")).collect::<Vec<_>>().join("\n"))]
    Invalid(Vec<(Location, ParamError)>),
}

/// Resolves `extends = NAME` seen in `origin` to (text, origin of that text).
pub type Resolver<'a> = dyn FnMut(&str, &str) -> Result<(String, String), String> + 'a;

/// A resolver that knows only the built-in scenarios.
pub fn builtin_resolver(name: &str, _from: &str) -> Result<(String, String), String> {
    builtin(name)
        .map(|t| (t.to_string(), format!("builtin:{name}")))
        .ok_or_else(|| {
            let names: Vec<&str> = BUILTIN.iter().map(|b| b.0).collect();
            format!("no built-in scenario of that name (built-ins: {})", names.join(", "))
        })
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rfind('\n').map_or(before.len(), |i| before.len() - i - 1) + 1;
    (line, col)
}

fn parse_error(text: &str, origin: &str, e: &toml::de::Error) -> ScenarioError {
    let (line, column) = match e.span() {
        Some(s) => {
            let (l, c) = line_col(text, s.start);
            (Some(l), Some(c))
        }
        None => (None, None),
    };
    let message = e.message().trim();
    // Name the key as well as its place (`deals.rule: unknown variant ...`), as range errors do.
    let message = match e.span().and_then(|s| key_path_at(text, s.start)) {
        Some(path) => format!("{path}: {message}"),
        None => message.to_string(),
    };
    ScenarioError::Parse {
        location: Location {
            origin: origin.to_string(),
            line,
            column,
        },
        message,
    }
}

/// The key path (`deals.rule`, `firms[2].kind`) whose key or value covers byte `offset` of a
/// TOML text, if the text parses.
fn key_path_at(text: &str, offset: usize) -> Option<String> {
    let doc = toml_edit::Document::parse(text).ok()?;
    let mut path = Vec::new();
    path_in_table(doc.as_table(), offset, &mut path).then(|| canonical(&path))
}

/// Depth-first search for the key covering `offset` in `table`, leaving its path in `path`.
fn path_in_table(table: &dyn toml_edit::TableLike, offset: usize, path: &mut Vec<Seg>) -> bool {
    let covers = |span: Option<std::ops::Range<usize>>| span.is_some_and(|s| s.contains(&offset));
    for (name, _) in table.iter() {
        let Some((key, item)) = table.get_key_value(name) else {
            continue;
        };
        path.push(Seg::Key(name.to_string()));
        let found = match item {
            toml_edit::Item::Value(v) => covers(key.span()) || covers(v.span()),
            toml_edit::Item::Table(t) => path_in_table(t, offset, path),
            toml_edit::Item::ArrayOfTables(a) => a.iter().enumerate().any(|(i, t)| {
                path.push(Seg::Index(i));
                let found = path_in_table(t, offset, path);
                if !found {
                    path.pop();
                }
                found
            }),
            toml_edit::Item::None => false,
        };
        if found {
            return true;
        }
        path.pop();
    }
    false
}

/// One loaded source, kept to locate keys in it.
struct Loaded {
    origin: String,
    text: String,
}

/// Parses a file and its `extends` chain into one merged table, checking each file against the
/// schema on its own so that unknown keys and wrong types are reported where they are written.
fn load_table(
    text: &str,
    origin: &str,
    resolve: &mut Resolver<'_>,
    chain: &mut Vec<Loaded>,
) -> Result<Table, ScenarioError> {
    let table: Table = toml::from_str(text).map_err(|e| parse_error(text, origin, &e))?;
    toml::from_str::<Scenario>(text).map_err(|e| parse_error(text, origin, &e))?;
    chain.push(Loaded {
        origin: origin.to_string(),
        text: text.to_string(),
    });
    let mut table = table;
    let Some(base_name) = table.remove("extends") else {
        return Ok(table);
    };
    let (line, column) = match locate(text, "extends") {
        Some((l, c)) => (Some(l), Some(c)),
        None => (None, None),
    };
    let here = Location {
        origin: origin.to_string(),
        line,
        column,
    };
    let Value::String(name) = base_name else {
        return Err(ScenarioError::Parse {
            location: here,
            message: "extends must be a string".into(),
        });
    };
    if chain.len() > 8 {
        return Err(ScenarioError::Extends {
            location: here,
            name,
            message: "more than 8 levels of extends (a cycle?)".into(),
        });
    }
    let (base_text, base_origin) = resolve(&name, origin).map_err(|m| ScenarioError::Extends {
        location: here.clone(),
        name: name.clone(),
        message: m,
    })?;
    if chain.iter().any(|l| l.origin == base_origin) {
        return Err(ScenarioError::Extends {
            location: here,
            name,
            message: "extends itself (a cycle)".into(),
        });
    }
    let base = load_table(&base_text, &base_origin, resolve, chain)?;
    Ok(merge(base, table))
}

/// Merges `over` into `base`: tables recursively; arrays of named tables (`[[nations]]`,
/// `[[firms]]`, `[[regimes]]`) entry by entry, matched by `name` (an entry with a new name is
/// appended); everything else, including arrays with an unnamed entry such as `[[shocks]]`,
/// replaced.
pub fn merge(mut base: Table, over: Table) -> Table {
    for (k, v) in over {
        match (base.remove(&k), v) {
            (Some(Value::Table(b)), Value::Table(o)) => {
                base.insert(k, Value::Table(merge(b, o)));
            }
            (Some(Value::Array(b)), Value::Array(o)) if all_named(&o) && all_named(&b) => {
                base.insert(k, Value::Array(merge_named(b, o)));
            }
            (_, v) => {
                base.insert(k, v);
            }
        }
    }
    base
}

/// The `name` of an array entry, if it is a table with a string name.
fn entry_name(v: &Value) -> Option<&str> {
    v.as_table()?.get("name")?.as_str()
}

fn all_named(a: &[Value]) -> bool {
    !a.is_empty() && a.iter().all(|v| entry_name(v).is_some())
}

/// Entry-by-entry merge of two arrays of named tables.
fn merge_named(mut base: Vec<Value>, over: Vec<Value>) -> Vec<Value> {
    for o in over {
        let name = entry_name(&o).map(str::to_string);
        match base.iter().position(|b| entry_name(b).map(str::to_string) == name) {
            Some(i) => {
                let b = std::mem::replace(&mut base[i], Value::Boolean(false));
                base[i] = match (b, o) {
                    (Value::Table(b), Value::Table(o)) => Value::Table(merge(b, o)),
                    (_, o) => o,
                };
            }
            None => base.push(o),
        }
    }
    base
}

/// Translates a merged key path such as `nations[5].tier` into the path of the same entry in one
/// file of the `extends` chain (matched by name), e.g. `nations[0].tier`; paths without an array
/// index are returned as they are.
fn path_in_file(path: &str, merged: &Table, file: &Table) -> Option<String> {
    let segs = segments(path);
    let [Seg::Key(array), Seg::Index(i), rest @ ..] = segs.as_slice() else {
        return Some(path.to_string());
    };
    let merged_entries = merged.get(array)?.as_array()?;
    let file_entries = file.get(array)?.as_array()?;
    let k = match entry_name(merged_entries.get(*i)?) {
        Some(name) if all_named(file_entries) => file_entries.iter().position(|e| entry_name(e) == Some(name))?,
        _ => *i,
    };
    let mut out = vec![Seg::Key(array.clone()), Seg::Index(k)];
    out.extend_from_slice(rest);
    Some(canonical(&out))
}

/// Splits `firms[2].cash_usd` (or `firms.2.cash_usd`) into segments.
fn segments(path: &str) -> Vec<Seg> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (name, rest) = match part.find('[') {
            Some(i) => (&part[..i], Some(&part[i..])),
            None => (part, None),
        };
        if let Ok(i) = name.parse::<usize>() {
            out.push(Seg::Index(i));
        } else if !name.is_empty() {
            out.push(Seg::Key(name.to_string()));
        }
        if let Some(rest) = rest {
            for idx in rest.split('[').filter(|s| !s.is_empty()) {
                match idx.trim_end_matches(']').parse::<usize>() {
                    Ok(i) => out.push(Seg::Index(i)),
                    Err(_) => out.push(Seg::Key(idx.to_string())),
                }
            }
        }
    }
    out
}

#[derive(Debug, Clone, PartialEq)]
enum Seg {
    Key(String),
    Index(usize),
}

/// The canonical path (`firms[2].cash_usd`) of segments.
fn canonical(segs: &[Seg]) -> String {
    let mut s = String::new();
    for seg in segs {
        match seg {
            Seg::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Seg::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

/// Parses an override's value as TOML; a bare word that is not TOML is taken as a string.
fn parse_value(raw: &str) -> Value {
    match toml::from_str::<Table>(&format!("v = {raw}")) {
        Ok(mut t) => t.remove("v").unwrap_or(Value::String(raw.to_string())),
        Err(_) => Value::String(raw.to_string()),
    }
}

fn set_path(node: &mut Value, segs: &[Seg], value: Value) -> Result<(), String> {
    let Some((seg, rest)) = segs.split_first() else {
        *node = value;
        return Ok(());
    };
    match (seg, node) {
        (Seg::Key(k), Value::Table(t)) => {
            let child = t.entry(k.clone()).or_insert_with(|| Value::Table(Table::new()));
            set_path(child, rest, value)
        }
        (Seg::Index(idx), Value::Array(a)) => {
            let n = a.len();
            let child = a
                .get_mut(*idx)
                .ok_or_else(|| format!("index {idx} out of range: the scenario has {n} entries"))?;
            set_path(child, rest, value)
        }
        (Seg::Key(k), _) => Err(format!("{k:?} is not inside a table")),
        (Seg::Index(i), _) => Err(format!("[{i}] applies only to an array such as firms or nations")),
    }
}

/// Applies one `path=value` override; returns the canonical path.
fn apply_override(table: &mut Table, assignment: &str) -> Result<String, ScenarioError> {
    let err = |m: String| ScenarioError::Override {
        assignment: assignment.to_string(),
        message: m,
    };
    let (path, raw) = assignment
        .split_once('=')
        .ok_or_else(|| err("expected section.key=value".into()))?;
    let segs = segments(path.trim());
    let canon = canonical(&segs);
    let top_level = matches!(segs.as_slice(), [Seg::Key(k)] if k == "name" || k == "description");
    if !top_level && params::find_spec(&canon).is_none() {
        return Err(err(format!(
            "no parameter named {canon:?} (run `goldrush params` for the list; arrays are written like firms[0].cash_usd)"
        )));
    }
    let mut root = Value::Table(std::mem::take(table));
    let r = set_path(&mut root, &segs, parse_value(raw.trim()));
    if let Value::Table(t) = root {
        *table = t;
    }
    r.map_err(err)?;
    Ok(canon)
}

/// Finds the 1-based line and column of key `path` in a TOML text.
fn locate(text: &str, path: &str) -> Option<(usize, usize)> {
    let doc = toml_edit::Document::parse(text).ok()?;
    let segs = segments(path);
    let mut item: &toml_edit::Item = doc.as_item();
    let mut span = None;
    for seg in &segs {
        match seg {
            Seg::Key(k) => {
                let t = item.as_table_like()?;
                let (key, child) = t.get_key_value(k)?;
                span = key.span();
                item = child;
            }
            Seg::Index(i) => {
                if let Some(a) = item.as_array_of_tables() {
                    let t = a.get(*i)?;
                    span = t.span();
                    // Continue into the table.
                    let (_, child) = (0, t);
                    return locate_in_table(text, child, &segs[segs.iter().position(|s| s == seg).unwrap() + 1..])
                        .or_else(|| span.map(|s| line_col(text, s.start)));
                }
                return None;
            }
        }
    }
    span.map(|s| line_col(text, s.start))
}

fn locate_in_table(text: &str, table: &toml_edit::Table, segs: &[Seg]) -> Option<(usize, usize)> {
    let mut tl: &dyn toml_edit::TableLike = table;
    let mut span = None;
    for (n, seg) in segs.iter().enumerate() {
        let Seg::Key(k) = seg else { return None };
        let (key, child) = tl.get_key_value(k)?;
        span = key.span();
        if n + 1 < segs.len() {
            tl = child.as_table_like()?;
        }
    }
    span.map(|s| line_col(text, s.start))
}

/// Loads a scenario from `text` (found at `origin`), resolving `extends` with `resolve` and
/// applying `overrides` (`section.key=value`) last, then validates it.
pub fn load(
    text: &str,
    origin: &str,
    resolve: &mut Resolver<'_>,
    overrides: &[String],
) -> Result<Scenario, ScenarioError> {
    let mut chain = Vec::new();
    let mut table = load_table(text, origin, resolve, &mut chain)?;
    let merged = table.clone();
    let mut set_paths = Vec::new();
    for o in overrides {
        let path = apply_override(&mut table, o)?;
        // Type-check after each override so that a wrong type is blamed on the right one.
        Scenario::deserialize(Value::Table(table.clone())).map_err(|e| ScenarioError::Override {
            assignment: o.clone(),
            message: e.message().trim().to_string(),
        })?;
        set_paths.push((path, o.clone()));
    }
    let scenario = Scenario::deserialize(Value::Table(table)).map_err(|e| {
        // Only an override can break a merged table whose files each deserialised.
        let assignment = set_paths.last().map(|s| s.1.clone()).unwrap_or_default();
        ScenarioError::Override {
            assignment,
            message: e.message().trim().to_string(),
        }
    })?;
    if let Err(errs) = scenario.validate() {
        let located = errs
            .into_iter()
            .map(|e| {
                if let Some((_, o)) = set_paths.iter().rev().find(|(p, _)| *p == e.path) {
                    return (
                        Location {
                            origin: format!("--set {o}"),
                            line: None,
                            column: None,
                        },
                        e,
                    );
                }
                for l in &chain {
                    let file: Table = toml::from_str(&l.text).unwrap_or_default();
                    let Some(path) = path_in_file(&e.path, &merged, &file) else {
                        continue;
                    };
                    if let Some((line, col)) = locate(&l.text, &path) {
                        return (
                            Location {
                                origin: l.origin.clone(),
                                line: Some(line),
                                column: Some(col),
                            },
                            e,
                        );
                    }
                }
                (
                    Location {
                        origin: origin.to_string(),
                        line: None,
                        column: None,
                    },
                    e,
                )
            })
            .collect();
        return Err(ScenarioError::Invalid(located));
    }
    Ok(scenario)
}

/// Loads a built-in scenario by name (with overrides).
pub fn load_builtin(name: &str, overrides: &[String]) -> Result<Scenario, ScenarioError> {
    let (text, origin) = builtin_resolver(name, "").map_err(|m| ScenarioError::Extends {
        location: Location {
            origin: "command line".into(),
            line: None,
            column: None,
        },
        name: name.to_string(),
        message: m,
    })?;
    load(&text, &origin, &mut builtin_resolver, overrides)
}

/// The fully resolved scenario as TOML (what `goldrush show` prints and `summary.json` embeds).
pub fn to_toml(scenario: &Scenario) -> String {
    toml::to_string(scenario).unwrap_or_else(|e| format!("# could not serialise: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_loads_and_validates() {
        for (name, _) in BUILTIN {
            load_builtin(name, &[]).unwrap_or_else(|e| panic!("built-in {name}: {e}"));
        }
    }

    #[test]
    fn errors_name_file_line_and_column() {
        let text = "extends = \"tiny\"\n[users]\nreconsider_consumer = 2.0\n";
        let e = load(text, "my.toml", &mut builtin_resolver, &[]).unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.contains("my.toml:3:1") && msg.contains("users.reconsider_consumer") && msg.contains("0 to 1"),
            "{msg}"
        );
        let e = load("[users]\nbogus = 1\n", "x.toml", &mut builtin_resolver, &[])
            .unwrap_err()
            .to_string();
        assert!(e.contains("x.toml:2:1") && e.contains("bogus"), "{e}");
    }

    #[test]
    fn a_value_outside_a_closed_set_names_its_key_line_and_the_allowed_values() {
        let text = "extends = \"tiny\"\n[deals]\nrule = \"x\"\n";
        let e = load(text, "rule.toml", &mut builtin_resolver, &[])
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("rule.toml:3:8: deals.rule: unknown variant `x`")
                && e.contains("`exclusive`, `multi_vendor`, `banned`"),
            "{e}"
        );
        let text = "extends = \"tiny\"\n[[firms]]\nname = \"X\"\nkind = \"bank\"\n";
        let e = load(text, "kind.toml", &mut builtin_resolver, &[])
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("kind.toml:4:8: firms[0].kind: unknown variant `bank`"),
            "{e}"
        );
        let e = load_builtin("tiny", &["deals.rule=x".into()]).unwrap_err().to_string();
        assert!(e.contains("--set deals.rule=x") && e.contains("`multi_vendor`"), "{e}");
        let s = load_builtin("tiny", &["deals.rule=banned".into()]).unwrap();
        assert_eq!(s.deals.rule, crate::params::DealRule::Banned);
        assert!(
            to_toml(&s).contains("rule = \"banned\""),
            "written in snake case as read"
        );
    }

    #[test]
    fn overrides_apply_and_unknown_keys_are_refused() {
        let s = load_builtin(
            "tiny",
            &["users.theta_network=2.5".into(), "firms[0].cash_usd=1e9".into()],
        )
        .unwrap();
        assert_eq!(s.users.theta_network, 2.5);
        assert_eq!(s.firms[0].cash_usd, 1e9);
        let e = load_builtin("tiny", &["users.nope=1".into()]).unwrap_err().to_string();
        assert!(e.contains("no parameter named \"users.nope\""), "{e}");
        let e = load_builtin("tiny", &["run.months=0".into()]).unwrap_err().to_string();
        assert!(e.contains("--set run.months=0") && e.contains("1 to 1200"), "{e}");
    }

    #[test]
    fn extends_merges_named_entries_by_name_and_replaces_unnamed_arrays() {
        let base = load_builtin("tiny", &[]).unwrap();
        let target = base.nations[1].name.clone();
        let text = format!(
            "extends = \"tiny\"\n[[nations]]\nname = \"{target}\"\nvisa_cost = 7.0\n\n\
             [[nations]]\nname = \"Newland\"\n\n[[shocks]]\nstart_month = 2\nmonths = 1\nfactor = 0.5\n"
        );
        let s = load(&text, "patch.toml", &mut builtin_resolver, &[]).unwrap();
        assert_eq!(s.nations.len(), base.nations.len() + 1, "a new name appends an entry");
        assert_eq!(s.nations[1].visa_cost, 7.0, "the named entry is patched");
        assert_eq!(
            s.nations[1].population_millions, base.nations[1].population_millions,
            "keys the patch does not name keep the base's values"
        );
        assert_eq!(s.nations[0], base.nations[0], "other entries are untouched");
        assert_eq!(s.nations.last().unwrap().name, "Newland");
        assert_eq!(s.shocks.len(), 1, "unnamed arrays are replaced whole");
        assert_eq!(s.shocks[0].start_month, 2);
    }

    #[test]
    fn an_error_in_a_patched_entry_points_at_the_patch() {
        let base = load_builtin("tiny", &[]).unwrap();
        let target = base.nations[1].name.clone();
        let text = format!("extends = \"tiny\"\n[[nations]]\nname = \"{target}\"\ntier = 7\n");
        let e = load(&text, "patch.toml", &mut builtin_resolver, &[])
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("patch.toml:4:1") && e.contains("nations[1].tier"),
            "the merged path is reported with the patch file's line: {e}"
        );
    }
}
