package io.fedit.config;

import java.util.List;

/**
 * The four-arm experiment ({@code jobs/fedit experiment}): how many seeds, how many clients train alone,
 * how their budget matches the federated run, and how many bootstrap resamples give the intervals.
 *
 * @param seeds             seeds per arm: run.seed, run.seed + 1, ...
 * @param localOnlyClients  clients sampled by the seed for the local-only arm
 * @param localBudget       {@code rounds}: federation.rounds x the per-round local budget;
 *                          {@code participation}: (rounds the client was sampled in, at least 1) x that budget
 * @param bootstrapSamples  resamples of the eval records for the 95% intervals; 0 = none
 */
public record ExperimentSection(int seeds, int localOnlyClients, String localBudget, int bootstrapSamples)
    implements java.io.Serializable {
  public static final List<String> BUDGETS = List.of("rounds", "participation");

  public ExperimentSection {
    Require.positive("experiment.seeds", seeds);
    Require.positive("experiment.local_only_clients", localOnlyClients);
    localBudget = Require.oneOf("experiment.local_budget", localBudget, BUDGETS);
    Require.nonNegative("experiment.bootstrap_samples", bootstrapSamples);
  }
}
