package io.fedit.partition;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class IidAndColumnPartitionerTest {
  @Test
  void iidSplitsEvenlyWithTheWholeDataMix() {
    List<String> dolly = DollyKeys.categories();
    Assignment a = new IidPartitioner(100).assign(dolly, 3);
    int[] s = a.sizes();
    assertEquals(149, Arrays.stream(s).min().getAsInt());
    assertEquals(150, Arrays.stream(s).max().getAsInt());
    assertTrue(PartitionStats.categorySkew(a, dolly) < 0.12);
    assertArrayEquals(a.clientOf(), new IidPartitioner(100).assign(dolly, 3).clientOf());
  }

  @Test
  void columnMakesEachKeyAClient() {
    Assignment a = new ColumnPartitioner().assign(List.of("eu", "us", "eu", "apac", "us", "eu"), 0);
    assertEquals(List.of("apac", "eu", "us"), a.clientIds());
    assertArrayEquals(new int[] {1, 2, 1, 0, 2, 1}, a.clientOf());
  }
}
