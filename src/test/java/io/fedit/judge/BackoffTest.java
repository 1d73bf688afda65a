package io.fedit.judge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The waits between retries: doubling with seeded jitter, pinned to the values they had since the judge was added. */
class BackoffTest {
  @Test
  void waitsDoubleUpToTheMaximumWithTheSameJitterAsEver() {
    Backoff b = new Backoff(1000, 30_000);
    long[] want = {934, 1518, 3851, 7859, 12003, 29228};
    for (int retry = 1; retry <= want.length; retry++) {
      assertEquals(want[retry - 1], b.delayMs(retry, OptionalLong.empty(), 42), "retry " + retry);
    }
    assertEquals(2500, b.delayMs(3, OptionalLong.of(2500), 42), "the server's Retry-After wins");
  }
}
