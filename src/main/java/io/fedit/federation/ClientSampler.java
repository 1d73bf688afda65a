package io.fedit.federation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Chooses the clients of a round as a pure function of (run seed, round, population): the population is
 * sorted first, so the order in which the caller lists clients does not matter, and the random stream is
 * a fresh SplittableRandom seeded from (seed, round), never global state. Redoing a round after a crash
 * therefore samples the same clients.
 *
 * <p>Count per round: max(minClients, ceil(fraction × N)), capped at N.
 */
public final class ClientSampler implements java.io.Serializable {
  private final long seed;
  private final double fraction;
  private final int minClients;

  public ClientSampler(long seed, double fraction, int minClients) {
    if (!(fraction > 0 && fraction <= 1)) {
      throw new IllegalArgumentException("federation.client_fraction must be in (0, 1], got " + fraction);
    }
    if (minClients <= 0) throw new IllegalArgumentException("federation.min_clients must be > 0, got " + minClients);
    this.seed = seed;
    this.fraction = fraction;
    this.minClients = minClients;
  }

  /** How many of {@code population} clients a round samples. */
  public int sampleSize(int population) {
    // The small epsilon keeps 0.07 × 100 = 7.000000000000001 from becoming 8.
    int byFraction = (int) Math.ceil(fraction * population - 1e-9);
    return Math.min(population, Math.max(minClients, byFraction));
  }

  public RoundPlan plan(int round, List<String> population) {
    TreeSet<String> sorted = new TreeSet<>(population);
    if (sorted.size() != population.size()) {
      throw new IllegalArgumentException("round " + round + ": population lists a client id twice: " + population);
    }
    if (sorted.isEmpty()) throw new IllegalArgumentException("round " + round + ": population is empty");
    List<String> ids = new ArrayList<>(sorted);
    int k = sampleSize(ids.size());
    // Partial Fisher-Yates: the first k slots become a uniform sample without replacement.
    SplittableRandom rnd = new SplittableRandom(Seeds.of(Seeds.SAMPLING, seed, round));
    for (int i = 0; i < k; i++) {
      int j = i + rnd.nextInt(ids.size() - i);
      String t = ids.get(i);
      ids.set(i, ids.get(j));
      ids.set(j, t);
    }
    List<String> chosen = new ArrayList<>(new TreeSet<>(ids.subList(0, k)));
    Map<String, Long> seeds = new LinkedHashMap<>();
    for (String c : chosen) seeds.put(c, Seeds.of(Seeds.CLIENT_TRAINING, seed, round, c));
    return new RoundPlan(round, chosen, seeds);
  }
}
