package io.fedit.partition;

import java.util.List;

/**
 * The result of partitioning: {@code clientOf[i]} is the index into {@code clientIds} of the client
 * that owns record i (records in their stable input order). Every record has exactly one client.
 */
public record Assignment(List<String> clientIds, int[] clientOf) {
  public Assignment {
    clientIds = List.copyOf(clientIds);
    for (int i = 0; i < clientOf.length; i++) {
      if (clientOf[i] < 0 || clientOf[i] >= clientIds.size()) {
        throw new IllegalStateException("record " + i + " assigned to no client (" + clientOf[i] + ")");
      }
    }
  }

  /** Record count per client, in {@link #clientIds} order. */
  public int[] sizes() {
    int[] n = new int[clientIds.size()];
    for (int c : clientOf) n[c]++;
    return n;
  }

  /** Zero-padded synthetic ids: client-000 .. client-099 for 100 clients. */
  public static List<String> numberedIds(int n) {
    int width = Math.max(3, String.valueOf(n - 1).length());
    String[] ids = new String[n];
    for (int i = 0; i < n; i++) ids[i] = String.format("client-%0" + width + "d", i);
    return List.of(ids);
  }
}
