package io.fedit.checkpoint;

import java.io.IOException;

/** A committed file does not match its manifest (checksum, size) or cannot be parsed; names the file. */
public final class CheckpointCorruptException extends IOException {
  public CheckpointCorruptException(String message) {
    super(message);
  }

  public CheckpointCorruptException(String message, Throwable cause) {
    super(message, cause);
  }
}
