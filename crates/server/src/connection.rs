//! One client connection: read, parse, execute, reply, on the thread that read it.
//!
//! The loop waits for whichever comes first: bytes from the socket, a push frame for
//! this client (pub/sub, MONITOR), or a wake-up (CLIENT KILL, output limits). Every
//! complete request in the buffer is executed before the replies are written in one
//! go, so a pipeline of N requests costs one read and one write.

use ferrocache_commands::blocking::Blocked;
use ferrocache_commands::dispatch::{self, execute, execute_at};
use ferrocache_commands::{Client, Node};
use ferrocache_protocol::{parse_request, Limits, Reply, Request, RespVersion};
use smallvec::SmallVec;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Instant;
use tokio::io::AsyncReadExt;
use tokio::net::TcpStream;

const READ_CHUNK: usize = 16 * 1024;
/// Query buffers above this are shrunk when the requests they hold get small.
const RESIZE_THRESHOLD: usize = 32 * 1024;
/// A client idle this long gives its query buffer back.
pub(crate) const IDLE_RELEASE: std::time::Duration = std::time::Duration::from_secs(2);
/// Reply buffers larger than this are released after they were written.
const KEEP_REPLY_CAPACITY: usize = 64 * 1024;

/// What the connection does after a batch of requests.
enum Flow {
    Continue,
    Close,
    /// CLIENT PAUSE holds the next request until then.
    PausedUntil(Instant),
    /// A blocking command waits for one of its keys; its request is kept to run again.
    Blocked(Box<(Vec<Vec<u8>>, Blocked)>),
}

/// How a wait in a blocking command ended.
enum Wake {
    Ready,
    Timeout,
    Signal,
    Input,
    Closed,
}

pub async fn serve(node: Arc<Node>, mut stream: TcpStream) {
    let _ = stream.set_nodelay(true);
    let (peer, local) = crate::addresses(stream.peer_addr(), stream.local_addr());
    let (shared, mut pushes) = node.register_client(peer, local);
    let mut client = Client::new(shared.clone(), node.settings().requirepass.is_none());
    let mut out = Reply::new(RespVersion::Resp2);
    // A plain Vec: consumed requests are removed by moving the (short) unparsed tail
    // to the front, so the buffer never grows with the traffic it has seen.
    let mut buf: Vec<u8> = Vec::with_capacity(READ_CHUNK);
    // Bytes the buffer must hold before parsing is worth trying again.
    let mut wanted = 1usize;

    // Set when a wait other than the loop's own took the wake-up signal: it may have
    // announced pushed frames, which only the loop's own wait delivers.
    let mut signal_taken = false;

    'conn: loop {
        client.query_peak = client.query_peak.max(buf.len());
        if buf.len() >= wanted {
            match process(&node, &mut client, &mut out, &mut buf, &mut wanted) {
                Flow::Continue => {}
                Flow::Close => {
                    let _ = write_out(&mut stream, &mut out, &mut client).await;
                    break 'conn;
                }
                Flow::PausedUntil(until) => {
                    if write_out(&mut stream, &mut out, &mut client).await.is_err() {
                        break 'conn;
                    }
                    tokio::select! {
                        _ = tokio::time::sleep_until(until.into()) => {}
                        _ = node.unpaused.notified() => {}
                        _ = shared.wake.notified() => signal_taken = true,
                    }
                    if shared.is_killed() {
                        break 'conn;
                    }
                    continue 'conn;
                }
                Flow::Blocked(blocked) => {
                    if write_out(&mut stream, &mut out, &mut client).await.is_err() {
                        dispatch::forget_blocked(&node, &blocked.1);
                        break 'conn;
                    }
                    let (args, blocked) = *blocked;
                    signal_taken = true;
                    if !wait_blocked(
                        &node,
                        &mut client,
                        &mut out,
                        &mut stream,
                        &mut buf,
                        args,
                        blocked,
                    )
                    .await
                    {
                        break 'conn;
                    }
                    continue 'conn;
                }
            }
        }
        if !out.is_empty() {
            // Let the other connections with requests waiting run theirs first, so the
            // replies go out together (redis-server writes them in one pass before it
            // sleeps): a client reading many connections is woken once for all of them
            // rather than once per reply.
            crate::batch::yield_to_ready().await;
        }
        if !out.is_empty() && write_out(&mut stream, &mut out, &mut client).await.is_err() {
            break;
        }
        client.flush_stats(&node);
        if shared.is_killed() {
            break;
        }
        if buf.capacity() - buf.len() < READ_CHUNK / 4 || wanted > buf.capacity() {
            // Room for the next read, and for the whole of a large announced argument
            // (bounded by proto-max-bulk-len, which the parser checked).
            let target = wanted.max(buf.len() + READ_CHUNK);
            buf.reserve(target - buf.len());
        }
        if std::mem::take(&mut signal_taken) {
            shared.wake.notify();
        }
        tokio::select! {
            read = stream.read_buf(&mut buf) => {
                match read {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        client.stats.net_input_bytes += n as u64;
                        client.stats.reads += 1;
                        let limit = node.read_cached_settings(&mut client.settings_cache, |s| {
                            s.query_buffer_limit as usize
                        });
                        if buf.len() > limit {
                            tracing::warn!("closing client that reached max query buffer length");
                            break;
                        }
                    }
                }
            }
            _ = shared.wake.notified() => {
                if shared.is_killed() {
                    break;
                }
                let mut frames = 0;
                while let Ok(frame) = pushes.try_recv() {
                    let len = frame.len();
                    out.raw(&frame);
                    shared.pushed(len);
                    frames += 1;
                    if frames == 1024 {
                        // Write these first; the signal brings the loop back for the rest.
                        shared.wake.notify();
                        break;
                    }
                }
                if shared.release_buffer.swap(false, Ordering::Relaxed) && buf.is_empty() {
                    // An idle client keeps no query buffer at all.
                    buf = Vec::new();
                    let mut info = shared.info.lock();
                    info.query_buffer = 0;
                    info.query_buffer_free = 0;
                }
            }
        }
    }
    dispatch::disconnect(&node, &mut client);
}

