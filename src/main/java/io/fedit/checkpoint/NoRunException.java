package io.fedit.checkpoint;

import java.io.FileNotFoundException;

/**
 * A command that reads a run was pointed at a directory that holds none (no {@code rounds/} folder): a wrong
 * {@code output.dir} or {@code run.name}, which the command line maps to a usage error (exit 2), not a failure.
 */
public final class NoRunException extends FileNotFoundException {
  public NoRunException(String message) {
    super(message);
  }
}
