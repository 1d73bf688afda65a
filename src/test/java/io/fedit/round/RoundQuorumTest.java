package io.fedit.round;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedit.config.ConfigLoader;
import io.fedit.config.FederationSection;
import io.fedit.federation.update.ClientFailure;
import io.fedit.federation.update.ClientUpdate;
import io.fedit.federation.validation.UpdateValidator;
import io.fedit.lora.AdapterWeights;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The commit rule with late clients, and who the strategy counts as having given nothing (pure, no Spark). */
class RoundQuorumTest {
  private static final AdapterWeights ADAPTER =
      new AdapterWeights(Map.of("t", new AdapterWeights.Tensor(new long[] {1}, new float[] {0f})));

  private static UpdateValidator.Result accepted(String... ids) {
    List<UpdateValidator.Verdict> v = new ArrayList<>();
    for (String id : ids) v.add(new UpdateValidator.Verdict(new ClientUpdate(1, id, 0, 5, ADAPTER, null), true, null, 0));
    return new UpdateValidator.Result(v);
  }

  private static List<ClientFailure> late(String... ids) {
    return java.util.Arrays.stream(ids).map(id -> new ClientFailure(1, id, 0, "late: test")).toList();
  }

  private static FederationSection federation(String... sets) {
    return ConfigLoader.load(null, List.of(sets)).federation();
  }

  @Test
  void withADeadlineFewerThanMinClientsAcceptedFailsTheRoundNamingTheLateClients() {
    FederationSection f = federation("federation.min_clients=3", "federation.round_deadline=30s");
    RoundFailedException e = assertThrows(RoundFailedException.class,
        () -> RoundQuorum.require(f.quorum(), 4, accepted("a", "b"), List.of(), late("c", "d")));
    assertTrue(e.getMessage().contains("2 usable updates, fewer than federation.min_clients 3")
        && e.getMessage().contains("[c, d]"), e.getMessage());
    assertDoesNotThrow(() -> RoundQuorum.require(f.quorum(), 4, accepted("a", "b", "c"), List.of(), late("d")));
  }

  @Test
  void withoutStragglerSettingsOneAcceptedUpdateStillCommits() {
    FederationSection f = federation("federation.min_clients=3");
    assertDoesNotThrow(() -> RoundQuorum.require(f.quorum(), 1, accepted("a"), List.of(), List.of()));
    RoundFailedException e = assertThrows(RoundFailedException.class,
        () -> RoundQuorum.require(f.quorum(), 1, accepted(), List.of(new ClientFailure(1, "a", 0, "boom")), List.of()));
    assertTrue(e.getMessage().contains("no client produced a usable update") && e.getMessage().contains("a: boom"),
        e.getMessage());
  }

  @Test
  void lateClientsCountAsGivingNothingOnlyUpToThePlannedNumber() {
    // Planned 3, drawn 5 (over-selection): 2 accepted, one failed; 2 late. Only "sampled" = 3 is counted.
    List<ClientFailure> failed = List.of(new ClientFailure(1, "x", 0, "boom"));
    List<ClientFailure> counted = RoundQuorum.unusable(3, accepted("a", "b"), failed, late("c", "d"));
    assertEquals(List.of("x"), counted.stream().map(ClientFailure::clientId).toList());
    // Planned 4 with a deadline: the two late clients stand in for the planned ones that did not report.
    counted = RoundQuorum.unusable(4, accepted("a", "b"), List.of(), late("c", "d"));
    assertEquals(List.of("c", "d"), counted.stream().map(ClientFailure::clientId).toList());
  }
}
