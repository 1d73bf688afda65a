package io.fedit.testing;

import io.fedit.fault.FaultPoints;
import io.fedit.lora.AdapterWeights;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The test classpath's {@link FaultPoints}: switches read from JVM system properties at each call, so that a
 * test can crash or break a real run in this JVM or in a separate one (a fresh {@code java} or {@code jobs/fedit}
 * started with the test classpath, where {@code META-INF/services/io.fedit.fault.FaultPoints} installs it).
 * Unset, they do nothing.
 * <ul>
 *   <li>{@code -Dfedit.test.haltAt=POINT@ROUND}: the JVM halts ({@code Runtime.halt(99)}, no shutdown hooks,
 *       no flushing: as a killed process) when round ROUND reaches POINT, one of {@link FaultPoints.Point} in
 *       lower case: {@code training}, then the commit steps {@code adapter}, {@code peft}, {@code metrics},
 *       {@code rename}, {@code success}.</li>
 *   <li>{@code -Dfedit.test.clientFault=throw:ID,nan:ID,...}: client ID's training throws, or its update gets a
 *       NaN; {@code *} matches every client. {@code slow:ID} makes client ID a straggler: its task sleeps
 *       {@code -Dfedit.test.slowMillis} (default 60000) before training. The sleep ends early when Spark kills the
 *       task (a cancelled round interrupts it), so tests of round deadlines stay fast.</li>
 * </ul>
 */
public final class SystemPropertyFaults implements FaultPoints {
  public static final String HALT_AT = "fedit.test.haltAt";
  public static final String CLIENT_FAULT = "fedit.test.clientFault";
  public static final String SLOW_MILLIS = "fedit.test.slowMillis";
  /** Exit status of a halted JVM. */
  public static final int HALT_STATUS = 99;

  @Override
  public void reached(Point point, int round) {
    String at = System.getProperty(HALT_AT);
    String here = point.name().toLowerCase(Locale.ROOT) + "@" + round;
    if (here.equals(at)) {
      System.err.println("fedit test fault: halting at " + here.replace("@", " in round "));
      System.err.flush();
      Runtime.getRuntime().halt(HALT_STATUS);
    }
  }

  @Override
  public void clientStarts(String clientId) {
    if (faultOf(clientId, "throw")) {
      throw new IllegalStateException("test fault: training of client " + clientId + " throws");
    }
    if (!faultOf(clientId, "slow")) return;
    try {
      Thread.sleep(Long.getLong(SLOW_MILLIS, 60_000L));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("test fault: slow client " + clientId + " interrupted", e);
    }
  }

  /** The update itself, or (when the switch says so) a copy whose first value is NaN. */
  @Override
  @SuppressWarnings("unchecked")
  public <U> U updateToSend(String clientId, U update) {
    if (!faultOf(clientId, "nan")) return update;
    AdapterWeights weights = (AdapterWeights) update;
    Map<String, AdapterWeights.Tensor> out = new LinkedHashMap<>(weights.tensors());
    Map.Entry<String, AdapterWeights.Tensor> first = out.entrySet().iterator().next();
    float[] values = first.getValue().values().clone();
    values[0] = Float.NaN;
    out.put(first.getKey(), new AdapterWeights.Tensor(first.getValue().shape(), values));
    return (U) new AdapterWeights(out);
  }

  private static boolean faultOf(String clientId, String kind) {
    String spec = System.getProperty(CLIENT_FAULT);
    if (spec == null) return false;
    for (String item : spec.split(",")) {
      String[] kv = item.trim().split(":", 2);
      if (kv.length == 2 && kv[0].equals(kind) && (kv[1].equals("*") || kv[1].equals(clientId))) return true;
    }
    return false;
  }
}
