package io.fedit.round;

/**
 * The next round would take the run's spent epsilon above privacy.target_epsilon: it is not run, nothing is
 * trained or committed, and the run stays at its last committed round (exit code 6).
 */
public class PrivacyBudgetExhaustedException extends RuntimeException {
  public PrivacyBudgetExhaustedException(String message) {
    super(message);
  }
}
