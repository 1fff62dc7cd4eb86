pub mod link_rows;
