package io.fedit.experiment;

import io.fedit.config.RunConfig;
import java.io.Serializable;
import java.util.List;

/**
 * One model of the solo arms, trained alone in one Spark task: a local-only client (its own directory) or the
 * centralized model (every client's directory, as one client).
 *
 * @param arm          "local_only" or "centralized"
 * @param member       the client id (local_only) or "" (centralized)
 * @param clientDirs   directories of the prepared client table whose rows it trains on, in this order
 * @param trainCfg     the configuration the trainer gets (its train section carries the budget)
 * @param targetTokens centralized: train the fewest steps reaching this many tokens (train.max_steps is then set
 *                     to them); 0 = use trainCfg's budget as it is
 * @param seed         training seed (batch order, dropout)
 */
record SoloSpec(String arm, String member, List<String> clientDirs, RunConfig trainCfg, long targetTokens, long seed)
    implements Serializable {
  SoloSpec {
    clientDirs = List.copyOf(clientDirs);
  }

  /** "centralized" or "local_only-client-003": names the model in logs and evaluation rows. */
  String label() {
    return member.isEmpty() ? arm : arm + "-" + member;
  }
}
