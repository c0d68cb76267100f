//! HTTP runtime shared by every generated API operation.
//!
//! This module contains the hand-written plumbing that the generated
//! operations are built on:
//!
//! * [`ClientBuilder`] configures authentication, region, timeouts and
//!   retries and produces a client wrapping a [`Transport`];
//! * [`Transport::execute`] sends an [`ApiRequest`], retrying transient
//!   failures according to [`RetryPolicy`], and returns a [`RawResponse`];
//! * [`RawResponse`] is decoded into a typed [`Response`];
//! * every failure is reported as a single [`Error`] type;
//! * [`paginate`] turns a page-fetching closure into a stream of items.
//!
//! # Example
//!
//! ```no_run
//! use intercom_api::runtime::{
//!     ApiRequest, ClientBuilder, Method, Region, RequestOptions, Transport,
//! };
//!
//! # async fn demo() -> Result<(), intercom_api::runtime::Error> {
//! let transport: Transport = ClientBuilder::new("2.11")
//!     .token("my-access-token")
//!     .region(Region::Eu)
//!     .build()?;
//!
//! let request = ApiRequest::new(Method::GET, "/me".to_string());
//! let response = transport
//!     .execute(request, &RequestOptions::default())
//!     .await?
//!     .text()?;
//! println!("{} ({:?})", response.data(), response.request_id());
//! # Ok(())
//! # }
//! ```

mod body;
mod client;
pub mod endpoint;
pub mod enums;
mod error;
pub mod identity;
pub mod lenient;
pub mod object;
mod pagination;
mod properties;
mod request;
mod response;
mod retry;
pub mod search;
pub mod style;
mod telemetry;
#[cfg(feature = "test-util")]
pub mod test_util;
mod time;
mod tls;
pub mod union;
pub mod webhooks;

pub use body::{ByteStream, Multipart, Upload};
pub use client::{ClientBuilder, Region, Transport};
pub use endpoint::{Endpoint, Paginated, Request};
pub use error::{ApiError, DecodeError, Error, ErrorCode, ErrorItem};
pub use pagination::{paginate, Page};
pub use properties::AdditionalProperties;
pub use request::{encode_path_segment, ApiRequest, Operation, RequestOptions};
pub use response::{decode_json, JsonError, RateLimit, RawResponse, Redirect, Response};
pub use retry::RetryPolicy;
pub use time::Timestamp;

pub use futures::stream::{BoxStream, StreamExt, TryStreamExt};
pub use reqwest::header::HeaderMap;
pub use reqwest::{Method, StatusCode};
