package io.fedit.round;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fedit.testing.LocalSpark;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.Partition;
import org.apache.spark.api.java.JavaRDD;
import org.junit.jupiter.api.Test;
import scala.jdk.javaapi.CollectionConverters;

/** The round's RDD: one partition per client, in plan order, carrying the client's preferred hosts. */
class ClientPlacementTest {
  @Test
  void eachClientIsOnePartitionWithItsPreferredHosts() {
    Map<String, List<String>> prefs = new LinkedHashMap<>();
    prefs.put("client-b", List.of("node7", "node2"));
    prefs.put("client-a", List.of());
    prefs.put("client-c", List.of("node1"));
    JavaRDD<String> rdd = ClientPlacement.rdd(LocalSpark.get().sparkContext(), prefs);
    Partition[] parts = rdd.rdd().partitions();
    assertEquals(3, parts.length);
    int i = 0;
    for (Map.Entry<String, List<String>> e : prefs.entrySet()) {
      assertEquals(e.getValue(), CollectionConverters.asJava(rdd.rdd().preferredLocations(parts[i++])), e.getKey());
    }
    assertEquals(List.of("client-b", "client-a", "client-c"), rdd.collect(), "plan order, one element each");
    assertEquals(List.of(1, 1, 1), rdd.glom().map(List::size).collect());
  }
}
