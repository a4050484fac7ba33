//! Large answers without their size in memory.
//!
//! An answer is a list of shared pieces (each feature's prepared bytes, see
//! `index::PreparedFeature`), gathered while the index is locked. The body then copies them
//! into chunks of [`CHUNK_BYTES`] only as the connection asks for more, so a client that reads
//! slowly holds one chunk and the piece list, never the whole answer; hyper asks for the next
//! chunk only once the previous ones are written (backpressure).
//!
//! Answers larger than [`LARGE_ANSWER_BYTES`] also hold a permit from [`LargeAnswers`] until
//! their last byte is written or the connection is dropped, which bounds how many such
//! answers are in flight at once.

use bytes::{Bytes, BytesMut};
use http_body::{Frame, SizeHint};
use std::convert::Infallible;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// How many bytes one chunk of the body holds, at most (a piece larger than this is sent as
/// a chunk of its own).
pub const CHUNK_BYTES: usize = 64 * 1024;

/// An answer at least this large needs a permit from [`LargeAnswers`].
pub const LARGE_ANSWER_BYTES: u64 = 1024 * 1024;

/// The permits for large answers in flight.
#[derive(Clone)]
pub struct LargeAnswers(Arc<Semaphore>);

impl LargeAnswers {
    pub fn new(permits: usize) -> Self {
        Self(Arc::new(Semaphore::new(permits)))
    }

    /// A permit for an answer of `bytes`, or `Err` when as many large answers as allowed are
    /// in flight. Small answers need no permit.
    pub fn admit(&self, bytes: u64) -> Result<Option<OwnedSemaphorePermit>, Busy> {
        if bytes < LARGE_ANSWER_BYTES {
            return Ok(None);
        }
        self.0
            .clone()
            .try_acquire_owned()
            .map(Some)
            .map_err(|_| Busy)
    }
}

/// Every permit for large answers is taken.
#[derive(Debug)]
pub struct Busy;

/// A body made of shared pieces, sent in chunks as the connection is ready for them.
pub struct StreamedBody {
    pieces: std::vec::IntoIter<Bytes>,
    remaining: u64,
    permit: Option<OwnedSemaphorePermit>,
}

impl StreamedBody {
    pub fn new(pieces: Vec<Bytes>, permit: Option<OwnedSemaphorePermit>) -> Self {
        let remaining = total_len(&pieces);
        Self {
            pieces: pieces.into_iter(),
            remaining,
            permit,
        }
    }
}

/// The length of the body these pieces make.
pub fn total_len(pieces: &[Bytes]) -> u64 {
    pieces.iter().map(|p| p.len() as u64).sum()
}

impl http_body::Body for StreamedBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        let this = &mut *self;
        let Some(first) = this.pieces.next() else {
            this.permit = None;
            return Poll::Ready(None);
        };
        let chunk = if first.len() >= CHUNK_BYTES {
            first
        } else {
            let capacity =
                usize::try_from(this.remaining).map_or(CHUNK_BYTES, |r| r.min(CHUNK_BYTES));
            let mut chunk = BytesMut::with_capacity(capacity);
            chunk.extend_from_slice(&first);
            while let Some(next) = this.pieces.as_slice().first()
                && chunk.len() + next.len() <= CHUNK_BYTES
            {
                chunk.extend_from_slice(next);
                this.pieces.next();
            }
            chunk.freeze()
        };
        this.remaining -= chunk.len() as u64;
        if this.remaining == 0 {
            this.permit = None;
        }
        Poll::Ready(Some(Ok(Frame::data(chunk))))
    }

    fn is_end_stream(&self) -> bool {
        self.remaining == 0
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.remaining)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http_body::Body;
    use std::task::Waker;

    fn next_chunk(body: &mut StreamedBody) -> Option<Bytes> {
        let mut cx = Context::from_waker(Waker::noop());
        match Pin::new(body).poll_frame(&mut cx) {
            Poll::Ready(Some(Ok(frame))) => Some(frame.into_data().expect("data")),
            Poll::Ready(None) => None,
            Poll::Pending => panic!("never pending"),
        }
    }

    #[test]
    fn the_body_is_sent_in_bounded_chunks_and_frees_its_permit_at_the_end() {
        let feature = Bytes::from(vec![b'x'; 900]);
        let mut pieces = vec![Bytes::from_static(b"{\"features\":[")];
        for i in 0..5000 {
            if i > 0 {
                pieces.push(Bytes::from_static(b","));
            }
            pieces.push(feature.clone());
        }
        pieces.push(Bytes::from(vec![b'y'; 3 * CHUNK_BYTES]));
        pieces.push(Bytes::from_static(b"]}"));
        let expected: Vec<u8> = pieces.iter().flat_map(|p| p.to_vec()).collect();

        let limiter = LargeAnswers::new(1);
        let permit = limiter.admit(expected.len() as u64).unwrap();
        assert!(permit.is_some());
        assert!(
            limiter.admit(expected.len() as u64).is_err(),
            "one at a time"
        );
        assert!(limiter.admit(10).unwrap().is_none(), "small answers pass");

        let mut body = StreamedBody::new(pieces, permit);
        assert_eq!(body.size_hint().exact(), Some(expected.len() as u64));
        let mut sent = Vec::new();
        let mut chunks = 0;
        while let Some(chunk) = next_chunk(&mut body) {
            assert!(
                chunk.len() <= CHUNK_BYTES || chunk.len() == 3 * CHUNK_BYTES,
                "a chunk of {} bytes",
                chunk.len()
            );
            chunks += 1;
            sent.extend_from_slice(&chunk);
        }
        assert!(chunks > expected.len() / CHUNK_BYTES);
        assert_eq!(sent, expected);
        assert!(body.is_end_stream());
        assert!(
            limiter.admit(expected.len() as u64).unwrap().is_some(),
            "the permit was returned with the last chunk"
        );
    }

    #[test]
    fn a_dropped_body_returns_its_permit() {
        let limiter = LargeAnswers::new(1);
        let body = StreamedBody::new(vec![], limiter.admit(LARGE_ANSWER_BYTES).unwrap());
        assert!(limiter.admit(LARGE_ANSWER_BYTES).is_err());
        drop(body);
        assert!(limiter.admit(LARGE_ANSWER_BYTES).is_ok());
    }
}
