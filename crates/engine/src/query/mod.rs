//! The read side every front end shares: the listings and views the CLI prints
//! with `--json` and the HTTP API returns, computed once here so both give the
//! same shapes. `params` checks the values a user types (dates, codes, kinds).

pub mod params;
