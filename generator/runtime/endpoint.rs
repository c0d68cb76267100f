//! What every operation's request has in common, written once.
//!
//! Each generated operation is a small struct of its inputs that implements [`Endpoint`] (how
//! the inputs become an HTTP request, and how the answer is read). A client method returns a
//! [`Request`] of it, which gives every operation the same `options`, `send`,
//! `send_with_response` and `.await`; operations whose answers come in pages also implement
//! [`Paginated`], which gives them `pages` and `into_stream`. A request owns a clone of the
//! client's transport (cheap: it is shared), so requests, their futures and their streams are
//! `'static` and can be spawned onto another task.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;

use futures::future::BoxFuture;
use futures::stream::{self, BoxStream, StreamExt, TryStreamExt};
use serde::de::DeserializeOwned;

use super::body::ByteStream;
use super::client::Transport;
use super::error::Error;
use super::request::{ApiRequest, RequestOptions};
use super::response::{Redirect, Response};

/// One operation of the API: its inputs, and how they become an HTTP request.
pub trait Endpoint: Clone + fmt::Debug + Send + Sync + 'static {
    /// How the answer is read ([`Json`], [`Text`], [`Bytes`], [`RedirectTo`], [`NoContent`]
    /// or [`AnyJson`]), which gives the output type.
    type Answer: Answer;

    /// The HTTP request these inputs make; fails when an input cannot be encoded.
    fn to_request(&self) -> Result<ApiRequest, Error>;
}

/// How an answer is read into an operation's output.
pub trait Answer: Send + 'static {
    /// What `send` returns.
    type Output: Send + 'static;

    /// Sends `request` through `transport` and reads the answer.
    fn receive(
        transport: &Transport,
        request: ApiRequest,
        options: &RequestOptions,
    ) -> impl Future<Output = Result<Response<Self::Output>, Error>> + Send;
}

/// A JSON body decoded into `T`.
pub struct Json<T>(PhantomData<fn() -> T>);

impl<T: DeserializeOwned + Send + 'static> Answer for Json<T> {
    type Output = T;

    async fn receive(
        transport: &Transport,
        request: ApiRequest,
        options: &RequestOptions,
    ) -> Result<Response<T>, Error> {
        transport.execute(request, options).await?.json()
    }
}

/// A text body.
pub struct Text;

impl Answer for Text {
    type Output = String;

    async fn receive(
        transport: &Transport,
        request: ApiRequest,
        options: &RequestOptions,
    ) -> Result<Response<String>, Error> {
        transport.execute(request, options).await?.text()
    }
}

/// A body streamed as bytes, not buffered (downloads).
pub struct Bytes;

impl Answer for Bytes {
    type Output = ByteStream;

    async fn receive(
        transport: &Transport,
        request: ApiRequest,
        options: &RequestOptions,
    ) -> Result<Response<ByteStream>, Error> {
        transport.execute_streaming(request, options).await
    }
}

/// A redirect, not followed: where it points.
pub struct RedirectTo;

impl Answer for RedirectTo {
    type Output = Redirect;

    async fn receive(
        transport: &Transport,
        request: ApiRequest,
        options: &RequestOptions,
    ) -> Result<Response<Redirect>, Error> {
        transport.execute(request, options).await?.redirect()
    }
}

/// An answer without a body.
pub struct NoContent;

impl Answer for NoContent {
    type Output = ();

    async fn receive(
        transport: &Transport,
        request: ApiRequest,
        options: &RequestOptions,
    ) -> Result<Response<()>, Error> {
        Ok(transport.execute(request, options).await?.empty())
    }
}

/// Whatever JSON the answer holds (`null` when empty): the description declares no success
/// response.
pub struct AnyJson;

impl Answer for AnyJson {
    type Output = serde_json::Value;

