package io.fedit.safetensors;

/** A safetensors file that cannot be read as asked; the message names the file and the tensor or key. */
public class SafetensorsException extends RuntimeException {
  public SafetensorsException(String message) {
    super(message);
  }

  public SafetensorsException(String message, Throwable cause) {
    super(message, cause);
  }
}
