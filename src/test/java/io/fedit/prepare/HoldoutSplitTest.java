package io.fedit.prepare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedit.data.DataException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The held-out choice: exact counts, a pure function of the seed, and always some records left to train on. */
class HoldoutSplitTest {
  private static int count(byte[] roles, byte role) {
    int n = 0;
    for (byte r : roles) if (r == role) n++;
    return n;
  }

  @Test
  void holdsOutExactCountsBySeed() {
    byte[] a = HoldoutSplit.roles(1000, 100, 30, 42);
    assertEquals(100, count(a, HoldoutSplit.HELD_OUT));
    assertEquals(30, count(a, HoldoutSplit.VALIDATE));
    assertEquals(870, count(a, HoldoutSplit.TRAIN));
    assertArrayEquals(a, HoldoutSplit.roles(1000, 100, 30, 42), "same seed, same split");
    assertFalse(Arrays.equals(a, HoldoutSplit.roles(1000, 100, 30, 43)), "another seed, another split");
    // Spread over the input, not a block at one end.
    int firstHalf = 0;
    for (int i = 0; i < 500; i++) if (a[i] == HoldoutSplit.HELD_OUT) firstHalf++;
    assertTrue(firstHalf > 25 && firstHalf < 75, "held out in the first half: " + firstHalf);
    assertEquals(1000, count(HoldoutSplit.roles(1000, 0, 0, 42), HoldoutSplit.TRAIN), "none by default");
  }

  @Test
  void refusesToHoldOutEverything() {
    DataException e = assertThrows(DataException.class, () -> HoldoutSplit.roles(10, 8, 2, 1));
    assertTrue(e.getMessage().contains("eval.holdout_records (8)") && e.getMessage().contains("10 valid records"),
        e.getMessage());
  }
}
