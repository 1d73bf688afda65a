package io.fedit.seeds;

import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Seeded Fisher–Yates shuffles, whole and partial, over arrays and lists. The draws are those of
 * {@link java.util.Collections#shuffle(List, java.util.Random)} (whole) and of the classic partial shuffle
 * (front), so a given generator gives the same permutation here as in the copies these replaced.
 */
public final class Shuffles {
  private Shuffles() {}

  /** Swaps two positions of whatever is being shuffled. */
  private interface Swap {
    void swap(int i, int j);
  }

  /** Whole shuffle, from the back: position i (n-1 down to 1) swaps with a uniform j in [0, i]. */
  public static void shuffle(int[] a, RandomGenerator rng) {
    whole(a.length, (i, j) -> swap(a, i, j), rng);
  }

  public static <T> void shuffle(T[] a, RandomGenerator rng) {
    whole(a.length, (i, j) -> swap(a, i, j), rng);
  }

  public static <T> void shuffle(List<T> a, RandomGenerator rng) {
    whole(a.size(), (i, j) -> a.set(i, a.set(j, a.get(i))), rng);
  }

  /**
   * Partial shuffle, from the front: position i (0 up to k-1) swaps with a uniform j in [i, n). Afterwards the
   * first {@code k} positions are a uniform sample without replacement, in random order; the rest is left in
   * some order. {@code k} may be at most the length.
   */
  public static void shuffleFront(int[] a, int k, RandomGenerator rng) {
    front(a.length, k, (i, j) -> swap(a, i, j), rng);
  }

  public static <T> void shuffleFront(T[] a, int k, RandomGenerator rng) {
    front(a.length, k, (i, j) -> swap(a, i, j), rng);
  }

  public static <T> void shuffleFront(List<T> a, int k, RandomGenerator rng) {
    front(a.size(), k, (i, j) -> a.set(i, a.set(j, a.get(i))), rng);
  }

  private static void whole(int n, Swap s, RandomGenerator rng) {
    for (int i = n - 1; i > 0; i--) s.swap(i, rng.nextInt(i + 1));
  }

  private static void front(int n, int k, Swap s, RandomGenerator rng) {
    if (k < 0 || k > n) throw new IllegalArgumentException("cannot draw " + k + " of " + n + " items");
    for (int i = 0; i < k; i++) s.swap(i, i + rng.nextInt(n - i));
  }

  private static void swap(int[] a, int i, int j) {
    int t = a[i];
    a[i] = a[j];
    a[j] = t;
  }

  private static <T> void swap(T[] a, int i, int j) {
    T t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}
