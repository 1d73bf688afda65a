package io.fedit.federation.plan;

import io.fedit.config.FederationSection;
import io.fedit.config.RunConfig;
import io.fedit.config.TimeLimit;

/**
 * The federation's rules for a run's rounds, as the round driver and the commands apply them, so that they read
 * no federation setting themselves: how many rounds the run has, how many accepted updates a round needs to
 * commit, how long it waits for its clients, and how many coordinates one block of its distributed
 * aggregation holds.
 *
 * @param rounds                 federation.rounds: the round a run trains up to
 * @param quorum                 accepted updates a round needs to commit ({@link FederationSection#quorum()})
 * @param roundDeadline          federation.round_deadline; {@link TimeLimit#NONE}: a round waits for every client
 * @param aggregationBlockValues federation.aggregation_block_values: coordinates per aggregation task
 */
public record RoundRules(int rounds, int quorum, TimeLimit roundDeadline, int aggregationBlockValues) {

  public static RoundRules of(RunConfig config) {
    FederationSection f = config.federation();
    return new RoundRules(f.rounds(), f.quorum(), f.roundDeadline(), f.aggregationBlockValues());
  }

  /**
   * Whether a run committed with {@code before} may continue with {@code now}: every federation setting the
   * same except the round count and the deadline (a deadline decides only which clients a round keeps, and the
   * committed rounds record that decision).
   */
  public static boolean sameFederation(RunConfig before, RunConfig now) {
    return before.federation().withRounds(1).equals(now.federation().withRounds(1));
  }
}
