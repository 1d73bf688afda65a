package io.fedit.partition;

import java.util.List;
import java.util.TreeMap;

/** A natural key in the data (tenant, region, …) is the client; client ids are the key values, sorted. */
public final class ColumnPartitioner implements ClientPartitioner {
  @Override
  public Assignment assign(List<String> keys, long seed) {
    TreeMap<String, Integer> index = new TreeMap<>();
    for (String k : keys) index.put(k, 0);
    int i = 0;
    for (var e : index.entrySet()) e.setValue(i++);
    int[] clientOf = new int[keys.size()];
    for (int r = 0; r < clientOf.length; r++) clientOf[r] = index.get(keys.get(r));
    return new Assignment(List.copyOf(index.keySet()), clientOf);
  }
}
