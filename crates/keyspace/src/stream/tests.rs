use super::*;

const LIMITS: NodeLimits = NodeLimits {
    max_entries: 3,
    max_bytes: 4096,
};

fn filled(n: u64) -> Log {
    let mut log = Log::default();
    for ms in 1..=n {
        log.add(NewId::Exact(StreamId::new(ms, 0)), &[b"f", b"v"], LIMITS, 0)
            .unwrap();
    }
    log
}

fn ids(iter: impl Iterator<Item = (StreamId, Entry<'static>)>) -> Vec<u64> {
    iter.map(|(id, _)| id.ms).collect()
}

#[test]
fn ids_order_and_step() {
    assert!(StreamId::new(1, 5) < StreamId::new(2, 0));
    assert_eq!(StreamId::new(1, u64::MAX).next(), Some(StreamId::new(2, 0)));
    assert_eq!(StreamId::MAX.next(), None);
    assert_eq!(StreamId::new(2, 0).prev(), Some(StreamId::new(1, u64::MAX)));
    assert_eq!(StreamId::MIN.prev(), None);
    assert_eq!(StreamId::new(3, 4).to_string(), "3-4");
}

#[test]
fn add_ranges_and_entries() {
    let log: &'static Log = Box::leak(Box::new(filled(10)));
    assert_eq!(log.len(), 10);
    assert_eq!(log.node_count(), 4);
    assert_eq!(
        ids(log.range(StreamId::new(3, 0), StreamId::new(7, 0))),
        vec![3, 4, 5, 6, 7]
    );
    assert_eq!(
        ids(log.range_rev(StreamId::new(3, 0), StreamId::new(7, 0))),
        vec![7, 6, 5, 4, 3]
    );
    assert_eq!(
        ids(log.range(StreamId::new(11, 0), StreamId::MAX)),
        Vec::<u64>::new()
    );
    let entry = log.get(StreamId::new(4, 0)).unwrap();
    assert_eq!(entry.pairs_len(), 1);
    assert_eq!(
        entry.items().collect::<Vec<_>>(),
        vec![&b"f"[..], &b"v"[..]]
    );
}

#[test]
fn generated_ids() {
    let mut log = Log::default();
    let a = log.add(NewId::Auto, &[b"a", b"1"], LIMITS, 100).unwrap();
    let b = log.add(NewId::Auto, &[b"a", b"1"], LIMITS, 100).unwrap();
    assert_eq!((a, b), (StreamId::new(100, 0), StreamId::new(100, 1)));
    assert_eq!(
        log.add(NewId::Ms(100), &[], LIMITS, 0),
        Ok(StreamId::new(100, 2))
    );
    assert_eq!(
        log.add(NewId::Ms(50), &[], LIMITS, 0),
        Err(AddError::NotGreater)
    );
    assert_eq!(
        log.add(NewId::Exact(StreamId::new(100, 2)), &[], LIMITS, 0),
        Err(AddError::NotGreater)
    );
}

#[test]
fn delete_and_trim() {
    let mut log = filled(10);
    assert!(log.delete(StreamId::new(1, 0)));
    assert!(!log.delete(StreamId::new(1, 0)));
    assert_eq!(log.first_id, StreamId::new(2, 0));
    assert_eq!(log.max_deleted_id, StreamId::new(1, 0));
    // Approximate: only whole nodes (2..3 is one node of 3 slots, 4..6 the next).
    assert_eq!(log.trim(Trim::MaxLen(6), true, 0), 2);
    assert_eq!(log.len(), 7);
    assert_eq!(log.trim(Trim::MaxLen(5), false, 0), 2);
    assert_eq!(log.first_id, StreamId::new(6, 0));
    assert_eq!(log.trim(Trim::MinId(StreamId::new(8, 0)), false, 0), 2);
    assert_eq!(log.len(), 3);
    for ms in 8..=10 {
        assert!(log.delete(StreamId::new(ms, 0)));
    }
    assert_eq!(log.node_count(), 0);
    assert_eq!(log.first_id, StreamId::MIN);
}

#[test]
fn groups_pending() {
    let mut stream = Stream::new();
    for ms in 1..=3 {
        stream
            .log_mut()
            .add(NewId::Exact(StreamId::new(ms, 0)), &[b"f", b"v"], LIMITS, 0)
            .unwrap();
    }
    assert!(stream.create_group(b"g", StreamId::MIN, 0));
    assert!(!stream.create_group(b"g", StreamId::MIN, 0));
    let (alice, created) = stream.group_mut(b"g").unwrap().consumer(b"alice", 5);
    assert!(created);
    let got = stream.deliver_new(b"g", &alice, 2, false, 5);
    assert_eq!(got, vec![StreamId::new(1, 0), StreamId::new(2, 0)]);
    let group = stream.group(b"g").unwrap();
    assert_eq!(group.entries_read, 2);
    assert_eq!(stream.log().lag(group), Some(1));
    let group = stream.group_mut(b"g").unwrap();
    let (bob, _) = group.consumer(b"bob", 6);
    group.transfer(StreamId::new(1, 0), &bob);
    assert_eq!(group.consumers[&alice].pel.len(), 1);
    assert!(group.ack(StreamId::new(1, 0)));
    assert_eq!(group.delete_consumer(b"alice"), Some(1));
    assert!(group.pel.is_empty());
}
