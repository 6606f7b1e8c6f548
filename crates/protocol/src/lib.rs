//! The RESP wire codec. It knows bytes and frames, nothing of storage or sockets.
//!
//! - [`parse`]: incremental, zero-copy request parsing. A request is either a RESP
//!   multibulk (`*2\r\n$3\r\nGET\r\n$1\r\nk\r\n`) or an inline command (`GET k\r\n`),
//!   decoded into byte ranges of the caller's read buffer; nothing is copied. Every length
//!   is checked against [`Limits`] before it is trusted, and errors carry the exact text
//!   redis-server sends (`ERR Protocol error: invalid bulk length`).
//! - [`reply`]: the reply encoder. One [`reply::Reply`] writes RESP2 or RESP3 depending
//!   on what the client negotiated with HELLO; commands describe their replies once
//!   (a map, a set, a double) and the encoder picks the wire shape.
//! - [`split`]: `sdssplitargs`-compatible tokenising of inline commands and config lines.
//! - [`number`]: number formatting and parsing with Redis's exact rules (`%.17g`, strict
//!   integer parsing).

pub mod number;
pub mod parse;
pub mod reply;
pub mod split;

pub use parse::{parse_request, Limits, ParseError, Request};
pub use reply::{Reply, RespVersion};
