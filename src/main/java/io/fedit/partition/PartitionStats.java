package io.fedit.partition;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Pure statistics of an assignment, used by the prepare summary and by tests. */
public final class PartitionStats {
  private PartitionStats() {}

  /** Category → count, per client (clientIds order). */
  public static List<Map<String, Long>> categoryCounts(Assignment a, List<String> categories) {
    List<Map<String, Long>> out = new java.util.ArrayList<>();
    for (int c = 0; c < a.clientIds().size(); c++) out.add(new TreeMap<>());
    for (int i = 0; i < a.clientOf().length; i++) out.get(a.clientOf()[i]).merge(categories.get(i), 1L, Long::sum);
    return out;
  }

  /**
   * Category skew: the record-weighted mean, over clients, of the total-variation distance between
   * the client's category mix and the whole data's. 0 for identical mixes, near 1 for clients each
   * holding a single rare category.
   */
  public static double categorySkew(Assignment a, List<String> categories) {
    Map<String, Long> global = new TreeMap<>();
    for (String c : categories) global.merge(c, 1L, Long::sum);
    double total = categories.size();
    double weighted = 0;
    for (Map<String, Long> mix : categoryCounts(a, categories)) {
      long n = mix.values().stream().mapToLong(Long::longValue).sum();
      if (n == 0) continue;
      weighted += n * totalVariation(mix, global);
    }
    return weighted / total;
  }

  /**
   * Total-variation distance between two category mixes given as counts: half the sum over categories
   * of |share in mix − share in reference|. 0 = same mix, 1 = no category in common; 0 for an empty mix.
   */
  public static double totalVariation(Map<String, Long> mix, Map<String, Long> reference) {
    double n = mix.values().stream().mapToLong(Long::longValue).sum();
    double total = reference.values().stream().mapToLong(Long::longValue).sum();
    if (n == 0 || total == 0) return 0;
    java.util.Set<String> keys = new java.util.TreeSet<>(reference.keySet());
    keys.addAll(mix.keySet());
    double tv = 0;
    for (String k : keys) {
      tv += Math.abs(mix.getOrDefault(k, 0L) / n - reference.getOrDefault(k, 0L) / total);
    }
    return tv / 2;
  }
}
