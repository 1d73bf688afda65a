package io.fedit.federation.strategy;

import static io.fedit.federation.update.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

import io.fedit.federation.aggregation.ExampleWeightedDelta;
import io.fedit.federation.sampling.ClientSampler;
import io.fedit.lora.AdapterWeights;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SCAFFOLD's variates by hand (Karimireddy et al. 2020, option II): 2 clients (weights 1, 2) of a population of 4. */
class ScaffoldTest {
  // Fixtures.metrics reports 2 optimizer steps; with a local lr of 0.5, K · lr = 1.
  private final Scaffold scaffold = Scaffold.create(new ClientSampler(3, 0.5, 1), new ExampleWeightedDelta(), 0.5, 0.5);
  private final List<String> population = List.of("c1", "c2", "c3", "c4");

  @Test
  void serverStepAndControlVariateByHand() {
    scaffold.configureRound(1, population);
    assertEquals(filled(0), scaffold.controlVariate(filled(7)), "c starts at 0");
    // x = 0; c1 (1 example) ends at y = 3, c2 (2 examples) at y = 6.
    AdapterWeights x1 = scaffold.aggregate(1, filled(0), List.of(update(1, "c1", 1, filled(3)),
        update(1, "c2", 2, filled(6))), List.of()).global();
    // x ← 0 + 0.5 · (1·3 + 2·6)/3 = 2.5.
    assertEquals(filled(2.5f), x1);
    // Δc_i = −c + (x − y_i)/(K·lr) = −3 and −6; c ← 0 + (−3 − 6)/4 = −2.25.
    assertEquals(filled(-2.25f), scaffold.state().get("control"));
    // Client side, round 2, for c1 (c_1 = −3 from round 1) ending at y = 2.5 + 1: Δc = 2.25 + (2.5 − 3.5)/1 = 1.25,
    // c_1 ← −3 + 1.25 = −1.75; its gradient correction during round 2 was c − c_1 = −2.25 + 3 = 0.75.
    AdapterWeights c1 = Scaffold.nextClientVariate(null, filled(0), filled(0), filled(3), 2, 0.5);
    assertEquals(filled(-3f), c1);
    assertEquals(filled(0.75f), Scaffold.correction(filled(-2.25f), c1));
    assertEquals(filled(-1.75f), Scaffold.nextClientVariate(c1, filled(-2.25f), x1, filled(3.5f), 2, 0.5));
  }

  @Test
  void controlVariateIsRestoredAndRefusedUnderPrivacy() {
    scaffold.configureRound(1, population);
    scaffold.aggregate(1, filled(0), List.of(update(1, "c1", 1, filled(3))), List.of());
    Scaffold other = Scaffold.create(new ClientSampler(3, 0.5, 1), new ExampleWeightedDelta(), 0.5, 0.5);
    other.restoreState(scaffold.state());
    assertEquals(scaffold.state(), other.state());
    assertEquals(Map.of(), Scaffold.create(new ClientSampler(3, 0.5, 1), new ExampleWeightedDelta(), 1, 1).state());
    var cfg = io.fedit.config.ConfigLoader.load(null, List.of("federation.strategy=scaffold", "privacy.enabled=true"));
    var e = assertThrows(IllegalArgumentException.class, () -> Strategies.fromConfig(cfg));
    assertTrue(e.getMessage().contains("privacy"), e.getMessage());
  }
}
