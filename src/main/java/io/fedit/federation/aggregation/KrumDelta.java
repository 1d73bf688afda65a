package io.fedit.federation.aggregation;

import io.fedit.federation.update.AdapterMath;
import io.fedit.federation.update.CoordinateRule;
import io.fedit.federation.update.UpdateSet;
import io.fedit.lora.AdapterWeights;

/**
 * Krum (Blanchard et al. 2017): the one client's delta that is closest to its nearest neighbours. With K
 * updates and f tolerated attackers, client i's score is the sum of its K − f − 2 smallest squared distances
 * to the other clients; Δ = θ_i* − x for the lowest score (ties: the first in client id order). The paper needs
 * K ≥ 2f + 3; a round with fewer accepted updates uses the largest f that fits (floor((K − 3) / 2), at least 0)
 * and says so in the round's note. Unweighted. The distances are summed by coordinate blocks where the updates
 * are ({@link UpdateSet#squaredDistances}), then the chosen delta is read back the same way.
 */
public final class KrumDelta implements DeltaAggregator {
  private final int byzantine;
  private String lastChosen; // the client id of the last meanDelta's choice, for describe()

  public KrumDelta(int byzantine) {
    if (byzantine < 0) throw new IllegalArgumentException("krum's tolerated attackers must be >= 0, got " + byzantine);
    this.byzantine = byzantine;
  }

  /** f used with K updates: the configured one, lowered until K ≥ 2f + 3 holds (0 at least). */
  int effectiveByzantine(int k) {
    return Math.max(0, Math.min(byzantine, (k - 3) / 2));
  }

  /** The index of the chosen update, from the K × K squared distances (row-major). */
  int choose(double[] distances, int k) {
    int neighbours = Math.max(0, k - effectiveByzantine(k) - 2);
    int best = 0;
    double bestScore = Double.POSITIVE_INFINITY;
    for (int i = 0; i < k; i++) {
      double[] row = new double[k - 1];
      for (int j = 0, n = 0; j < k; j++) if (j != i) row[n++] = distances[i * k + j];
      java.util.Arrays.sort(row);
      double score = 0;
      for (int n = 0; n < neighbours; n++) score += row[n];
      if (score < bestScore) {
        bestScore = score;
        best = i;
      }
    }
    return best;
  }

  @Override
  public AdapterWeights meanDelta(AdapterWeights global, UpdateSet accepted, int sampled) {
    if (accepted.isEmpty()) throw new IllegalArgumentException("no update to aggregate");
    int k = accepted.size();
    int chosen = choose(accepted.squaredDistances(global), k);
    lastChosen = accepted.updates().get(chosen).clientId();
    double[] oneHot = new double[k];
    oneHot[chosen] = 1;
    return AdapterMath.unflatten(global, accepted.reduce(global, CoordinateRule.weightedDeltaSum(oneHot)),
        (t, i, v) -> v);
  }

  @Override
  public String describe(UpdateSet accepted, int sampled) {
    int k = accepted.size();
    int f = effectiveByzantine(k);
    return "Krum (f " + f + (f != byzantine ? ", lowered from " + byzantine + " for " + k + " updates" : "")
        + ") chose client " + lastChosen + " of " + k + " deltas";
  }
}
