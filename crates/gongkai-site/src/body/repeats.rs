//! Rows of an annex task list that repeat the body's tasks. A plan often numbers its tasks in
//! the text and lists them again in an annex table (序号 / 任务 / 牵头单位 / 配合单位 / 完成时限),
//! often the only place their units are written. Such a row is no task of its own: it links to
//! the body task, and gives it the units, persons and due date the body does not state.
//!
//! A row repeats a body task when, compared on letters, digits and ideographs only
//! ([`similarity::normalize`]):
//! - its text (task cell, then content cell) or its first sentence equals the task's words;
//! - one starts with the other's first sentence, of at least [`MIN_PREFIX`] characters;
//! - or, failing both, the two are at least [`THRESHOLD`] alike by the comparison's weighted
//!   bigram similarity, weighed against a bounded number of candidates ([`similarity::nearest`]).
//!
//! Every step is linear in the rows and tasks (hash lookups, buckets of at most [`MAX_BUCKET`]
//! tasks), so an annex of 20,000 rows against 20,000 tasks takes no longer than reading them.

use rustc_hash::FxHashMap;

use gongkai_model::{Block, Body, Id, NameRef, Repeat, TaskId, TaskSource};

use super::first_sentence;
use crate::similarity;

/// How alike a row and a body task must be to be one task, when neither text nor first sentence
/// gives it away. Above the comparison's [`similarity::THRESHOLD`] (0.45, for a task reworded
/// from one year to the next): a row wrongly taken for a repeat loses a task of its own, while a
/// repeat missed is only counted twice, as before.
pub const THRESHOLD: f32 = 0.6;

/// The shortest first sentence (in characters) that, starting the other text, makes a repeat:
/// shorter ones (加强监管) start too many different tasks.
pub const MIN_PREFIX: usize = 8;

/// The most body tasks sharing their first [`MIN_PREFIX`] characters that a row is checked
/// against: a bound for hostile inputs whose tasks all start alike.
const MAX_BUCKET: usize = 32;

/// Finds the table rows that repeat body tasks, merges what they say into those tasks, and takes
/// them out of the plan's tasks.
pub(super) fn link(body: &mut Body) {
    let of = |source| -> Vec<TaskId> {
        body.tasks
            .iter_ids()
            .filter(|(_, t)| t.source == source)
            .map(|(id, _)| id)
            .collect()
    };
    let (bodies, rows) = (of(TaskSource::Body), of(TaskSource::Table));
    if bodies.is_empty() || rows.is_empty() {
        return;
    }
    let found = find(body, &bodies, &rows);
    if found.iter().all(Option::is_none) {
        return;
    }
    // What each body task states itself, before any row adds to it.
    let stated: Vec<[bool; 4]> = body
        .tasks
        .iter()
        .map(|t| {
            [
                !t.lead.is_empty(),
                !t.support.is_empty(),
                !t.persons.is_empty(),
                t.due_cell.is_some() || gongkai_zh::due::find(&t.text, None).is_some(),
            ]
        })
        .collect();
    let mut target: Vec<Option<TaskId>> = vec![None; body.tasks.len()];
    for (&row, found) in rows.iter().zip(found) {
        let Some(task) = found else { continue };
        target[row.index()] = Some(task);
        merge(body, row, task, stated[task.index()]);
    }
    remove(body, &target);
}

/// Gives `task` the units, persons and due date of `row` it does not state itself, and records
/// the row as a repeat.
fn merge(body: &mut Body, row: TaskId, task: TaskId, stated: [bool; 4]) {
    let r = &mut body.tasks[row];
    let (lead, support, persons) = (
        std::mem::take(&mut r.lead),
        std::mem::take(&mut r.support),
        std::mem::take(&mut r.persons),
    );
    let (due, key, line) = (r.due_cell.take(), r.key.clone(), r.line);
    let t = &mut body.tasks[task];
    // A unit the task names already, in either list, is not named again.
    let named = |t: &gongkai_model::Task, n: &NameRef| {
        t.lead.iter().chain(&t.support).any(|m| m.name == n.name)
    };
    if !stated[0] {
        for n in &lead {
            if !named(t, n) {
                t.lead.push(n.clone());
            }
        }
    }
    if !stated[1] {
        for n in &support {
            if !named(t, n) {
                t.support.push(n.clone());
            }
        }
    }
    if !stated[2] {
        for n in &persons {
            if !t.persons.iter().any(|m| m.name == n.name) {
                t.persons.push(n.clone());
            }
        }
    }
    if !stated[3] && t.due_cell.is_none() {
        t.due_cell = due;
    }
    body.repeats.push(Repeat {
        anchor: format!("task-{key}"),
        key,
        task,
        line,
        lead,
        support,
    });
}

