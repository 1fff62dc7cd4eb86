//! Dumps each FA-KES article annotated (tokens left out) with its gold row as JSON
//! lines, to study incident-date rules on the tune part:
//! `cargo run --release -p chronicle-eval --example dump_incident -- fakes-dev.csv > out.jsonl`.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args()
        .nth(1)
        .ok_or("usage: dump_incident FAKES.csv")?;
    let (gold, docs) = chronicle_eval::incident::annotated_rows(std::path::Path::new(&path))?;
    for (row, mut d) in docs {
        d.tokens.clear();
        let g = &gold[row];
        let id = d
            .metadata
            .get("unit_id")
            .cloned()
            .unwrap_or_else(|| row.to_string());
        let tune = chronicle_eval::incident::is_tune(&id);
        let line =
            serde_json::json!({"row": row, "tune": tune, "gold": g.date.to_string(), "doc": d});
        println!("{line}");
    }
    Ok(())
}
