//! Writing the replies of one event-loop round together, each in one system call.
//!
//! When a poll of the sockets finds many connections readable, each connection's task
//! reads, executes and would write its reply before the next task even reads. Spread
//! out like that, the replies wake a client that reads many connections (a pool, a
//! benchmark, a proxy) once per reply. redis-server instead writes every pending reply
//! in one pass just before it sleeps, and the client is woken once per round: on a
//! loaded node the kernel's wake-ups, not the commands, were most of the difference.
//!
//! [`yield_to_ready`] gets the same effect from the runtime's scheduler: a task with a
//! reply steps behind the tasks already queued (the other connections found ready by
//! the same poll), so all of them execute before any of them writes. Unlike
//! `tokio::task::yield_now`, which defers the task until the runtime has polled the
//! sockets again, it costs no system call when no other task is waiting.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;

/// Completes after the tasks that are ready now have run (immediately when none are).
pub fn yield_to_ready() -> YieldToReady {
    YieldToReady { yielded: false }
}

pub struct YieldToReady {
    yielded: bool,
}

impl Future for YieldToReady {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.yielded {
            return Poll::Ready(());
        }
        self.yielded = true;
        // A task that wakes itself while running is queued again at the back of its
        // worker's run queue.
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

/// Writes all of `buf`. Replies almost always fit the socket's send buffer, so this
/// tries one plain write first, and only what is left waits in `write_all`'s future
/// (whose readiness polling and waker registration cost more than the write).
pub async fn write_all(stream: &mut TcpStream, buf: &[u8]) -> std::io::Result<()> {
    match stream.try_write(buf) {
        Ok(n) if n == buf.len() => Ok(()),
        Ok(n) => stream.write_all(&buf[n..]).await,
        Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => stream.write_all(buf).await,
        Err(e) => Err(e),
    }
}
