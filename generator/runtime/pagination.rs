//! Turning paginated endpoints into streams.

use std::future::Future;

use futures::stream::{self, BoxStream, StreamExt};

use super::error::Error;

/// One page of results and the cursor of the next page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page<T, C> {
    /// The items of this page.
    pub items: Vec<T>,
    /// The cursor (or page number, URL, ...) of the next page; `None` on the
    /// last page.
    pub next: Option<C>,
}

/// Where the pagination stands.
enum Cursor<C> {
    First,
    Next(C),
    Done,
}

struct State<T, C, F> {
    fetch: F,
    buffer: std::vec::IntoIter<T>,
    cursor: Cursor<C>,
}

/// Streams every item of a paginated endpoint.
///
/// `fetch(None)` loads the first page, then `fetch(Some(next))` loads each
/// following page while the previous page had a `next` cursor and at least
/// one item. Items are yielded one by one, in order. After an error the
/// error is yielded and the stream ends. Pages are fetched lazily, only when
/// the consumer asks for more items.
///
/// ```no_run
/// use intercom_api::runtime::{paginate, Error, Page, StreamExt};
///
/// # async fn demo() -> Result<(), Error> {
/// let mut items = paginate(|cursor: Option<u32>| async move {
///     let page = cursor.unwrap_or(1);
///     Ok::<_, Error>(Page {
///         items: vec![page * 10, page * 10 + 1],
///         next: (page < 3).then_some(page + 1),
///     })
/// });
/// while let Some(item) = items.next().await {
///     println!("{}", item?);
/// }
/// # Ok(())
/// # }
/// ```
pub fn paginate<'a, T, C, F, Fut>(fetch: F) -> BoxStream<'a, Result<T, Error>>
where
    T: Send + 'a,
    C: Send + 'a,
    F: FnMut(Option<C>) -> Fut + Send + 'a,
    Fut: Future<Output = Result<Page<T, C>, Error>> + Send + 'a,
{
    let state = State {
        fetch,
        buffer: Vec::new().into_iter(),
        cursor: Cursor::First,
    };
    stream::unfold(state, |mut state| async move {
        loop {
            if let Some(item) = state.buffer.next() {
                return Some((Ok(item), state));
            }
            let cursor = match std::mem::replace(&mut state.cursor, Cursor::Done) {
                Cursor::First => None,
                Cursor::Next(cursor) => Some(cursor),
                Cursor::Done => return None,
            };
            match (state.fetch)(cursor).await {
                Ok(page) => {
                    if !page.items.is_empty() {
                        if let Some(next) = page.next {
                            state.cursor = Cursor::Next(next);
                        }
                    }
                    state.buffer = page.items.into_iter();
                }
                Err(error) => return Some((Err(error), state)),
            }
        }
    })
    .boxed()
}
