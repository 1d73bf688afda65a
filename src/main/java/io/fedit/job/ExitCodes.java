package io.fedit.job;

/** Process exit codes of every command (documented in the README). */
public final class ExitCodes {
  private ExitCodes() {}

  /** The command did what it was asked (including "already done"). */
  public static final int OK = 0;
  /** An unexpected failure (I/O, Spark, a bug): see the log; rerunning may help. */
  public static final int FAILURE = 1;
  /** Invalid command line or configuration: fix the invocation. */
  public static final int USAGE = 2;
  /** Invalid input data (file, line and field in the message): fix the data or skip bad records. */
  public static final int BAD_DATA = 3;
}
