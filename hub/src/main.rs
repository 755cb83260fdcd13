//! `luring-hub`: the hub's command line. Being written.

fn main() {}
