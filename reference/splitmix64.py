#!/usr/bin/env python3
"""Independent reference: known-answer values of the bootstrap's random generator.

SplitMix64 (Steele, Lea, Flood, "Fast Splittable Pseudorandom Number Generators", OOPSLA 2014;
the 64-bit finaliser constants as in Vigna's public-domain splitmix64.c, prng.di.unimi.it):

    state += 0x9E3779B97F4A7C15
    z = state
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
    z = (z ^ (z >> 27)) * 0x94D049BB133111EB
    return z ^ (z >> 31)                       (all arithmetic mod 2^64)

An index uniform in 0..n is the high 64 bits of the 128-bit product x * n (Lemire's
multiply-shift, Lemire 2019, "Fast Random Integer Generation in an Interval", ACM TOMACS 29(1),
arXiv 1805.10941, without its rejection step): each index has probability within 2^-64 of 1/n.

The bootstrap seeds resample i of a run with seed s by SplitMix64((s + i) * 0x2545F4914F6CDD1D)
(src/engine/fit/bootstrap.rs, run_chunk).

Prints the values quoted in tests/bootstrap_rng.rs. Usage: python3 reference/splitmix64.py
"""
MASK = (1 << 64) - 1


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & MASK

    def next_u64(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def below(self, n):
        return (self.next_u64() * n) >> 64


def main():
    for seed in (0, 1, 1234567, MASK):
        g = SplitMix64(seed)
        print(f"seed {seed:#x}: next_u64", [f"{g.next_u64():#018x}" for _ in range(5)])
    for n in (240, 10_000):
        g = SplitMix64(1234567)
        print(f"seed 1234567: below({n})", [g.below(n) for _ in range(8)])
    seed, i = 7, 0
    g = SplitMix64(((seed + i) * 0x2545F4914F6CDD1D) & MASK)
    print(f"resample {i} of seed {seed}: below(240)", [g.below(240) for _ in range(8)])


if __name__ == "__main__":
    main()
