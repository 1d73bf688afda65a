package io.fedit.fs;

import org.apache.hadoop.fs.Path;

/** Another live process holds the {@link WriterLock}: this one must not write; a scheduler retries later. */
public final class WriterLockHeldException extends RuntimeException {
  public WriterLockHeldException(Path file, String owner) {
    super("another process is writing this run: " + file + " is held by " + owner
        + "; retry when it has finished (a lock whose holder died is taken over after "
        + WriterLock.STALE_AFTER.toSeconds() + " s without heartbeat, at once when it ran on this host)");
  }
}
