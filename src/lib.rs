//! Tsunagari Map (つながりマップ): a community resource map for social prescribing.
//!
//! The database ([`store`]) is the source of truth; every read is answered from the in-memory
//! [`index`], which the single write path ([`places`]) keeps in step with the database. The
//! [`http`] edge speaks OGC API – Features; [`domain`] holds the types and rules.

pub mod accounts;
pub mod app;
pub mod cli;
pub mod config;
pub mod domain;
pub mod fieldwork;
pub mod generate;
pub mod http;
pub mod index;
pub mod interchange;
pub mod places;
pub mod readings;
pub mod sample;
pub mod store;
