package io.fedit.round;

import io.fedit.federation.ClientFailure;
import io.fedit.federation.ClientUpdate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A round's reported outcomes split into updates and failures, each sorted by client id (not by arrival). */
record RoundOutcomes(List<ClientUpdate> updates, List<ClientFailure> failures) {
  private static final Logger LOG = LoggerFactory.getLogger(RoundOutcomes.class);

  static RoundOutcomes of(int round, RoundTrainingJob.Gathered gathered) {
    List<ClientUpdate> updates = new ArrayList<>();
    List<ClientFailure> failures = new ArrayList<>();
    for (ClientOutcome o : gathered.arrived()) {
      LOG.info("round {}: client {} trained on {}{}", round, RoundTrainingJob.clientOf(o), o.device(),
          o.update() != null ? "" : " and failed");
      if (o.update() != null) updates.add(o.update());
      else failures.add(o.failure());
    }
    // Aggregation sees updates in client order, so float sums do not depend on task timing.
    updates.sort(Comparator.comparing(ClientUpdate::clientId));
    failures.sort(Comparator.comparing(ClientFailure::clientId));
    return new RoundOutcomes(updates, failures);
  }
}
