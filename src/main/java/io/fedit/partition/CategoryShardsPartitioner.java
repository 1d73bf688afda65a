package io.fedit.partition;

import io.fedit.seeds.Seeds;
import io.fedit.seeds.Shuffles;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The FedIT (Shepherd) code's default, pathological non-IID split: sort records by category, cut the
 * sorted list into 2 × N near-equal shards, shuffle the shards and give each client two of them. Client
 * sizes are equal up to rounding, and each client sees at most two contiguous runs of categories.
 */
public final class CategoryShardsPartitioner implements ClientPartitioner {
  static final int SHARDS_PER_CLIENT = 2;
  private final int numClients;

  public CategoryShardsPartitioner(int numClients) {
    this.numClients = numClients;
  }

  @Override
  public Assignment assign(List<String> keys, long seed) {
    int shards = SHARDS_PER_CLIENT * numClients;
    ClientPartitioner.requireEnough(keys.size(), shards);
    // Stable sort by category: ties keep input order, so the result depends on the data only.
    Integer[] sorted = new Integer[keys.size()];
    for (int i = 0; i < sorted.length; i++) sorted[i] = i;
    Arrays.sort(sorted, Comparator.comparing(keys::get));
    int[] off = Slices.splitOffsets(sorted.length, shards);
    Integer[] shardOrder = new Integer[shards];
    for (int s = 0; s < shards; s++) shardOrder[s] = s;
    Shuffles.shuffle(shardOrder, Seeds.stream(Seeds.saltedByName(seed, "category_shards")));
    int[] clientOf = new int[keys.size()];
    for (int pos = 0; pos < shards; pos++) {
      int shard = shardOrder[pos];
      int client = pos / SHARDS_PER_CLIENT;
      for (int k = off[shard]; k < off[shard + 1]; k++) clientOf[sorted[k]] = client;
    }
    return new Assignment(Assignment.numberedIds(numClients), clientOf);
  }
}
