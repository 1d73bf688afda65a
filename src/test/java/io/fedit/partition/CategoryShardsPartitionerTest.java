package io.fedit.partition;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CategoryShardsPartitionerTest {
  private final List<String> dolly = DollyKeys.categories();

  @Test
  void tenClientsGetEqualSizesAndTwoContiguousShardsEach() {
    Assignment a = new CategoryShardsPartitioner(10).assign(dolly, 42);
    int[] sizes = a.sizes();
    assertEquals(14_931, Arrays.stream(sizes).sum());
    // 14,931 / 20 shards = 746.55: shards of 747 or 746, so clients of 1492..1494 records.
    assertTrue(Arrays.stream(sizes).max().getAsInt() - Arrays.stream(sizes).min().getAsInt() <= 2,
        Arrays.toString(sizes));

    // Walk the category-sorted order: each client's records form at most two contiguous runs (shards).
    Integer[] sorted = new Integer[dolly.size()];
    for (int i = 0; i < sorted.length; i++) sorted[i] = i;
    Arrays.sort(sorted, Comparator.comparing(dolly::get));
    int[] runs = new int[10];
    int prev = -1;
    for (Integer r : sorted) {
      int c = a.clientOf()[r];
      if (c != prev) runs[c]++;
      prev = c;
    }
    for (int c = 0; c < 10; c++) assertTrue(runs[c] >= 1 && runs[c] <= 2, "client " + c + " has " + runs[c] + " runs");

    // Pathological non-IID: two shards of ~746 records span few of the 8 categories.
    List<Map<String, Long>> mixes = PartitionStats.categoryCounts(a, dolly);
    for (Map<String, Long> mix : mixes) assertTrue(mix.size() <= 4, mix.toString());
    assertTrue(PartitionStats.categorySkew(a, dolly) > 0.6);
  }

  @Test
  void deterministicForASeed() {
    CategoryShardsPartitioner p = new CategoryShardsPartitioner(10);
    assertArrayEquals(p.assign(dolly, 7).clientOf(), p.assign(dolly, 7).clientOf());
  }
}
