package io.fedit.config;

import java.util.List;

/** How records are assigned to clients. */
public record PartitionSection(String method, int numClients, double alpha, int minRecordsPerClient) implements java.io.Serializable {
  public static final List<String> METHODS = List.of("category_shards", "dirichlet", "iid", "column");

  public PartitionSection {
    method = Require.oneOf("partition.method", method, METHODS);
    Require.positive("partition.num_clients", numClients);
    Require.positive("partition.alpha", alpha);
    Require.nonNegative("partition.min_records_per_client", minRecordsPerClient);
  }
}
