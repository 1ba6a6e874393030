//! Plugin metrics (`proxy_define_metric` and friends), readable by name.

use crate::abi::status;

/// The kind of a metric, as `proxy_metric_type_t`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MetricKind {
    /// Monotonic counter (0).
    Counter,
    /// Gauge that goes up and down (1).
    Gauge,
    /// Histogram of recorded values (2).
    Histogram,
}

/// A metric's state. Envoy exports it as `wasmcustom.<name>`; here it is read by `<name>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Metric {
    /// The name the plugin defined.
    pub name: String,
    /// Counter, gauge or histogram.
    pub kind: MetricKind,
    /// Current value of a counter or gauge (0 for a histogram).
    pub value: i64,
    /// Every value recorded into a histogram, in order.
    pub samples: Vec<u64>,
}

#[derive(Clone, Debug, Default)]
pub(crate) struct Metrics {
    all: Vec<Metric>,
}

impl Metrics {
    /// Defines (or finds, as Envoy does for a repeated name) a metric; ids start at 1.
    pub(crate) fn define(&mut self, kind: u32, name: &str) -> Result<u32, u32> {
        let kind = match kind {
            0 => MetricKind::Counter,
            1 => MetricKind::Gauge,
            2 => MetricKind::Histogram,
            _ => return Err(status::BAD_ARGUMENT),
        };
        if let Some(i) = self
            .all
            .iter()
            .position(|m| m.name == name && m.kind == kind)
        {
            return Ok(i as u32 + 1);
        }
        self.all.push(Metric {
            name: name.to_owned(),
            kind,
            value: 0,
            samples: Vec::new(),
        });
        Ok(self.all.len() as u32)
    }

    fn by_id(&mut self, id: u32) -> Result<&mut Metric, u32> {
        let index = (id as usize).checked_sub(1).ok_or(status::NOT_FOUND)?;
        self.all.get_mut(index).ok_or(status::NOT_FOUND)
    }

    /// Envoy: counters only go up; gauges add; histograms cannot be incremented.
    pub(crate) fn increment(&mut self, id: u32, delta: i64) -> Result<(), u32> {
        let m = self.by_id(id)?;
        match m.kind {
            MetricKind::Counter if delta > 0 => m.value = m.value.saturating_add(delta),
            MetricKind::Gauge => m.value = m.value.saturating_add(delta),
            _ => return Err(status::BAD_ARGUMENT),
        }
        Ok(())
    }

    /// Envoy: a counter adds, a gauge is set, a histogram records.
    pub(crate) fn record(&mut self, id: u32, value: u64) -> Result<(), u32> {
        let m = self.by_id(id)?;
        match m.kind {
            MetricKind::Counter => m.value = m.value.saturating_add(value as i64),
            MetricKind::Gauge => m.value = value as i64,
            MetricKind::Histogram => m.samples.push(value),
        }
        Ok(())
    }

    /// Envoy: a histogram cannot be read back.
    pub(crate) fn get(&mut self, id: u32) -> Result<u64, u32> {
        let m = self.by_id(id)?;
        match m.kind {
            MetricKind::Histogram => Err(status::BAD_ARGUMENT),
            _ => Ok(m.value as u64),
        }
    }

    pub(crate) fn by_name(&self, name: &str) -> Option<&Metric> {
        self.all.iter().find(|m| m.name == name)
    }

    pub(crate) fn all(&self) -> &[Metric] {
        &self.all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_follow_envoy_rules() {
        let mut m = Metrics::default();
        let counter = m.define(0, "c").unwrap();
        assert_eq!(
            m.define(0, "c"),
            Ok(counter),
            "a repeated name finds the same metric"
        );
        let gauge = m.define(1, "g").unwrap();
        let histogram = m.define(2, "h").unwrap();
        assert_eq!(m.define(9, "x"), Err(status::BAD_ARGUMENT));

        assert_eq!(
            m.increment(counter, -1),
            Err(status::BAD_ARGUMENT),
            "counters only go up"
        );
        m.increment(counter, 2).unwrap();
        m.record(counter, 3).unwrap();
        assert_eq!(m.get(counter), Ok(5));

        m.increment(gauge, 4).unwrap();
        m.increment(gauge, -1).unwrap();
        assert_eq!(m.get(gauge), Ok(3));
        m.record(gauge, 10).unwrap();
        assert_eq!(m.get(gauge), Ok(10));

        m.record(histogram, 7).unwrap();
        assert_eq!(m.increment(histogram, 1), Err(status::BAD_ARGUMENT));
        assert_eq!(m.get(histogram), Err(status::BAD_ARGUMENT));
        assert_eq!(m.by_name("h").unwrap().samples, vec![7]);
        assert_eq!(m.get(99), Err(status::NOT_FOUND));
    }
}
