//! Points in time: Intercom sends them as whole seconds since the Unix epoch.
//!
//! Every property lowering recognises as a point in time (an integer named `*_at`, or declared
//! with `format: date-time` or `timestamp`) is a [`Timestamp`] rather than a bare `i64`, so it
//! cannot be mixed up with a count or an id. It converts to and from `i64` and
//! [`SystemTime`], and, with the `jiff` feature, to and from `jiff::Timestamp`.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use super::lenient;
use super::object::{FromJson, Read};

/// A point in time, as whole seconds since the Unix epoch (written as that integer).
///
/// ```
/// use intercom_api::Timestamp;
/// use std::time::{Duration, UNIX_EPOCH};
///
/// let created = Timestamp::from_unix_seconds(1_700_000_000);
/// assert_eq!(created.unix_seconds(), 1_700_000_000);
/// assert_eq!(
///     std::time::SystemTime::from(created),
///     UNIX_EPOCH + Duration::from_secs(1_700_000_000)
/// );
/// assert!(created < Timestamp::now());
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(i64);

impl Timestamp {
    /// The point `seconds` after the Unix epoch (before it when negative).
    pub const fn from_unix_seconds(seconds: i64) -> Self {
        Self(seconds)
    }

    /// Seconds since the Unix epoch, as Intercom sends them.
    pub const fn unix_seconds(self) -> i64 {
        self.0
    }

    /// Now, to the second.
    pub fn now() -> Self {
        Self::from(SystemTime::now())
    }

    /// As a `jiff::Timestamp`; fails only for a point outside jiff's range (years -9999 to
    /// 9999).
    #[cfg(feature = "jiff")]
    pub fn to_jiff(self) -> Result<jiff::Timestamp, jiff::Error> {
        jiff::Timestamp::from_second(self.0)
    }
}

impl From<i64> for Timestamp {
    fn from(seconds: i64) -> Self {
        Self(seconds)
    }
}

impl From<Timestamp> for i64 {
    fn from(timestamp: Timestamp) -> Self {
        timestamp.0
    }
}

/// Truncated to the second; saturates beyond `i64`'s range of seconds.
impl From<SystemTime> for Timestamp {
    fn from(time: SystemTime) -> Self {
        let seconds = match time.duration_since(UNIX_EPOCH) {
            Ok(after) => i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
            Err(before) => {
                let before = before.duration();
                let whole = i64::try_from(before.as_secs()).unwrap_or(i64::MAX);
                // 1.5 s before the epoch is second -2 (truncation toward the past).
                -whole - i64::from(before.subsec_nanos() > 0)
            }
        };
        Self(seconds)
    }
}

impl From<Timestamp> for SystemTime {
    fn from(timestamp: Timestamp) -> Self {
        let magnitude = Duration::from_secs(timestamp.0.unsigned_abs());
        if timestamp.0 >= 0 {
            UNIX_EPOCH + magnitude
        } else {
            UNIX_EPOCH - magnitude
        }
    }
}

#[cfg(feature = "jiff")]
impl From<jiff::Timestamp> for Timestamp {
    fn from(timestamp: jiff::Timestamp) -> Self {
        Self(timestamp.as_second())
    }
}

#[cfg(feature = "jiff")]
impl TryFrom<Timestamp> for jiff::Timestamp {
    type Error = jiff::Error;

    fn try_from(timestamp: Timestamp) -> Result<Self, jiff::Error> {
        timestamp.to_jiff()
    }
}

/// The seconds since the epoch, as sent.
impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(self.0)
    }
}

/// Read as leniently as any integer: an integer-valued float or a numeric string is accepted.
impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        lenient::integer(deserializer).map(Self)
    }
}

impl FromJson for Timestamp {
    fn fits(value: &Value) -> bool {
        i64::fits(value)
    }

    fn from_json(value: Value) -> Result<Self, serde_json::Error> {
        i64::from_json(value).map(Self)
    }

    fn read<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Read<Self>, D::Error> {
        Ok(match i64::read(deserializer)? {
            Read::Fit(seconds) => Read::Fit(Self(seconds)),
            Read::Misfit(value) => Read::Misfit(value),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_like_an_integer_and_writes_the_integer() -> Result<(), serde_json::Error> {
        let read: Vec<Timestamp> = serde_json::from_str(r#"[1700000000, 1.7e9, "1700000000"]"#)?;
        assert!(read.iter().all(|t| t.unix_seconds() == 1_700_000_000));
        assert_eq!(serde_json::to_string(&read[0])?, "1700000000");
        assert!(serde_json::from_str::<Timestamp>(r#""yesterday""#).is_err());
        Ok(())
    }

    #[test]
    fn converts_to_system_time_both_sides_of_the_epoch() {
        for seconds in [-86_400, -1, 0, 1, 1_700_000_000] {
            let timestamp = Timestamp::from_unix_seconds(seconds);
            assert_eq!(Timestamp::from(SystemTime::from(timestamp)), timestamp);
        }
        let just_before = UNIX_EPOCH - Duration::from_millis(1_500);
        assert_eq!(Timestamp::from(just_before).unix_seconds(), -2);
    }

    #[cfg(feature = "jiff")]
    #[test]
    fn converts_to_jiff() -> Result<(), jiff::Error> {
        let timestamp = Timestamp::from_unix_seconds(1_700_000_000);
        let jiff = timestamp.to_jiff()?;
        assert_eq!(jiff.to_string(), "2023-11-14T22:13:20Z");
        assert_eq!(Timestamp::from(jiff), timestamp);
        Ok(())
    }
}
