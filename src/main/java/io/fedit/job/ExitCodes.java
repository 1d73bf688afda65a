package io.fedit.job;

/** Process exit codes of every command (documented in docs/FORMATS.md). */
public final class ExitCodes {
  private ExitCodes() {}

  /** The command did what it was asked (including "already done"). */
  public static final int OK = 0;
  /** An unexpected failure (I/O, Spark, a bug): see the log; rerunning may help. */
  public static final int FAILURE = 1;
  /** Invalid command line or configuration: fix the invocation. */
  public static final int USAGE = 2;
  /** Invalid input data or model files (file, line, field or tensor in the message). */
  public static final int BAD_DATA = 3;
  /** {@code round --round R}: round R-1 is not committed yet; run the rounds before it first. */
  public static final int NOT_READY = 4;
  /**
   * No unit of the command's work succeeded: a round in which no client produced a usable update (nothing was
   * committed; see the reasons), or a {@code judge} run in which every call failed (stored as errors; a rerun
   * retries them).
   */
  public static final int ROUND_FAILED = 5;
  /**
   * The next round would spend more than privacy.target_epsilon: it was not run, nothing was committed; the
   * run's committed rounds and privacy ledger are as they were.
   */
  public static final int BUDGET_EXHAUSTED = 6;
  /**
   * Another live process is writing the same run (it holds the run's lock, named in the message): nothing was
   * written. Retry later; a lock whose holder died is taken over on its own.
   */
  public static final int LOCKED = 7;
}
