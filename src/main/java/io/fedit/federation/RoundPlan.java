package io.fedit.federation;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the driver ships to the executors for one round: which clients train, and the seed each client
 * uses for everything random in its local training (dropout, batch order).
 *
 * @param clientIds   sampled clients, sorted, without duplicates
 * @param clientSeeds client id → seed derived from (run seed, round, client); same key order as clientIds
 */
public record RoundPlan(int round, List<String> clientIds, Map<String, Long> clientSeeds) implements Serializable {
  public RoundPlan {
    clientIds = List.copyOf(clientIds);
    clientSeeds = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(clientSeeds));
    if (!clientSeeds.keySet().equals(new java.util.HashSet<>(clientIds))) {
      throw new IllegalArgumentException(
          "round " + round + ": clientSeeds keys " + clientSeeds.keySet() + " differ from clientIds " + clientIds);
    }
  }

  public long seedOf(String clientId) {
    Long s = clientSeeds.get(clientId);
    if (s == null) throw new IllegalArgumentException("client " + clientId + " is not sampled in round " + round);
    return s;
  }
}
