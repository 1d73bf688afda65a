package io.fedit.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LrScheduleTest {
  @Test
  void warmupThenLinearDecayAsHuggingFace() {
    LrSchedule s = new LrSchedule("linear", 1.0, 2, 10);
    assertEquals(0.0, s.at(0));
    assertEquals(0.5, s.at(1));
    assertEquals(1.0, s.at(2));
    assertEquals(0.5, s.at(6));
    assertEquals(0.125, s.at(9));
  }

  @Test
  void cosineAndConstant() {
    LrSchedule c = new LrSchedule("cosine", 2.0, 0, 4);
    assertEquals(2.0, c.at(0), 1e-12);
    assertEquals(1.0, c.at(2), 1e-12);
    assertEquals(1.0, new LrSchedule("constant", 1.0, 0, 5).at(4));
  }
}