    async fn receive(
        transport: &Transport,
        request: ApiRequest,
        options: &RequestOptions,
    ) -> Result<Response<serde_json::Value>, Error> {
        let response = transport.execute(request, options).await?;
        if response.body().is_empty() {
            Ok(response.empty().map(|()| serde_json::Value::Null))
        } else {
            response.json()
        }
    }
}

/// The output of an endpoint's `send`.
pub type Output<E> = <<E as Endpoint>::Answer as Answer>::Output;

/// A request to one operation, ready to send: await it (or call [`Request::send`]).
///
/// Returned by the client's methods; the operation's optional inputs are methods of
/// `Request<ThatOperation>`. It owns what it needs, so it can be moved to another task.
#[derive(Clone, Debug)]
#[must_use = "a request does nothing until it is awaited or sent"]
pub struct Request<E> {
    transport: Transport,
    pub(crate) endpoint: E,
    options: RequestOptions,
}

impl<E: Endpoint> Request<E> {
    pub(crate) fn new(transport: &Transport, endpoint: E) -> Self {
        Self {
            transport: transport.clone(),
            endpoint,
            options: RequestOptions::default(),
        }
    }

    /// The operation's inputs as set so far.
    pub fn endpoint(&self) -> &E {
        &self.endpoint
    }

    /// Per-request settings: timeout, retries, extra headers and query parameters, API version.
    pub fn options(mut self, options: RequestOptions) -> Self {
        self.options = options;
        self
    }

    /// Sends the request and returns the decoded answer.
    pub async fn send(self) -> Result<Output<E>, Error> {
        self.send_with_response().await.map(Response::into_data)
    }

    /// Sends the request and returns the decoded answer with the status, headers (request id,
    /// rate limit) and raw bytes of the response.
    pub async fn send_with_response(self) -> Result<Response<Output<E>>, Error> {
        let request = self.endpoint.to_request()?;
        E::Answer::receive(&self.transport, request, &self.options).await
    }
}

impl<E: Endpoint> IntoFuture for Request<E> {
    type Output = Result<Output<E>, Error>;
    type IntoFuture = BoxFuture<'static, Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// An operation whose answer is one page of a longer list.
pub trait Paginated: Endpoint {
    /// One item of a page.
    type Item: Send + 'static;
    /// What selects the next page: a cursor or a page number.
    type Cursor: Send + 'static;

    /// The items of a page, in order (`None` when the page has none).
    fn items(page: &mut Output<Self>) -> Option<&mut Vec<Self::Item>>;

    /// The cursor of the page after `page` (which these inputs fetched); `None` on the last.
    fn next_cursor(&self, page: &Output<Self>) -> Option<Self::Cursor>;

    /// These inputs, moved on to the page `cursor` selects.
    fn set_cursor(&mut self, cursor: Self::Cursor);
}

impl<E: Paginated> Request<E> {
    /// Streams the pages themselves, in order, each with its metadata (e.g. `total_count`),
    /// until the last page or a page without items. After an error the error is yielded and
    /// the stream ends. Pages are fetched when the consumer asks for them.
    pub fn pages(self) -> BoxStream<'static, Result<Output<E>, Error>> {
        stream::unfold(Some(self), |request| async move {
            let mut request = request?;
            let mut page = match request.clone().send().await {
                Ok(page) => page,
                Err(error) => return Some((Err(error), None)),
            };
            let has_items = E::items(&mut page).is_some_and(|items| !items.is_empty());
            let more = match request.endpoint.next_cursor(&page) {
                Some(cursor) if has_items => {
                    request.endpoint.set_cursor(cursor);
                    Some(request)
                }
                _ => None,
            };
            Some((Ok(page), more))
        })
        .boxed()
    }

    /// Streams every item across pages, in order (see [`Request::pages`]).
    pub fn into_stream(self) -> BoxStream<'static, Result<E::Item, Error>> {
        self.pages()
            .map_ok(|mut page| {
                let items = E::items(&mut page).map(std::mem::take).unwrap_or_default();
                stream::iter(items.into_iter().map(Ok))
            })
            .try_flatten()
            .boxed()
    }
}
