package io.fedit.federation.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedit.config.ConfigLoader;
import io.fedit.config.RunConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which aggregator federation.aggregation picks, and what it refuses. */
class AggregationChoiceTest {
  private static RunConfig with(String... sets) {
    return ConfigLoader.load(null, List.of(sets));
  }

  @Test
  void robustRulesAreRefusedUnderDifferentialPrivacy() {
    var e = assertThrows(IllegalArgumentException.class,
        () -> Strategies.fromConfig(with("privacy.enabled=true", "federation.aggregation=median")));
    assertTrue(e.getMessage().contains("federation.aggregation 'median'"), e.getMessage());
  }

  @Test
  void aRobustRuleTurnsFedavgIntoADeltaStrategyWithItsAggregator() {
    assertTrue(Strategies.fromConfig(with()) instanceof FedAvg, "plain fedavg keeps its mean of adapters");
    Strategy s = Strategies.fromConfig(with("federation.aggregation=krum"));
    assertTrue(s instanceof DeltaStrategy, s.getClass().getName());
    assertEquals("fedavg", s.name());
  }
}
