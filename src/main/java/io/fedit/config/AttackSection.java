package io.fedit.config;

/**
 * EXPERIMENTS ONLY: simulated model-poisoning clients, to compare the robust aggregation rules. Off by default
 * (0 clients); a run that turns it on logs a warning at every round. Which clients attack is a pure function of
 * (run.seed, round): the same ones on a redo.
 *
 * @param maliciousClientsPerRound how many of each round's sampled clients attack (0 = off)
 * @param scale                    an attacker sends x + scale · (θ − x): its honest delta multiplied by this
 *                                 (−10 = the sign-flipped, boosted update of the robust-aggregation literature)
 */
public record AttackSection(int maliciousClientsPerRound, double scale) implements java.io.Serializable {
  public AttackSection {
    Require.nonNegative("attack.malicious_clients_per_round", maliciousClientsPerRound);
    if (!Double.isFinite(scale)) throw new IllegalArgumentException("attack.scale must be finite, got " + scale);
  }

  public boolean enabled() {
    return maliciousClientsPerRound > 0;
  }
}
