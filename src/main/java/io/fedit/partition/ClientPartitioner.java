package io.fedit.partition;

import io.fedit.config.PartitionSection;
import java.util.List;

/**
 * Assigns records to clients. A pure function of the records' keys (their category, or the client-key
 * column for {@code column}), in stable record order, and the seed: the same inputs always give the
 * same assignment.
 */
public interface ClientPartitioner {
  Assignment assign(List<String> keys, long seed);

  static ClientPartitioner of(PartitionSection p) {
    return switch (p.method()) {
      case "category_shards" -> new CategoryShardsPartitioner(p.numClients());
      case "dirichlet" -> new DirichletPartitioner(p.numClients(), p.alpha(), p.minRecordsPerClient());
      case "iid" -> new IidPartitioner(p.numClients());
      case "column" -> new ColumnPartitioner();
      default -> throw new IllegalArgumentException("partition.method: unknown '" + p.method() + "'");
    };
  }

  /** Fails clearly when there are fewer records than clients. */
  static void requireEnough(int records, int clients) {
    if (records < clients) {
      throw new IllegalArgumentException("partition.num_clients is " + clients + " but the data has only "
          + records + " records: every client needs at least one");
    }
  }
}
