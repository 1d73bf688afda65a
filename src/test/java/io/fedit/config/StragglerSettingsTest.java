package io.fedit.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** federation.round_deadline (a duration) and federation.over_selection: parsing, refusals, saved form, quorum. */
class StragglerSettingsTest {
  private static RunConfig with(String... sets) {
    return ConfigLoader.load(null, List.of(sets));
  }

  @Test
  void durationsReadInEveryFormAndSaveInTheirShortestExactForm() {
    assertEquals(90_000, TimeLimit.parse("k", "90s").millis());
    assertEquals(600_000, TimeLimit.parse("k", "10m").millis());
    assertEquals(1_500, TimeLimit.parse("k", "1500ms").millis());
    assertEquals(7_200_000, TimeLimit.parse("k", "2h").millis());
    assertEquals(2_500, TimeLimit.parse("k", "2.5").millis(), "a plain number is seconds");
    assertEquals(TimeLimit.NONE, TimeLimit.parse("k", "0"));
    assertEquals("10m", TimeLimit.parse("k", "600s").toString());
    assertEquals("1500ms", TimeLimit.parse("k", "1.5s").toString());
    assertEquals(90_000, with("federation.round_deadline=90s").federation().roundDeadline().millis());
    assertEquals(30_000, with("federation.round_deadline=30").federation().roundDeadline().millis());
    assertFalse(ConfigLoader.defaults().federation().roundDeadline().isSet());
  }

  @Test
  void aSavedConfigurationReadsBackToTheSameDeadline() {
    RunConfig cfg = with("federation.round_deadline=1500ms", "federation.over_selection=0.3");
    String yaml = ConfigLoader.toYaml(cfg);
    assertTrue(yaml.contains("round_deadline: 1500ms"), yaml);
    assertEquals(cfg, ConfigLoader.fromYaml(yaml));
  }

  @Test
  void badDurationsAndOverSelectionsAreRefusedNamingTheKey() {
    for (String bad : List.of("soon", "-5s", "10 days", "1.5ms")) {
      ConfigException e = assertThrows(ConfigException.class, () -> with("federation.round_deadline=" + bad));
      assertTrue(e.getMessage().contains("federation.round_deadline") && e.getMessage().contains(bad), e.getMessage());
    }
    ConfigException e = assertThrows(ConfigException.class, () -> with("federation.over_selection=1.5"));
    assertTrue(e.getMessage().contains("federation.over_selection") && e.getMessage().contains("1.5"), e.getMessage());
    e = assertThrows(ConfigException.class, () -> with("federation.over_selection=-0.2"));
    assertTrue(e.getMessage().contains("federation.over_selection"), e.getMessage());
  }

  @Test
  void theQuorumIsMinClientsOnlyWhenStragglersAreHandled() {
    assertEquals(1, with("federation.min_clients=3").federation().quorum(), "as before: one usable update commits");
    assertEquals(3, with("federation.min_clients=3", "federation.round_deadline=1m").federation().quorum());
    assertEquals(3, with("federation.min_clients=3", "federation.over_selection=2").federation().quorum());
  }

  @Test
  void aContinuedRunMayChangeItsDeadlineButNotItsOverSelection() {
    FederationSection a = with("federation.round_deadline=1m").federation();
    FederationSection b = with("federation.round_deadline=5m").federation();
    assertEquals(a.withRounds(1), b.withRounds(1));
    FederationSection c = with("federation.over_selection=1").federation();
    assertFalse(a.withRounds(1).equals(c.withRounds(1)));
  }
}
