//! A wake-up for one task from any thread.

use atomic_waker::AtomicWaker;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

/// What a connection task waits on besides its socket: CLIENT KILL, CLIENT UNBLOCK,
/// the cron freeing an idle buffer. Like tokio's `Notify` with its single waiter (a
/// signal sent while nobody waits is kept for the next wait), but without the lock
/// `Notify` takes to add and remove a waiter: the connection waits on it in every
/// turn of its loop, so that lock was paid twice per request.
#[derive(Default)]
pub struct Signal {
    pending: AtomicBool,
    waker: AtomicWaker,
}

impl Signal {
    pub fn new() -> Signal {
        Signal::default()
    }

    /// Wakes the waiting task, or the next one to wait.
    pub fn notify(&self) {
        self.pending.store(true, Ordering::Release);
        self.waker.wake();
    }

    /// Completes once a signal is sent (at once if one is pending), consuming it.
    /// Only one task may wait at a time.
    pub fn notified(&self) -> Notified<'_> {
        Notified { signal: self }
    }

    fn take(&self) -> bool {
        self.pending.load(Ordering::Acquire) && self.pending.swap(false, Ordering::AcqRel)
    }
}

/// The future of [`Signal::notified`].
pub struct Notified<'a> {
    signal: &'a Signal,
}

impl Future for Notified<'_> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.signal.take() {
            return Poll::Ready(());
        }
        self.signal.waker.register(cx.waker());
        // A signal sent between the check and the registration found no waker.
        if self.signal.take() {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::time::Duration;

    #[tokio::test]
    async fn a_signal_sent_before_the_wait_is_kept() {
        let signal = Signal::new();
        signal.notify();
        tokio::time::timeout(Duration::from_secs(5), signal.notified())
            .await
            .expect("the pending signal completes the wait");
        // Consumed: the next wait blocks.
        assert!(
            tokio::time::timeout(Duration::from_millis(50), signal.notified())
                .await
                .is_err()
        );
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_signal_from_another_thread_wakes_the_waiter() {
        let signal = Arc::new(Signal::new());
        for _ in 0..1000 {
            let sender = signal.clone();
            let waiter = tokio::spawn({
                let signal = signal.clone();
                async move { signal.notified().await }
            });
            std::thread::spawn(move || sender.notify());
            tokio::time::timeout(Duration::from_secs(5), waiter)
                .await
                .expect("woken")
                .unwrap();
        }
    }
}
