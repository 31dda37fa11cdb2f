//! The checker's verdicts: `RUSTFLAGS="--cfg loom" cargo test -p races --release`.
//!
//! Each expected failure has a test of its own, and each must fail for its own reason: loom's
//! "Causality violation" for the two data races, the overdraft assertion for the race condition.
#![cfg(loom)]

use races::{broken_check_then_act, broken_data_race, broken_volatile, check};
use races::{fixed_counter, fixed_publish, fixed_withdraw};

// ANCHOR: broken_is_caught
#[test]
fn racy_counter_is_a_data_race() {
    let model = counter::check::two_increments::<broken_data_race::RacyCounter>;
    support::expect_bug("Causality violation", model);
}

#[test]
fn check_then_act_overdraws_without_a_data_race() {
    let model = check::never_overdraws::<broken_check_then_act::Balance>;
    let report = support::expect_bug("overdraft", model);
    assert!(report.contains("the balance is -20"), "{report}");
}
// ANCHOR_END: broken_is_caught

// ANCHOR: volatile_is_caught
#[test]
fn volatile_publication_is_a_data_race() {
    let model = check::reader_sees_the_payload::<broken_volatile::VolatileMailbox>;
    support::expect_bug("Causality violation", model);
}
// ANCHOR_END: volatile_is_caught

#[test]
fn atomic_counter_counts_every_increment() {
    counter::check::two_increments::<fixed_counter::AtomicCounter>();
}

#[test]
fn locked_counter_counts_every_increment() {
    counter::check::two_increments::<fixed_counter::LockedCounter>();
}

#[test]
fn cas_withdrawal_never_overdraws() {
    check::never_overdraws::<fixed_withdraw::Balance>();
    check::pays_what_fits::<fixed_withdraw::Balance>();
}

#[test]
fn fetch_update_withdrawal_never_overdraws() {
    check::never_overdraws::<fixed_withdraw::BalanceFetchUpdate>();
    check::pays_what_fits::<fixed_withdraw::BalanceFetchUpdate>();
}

#[test]
fn release_acquire_flag_publishes_the_payload() {
    check::reader_sees_the_payload::<fixed_publish::AtomicFlagMailbox>();
}

/// The learner loop's test: `cargo xtask learn races` runs only this one.
#[cfg(learner = "races")]
#[test]
fn learner_attempt() {
    type Attempt = races::attempt::Balance;
    check::never_overdraws::<Attempt>();
    check::pays_what_fits::<Attempt>();
}
