package io.fedit.round;

import io.fedit.checkpoint.PrivacyLedgerRow;
import io.fedit.config.PrivacySection;
import io.fedit.federation.update.ClientUpdate;
import io.fedit.federation.privacy.RdpAccountant;
import java.util.List;

/**
 * The driver's view of a DP run's budget. The spent epsilon is recomputed from the committed ledger rows
 * (each round's q and sigma composed once) plus the round about to run; a round is charged only when its
 * ledger row commits with it, so a crashed or refused round spends nothing and a resumed run neither
 * re-spends nor forgets a committed round.
 */
final class PrivacyBudget {
  private final PrivacySection p;

  PrivacyBudget(PrivacySection p) {
    this.p = p;
  }

  /** Fails with a configuration error when delta is not below 1 / population (the usual requirement). */
  void checkDelta(int population) {
    if (!(p.delta() < 1.0 / population)) {
      throw new io.fedit.config.ConfigException("privacy.delta " + p.delta() + " must be below 1 / number of clients"
          + " = " + (1.0 / population) + " (otherwise a guarantee that may expose one client entirely is allowed)");
    }
  }

  /** Epsilon after the committed rounds and one more round sampling at rate q. */
  double epsilonAfter(List<PrivacyLedgerRow> committed, double q) {
    RdpAccountant acc = new RdpAccountant();
    for (PrivacyLedgerRow r : committed) acc.compose(r.q(), r.noiseMultiplier(), 1);
    return acc.compose(q, p.noiseMultiplier(), 1).epsilon(p.delta()).epsilon();
  }

  /** Refuses the round when it would exceed privacy.target_epsilon; returns the epsilon it would reach. */
  double admit(int round, List<PrivacyLedgerRow> committed, double q) {
    double eps = epsilonAfter(committed, q);
    if (p.targetEpsilon() > 0 && eps > p.targetEpsilon()) {
      double spent = committed.isEmpty() ? 0 : committed.get(committed.size() - 1).epsilonSpent();
      throw new PrivacyBudgetExhaustedException(String.format(java.util.Locale.ROOT,
          "round %d not run: it would raise the spent epsilon from %.4f to %.4f, above privacy.target_epsilon %s "
              + "(delta %s); the run stays at round %d", round, spent, eps, p.targetEpsilon(), p.delta(), round - 1));
    }
    return eps;
  }

  /** The ledger row of a round that commits with {@code accepted} updates. */
  PrivacyLedgerRow row(int round, double q, double epsilon, int sampled, List<ClientUpdate> accepted) {
    int clipped = (int) accepted.stream().filter(u -> u.wasClipped(p.clipNorm())).count();
    return new PrivacyLedgerRow(round, q, p.noiseMultiplier(), p.clipNorm(), p.delta(), epsilon, sampled,
        accepted.size(), clipped, accepted.isEmpty() ? Double.NaN : clipped / (double) accepted.size());
  }
}
