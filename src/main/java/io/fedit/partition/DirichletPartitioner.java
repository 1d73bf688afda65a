package io.fedit.partition;

import io.fedit.seeds.Seeds;
import io.fedit.seeds.Shuffles;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Label-skewed split, as in the FedIT code's {@code diff_quantity} mode (after Hsu et al. 2019): for
 * each category, draw proportions p ~ Dirichlet(α, …, α) over the N clients and cut that category's
 * shuffled records by them. A client that already holds its fair share (total / N) gets no more, which
 * keeps sizes from running away. The whole draw is repeated until every client has at least
 * {@code min_records_per_client} records. Smaller α gives each client fewer, more dominant categories.
 */
public final class DirichletPartitioner implements ClientPartitioner {
  static final int MAX_ATTEMPTS = 1000;
  private final int numClients;
  private final double alpha;
  private final int minRecords;

  public DirichletPartitioner(int numClients, double alpha, int minRecords) {
    this.numClients = numClients;
    this.alpha = alpha;
    this.minRecords = minRecords;
  }

  @Override
  public Assignment assign(List<String> keys, long seed) {
    ClientPartitioner.requireEnough(keys.size(), numClients);
    if ((long) minRecords * numClients > keys.size()) {
      throw new IllegalArgumentException("partition.min_records_per_client (" + minRecords + ") × partition.num_clients ("
          + numClients + ") exceeds the " + keys.size() + " records");
    }
    TreeMap<String, List<Integer>> byCategory = new TreeMap<>();
    for (int i = 0; i < keys.size(); i++) byCategory.computeIfAbsent(keys.get(i), k -> new ArrayList<>()).add(i);
    SplittableRandom rng = Seeds.stream(Seeds.saltedByName(seed, "dirichlet"));
    double fairShare = (double) keys.size() / numClients;
    for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      int[] clientOf = new int[keys.size()];
      int[] sizes = new int[numClients];
      for (List<Integer> members : byCategory.values()) {
        int[] idx = members.stream().mapToInt(Integer::intValue).toArray();
        Shuffles.shuffle(idx, rng);
        double[] p = dirichlet(rng);
        double sum = 0;
        for (int c = 0; c < numClients; c++) {
          if (sizes[c] >= fairShare) p[c] = 0;
          sum += p[c];
        }
        if (sum == 0) { // every client is at its share: fall back to an even spread
          java.util.Arrays.fill(p, 1.0);
          sum = numClients;
        }
        // Cut points: floor(cumsum(p) × n), as numpy's (cumsum * len).astype(int).
        double cum = 0;
        int start = 0;
        for (int c = 0; c < numClients; c++) {
          cum += p[c] / sum;
          int end = c == numClients - 1 ? idx.length : (int) Math.min(idx.length, Math.floor(cum * idx.length));
          for (int k = start; k < end; k++) clientOf[idx[k]] = c;
          sizes[c] += Math.max(0, end - start);
          start = Math.max(start, end);
        }
      }
      int min = Integer.MAX_VALUE;
      for (int s : sizes) min = Math.min(min, s);
      if (min >= Math.max(1, minRecords)) return new Assignment(Assignment.numberedIds(numClients), clientOf);
    }
    throw new IllegalArgumentException("partition: no Dirichlet draw in " + MAX_ATTEMPTS
        + " attempts gave every client at least partition.min_records_per_client=" + minRecords
        + " records (partition.num_clients=" + numClients + ", partition.alpha=" + alpha
        + "); lower the minimum or raise alpha");
  }

  private double[] dirichlet(SplittableRandom rng) {
    double[] p = new double[numClients];
    double sum = 0;
    for (int c = 0; c < numClients; c++) {
      p[c] = Gamma.sample(rng, alpha);
      sum += p[c];
    }
    for (int c = 0; c < numClients; c++) p[c] /= sum;
    return p;
  }
}