/// Executes every complete request in `buf`.
fn process(
    node: &Node,
    client: &mut Client,
    out: &mut Reply,
    buf: &mut Vec<u8>,
    wanted: &mut usize,
) -> Flow {
    let mut pos = 0;
    let mut flow = Flow::Continue;
    let max_bulk_len =
        node.read_cached_settings(&mut client.settings_cache, |s| s.proto_max_bulk_len);
    let mut ranges = std::mem::take(&mut client.arg_ranges);
    let mut clock = None;
    loop {
        let limits = Limits {
            max_bulk_len,
            authenticated: client.authenticated,
        };
        let input = &buf[pos..];
        if input.is_empty() {
            *wanted = 1;
            break;
        }
        let request = match parse_request(input, &limits, &mut ranges) {
            Ok(request) => request,
            Err(error) => {
                out.error(error.0);
                client.stats.record_error(error.0.as_bytes());
                flow = Flow::Close;
                break;
            }
        };
        let consumed = match &request {
            Request::Incomplete { min_len } => {
                // Relative to `pos`, which becomes the buffer's start below.
                *wanted = *min_len;
                break;
            }
            Request::Multibulk { consumed, .. } | Request::Inline { consumed, .. } => *consumed,
        };
        // Filled in place: collecting into a temporary and moving it costs a copy that
        // stalls on the stores just made.
        let mut args: SmallVec<[&[u8]; 8]> = SmallVec::new();
        match &request {
            Request::Multibulk { .. } => args.extend(ranges.iter().map(|&(s, e)| &input[s..e])),
            Request::Inline { args: owned, .. } => args.extend(owned.iter().map(|a| a.as_slice())),
            Request::Incomplete { .. } => unreachable!("handled above"),
        }
        if let Some(first) = args.first() {
            if first.eq_ignore_ascii_case(b"post") || first.eq_ignore_ascii_case(b"host:") {
                tracing::warn!("Possible SECURITY ATTACK detected. It looks like somebody is sending POST or Host: commands to Redis. Connection aborted.");
                flow = Flow::Close;
                break;
            }
            if let Some(until) = dispatch::paused_until(node, client, &args) {
                flow = Flow::PausedUntil(until);
                break;
            }
            if let Some(blocked) = execute_at(node, client, out, &args, &mut clock) {
                let owned = args.iter().map(|a| a.to_vec()).collect();
                pos += consumed;
                flow = Flow::Blocked(Box::new((owned, blocked)));
                break;
            }
        }
        pos += consumed;
        if client.close_after_reply {
            flow = Flow::Close;
            break;
        }
    }
    client.arg_ranges = ranges;
    if pos == buf.len() {
        buf.clear();
    } else if pos > 0 {
        buf.drain(..pos);
    }
    if pos > 0 {
        // Give back a large buffer once requests are small again (redis-server resizes
        // the query buffer when its recent peak is under half its size).
        let peak = std::mem::replace(&mut client.query_peak, buf.len());
        if buf.capacity() > RESIZE_THRESHOLD && peak < buf.capacity() / 2 && buf.is_empty() {
            buf.shrink_to(peak.max(READ_CHUNK));
        }
        let mut info = client.shared.info.lock();
        info.last_interaction = clock.unwrap_or_else(quanta::Instant::now);
        info.query_buffer = buf.len();
        info.query_buffer_free = buf.capacity() - buf.len();
    }
    if !matches!(flow, Flow::Continue) {
        *wanted = 1;
    }
    flow
}

