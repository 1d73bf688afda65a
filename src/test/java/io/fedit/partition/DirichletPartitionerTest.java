package io.fedit.partition;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DirichletPartitionerTest {
  private final List<String> dolly = DollyKeys.categories();

  @Test
  void everyDollyRecordGoesToExactlyOneOfHundredClients() {
    Assignment a = new DirichletPartitioner(100, 0.5, 10).assign(dolly, 42);
    assertEquals(14_931, a.clientOf().length);
    assertEquals(100, a.clientIds().size());
    assertEquals(14_931, Arrays.stream(a.sizes()).sum());
    assertTrue(Arrays.stream(a.sizes()).min().getAsInt() >= 10, "minimum records per client enforced");
  }

  @Test
  void sameSeedSameAssignmentOtherSeedOther() {
    DirichletPartitioner p = new DirichletPartitioner(100, 0.5, 10);
    assertArrayEquals(p.assign(dolly, 42).clientOf(), p.assign(dolly, 42).clientOf());
    assertFalse(Arrays.equals(p.assign(dolly, 42).clientOf(), p.assign(dolly, 43).clientOf()));
  }

  @Test
  void smallerAlphaGivesMoreSkewedCategoryMixes() {
    double skew01 = PartitionStats.categorySkew(new DirichletPartitioner(100, 0.1, 5).assign(dolly, 1), dolly);
    double skew05 = PartitionStats.categorySkew(new DirichletPartitioner(100, 0.5, 5).assign(dolly, 1), dolly);
    double skew100 = PartitionStats.categorySkew(new DirichletPartitioner(100, 100, 5).assign(dolly, 1), dolly);
    // Measured with seed 1: 0.73, 0.48 and 0.04. A partitioner ignoring alpha gives equal skews.
    assertTrue(skew01 > skew05 + 0.1, skew01 + " vs " + skew05);
    assertTrue(skew05 > skew100 + 0.2, skew05 + " vs " + skew100);
    assertTrue(skew100 < 0.15, "a large alpha is close to IID: " + skew100);
  }

  @Test
  void impossibleMinimumIsAClearError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new DirichletPartitioner(100, 0.5, 200).assign(dolly, 1));
    assertTrue(e.getMessage().contains("partition.min_records_per_client"), e.getMessage());
  }

  @Test
  void moreClientsThanRecordsIsAClearError() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new DirichletPartitioner(5, 0.5, 0).assign(List.of("a", "b"), 1));
    assertTrue(e.getMessage().contains("partition.num_clients is 5 but the data has only 2 records"), e.getMessage());
  }
}
