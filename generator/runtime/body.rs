//! Request and response bodies that are not JSON: uploads (raw bytes, a file on disk, a
//! stream), multipart forms, and downloads streamed to the caller.

use std::fmt;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};

use bytes::Bytes;
use futures::stream::{BoxStream, Stream, StreamExt, TryStreamExt};
use serde::Serialize;

use super::error::Error;

type SharedStream = Arc<Mutex<Option<BoxStream<'static, Result<Bytes, BoxError>>>>>;
type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Bytes to upload: a file part of a multipart form, or a raw (binary) request body.
///
/// ```
/// use intercom_api::runtime::Upload;
///
/// let inline = Upload::bytes(&b"[]"[..]).file_name("catalog.json").content_type("application/json");
/// let on_disk = Upload::path("exports/catalog.json"); // read when the request is sent
/// # let _ = (inline, on_disk);
/// ```
///
/// Bytes and paths are read again for each attempt, so such requests can be retried; a
/// stream can be read only once, so a request uploading one is never retried.
#[derive(Clone)]
pub struct Upload {
    source: Source,
    file_name: Option<String>,
    content_type: Option<String>,
}

#[derive(Clone)]
enum Source {
    Bytes(Bytes),
    Path(PathBuf),
    Stream(SharedStream),
}

impl Upload {
    /// Bytes held in memory.
    pub fn bytes(bytes: impl Into<Bytes>) -> Self {
        Self::from_source(Source::Bytes(bytes.into()))
    }

    /// A file, read (streamed) when the request is sent; its name is the default file name.
    pub fn path(path: impl Into<PathBuf>) -> Self {
        let path = path.into();
        let file_name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned());
        Self {
            file_name,
            ..Self::from_source(Source::Path(path))
        }
    }

    /// A stream of chunks, sent as it is read. It can be sent once: the request is not retried.
    pub fn stream<S, E>(stream: S) -> Self
    where
        S: Stream<Item = Result<Bytes, E>> + Send + 'static,
        E: Into<BoxError> + 'static,
    {
        let stream = stream.map_err(Into::into).boxed();
        Self::from_source(Source::Stream(Arc::new(Mutex::new(Some(stream)))))
    }

    /// The file name sent with a multipart file part.
    pub fn file_name(mut self, name: impl Into<String>) -> Self {
        self.file_name = Some(name.into());
        self
    }

    /// The part's (or body's) `Content-Type`; the description's media type by default.
    pub fn content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    fn from_source(source: Source) -> Self {
        Self {
            source,
            file_name: None,
            content_type: None,
        }
    }

    /// Whether the bytes can be produced again for a retry.
    pub(crate) fn is_repeatable(&self) -> bool {
        !matches!(self.source, Source::Stream(_))
    }

    pub(crate) fn content_type_or<'a>(&'a self, default: &'a str) -> &'a str {
        self.content_type.as_deref().unwrap_or(default)
    }

    /// The body for one attempt.
    pub(crate) async fn reqwest_body(&self) -> Result<reqwest::Body, Error> {
        match &self.source {
            Source::Bytes(bytes) => Ok(reqwest::Body::from(bytes.clone())),
            Source::Path(path) => {
                let file = tokio::fs::File::open(path).await.map_err(|e| {
                    Error::invalid_request_with(format!("cannot open `{}`", path.display()), e)
                })?;
                Ok(reqwest::Body::wrap_stream(
                    tokio_util::io::ReaderStream::new(file),
                ))
            }
            Source::Stream(shared) => {
                let taken = shared.lock().unwrap_or_else(PoisonError::into_inner).take();
                match taken {
                    Some(stream) => Ok(reqwest::Body::wrap_stream(stream)),
                    None => Err(Error::invalid_request(
                        "the upload stream was already sent; a stream can be sent only once",
                    )),
                }
            }
        }
    }

    async fn part(
        &self,
        default_content_type: Option<&str>,
    ) -> Result<reqwest::multipart::Part, Error> {
        let mut part = reqwest::multipart::Part::stream(self.reqwest_body().await?);
        if let Some(name) = &self.file_name {
            part = part.file_name(name.clone());
        }
        if let Some(content_type) = self.content_type.as_deref().or(default_content_type) {
            part = part.mime_str(content_type).map_err(|e| {
                Error::invalid_request_with(format!("invalid content type `{content_type}`"), e)
            })?;
        }
        Ok(part)
    }
}

