package io.fedit.partition;

/** Cutting n items into near-equal consecutive slices, as the partitioners do. */
final class Slices {
  private Slices() {}

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
}
