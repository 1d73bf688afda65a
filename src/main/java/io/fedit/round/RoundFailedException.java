package io.fedit.round;

/** A round that cannot be committed (no usable update); the run stays at its last committed round. */
public class RoundFailedException extends RuntimeException {
  public RoundFailedException(String message) {
    super(message);
  }
}
