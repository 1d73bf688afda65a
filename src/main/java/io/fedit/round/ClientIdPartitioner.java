package io.fedit.round;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.Partitioner;

/**
 * One Spark partition per sampled client, so that each client's rows arrive in exactly one task and a
 * task trains exactly one client. Partition i holds the i-th client of the round plan.
 */
final class ClientIdPartitioner extends Partitioner {
  private final Map<String, Integer> index = new HashMap<>();
  private final int n;

  ClientIdPartitioner(List<String> clientIds) {
    for (String id : clientIds) index.put(id, index.size());
    n = clientIds.size();
  }

  @Override
  public int numPartitions() {
    return n;
  }

  @Override
  public int getPartition(Object key) {
    Integer i = index.get((String) key);
    if (i == null) throw new IllegalArgumentException("client " + key + " is not in this round's plan");
    return i;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClientIdPartitioner p && p.index.equals(index);
  }

  @Override
  public int hashCode() {
    return index.hashCode();
  }
}
