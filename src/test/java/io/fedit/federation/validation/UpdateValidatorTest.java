package io.fedit.federation.validation;

import static io.fedit.federation.update.Fixtures.*;
import static org.junit.jupiter.api.Assertions.*;

import io.fedit.federation.update.ClientFailure;
import io.fedit.federation.update.ClientUpdate;
import io.fedit.lora.AdapterWeights;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UpdateValidatorTest {
  private final AdapterWeights global = filled(0f);
  private final UpdateValidator validator = new UpdateValidator();

  @Test
  void acceptsAGoodUpdateAndReportsItsNorm() {
    UpdateValidator.Verdict v = validator.validate(1, global, update(1, "c1", 5, filled(1f)));
    assertTrue(v.accepted(), v.reason());
    assertEquals(Math.sqrt(10), v.updateNorm(), 1e-12); // ten values, each differing by 1
  }

  @Test
  void rejectsNonFiniteValuesNamingTheTensor() {
    float[] b = new float[6];
    b[3] = Float.NaN;
    UpdateValidator.Verdict v = validator.validate(1, global, update(1, "c1", 5, adapter(new float[4], b)));
    assertFalse(v.accepted());
    assertTrue(v.reason().contains(B), v.reason());
  }

  @Test
  void rejectsZeroExamplesWrongRoundAndWrongLayout() {
    assertTrue(validator.validate(1, global, update(1, "c1", 0, filled(1))).reason().contains("example count"));
    assertTrue(validator.validate(2, global, update(1, "c1", 3, filled(1))).reason().contains("round 1"));
    Map<String, AdapterWeights.Tensor> m = new LinkedHashMap<>();
    m.put(A, new AdapterWeights.Tensor(new long[] {2, 2}, new float[4]));
    String reason = validator.validate(1, global, update(1, "c1", 3, new AdapterWeights(m))).reason();
    assertTrue(reason.contains("names differ"), reason);
  }

  @Test
  void rejectsUpdatesAboveTheNormLimit() {
    UpdateValidator strict = new UpdateValidator(1.0);
    assertFalse(strict.validate(1, global, update(1, "c1", 3, filled(1))).accepted());
    assertTrue(strict.validate(1, global, update(1, "c1", 3, filled(0.1f))).accepted());
  }

  @Test
  void keepsOnlyTheLowestAttemptOfAClient() {
    ClientUpdate retry = new ClientUpdate(1, "c1", 1, 5, filled(2), metrics(5, 1));
    ClientUpdate first = new ClientUpdate(1, "c1", 0, 5, filled(1), metrics(5, 1));
    ClientUpdate other = update(1, "c2", 5, filled(1));
    UpdateValidator.Result r = validator.validateAll(1, global, List.of(retry, first, other));
    assertEquals(List.of(first, other), r.accepted());
    assertEquals(1, r.rejected().size());
    assertTrue(r.rejected().get(0).reason().contains("duplicate"), r.rejected().get(0).reason());
    ClientFailure f = r.rejectedAsFailures().get(0);
    assertEquals("c1", f.clientId());
    assertEquals(1, f.attempt());
    assertTrue(f.reason().startsWith("rejected: duplicate"), f.reason());
  }
}
