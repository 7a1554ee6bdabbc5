#![cfg(not(target_arch = "wasm32"))]
//! The bootstrap's random generator: known-answer values of SplitMix64 and of the index draw.
//!
//! Expected values from reference/splitmix64.py, an independent Python implementation of
//! SplitMix64 (Steele, Lea, Flood, "Fast Splittable Pseudorandom Number Generators", OOPSLA
//! 2014; constants 0x9E3779B97F4A7C15, 0xBF58476D1CE4E5B9, 0x94D049BB133111EB of Vigna's
//! splitmix64.c) and of Lemire's multiply-shift (arXiv 1805.10941). Its values for seed 1234567
//! are also the published ones (Rosetta Code, "Pseudo-random numbers/Splitmix64").

use scaling_calc::engine::fit::bootstrap::SplitMix64;

fn first(seed: u64, count: usize) -> Vec<u64> {
    let mut rng = SplitMix64::new(seed);
    (0..count).map(|_| rng.next_u64()).collect()
}

#[test]
fn splitmix64_gives_the_published_sequence_for_seed_1234567() {
    assert_eq!(
        first(1_234_567, 5),
        [
            6_457_827_717_110_365_317,
            3_203_168_211_198_807_973,
            9_817_491_932_198_370_423,
            4_593_380_528_125_082_431,
            16_408_922_859_458_223_821,
        ]
    );
}

#[test]
fn splitmix64_known_answers_at_the_edges_of_the_seed_range() {
    assert_eq!(
        first(0, 5),
        [
            0xe220_a839_7b1d_cdaf,
            0x6e78_9e6a_a1b9_65f4,
            0x06c4_5d18_8009_454f,
            0xf88b_b8a8_724c_81ec,
            0x1b39_896a_51a8_749b,
        ]
    );
    assert_eq!(
        first(1, 3),
        [
            0x910a_2dec_8902_5cc1,
            0xbeeb_8da1_658e_ec67,
            0xf893_a2ee_fb32_555e
        ]
    );
    // The state wraps around 2^64.
    assert_eq!(
        first(u64::MAX, 3),
        [
            0xe4d9_7177_1b65_2c20,
            0xe99f_f867_dbf6_82c9,
            0x382f_f84c_b272_81e9
        ]
    );
}

#[test]
fn indices_are_the_high_half_of_the_128_bit_product() {
    let mut rng = SplitMix64::new(1_234_567);
    let got: Vec<usize> = (0..8).map(|_| rng.below(240)).collect();
    assert_eq!(got, [84, 41, 127, 59, 213, 101, 141, 66]);
    let mut rng = SplitMix64::new(1_234_567);
    let got: Vec<usize> = (0..8).map(|_| rng.below(10_000)).collect();
    assert_eq!(got, [3500, 1736, 5322, 2490, 8895, 4230, 5906, 2752]);
}

#[test]
fn the_first_resample_of_seed_7_draws_these_rows() {
    // run_chunk seeds resample i of seed s with (s + i) * 0x2545F4914F6CDD1D (wrapping).
    let mut rng = SplitMix64::new(7u64.wrapping_mul(0x2545_F491_4F6C_DD1D));
    let got: Vec<usize> = (0..8).map(|_| rng.below(240)).collect();
    assert_eq!(got, [17, 173, 190, 48, 114, 33, 77, 20]);
}

#[test]
fn indices_stay_in_range_and_cover_it() {
    let mut rng = SplitMix64::new(42);
    for n in [1usize, 2, 3, 240, 10_000] {
        let mut seen = vec![false; n];
        for _ in 0..50 * n {
            let i = rng.below(n);
            assert!(i < n, "{i} >= {n}");
            seen[i] = true;
        }
        assert!(seen.iter().all(|&s| s), "n = {n}: some index never drawn");
    }
}
