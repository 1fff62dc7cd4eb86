//! Checked command-line values: a bad date, code or kind is a usage error (exit 2)
//! that shows what is accepted, never a silently empty or unfiltered answer.

use chronicle_engine::query::params;
// The checks themselves are the engine's, shared with the server's 400s; the
// command line only names its options in the messages.
pub use params::{actor_code, claim_kind, date_bound, event_code, language, CodeFilter};

/// `--from` must not come after `--to` (compared on the periods they name).
pub fn check_range(from: Option<&str>, to: Option<&str>) -> Result<(), String> {
    params::check_range(from, to).map_err(|_| {
        format!(
            "--from {} is after --to {}",
            from.unwrap_or_default(),
            to.unwrap_or_default()
        )
    })
}

/// The event filters `events` and every export take.
#[derive(clap::Args, Clone, Debug, Default)]
pub struct EventArgs {
    /// Only events with this actor code or prefix, as source or target (RUS, RUSGOV, IGOUNO).
    #[arg(long, value_parser = actor_code)]
    pub actor: Option<String>,
    /// CAMEO code prefix (16, 1124), a PLOVER type (ACCUSE, ASSAULT) or a CAMEO root label (Threaten).
    #[arg(long, value_parser = event_code)]
    pub code: Option<CodeFilter>,
    /// Earliest event date: YYYY, YYYY-MM or YYYY-MM-DD.
    #[arg(long, value_parser = date_bound)]
    pub from: Option<String>,
    /// Latest event date: YYYY, YYYY-MM or YYYY-MM-DD (the whole period included).
    #[arg(long, value_parser = date_bound)]
    pub to: Option<String>,
}

impl EventArgs {
    /// The store's filter, once `--from`/`--to` are known to make a range.
    pub fn filter(&self, limit: Option<usize>) -> Result<chronicle_store::EventFilter, String> {
        check_range(self.from.as_deref(), self.to.as_deref())?;
        params::event_filter(
            self.actor.clone(),
            self.code.clone(),
            self.from.clone(),
            self.to.clone(),
            limit,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_name_the_options() {
        assert!(check_range(Some("2016-10"), Some("2016-10-31")).is_ok());
        let e = check_range(Some("2016-11"), Some("2016-10-31")).unwrap_err();
        assert_eq!(e, "--from 2016-11 is after --to 2016-10-31");
    }
}
