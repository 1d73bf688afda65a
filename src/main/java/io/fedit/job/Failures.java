package io.fedit.job;

import io.fedit.checkpoint.CheckpointCorruptException;
import io.fedit.checkpoint.NoRunException;
import io.fedit.config.ConfigException;
import io.fedit.config.UrlCredentials;
import io.fedit.data.DataException;
import io.fedit.fs.WriterLockHeldException;
import io.fedit.model.ModelException;
import io.fedit.round.RoundFailedException;
import io.fedit.round.RoundNotReadyException;
import io.fedit.safetensors.SafetensorsException;
import java.util.IdentityHashMap;
import java.util.Map;
import org.apache.hadoop.fs.ChecksumException;

/**
 * Maps a command's failure to its exit code ({@link ExitCodes}) and a one-line message. Our own
 * exception types carry messages that name the file, line, key or tensor; they often arrive wrapped
 * (UncheckedIOException from a round, SparkException from a task), so the whole cause chain is searched,
 * outermost first.
 */
record Failures(int exitCode, String message) {

  static Failures of(Throwable e) {
    if (e instanceof IllegalArgumentException) return new Failures(ExitCodes.USAGE, oneLine(e));
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    for (Throwable t = e; t != null && seen.put(t, true) == null; t = t.getCause()) {
      if (t instanceof ConfigException || t instanceof NoRunException) return new Failures(ExitCodes.USAGE, oneLine(t));
      if (t instanceof RoundNotReadyException) return new Failures(ExitCodes.NOT_READY, oneLine(t));
      if (t instanceof io.fedit.round.PrivacyBudgetExhaustedException) {
        return new Failures(ExitCodes.BUDGET_EXHAUSTED, oneLine(t));
      }
      if (t instanceof WriterLockHeldException) return new Failures(ExitCodes.LOCKED, oneLine(t));
      if (t instanceof RoundFailedException) return new Failures(ExitCodes.ROUND_FAILED, oneLine(t));
      if (t instanceof DataException || t instanceof ModelException || t instanceof SafetensorsException
          || t instanceof CheckpointCorruptException) {
        return new Failures(ExitCodes.BAD_DATA, "bad input: " + oneLine(t));
      }
      if (t instanceof ChecksumException) {
        // Hadoop's .crc sidecar disagrees with the file: a file edited or damaged after it was written.
        return new Failures(ExitCodes.BAD_DATA, "bad input: " + oneLine(t) + " (the file no longer matches its "
            + "Hadoop .crc checksum file: restore the file, or delete the .crc if the edit was intended)");
      }
    }
    return new Failures(ExitCodes.FAILURE, oneLine(e.getMessage() == null ? e : new RuntimeException(e.toString())));
  }

  /** The message on one line (a message is never the only clue when it spans a stack of lines). */
  static String oneLine(Throwable t) {
    String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    // A URL quoted by any layer (Hadoop, the HTTP client, our own messages) is shown without its credentials.
    return UrlCredentials.redact(m.strip().replaceAll("\\s*\\R\\s*", " "));
  }
}
