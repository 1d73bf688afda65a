package io.fedit.round;

import io.fedit.checkpoint.StagedClientFiles;
import io.fedit.federation.update.ClientFailure;
import io.fedit.federation.update.ClientUpdate;
import io.fedit.federation.validation.UpdateValidator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A round's reported outcomes split into updates (with the executors' verdicts and staged files) and failures,
 * each sorted by client id (then attempt), not by arrival.
 */
record RoundOutcomes(List<ClientOutcome> updated, List<ClientFailure> failures) {
  private static final Logger LOG = LoggerFactory.getLogger(RoundOutcomes.class);

  static RoundOutcomes of(int round, RoundTrainingJob.Gathered gathered) {
    List<ClientOutcome> updated = new ArrayList<>();
    List<ClientFailure> failures = new ArrayList<>();
    for (ClientOutcome o : gathered.arrived()) {
      LOG.info("round {}: client {} trained on {}{}", round, RoundTrainingJob.clientOf(o), o.device(),
          o.update() != null ? "" : " and failed");
      if (o.update() != null) updated.add(o);
      else failures.add(o.failure());
    }
    // Aggregation sees updates in client order, so float sums do not depend on task timing.
    updated.sort(Comparator.comparing((ClientOutcome o) -> o.update().clientId())
        .thenComparingInt(o -> o.update().attempt()));
    failures.sort(Comparator.comparing(ClientFailure::clientId));
    return new RoundOutcomes(List.copyOf(updated), List.copyOf(failures));
  }

  /** The updates, without tensors, in order. */
  List<ClientUpdate> updates() {
    return updated.stream().map(ClientOutcome::update).toList();
  }

  /** The round's verdicts: each executor's own check, then the duplicate rule over all of them. */
  UpdateValidator.Result verdicts() {
    return UpdateValidator.decideAll(updated.stream().map(ClientOutcome::verdict).toList());
  }

  /** The staged files of the accepted updates, in {@code accepted}'s order. */
  List<ClientOutcome.Staged> stagedOf(List<ClientUpdate> accepted) {
    Map<String, ClientOutcome.Staged> byKey = new HashMap<>();
    for (ClientOutcome o : updated) byKey.put(o.update().key(), o.staged());
    return accepted.stream().map(u -> byKey.get(u.key())).toList();
  }

  /** The accepted updates where their executors staged them, for the aggregation job. */
  SparkUpdateSet acceptedSet(org.apache.spark.api.java.JavaSparkContext jsc, List<ClientUpdate> accepted,
      org.apache.spark.broadcast.Broadcast<io.fedit.fs.HadoopConfCopy> hadoopConf, int blockValues, String label) {
    List<ClientOutcome.Staged> files = stagedOf(accepted);
    return new SparkUpdateSet(jsc, accepted, files.stream().map(ClientOutcome.Staged::updateFile).toList(),
        files.stream().mapToDouble(ClientOutcome.Staged::updateNorm).toArray(), hadoopConf, blockValues, label);
  }

  /** What the commit takes in from the staging directory for the accepted updates. */
  StagedClientFiles commitFiles(List<ClientUpdate> accepted) {
    Map<String, String> kept = new HashMap<>();
    Map<String, String> states = new HashMap<>();
    List<ClientOutcome.Staged> staged = stagedOf(accepted);
    for (int k = 0; k < accepted.size(); k++) {
      String id = accepted.get(k).clientId();
      if (staged.get(k).keptFile() != null) kept.put(id, staged.get(k).keptFile());
      if (staged.get(k).stateFile() != null) states.put(id, staged.get(k).stateFile());
    }
    return new StagedClientFiles(kept, states);
  }
}
