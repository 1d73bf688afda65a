package io.fedit.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrainingExampleTest {
  static final int EOS = 2;

  @Test
  void eosIsAppendedWhenTheTextFitsAndNotWhenTruncated() {
    assertArrayEquals(new long[] {1, 5, 6, 7, EOS}, TrainingExample.of(new long[] {1, 5, 6, 7}, 2, EOS, 10).tokens());
    assertArrayEquals(new long[] {1, 5, 6}, TrainingExample.of(new long[] {1, 5, 6, 7}, 2, EOS, 3).tokens());
    assertEquals(2, TrainingExample.of(new long[] {1, 5, 6, 7}, 5, EOS, 2).promptLen()); // capped at the length
    assertNull(TrainingExample.of(new long[] {1}, 1, EOS, 1));
  }

  @Test
  void microBatchPadsRightAndMasksPromptLabelsWithoutTrainOnInputs() {
    TrainingExample a = new TrainingExample(new long[] {1, 5, 6, 7, EOS}, 3); // prompt 1 5 6, response 7 EOS
    TrainingExample b = new TrainingExample(new long[] {1, 8, EOS}, 2);
    MicroBatch all = MicroBatch.of(List.of(a, b), true);
    assertEquals(4, all.len());
    assertArrayEquals(new long[] {1, 5, 6, 7, 1, 8, 0, 0}, all.inputs());
    assertArrayEquals(new long[] {5, 6, 7, EOS, 8, EOS, 0, 0}, all.targets());
    assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1, 0, 0}, all.weights());
    assertEquals(6, all.positions());
    MicroBatch response = MicroBatch.of(List.of(a, b), false);
    assertArrayEquals(new float[] {0, 0, 1, 1, 0, 1, 0, 0}, response.weights()); // labels 7, EOS and EOS
    assertEquals(3, response.counted());
    assertEquals(6, response.positions());
  }
}
