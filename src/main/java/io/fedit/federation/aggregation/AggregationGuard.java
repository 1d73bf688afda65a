package io.fedit.federation.aggregation;

import io.fedit.federation.update.ClientFailure;
import io.fedit.federation.update.ClientUpdate;
import io.fedit.federation.update.UpdateSet;
import io.fedit.lora.AdapterWeights;
import java.util.List;

/**
 * What every strategy checks before it aggregates: with no accepted update the global adapter stays as it
 * is; every accepted update must have the global adapter's layout and belong to this round. The validator
 * should have caught a bad update already; a strategy never trusts its caller with the layout.
 */
public final class AggregationGuard {
  private AggregationGuard() {}

  /** The "unchanged" result when there is nothing to aggregate, else null (after checking every update). */
  public static AggregationResult unchangedOrCheck(int round, AdapterWeights global, UpdateSet accepted,
      List<ClientFailure> failures) {
    if (accepted.isEmpty()) {
      return AggregationResult.unchanged(global,
          "round " + round + ": no usable update (" + failures.size() + " failures), global adapter kept");
    }
    for (ClientUpdate u : accepted.updates()) {
      // Tensors kept on the executors were checked there, and their files are checked again when read.
      String mismatch = u.adapter() == null ? null : global.layoutMismatch(u.adapter());
      if (mismatch != null) throw new IllegalArgumentException(u.key() + ": " + mismatch);
      if (u.round() != round) throw new IllegalArgumentException(u.key() + " passed to aggregate of round " + round);
    }
    return null;
  }
}
