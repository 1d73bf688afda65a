package io.fedit.federation.strategy;

import static io.fedit.federation.update.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

import io.fedit.federation.aggregation.AggregationResult;
import io.fedit.federation.sampling.ClientSampler;
import io.fedit.federation.update.ClientFailure;
import io.fedit.lora.AdapterWeights;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FedAvgTest {
  private final FedAvg fedAvg = new FedAvg(new ClientSampler(42, 0.5, 1));

  @Test
  void aggregateWithNoUpdatesKeepsGlobal() {
    AdapterWeights global = filled(1f);
    AggregationResult r = fedAvg.aggregate(1, global, List.of(), List.of(new ClientFailure(1, "c1", 0, "boom")));
    assertSame(global, r.global());
    assertFalse(r.changed());
    assertTrue(r.note().contains("1 failures"), r.note());
  }

  @Test
  void aggregateAveragesByExampleCount() {
    AggregationResult r = fedAvg.aggregate(2, filled(0f),
        List.of(update(2, "c1", 1, filled(3f)), update(2, "c2", 2, filled(6f))), List.of());
    assertTrue(r.changed());
    assertEquals(3, r.totalExamples());
    assertEquals(List.of("c1", "c2"), r.usedClients());
    for (float v : r.global().get(B).values()) assertEquals(5f, v); // (3 + 12) / 3
  }

  @Test
  void aggregateRefusesUpdatesOfAnotherRound() {
    assertThrows(IllegalArgumentException.class,
        () -> fedAvg.aggregate(2, filled(0f), List.of(update(1, "c1", 1, filled(3f))), List.of()));
  }

  @Test
  void fedAvgIsStateless() {
    assertEquals(Map.of(), fedAvg.state());
    fedAvg.restoreState(Map.of());
    assertThrows(IllegalArgumentException.class, () -> fedAvg.restoreState(Map.of("m", filled(0))));
    assertEquals(2, fedAvg.configureRound(1, List.of("a", "b", "c", "d")).clientIds().size());
  }
}
