package io.fedit.federation.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The accountant against values published by Google's dp_accounting library (github.com/google/
 * differential-privacy, python/dp_accounting/dp_accounting/rdp/rdp_privacy_accountant_test.py), and against
 * closed forms.
 */
class RdpAccountantTest {
  /**
   * dp_accounting, rdp_privacy_accountant_test.py, test_compute_rdp_poisson_sampled_gaussian: q = 0.01,
   * sigma = 2.5, 50 steps, orders [1.5, 2.5, 5, 50, 100, inf] → [6.70579741e-04, 1.08548710e-03,
   * 2.18075656e-03, 2.38460375e-02, 1.67416308e02, inf] (rtol 1e-4). The integer orders are checked here.
   */
  @Test
  void poissonSampledGaussianRdpMatchesDpAccounting() {
    RdpAccountant acc = new RdpAccountant(new int[] {5, 50, 100}).compose(0.01, 2.5, 50);
    double[] expected = {2.18075656e-03, 2.38460375e-02, 1.67416308e02};
    double[] got = acc.rdp();
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], got[i], 1e-4 * expected[i], "order " + new int[] {5, 50, 100}[i]);
    }
  }

  /**
   * dp_accounting, rdp_privacy_accountant_test.py, test_compute_epsilon_delta_pure_dp: orders 2..32, RDP 1.1
   * at every order, delta 1e-5 → epsilon 1.32783806176 at order 32.
   */
  @Test
  void conversionToEpsilonMatchesDpAccounting() {
    int[] orders = java.util.stream.IntStream.rangeClosed(2, 32).toArray();
    double[] rdp = new double[orders.length];
    java.util.Arrays.fill(rdp, 1.1);
    RdpAccountant.Epsilon e = RdpAccountant.epsilon(orders, rdp, 1e-5);
    assertEquals(1.32783806176, e.epsilon(), 1e-9);
    assertEquals(32, e.order());
  }

  @Test
  void unsampledGaussianIsAlphaOverTwoSigmaSquaredAndSamplingOnlyHelps() {
    // q = 1: the plain Gaussian mechanism, RDP(α) = α / (2σ²) (Mironov 2017).
    assertEquals(3 / (2 * 1.5 * 1.5), RdpAccountant.rdp(1.0, 1.5, 3), 1e-12);
    // α = 2 by hand: A_2 = (1−q)² + 2q(1−q) + q² e^{1/σ²} = 1 + q²(e^{1/σ²} − 1).
    double q = 0.1, s = 2.0;
    assertEquals(Math.log(1 + q * q * (Math.exp(1 / (s * s)) - 1)), RdpAccountant.rdp(q, s, 2), 1e-14);
    assertTrue(RdpAccountant.rdp(0.05, 1.0, 8) < RdpAccountant.rdp(0.5, 1.0, 8));
    assertEquals(0.0, RdpAccountant.rdp(0.0, 1.0, 8));
    // Composition adds: 10 rounds cost more epsilon than 5, and both are finite and positive.
    double e5 = new RdpAccountant().compose(0.05, 1.0, 5).epsilon(1e-3).epsilon();
    double e10 = new RdpAccountant().compose(0.05, 1.0, 10).epsilon(1e-3).epsilon();
    assertTrue(0 < e5 && e5 < e10 && e10 < 100, e5 + " " + e10);
  }
}
