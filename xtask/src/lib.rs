//! The project's automation, as a library so that tests can run the same code as `cargo xtask`.

pub mod bench;
pub mod changes;
pub mod codegen;
pub mod msrv;
pub mod pins;
pub mod progenitor;
pub mod release;
pub mod specs;
pub mod tasks;
