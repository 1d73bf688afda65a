package io.fedit.federation;

import java.nio.charset.StandardCharsets;

/**
 * Derives every seed of a run from (run seed, round, client) with a fixed mixing function, so that a
 * redone round makes exactly the same random choices and nothing depends on global random state or on
 * the order in which work happens. Each use gets its own "purpose" constant so that, for instance, the
 * sampling stream of round 3 is unrelated to the training seed of a client in round 3.
 */
public final class Seeds {
  /** Purpose constants (arbitrary, fixed forever: changing one changes every run's choices). */
  public static final long SAMPLING = 0x53414d504c494e47L; // "SAMPLING"
  public static final long CLIENT_TRAINING = 0x434c49454e545452L; // "CLIENTTR"

  private Seeds() {}

  /** Seed for (purpose, seed, round). */
  public static long of(long purpose, long seed, int round) {
    return mix(mix(mix(purpose) ^ seed) ^ round);
  }

  /** Seed for (purpose, seed, round, client id): the client enters through a stable 64-bit hash. */
  public static long of(long purpose, long seed, int round, String clientId) {
    return mix(of(purpose, seed, round) ^ fnv1a64(clientId));
  }

  /** SplitMix64's finaliser: a bijection on longs that spreads every input bit over the output. */
  static long mix(long z) {
    z += 0x9e3779b97f4a7c15L;
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /** FNV-1a over UTF-8 bytes: unlike String.hashCode it is 64-bit and specified independently of Java. */
  static long fnv1a64(String s) {
    long h = 0xcbf29ce484222325L;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= (b & 0xff);
      h *= 0x100000001b3L;
    }
    return h;
  }
}
