package io.fedit.round;

/** A round was asked for before its predecessor was committed. */
public class RoundNotReadyException extends RuntimeException {
  public RoundNotReadyException(String message) {
    super(message);
  }
}