/// Takes the repeating rows (`target[row]` is the task they repeat) out of the tasks, and points
/// every block, row and repeat at the tasks' new IDs.
fn remove(body: &mut Body, target: &[Option<TaskId>]) {
    let old = std::mem::take(&mut body.tasks).into_vec();
    let mut new_id: Vec<Option<TaskId>> = Vec::with_capacity(old.len());
    for (i, t) in old.into_iter().enumerate() {
        let gone = target.get(i).copied().flatten().is_some();
        new_id.push((!gone).then(|| body.tasks.push(t)));
    }
    let moved = |t: TaskId| new_id.get(t.index()).copied().flatten().unwrap_or(t);
    for r in &mut body.repeats {
        r.task = moved(r.task);
    }
    // Repeats were recorded in the rows' order, which is the rows' order in the blocks.
    let mut next_repeat = 0;
    for block in &mut body.blocks {
        match block {
            Block::Task { task, .. } => *task = moved(*task),
            Block::TaskTable { rows, .. } => {
                for row in rows {
                    let Some(t) = row.task else { continue };
                    if target.get(t.index()).copied().flatten().is_some() {
                        row.task = None;
                        row.repeats = Some(next_repeat);
                        next_repeat += 1;
                    } else {
                        row.task = Some(moved(t));
                    }
                }
            }
            _ => {}
        }
    }
}

/// For each row, the body task it repeats, if any.
fn find(body: &Body, bodies: &[TaskId], rows: &[TaskId]) -> Vec<Option<TaskId>> {
    let norm = |s: &str| -> String { similarity::normalize(s).into_iter().collect() };
    let text: Vec<String> = bodies
        .iter()
        .map(|&t| norm(body.tasks[t].statement()))
        .collect();
    let first: Vec<String> = bodies
        .iter()
        .map(|&t| norm(first_sentence(body.tasks[t].statement())))
        .collect();
    let mut exact: FxHashMap<&str, usize> = FxHashMap::default();
    let mut buckets: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    for (i, t) in text.iter().enumerate() {
        if t.is_empty() {
            continue;
        }
        exact.entry(t.as_str()).or_insert(i);
        if let Some(p) = prefix(t) {
            let b = buckets.entry(p).or_default();
            if b.len() < MAX_BUCKET {
                b.push(i);
            }
        }
    }
    let mut found: Vec<Option<usize>> = Vec::with_capacity(rows.len());
    let mut left: Vec<usize> = Vec::new();
    for (k, &row) in rows.iter().enumerate() {
        let r_text = norm(body.tasks[row].statement());
        let r_first = norm(first_sentence(body.tasks[row].statement()));
        let hit = (!r_text.is_empty())
            .then(|| {
                exact
                    .get(r_text.as_str())
                    .or_else(|| exact.get(r_first.as_str()))
                    .copied()
                    .or_else(|| starting(&r_text, &r_first, &buckets, &text, &first))
            })
            .flatten();
        if hit.is_none() && !r_text.is_empty() {
            left.push(k);
        }
        found.push(hit);
    }
    if !left.is_empty() {
        let queries: Vec<&str> = left
            .iter()
            .map(|&k| body.tasks[rows[k]].statement())
            .collect();
        let items: Vec<&str> = bodies.iter().map(|&t| body.tasks[t].statement()).collect();
        for (&k, near) in left
            .iter()
            .zip(similarity::nearest(&queries, &items, THRESHOLD))
        {
            found[k] = near.map(|(i, _)| i);
        }
    }
    found.into_iter().map(|f| f.map(|i| bodies[i])).collect()
}

/// The first [`MIN_PREFIX`] characters of a normalized text, if it has as many.
fn prefix(t: &str) -> Option<&str> {
    let (end, _) = t.char_indices().nth(MIN_PREFIX - 1)?;
    let last = t[end..].chars().next()?;
    Some(&t[..end + last.len_utf8()])
}

/// The first body task (in order) whose text starts with the row's first sentence, or whose first
/// sentence starts the row's text, that sentence being at least [`MIN_PREFIX`] characters.
fn starting(
    r_text: &str,
    r_first: &str,
    buckets: &FxHashMap<&str, Vec<usize>>,
    text: &[String],
    first: &[String],
) -> Option<usize> {
    let long = |s: &str| s.chars().count() >= MIN_PREFIX;
    let bucket = buckets.get(prefix(r_text)?)?;
    bucket.iter().copied().find(|&i| {
        (long(&first[i]) && r_text.starts_with(first[i].as_str()))
            || (long(r_first) && text[i].starts_with(r_first))
    })
}
