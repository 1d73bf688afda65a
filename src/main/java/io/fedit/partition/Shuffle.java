package io.fedit.partition;

import java.util.SplittableRandom;

/** Seeded shuffles and splits shared by the partitioners (no global random state). */
final class Shuffle {
  private Shuffle() {}

  /** Fisher–Yates in place. */
  static void shuffle(int[] a, SplittableRandom rng) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  static <T> void shuffle(T[] a, SplittableRandom rng) {
    for (int i = a.length - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      T t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  /**
   * Start offsets of {@code parts} near-equal slices of {@code n} items (numpy's array_split: the
   * first n % parts slices get one extra item). Returns parts + 1 offsets.
   */
  static int[] splitOffsets(int n, int parts) {
    int[] off = new int[parts + 1];
    int base = n / parts;
    int extra = n % parts;
    for (int i = 0; i < parts; i++) off[i + 1] = off[i] + base + (i < extra ? 1 : 0);
    return off;
  }

  /** A stream of randomness for one purpose, derived from the seed and a salt. */
  static SplittableRandom rng(long seed, String purpose) {
    return new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ purpose.hashCode());
  }
}
