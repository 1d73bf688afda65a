package io.fedit.partition;

import io.fedit.seeds.Seeds;
import io.fedit.seeds.Shuffles;
import java.util.List;

/** Uniform random split: shuffle all records, cut into num_clients near-equal parts. */
public final class IidPartitioner implements ClientPartitioner {
  private final int numClients;

  public IidPartitioner(int numClients) {
    this.numClients = numClients;
  }

  @Override
  public Assignment assign(List<String> keys, long seed) {
    ClientPartitioner.requireEnough(keys.size(), numClients);
    int[] order = new int[keys.size()];
    for (int i = 0; i < order.length; i++) order[i] = i;
    Shuffles.shuffle(order, Seeds.stream(Seeds.saltedByName(seed, "iid")));
    int[] off = Slices.splitOffsets(order.length, numClients);
    int[] clientOf = new int[order.length];
    for (int c = 0; c < numClients; c++) {
      for (int k = off[c]; k < off[c + 1]; k++) clientOf[order[k]] = c;
    }
    return new Assignment(Assignment.numberedIds(numClients), clientOf);
  }
}
