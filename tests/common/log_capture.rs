//! Everything the process logs, at every level (`trace` included) and from every crate:
//! events, spans, and fields recorded on spans later (tower-http records some that way). For
//! tests that prove something never reaches the logs. Include it with
//! `#[path = "common/log_capture.rs"] mod log_capture;` in a test binary of its own: the
//! capture is the process's global subscriber.

use std::fmt::Write as _;
use std::sync::{Mutex, OnceLock};
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Subscriber};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::util::SubscriberInitExt;

/// Every line so far: events as `target LEVEL field=value …`, new spans as
/// `span target name field=value …`, later span fields as `span record field=value …`.
/// The first call installs the capture.
pub fn lines() -> &'static Mutex<Vec<String>> {
    static LINES: OnceLock<Mutex<Vec<String>>> = OnceLock::new();
    LINES.get_or_init(|| {
        tracing_subscriber::registry()
            .with(Capture)
            .try_init()
            .expect("no other global subscriber in this test binary");
        Mutex::new(Vec::new())
    })
}

/// The lines logged since `before` (a length of [`lines`] taken earlier).
pub fn since(before: usize) -> Vec<String> {
    lines().lock().unwrap()[before..].to_vec()
}

pub fn count() -> usize {
    lines().lock().unwrap().len()
}

/// Fails unless everything is captured: the maximum level in force is `trace`.
pub fn assert_trace_is_on() {
    lines();
    assert_eq!(
        tracing::level_filters::LevelFilter::current(),
        tracing::level_filters::LevelFilter::TRACE
    );
}

struct Capture;

struct Fields(String);

impl Visit for Fields {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let _ = write!(self.0, " {}={:?}", field.name(), value);
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        let _ = write!(self.0, " {}={}", field.name(), value);
    }
}

impl<S: Subscriber> Layer<S> for Capture {
    fn register_callsite(
        &self,
        _: &'static tracing::Metadata<'static>,
    ) -> tracing::subscriber::Interest {
        tracing::subscriber::Interest::always()
    }

    fn enabled(&self, _: &tracing::Metadata<'_>, _: Context<'_, S>) -> bool {
        true
    }

    fn on_event(&self, event: &Event<'_>, _: Context<'_, S>) {
        let meta = event.metadata();
        let mut f = Fields(format!("{} {}", meta.target(), meta.level()));
        event.record(&mut f);
        lines().lock().unwrap().push(f.0);
    }

    fn on_new_span(&self, attrs: &Attributes<'_>, _: &Id, _: Context<'_, S>) {
        let meta = attrs.metadata();
        let mut f = Fields(format!("span {} {}", meta.target(), meta.name()));
        attrs.record(&mut f);
        lines().lock().unwrap().push(f.0);
    }

    fn on_record(&self, _: &Id, values: &Record<'_>, _: Context<'_, S>) {
        let mut f = Fields("span record".to_owned());
        values.record(&mut f);
        lines().lock().unwrap().push(f.0);
    }
}
