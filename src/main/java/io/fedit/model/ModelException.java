package io.fedit.model;

/** A model directory or checkpoint that cannot be used; the message names the file and the key or tensor. */
public class ModelException extends RuntimeException {
  public ModelException(String message) {
    super(message);
  }

  public ModelException(String message, Throwable cause) {
    super(message, cause);
  }
}
