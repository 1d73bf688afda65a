package io.fedit.federation.sampling;

import io.fedit.federation.plan.RoundPlan;
import io.fedit.seeds.Seeds;
import io.fedit.seeds.Shuffles;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Chooses the clients of a round as a pure function of (run seed, round, population): the population is
 * sorted first, so the order in which the caller lists clients does not matter, and the random stream is
 * a fresh SplittableRandom seeded from (seed, round), never global state. Redoing a round after a crash
 * therefore samples the same clients.
 *
 * <p>Count per round: max(minClients, ceil(fraction × N)), capped at N: the planned number. With
 * over-selection (federation.over_selection) the plan draws extra clients beyond it, still capped at N; the
 * round keeps the first planned-many to finish. The extra draws continue the same random stream, so the
 * planned-size sample is always the first part of the over-selected one.
 */
public final class ClientSampler implements java.io.Serializable {
  private final long seed;
  private final double fraction;
  private final int minClients;
  private final double overSelection;

  public ClientSampler(long seed, double fraction, int minClients) {
    this(seed, fraction, minClients, 0);
  }

  /** @param overSelection below 1 a fraction of the planned number, from 1 a count of extra clients; 0 = none */
  public ClientSampler(long seed, double fraction, int minClients, double overSelection) {
    if (!(fraction > 0 && fraction <= 1)) {
      throw new IllegalArgumentException("federation.client_fraction must be in (0, 1], got " + fraction);
    }
    if (minClients <= 0) throw new IllegalArgumentException("federation.min_clients must be > 0, got " + minClients);
    this.seed = seed;
    this.fraction = fraction;
    this.minClients = minClients;
    if (!(overSelection >= 0) || Double.isInfinite(overSelection)) {
      throw new IllegalArgumentException("federation.over_selection must be >= 0, got " + overSelection);
    }
    this.overSelection = overSelection;
  }

  /** The sampler that federation settings describe. */
  public static ClientSampler fromConfig(long seed, io.fedit.config.FederationSection f) {
    return new ClientSampler(seed, f.clientFraction(), f.minClients(), f.overSelection());
  }

  /** Clients drawn beyond {@code planned}: ceil(fraction × planned) for a fraction below 1, else the count. */
  public static int extraClients(double overSelection, int planned) {
    if (overSelection == 0) return 0;
    if (overSelection < 1) return (int) Math.ceil(overSelection * planned - 1e-9);
    return (int) overSelection;
  }

  /** How many clients a round draws: the planned number plus the over-selected extra, at most N. */
  public int drawSize(int population) {
    int planned = sampleSize(population);
    return Math.min(population, planned + extraClients(overSelection, planned));
  }

  /** How many of {@code population} clients a round plans to use (without over-selection's extra draws). */
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
    int k = drawSize(ids.size());
    // Partial Fisher-Yates: the first k slots become a uniform sample without replacement.
    Shuffles.shuffleFront(ids, k, Seeds.stream(Seeds.of(Seeds.SAMPLING, seed, round)));
    List<String> chosen = new ArrayList<>(new TreeSet<>(ids.subList(0, k)));
    Map<String, Long> seeds = new LinkedHashMap<>();
    for (String c : chosen) seeds.put(c, Seeds.of(Seeds.CLIENT_TRAINING, seed, round, c));
    return new RoundPlan(round, chosen, seeds);
  }
}