async fn write_out(
    stream: &mut TcpStream,
    out: &mut Reply,
    client: &mut Client,
) -> std::io::Result<()> {
    if out.is_empty() {
        return Ok(());
    }
    client.stats.net_output_bytes += out.len() as u64;
    client.stats.writes += 1;
    let result = crate::batch::write_all(stream, &out.buf).await;
    out.buf.clear();
    if out.buf.capacity() > KEEP_REPLY_CAPACITY {
        out.buf.shrink_to(KEEP_REPLY_CAPACITY);
    }
    result
}

/// Waits until a blocked command can run (then runs it), times out, is unblocked, or
/// the connection goes away. False when the connection must close.
async fn wait_blocked(
    node: &Node,
    client: &mut Client,
    out: &mut Reply,
    stream: &mut TcpStream,
    buf: &mut Vec<u8>,
    args: Vec<Vec<u8>>,
    mut blocked: Blocked,
) -> bool {
    let shared = client.shared.clone();
    shared
        .blocked
        .store(true, std::sync::atomic::Ordering::Release);
    let deadline = blocked.block.deadline;
    let keep_open = loop {
        let wake = tokio::select! {
            _ = blocked.waiter.notify.notified() => Wake::Ready,
            _ = sleep_until_deadline(deadline) => Wake::Timeout,
            _ = shared.wake.notified() => Wake::Signal,
            read = stream.read_buf(buf) => match read {
                Ok(0) | Err(_) => Wake::Closed,
                Ok(_) => Wake::Input,
            },
        };
        match wake {
            Wake::Ready => {
                dispatch::forget_blocked(node, &blocked);
                let argv: Vec<&[u8]> = args.iter().map(|a| a.as_slice()).collect();
                client.woken_from_block = true;
                let outcome = execute(node, client, out, &argv);
                client.woken_from_block = false;
                match outcome {
                    None => {
                        // Served (or failed): whatever is left on the keys may serve
                        // the next client in line.
                        for (db, key) in &blocked.block.keys {
                            node.blocking.signal(*db, key);
                        }
                        break true;
                    }
                    Some(again) => {
                        // Someone else took the element: wait again, same deadline.
                        blocked = again;
                        blocked.block.deadline = deadline;
                    }
                }
            }
            Wake::Timeout => {
                dispatch::forget_blocked(node, &blocked);
                dispatch::reply_timeout(out, &blocked.block);
                break true;
            }
            Wake::Signal => {
                if shared.is_killed() {
                    dispatch::forget_blocked(node, &blocked);
                    break false;
                }
                match shared.unblock.swap(0, std::sync::atomic::Ordering::AcqRel) {
                    0 => {}
                    reason => {
                        dispatch::forget_blocked(node, &blocked);
                        if reason == 2 {
                            out.error("UNBLOCKED client unblocked via CLIENT UNBLOCK");
                        } else {
                            dispatch::reply_timeout(out, &blocked.block);
                        }
                        break true;
                    }
                }
            }
            Wake::Input => {
                // Requests pipelined behind the blocked one wait their turn.
                if buf.len() > node.settings().query_buffer_limit as usize {
                    dispatch::forget_blocked(node, &blocked);
                    break false;
                }
            }
            Wake::Closed => {
                dispatch::forget_blocked(node, &blocked);
                break false;
            }
        }
    };
    shared
        .blocked
        .store(false, std::sync::atomic::Ordering::Release);
    keep_open
}

async fn sleep_until_deadline(deadline: Option<Instant>) {
    match deadline {
        Some(at) => tokio::time::sleep_until(at.into()).await,
        None => std::future::pending().await,
    }
}
