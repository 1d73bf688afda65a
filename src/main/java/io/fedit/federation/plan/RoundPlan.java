package io.fedit.federation.plan;

import java.io.Serializable;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the driver ships to the executors for one round: which clients train, the seed each client uses for
 * everything random in its local training (dropout, batch order), and what each client is instructed to do
 * ({@link ClientInstructions}: loss terms, trainable arrays, client state, clipping).
 *
 * @param clientIds    sampled clients, sorted, without duplicates
 * @param clientSeeds  client id → seed derived from (run seed, round, client); same key order as clientIds
 * @param instructions client id → its instructions; same key order as clientIds
 */
public record RoundPlan(int round, List<String> clientIds, Map<String, Long> clientSeeds,
    Map<String, ClientInstructions> instructions) implements Serializable {
  public RoundPlan {
    clientIds = List.copyOf(clientIds);
    clientSeeds = Collections.unmodifiableMap(new LinkedHashMap<>(clientSeeds));
    instructions = Collections.unmodifiableMap(new LinkedHashMap<>(instructions));
    if (!clientSeeds.keySet().equals(new HashSet<>(clientIds))) {
      throw new IllegalArgumentException(
          "round " + round + ": clientSeeds keys " + clientSeeds.keySet() + " differ from clientIds " + clientIds);
    }
    if (!instructions.keySet().equals(new HashSet<>(clientIds))) {
      throw new IllegalArgumentException(
          "round " + round + ": instructions keys " + instructions.keySet() + " differ from clientIds " + clientIds);
    }
  }

  /** The sampled clients and their seeds, every client with {@link ClientInstructions#PLAIN}. */
  public RoundPlan(int round, List<String> clientIds, Map<String, Long> clientSeeds) {
    this(round, clientIds, clientSeeds, every(clientIds, ClientInstructions.PLAIN));
  }

  /** The same clients and seeds, every client instructed with {@code common}. */
  public RoundPlan instructing(ClientInstructions common) {
    return new RoundPlan(round, clientIds, clientSeeds, every(clientIds, common));
  }

  public long seedOf(String clientId) {
    Long s = clientSeeds.get(clientId);
    if (s == null) throw new IllegalArgumentException("client " + clientId + " is not sampled in round " + round);
    return s;
  }

  public ClientInstructions instructionsFor(String clientId) {
    ClientInstructions i = instructions.get(clientId);
    if (i == null) throw new IllegalArgumentException("client " + clientId + " is not sampled in round " + round);
    return i;
  }

  private static Map<String, ClientInstructions> every(List<String> clientIds, ClientInstructions common) {
    Map<String, ClientInstructions> m = new LinkedHashMap<>();
    for (String id : clientIds) m.put(id, java.util.Objects.requireNonNull(common, "instructions"));
    return m;
  }
}
