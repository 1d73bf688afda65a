package io.fedit.federation.strategy;

import static org.junit.jupiter.api.Assertions.*;

import io.fedit.config.ConfigLoader;
import io.fedit.config.RunConfig;
import io.fedit.federation.plan.ClientInstructions;
import io.fedit.federation.plan.RoundPlan;
import io.fedit.lora.TrainableArrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What each configured strategy instructs its clients to do: the client side executes these and reads no
 * federation setting, so every client-side behaviour of a strategy is decided here.
 */
class ClientInstructionsTest {
  private static final List<String> POPULATION = List.of("c0", "c1", "c2", "c3");

  /** The instructions every sampled client of round 1 gets (checked to be the same for all). */
  private static ClientInstructions instructed(String... sets) {
    RunConfig cfg = ConfigLoader.load(null, List.of(sets));
    RoundPlan plan = Strategies.fromConfig(cfg).configureRound(1, POPULATION);
    assertEquals(plan.clientIds(), List.copyOf(plan.instructions().keySet()), "one instruction per sampled client");
    ClientInstructions first = plan.instructionsFor(plan.clientIds().get(0));
    for (String id : plan.clientIds()) assertEquals(first, plan.instructionsFor(id), id);
    return first;
  }

  @Test
  void plainFedavgTrainsEveryArrayOnTheTokenLossAlone() {
    assertEquals(ClientInstructions.PLAIN, instructed());
  }

  @Test
  void fedproxAddsItsProximalTermWithTheConfiguredMu() {
    ClientInstructions i = instructed("federation.strategy=fedprox", "federation.prox_mu=0.03");
    assertEquals(new ClientInstructions.Proximal(0.03), i.proximal());
    assertNull(i.controlVariates());
    assertNull(i.clipping());
    assertEquals(TrainableArrays.A_AND_B, i.trainable());
  }

  @Test
  void scaffoldAsksForControlVariatesWithTheLocalLearningRate() {
    ClientInstructions i = instructed("federation.strategy=scaffold", "train.learning_rate=0.002");
    assertEquals(new ClientInstructions.ControlVariates(0.002), i.controlVariates());
    assertNull(i.proximal());
  }

  @Test
  void ffaLoraFreezesEveryAWhateverTheStrategy() {
    assertEquals(TrainableArrays.B_ONLY, instructed("federation.ffa_lora=true").trainable());
    ClientInstructions prox = instructed("federation.ffa_lora=true", "federation.strategy=fedprox");
    assertEquals(TrainableArrays.B_ONLY, prox.trainable());
    assertNotNull(prox.proximal());
    assertEquals(TrainableArrays.B_ONLY, instructed("federation.ffa_lora=true", "federation.strategy=scaffold").trainable());
  }

  @Test
  void privacyClipsEveryClientsDeltaToTheClipNorm() {
    assertEquals(new ClientInstructions.Clipping(0.7), instructed("privacy.enabled=true", "privacy.clip_norm=0.7").clipping());
    assertEquals(new ClientInstructions.Clipping(0.7),
        instructed("privacy.enabled=true", "privacy.clip_norm=0.7", "federation.strategy=fedavgm").clipping());
  }

  @Test
  void thePlanRefusesInstructionsForClientsItDidNotSample() {
    var e = assertThrows(IllegalArgumentException.class, () -> new RoundPlan(1, List.of("a"), java.util.Map.of("a", 1L),
        java.util.Map.of("b", ClientInstructions.PLAIN)));
    assertTrue(e.getMessage().contains("instructions keys"), e.getMessage());
    RoundPlan p = new RoundPlan(1, List.of("a"), java.util.Map.of("a", 1L));
    assertThrows(IllegalArgumentException.class, () -> p.instructionsFor("b"));
  }
}
