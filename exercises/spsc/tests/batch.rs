//! The batch API of the fixed queue (`write_chunk` / `read_chunk`) on real threads, and its
//! edge cases. The loom model of the same path is `fixed_chunks_hand_over_slots_in_both_directions`
//! in `tests/loom.rs`.
#![cfg(not(loom))]

use spsc::fixed;
use spsc::{Pop, Push};

#[test]
fn a_chunk_larger_than_the_free_space_is_refused() {
    let (mut producer, mut consumer) = fixed::channel::<u32>(4);
    assert!(producer.write_chunk(5).is_none(), "more than the capacity");
    let mut chunk = producer.write_chunk(3).expect("3 of 4 slots free");
    for value in 0..3 {
        chunk.push(value).unwrap();
    }
    assert_eq!(chunk.push(9), Err(9), "the chunk holds 3");
    chunk.commit();
    assert!(producer.write_chunk(2).is_none(), "only 1 slot free");
    assert!(consumer.read_chunk(4).is_none(), "only 3 values");
    let first_two: Vec<u32> = consumer.read_chunk(3).unwrap().take(2).collect();
    assert_eq!(first_two, [0, 1]);
    // The value the chunk did not read stays in the queue, and the slots read are free again.
    assert_eq!(consumer.pop(), Some(2));
    assert!(producer.write_chunk(4).is_some());
}

#[test]
fn values_written_but_not_committed_are_published_when_the_chunk_drops() {
    let (mut producer, mut consumer) = fixed::channel::<String>(2);
    {
        let mut chunk = producer.write_chunk(2).unwrap();
        chunk.push("a".to_owned()).unwrap();
        assert!(
            consumer.pop().is_none(),
            "not published while the chunk is open"
        );
    }
    assert_eq!(consumer.pop().as_deref(), Some("a"));
    // Values left in the ring are dropped with it (Miri and the leak checkers see this).
    producer.push("b".to_owned()).unwrap();
}

#[test]
fn chunks_carry_a_million_messages_in_order_across_threads() {
    const MESSAGES: u64 = 1 << 20;
    for batch in [1, 16, 256] {
        let (mut producer, mut consumer) = fixed::channel::<u64>(1024);
        let sender = std::thread::spawn(move || {
            let mut next = 0;
            while next < MESSAGES {
                if let Some(mut chunk) = producer.write_chunk(batch as usize) {
                    for _ in 0..batch {
                        chunk.push(next).unwrap();
                        next += 1;
                    }
                }
            }
        });
        let mut expected = 0;
        while expected < MESSAGES {
            if let Some(chunk) = consumer.read_chunk(batch as usize) {
                for value in chunk {
                    assert_eq!(value, expected, "lost or reordered at batch {batch}");
                    expected += 1;
                }
            }
        }
        sender.join().unwrap();
    }
}
