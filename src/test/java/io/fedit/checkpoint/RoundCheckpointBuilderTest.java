package io.fedit.checkpoint;

import static io.fedit.checkpoint.CheckpointFixtures.LORA;
import static io.fedit.checkpoint.CheckpointFixtures.adapter;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedit.eval.EvalResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The round checkpoint's builder: what it leaves empty, what it refuses, and that toBuilder keeps every part. */
class RoundCheckpointBuilderTest {
  private static RoundCheckpoint.Builder required(int round) {
    return RoundCheckpoint.builder(round).runName("r").strategy("fedavg").global(adapter(1)).lora(LORA)
        .roundMetrics(RoundMetricsRow.of(round, 0, List.of(), 0, 0, 0, 0));
  }

  @Test
  void optionalPartsDefaultToEmpty() {
    RoundCheckpoint cp = required(3).build();
    assertEquals("", cp.baseModelNameOrPath());
    assertEquals("", cp.configYaml());
    assertEquals(Map.of(), cp.inputHashes());
    assertEquals(List.of(), cp.clientMetrics());
    assertEquals(Map.of(), cp.clientUpdates());
    assertEquals(Map.of(), cp.strategyState());
    assertEquals(Map.of(), cp.clientStates());
    assertNull(cp.privacyLedger());
    assertTrue(cp.eval().metrics().isEmpty() && cp.eval().generations().isEmpty());
    assertSame(StagedClientFiles.NONE, cp.staged());
  }

  @Test
  void aMissingRequiredPartIsNamed() {
    NullPointerException e = assertThrows(NullPointerException.class,
        () -> RoundCheckpoint.builder(2).runName("r").strategy("fedavg").global(adapter(1)).lora(LORA).build());
    assertEquals("round 2 checkpoint: roundMetrics is missing", e.getMessage());
    IllegalArgumentException wrongRound = assertThrows(IllegalArgumentException.class,
        () -> required(2).roundMetrics(RoundMetricsRow.of(1, 0, List.of(), 0, 0, 0, 0)).build());
    assertTrue(wrongRound.getMessage().contains("expected 2"), wrongRound.getMessage());
  }

  @Test
  void toBuilderKeepsEveryPart() {
    RoundCheckpoint full = CheckpointFixtures.round(2, true).toBuilder().strategyState(Map.of("m", adapter(5)))
        .clientStates(Map.of("a", adapter(6))).build();
    assertEquals(full, full.toBuilder().build());
    assertEquals(full, full.withEval(EvalResult.empty()));
  }
}