impl fmt::Debug for Upload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let source = match &self.source {
            Source::Bytes(bytes) => format!("{} bytes", bytes.len()),
            Source::Path(path) => format!("file {}", path.display()),
            Source::Stream(_) => "stream".to_owned(),
        };
        f.debug_struct("Upload")
            .field("source", &source)
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type)
            .finish()
    }
}

impl From<Bytes> for Upload {
    fn from(bytes: Bytes) -> Self {
        Self::bytes(bytes)
    }
}

impl From<Vec<u8>> for Upload {
    fn from(bytes: Vec<u8>) -> Self {
        Self::bytes(bytes)
    }
}

/// A `multipart/form-data` body: text, JSON and file parts, in order.
#[derive(Clone, Debug, Default)]
pub struct Multipart {
    parts: Vec<(String, Part)>,
}

#[derive(Clone, Debug)]
enum Part {
    Text(String),
    Json(String),
    File(Upload),
}

impl Multipart {
    pub fn new() -> Self {
        Self::default()
    }

    /// A text part.
    pub fn text(mut self, name: &str, value: impl ToString) -> Self {
        self.parts
            .push((name.to_owned(), Part::Text(value.to_string())));
        self
    }

    /// A part holding `value` as JSON (`Content-Type: application/json`).
    pub fn json<T: Serialize>(mut self, name: &str, value: &T) -> Result<Self, Error> {
        let text = serde_json::to_string(value).map_err(|e| {
            Error::invalid_request_with(format!("cannot serialize the form part `{name}`"), e)
        })?;
        self.parts.push((name.to_owned(), Part::Json(text)));
        Ok(self)
    }

    /// A file part.
    pub fn file(mut self, name: &str, upload: Upload) -> Self {
        self.parts.push((name.to_owned(), Part::File(upload)));
        self
    }

    pub(crate) fn is_repeatable(&self) -> bool {
        self.parts.iter().all(|(_, part)| match part {
            Part::File(upload) => upload.is_repeatable(),
            Part::Text(_) | Part::Json(_) => true,
        })
    }

    /// The form for one attempt.
    pub(crate) async fn reqwest_form(&self) -> Result<reqwest::multipart::Form, Error> {
        let mut form = reqwest::multipart::Form::new();
        for (name, part) in &self.parts {
            form = match part {
                Part::Text(text) => form.text(name.clone(), text.clone()),
                Part::Json(text) => {
                    let part = reqwest::multipart::Part::text(text.clone())
                        .mime_str("application/json")
                        .map_err(|e| Error::invalid_request_with("invalid content type", e))?;
                    form.part(name.clone(), part)
                }
                Part::File(upload) => form.part(
                    name.clone(),
                    upload.part(Some("application/octet-stream")).await?,
                ),
            };
        }
        Ok(form)
    }
}

/// A downloaded body, streamed as it arrives: nothing is buffered unless the caller asks.
///
/// It is a `Stream` of byte chunks; [`ByteStream::collect_bytes`] reads it whole.
pub struct ByteStream {
    inner: BoxStream<'static, Result<Bytes, Error>>,
    content_type: Option<String>,
    content_length: Option<u64>,
}

impl ByteStream {
    pub(crate) fn from_response(response: reqwest::Response) -> Self {
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        let content_length = response.content_length();
        let inner = response
            .bytes_stream()
            .map_err(|error| Error::from_reqwest(error, None))
            .boxed();
        Self {
            inner,
            content_type,
            content_length,
        }
    }

    /// A body already in memory (the `test-util` mock's answers).
    pub(crate) fn from_bytes(body: Bytes, headers: &reqwest::header::HeaderMap) -> Self {
        let content_type = headers
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned);
        Self {
            content_length: Some(body.len() as u64),
            inner: futures::stream::once(async move { Ok(body) }).boxed(),
            content_type,
        }
    }

    /// The `Content-Type` the server sent.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// The `Content-Length` the server announced, if any.
    pub fn content_length(&self) -> Option<u64> {
        self.content_length
    }

    /// Reads the whole body into memory.
    pub async fn collect_bytes(mut self) -> Result<Bytes, Error> {
        let mut buffer = Vec::new();
        while let Some(chunk) = self.inner.next().await {
            buffer.extend_from_slice(&chunk?);
        }
        Ok(Bytes::from(buffer))
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.poll_next_unpin(cx)
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream")
            .field("content_type", &self.content_type)
            .field("content_length", &self.content_length)
            .finish_non_exhaustive()
    }
}
