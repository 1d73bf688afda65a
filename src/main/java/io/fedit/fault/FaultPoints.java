package io.fedit.fault;

/**
 * The places where a run can be made to fail on purpose, so that tests can prove what a crash, a throwing
 * client, a straggler or a broken update leaves behind. The product calls these methods at each place and
 * never implements them: the installed implementation is {@link #NONE} (every method does nothing) unless
 * the classpath provides one through {@link java.util.ServiceLoader} ({@code META-INF/services/
 * io.fedit.fault.FaultPoints}), which only the test classpath does. The cluster jar holds no implementation.
 *
 * <p>This package imports nothing of the project, so any package may call it without depending on test code.
 */
public interface FaultPoints {
  /** The implementation that injects nothing: what every production run uses. */
  FaultPoints NONE = new FaultPoints() {};

  /** Where a round has got to, in the order a round reaches them. */
  enum Point {
    /** After an optimizer step of a client (on the executor; in local mode the driver's JVM). */
    TRAINING,
    /** The commit wrote adapter.parquet into the round's temporary directory. */
    ADAPTER,
    /** The commit wrote the PEFT files. */
    PEFT,
    /** The commit published the round's metrics files to the metrics tables. */
    METRICS,
    /** The commit renamed the round's temporary directory into place. */
    RENAME,
    /** The commit wrote _SUCCESS under its temporary name: the last moment before the commit point. */
    SUCCESS
  }

  /** The installed implementation, looked up once per JVM: {@link #NONE} unless the classpath provides one. */
  static FaultPoints installed() {
    return InstalledFaultPoints.INSTANCE;
  }

  /** Round {@code round} reached {@code point}; an implementation may halt the JVM here, as a kill would. */
  default void reached(Point point, int round) {}

  /** Client {@code clientId} is about to train; an implementation may throw (a failed client) or sleep (a slow one). */
  default void clientStarts(String clientId) {}

  /** The update client {@code clientId} sends; an implementation may return a damaged copy instead. */
  default <U> U updateToSend(String clientId, U update) {
    return update;
  }
}
