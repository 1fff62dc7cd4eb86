//! What an ingest run did, as plain serializable data: the JSON report and the
//! summary a front end prints are both drawn from it.

use chronicle_ingest::IngestError;
use chronicle_store::DuplicateLink;
use serde::Serialize;
use std::collections::BTreeMap;

/// Failed inputs that share one reason.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FailureGroup {
    pub reason: String,
    pub count: usize,
    /// The first input that failed this way.
    pub first: String,
}

/// The outcome of one ingest run. Fields are only ever added (front ends and
/// users' scripts read the JSON form).
#[derive(Debug, Default, Clone, Serialize)]
pub struct IngestReport {
    pub files: usize,
    pub documents_read: usize,
    pub inserted: usize,
    pub already_stored: usize,
    pub near_duplicates: Vec<DuplicateLink>,
    pub failures: Vec<String>,
    pub inserted_ids: Vec<String>,
    pub seconds: f64,
    pub bytes: u64,
    /// Documents found stored (or repeated in this run) before annotation: only
    /// their source location was recorded. Part of `already_stored`.
    pub skipped_before_annotation: usize,
    /// Documents annotated in this run.
    pub annotated: usize,
    /// Documents read already annotated (`ingest --from-jsonl`) and stored as
    /// they came.
    pub preannotated: usize,
    /// Documents whose annotation ran over the per-document budget (also in
    /// `failures`).
    pub over_budget: usize,
    /// `failures` grouped by reason, most frequent first.
    pub failure_groups: Vec<FailureGroup>,
    /// Why the run stopped early (the write lock stayed taken), if it did.
    pub stopped: Option<String>,
    /// Inputs not stored because the run stopped early.
    pub not_stored: Vec<String>,
    /// What linking did (absent when the run did not link).
    pub link: Option<crate::LinkReport>,
    /// Why linking stopped early (the store stayed busy); the documents not
    /// linked stay pending for the next run or `relink`.
    pub link_stopped: Option<String>,
}

/// Failures as they happen, grouped by reason.
#[derive(Default)]
pub(crate) struct Failures {
    groups: BTreeMap<String, FailureGroup>,
}

impl Failures {
    /// Records a failure: `line` is the full message, `reason` the key that
    /// groups it with others, `input` the file or record named in the group.
    pub(crate) fn add(
        &mut self,
        report: &mut IngestReport,
        line: String,
        reason: String,
        input: String,
    ) {
        self.groups
            .entry(reason.clone())
            .and_modify(|g| g.count += 1)
            .or_insert(FailureGroup {
                reason,
                count: 1,
                first: input,
            });
        report.failures.push(line);
    }

    /// Records an input that could not be read.
    pub(crate) fn add_ingest(&mut self, report: &mut IngestReport, e: &IngestError) {
        let (reason, input) = failure_parts(e);
        self.add(report, e.to_string(), reason, input);
    }

    /// The groups, most frequent first (ties by reason).
    pub(crate) fn into_sorted(self) -> Vec<FailureGroup> {
        let mut groups: Vec<FailureGroup> = self.groups.into_values().collect();
        groups.sort_by(|a, b| b.count.cmp(&a.count).then(a.reason.cmp(&b.reason)));
        groups
    }
}

/// A failure's reason without the input's name (so the same reason groups), and
/// the input's name.
fn failure_parts(e: &IngestError) -> (String, String) {
    let line = e.to_string();
    let reason = match e {
        IngestError::Record { reason, .. } => reason.clone(),
        _ => match line.split_once(": ") {
            Some((_, reason)) => reason.to_string(),
            None => line.clone(),
        },
    };
    let input = line
        .strip_suffix(reason.as_str())
        .map(|i| i.trim_end_matches([':', ' ']).to_string())
        .unwrap_or_else(|| line.clone());
    (reason, input)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_count_and_sort_by_frequency_then_reason() {
        let mut report = IngestReport::default();
        let mut f = Failures::default();
        for (input, reason) in [("a", "zeta"), ("b", "alpha"), ("c", "zeta"), ("d", "beta")] {
            f.add(
                &mut report,
                format!("{input}: {reason}"),
                reason.into(),
                input.into(),
            );
        }
        let groups = f.into_sorted();
        let order: Vec<(&str, usize, &str)> = groups
            .iter()
            .map(|g| (g.reason.as_str(), g.count, g.first.as_str()))
            .collect();
        assert_eq!(
            order,
            [("zeta", 2, "a"), ("alpha", 1, "b"), ("beta", 1, "d")]
        );
        assert_eq!(report.failures.len(), 4);
    }
}
