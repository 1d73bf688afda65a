package io.fedit.round;

import io.fedit.federation.update.ClientFailure;
import io.fedit.federation.validation.UpdateValidator;
import java.util.ArrayList;
import java.util.List;

/**
 * The commit rule of a round and what the strategy counts as clients that gave nothing, with late clients
 * (deadline, over-selection) in the picture. Pure: no Spark.
 */
final class RoundQuorum {
  private RoundQuorum() {}

  /**
   * Throws {@link RoundFailedException} (exit 5, nothing committed) below the quorum: one accepted update, or
   * {@code min_clients} when the round handles stragglers ({@link io.fedit.federation.plan.RoundRules#quorum()}).
   */
  static void require(int quorum, int round, UpdateValidator.Result verdicts,
      List<ClientFailure> failures, List<ClientFailure> late) {
    if (verdicts.accepted().size() >= quorum) return;
    throw new RoundFailedException("round " + round + ": " + (verdicts.accepted().isEmpty()
        ? "no client produced a usable update" : verdicts.accepted().size() + " usable updates, fewer than "
            + "federation.min_clients " + quorum) + ", nothing committed: "
        + java.util.stream.Stream.concat(failures.stream(), verdicts.rejectedAsFailures().stream())
            .map(f -> f.clientId() + ": " + f.reason()).toList()
        + (late.isEmpty() ? "" : "; late: " + late.stream().map(ClientFailure::clientId).toList()
            + " (" + late.get(0).reason() + ")"));
  }

  /**
   * What the strategy sees as clients that gave nothing: failed and rejected ones, and late ones as planned
   * participants that did not report (DP's and SCAFFOLD's "sampled"), but only up to the planned number:
   * over-selection's extra draws were never part of the planned cohort.
   */
  static List<ClientFailure> unusable(int planned, UpdateValidator.Result verdicts, List<ClientFailure> failures,
      List<ClientFailure> late) {
    List<ClientFailure> out = new ArrayList<>(failures);
    out.addAll(verdicts.rejectedAsFailures());
    int missing = Math.max(0, planned - verdicts.accepted().size() - out.size());
    out.addAll(late.subList(0, Math.min(missing, late.size())));
    return out;
  }
}
