package io.fedit.seeds;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Every seed of a run, derived from the run seed and where the choice is made, and the generators built
 * from them: no global random state, nothing that depends on the order in which work happens, so a redone
 * round makes exactly the same choices.
 *
 * <p>{@link #of(long, long, int)} and {@link #of(long, long, int, String)} are the derivation to use for
 * anything new: a SplitMix64 chain over (purpose, seed, round[, client]), where each use has its own
 * purpose constant so that, for instance, the sampling stream of round 3 is unrelated to the training seed
 * of a client in round 3. The other derivations ({@link #salted}, {@link #saltedByName}, {@link #epoch},
 * {@link #retry}) are older and simpler; each is kept bit for bit, because changing one would change the
 * choices of every existing run (partitions, held-out records, batch order, retry waits).
 */
public final class Seeds {
  /** Purpose constants (arbitrary, fixed forever: changing one changes every run's choices). */
  public static final long SAMPLING = 0x53414d504c494e47L; // "SAMPLING"
  public static final long CLIENT_TRAINING = 0x434c49454e545452L; // "CLIENTTR"
  /** Salt of the held-out and validation records' choice, for {@link #salted}. */
  public static final long HOLDOUT = 0x484f4c444f5554L; // "HOLDOUT"

  /** 2^64 / golden ratio, odd: the multiplier of {@link #salted}. */
  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

  private Seeds() {}

  /** Seed for (purpose, seed, round). */
  public static long of(long purpose, long seed, int round) {
    return mix(mix(mix(purpose) ^ seed) ^ round);
  }

  /** Seed for (purpose, seed, round, client id): the client enters through a stable 64-bit hash. */
  public static long of(long purpose, long seed, int round, String clientId) {
    return mix(of(purpose, seed, round) ^ fnv1a64(clientId));
  }

  /** {@code seed × golden gamma XOR salt}: the held-out split's stream ({@link #HOLDOUT}). */
  public static long salted(long seed, long salt) {
    return seed * GOLDEN_GAMMA ^ salt;
  }

  /**
   * {@link #salted} with the name's {@code String.hashCode()} as the salt: the partitioners' streams
   * ("iid", "category_shards", "dirichlet").
   */
  public static long saltedByName(long seed, String name) {
    return salted(seed, name.hashCode());
  }

  /** {@code seed × 1,000,003 + epoch}: the order of a client's training examples in one epoch. */
  public static long epoch(long seed, int epoch) {
    return seed * 1_000_003L + epoch;
  }

  /** {@code seed × 31 + retry}: the jitter of a judge request's retry number {@code retry}. */
  public static long retry(long seed, int retry) {
    return seed * 31 + retry;
  }

  /** The generator of new code and of most streams so far: fast, splittable, specified by the JDK. */
  public static SplittableRandom stream(long seed) {
    return new SplittableRandom(seed);
  }

  /**
   * {@link java.util.Random}, the generator some older streams were drawn from (epoch order, LoRA
   * initialization, sampled generation): kept there because another generator would change their values.
   */
  public static Random legacyStream(long seed) {
    return new Random(seed);
  }

  /** SplitMix64's finaliser: a bijection on longs that spreads every input bit over the output. */
  static long mix(long z) {
    z += GOLDEN_GAMMA;
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
