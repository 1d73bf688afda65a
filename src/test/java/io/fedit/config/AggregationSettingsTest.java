package io.fedit.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** federation.aggregation and its keys, and the attack.* experiment switch: defaults, refusals naming the key. */
class AggregationSettingsTest {
  private static RunConfig with(String... sets) {
    return ConfigLoader.load(null, List.of(sets));
  }

  private static void refused(String key, String... sets) {
    ConfigException e = assertThrows(ConfigException.class, () -> with(sets));
    assertTrue(e.getMessage().contains(key), e.getMessage());
  }

  @Test
  void defaultsAreThePlainMeanAndNoAttack() {
    RunConfig d = ConfigLoader.defaults();
    assertEquals("mean", d.federation().aggregation());
    assertFalse(d.attack().enabled());
    assertEquals("median", with("federation.aggregation=median").federation().aggregation());
    RunConfig attacked = with("attack.malicious_clients_per_round=2", "attack.scale=-4");
    assertTrue(attacked.attack().enabled());
    assertEquals(attacked, ConfigLoader.fromYaml(ConfigLoader.toYaml(attacked)));
  }

  @Test
  void badValuesAreRefusedNamingTheKey() {
    refused("federation.aggregation", "federation.aggregation=mode");
    refused("federation.trim_beta", "federation.trim_beta=0.5");
    refused("federation.norm_bound", "federation.norm_bound=0");
    refused("federation.krum_byzantine", "federation.krum_byzantine=-1");
    refused("federation.aggregation_block_values", "federation.aggregation_block_values=0");
    refused("attack.malicious_clients_per_round", "attack.malicious_clients_per_round=-1");
  }
}
