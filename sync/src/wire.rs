//! The versioned wire messages of the sync protocol (DESIGN §5.5). Being written.
