package io.fedit.federation;

import io.fedit.lora.AdapterWeights;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * TEST ONLY. Fault switches read from JVM system properties, so that tests can crash or break a real run
 * in a separate process; unset (always, outside tests) they do nothing.
 * <ul>
 *   <li>{@code -Dfedit.test.haltAt=POINT@ROUND}: the JVM halts ({@code Runtime.halt(99)}, no shutdown hooks,
 *       no flushing: as a killed process) when round ROUND reaches POINT. Points, in order: {@code training}
 *       (after the first optimizer step of a client; in local mode this JVM is the driver), then the commit
 *       steps {@code adapter} (adapter.parquet written), {@code peft} (PEFT files written), {@code metrics}
 *       (metrics files published to the metrics tables), {@code rename} (round dir renamed into place),
 *       {@code success} (_SUCCESS written to its temp name, not yet renamed: the last moment before the commit
 *       point).</li>
 *   <li>{@code -Dfedit.test.clientFault=throw:ID,nan:ID,...}: read where the client trains (the executor):
 *       client ID's training throws, or its update gets a NaN; {@code *} matches every client.
 *       {@code slow:ID} makes client ID a straggler: its task sleeps {@code -Dfedit.test.slowMillis} (default
 *       60000) before training. The sleep ends early when Spark kills the task (a cancelled round interrupts
 *       it), so tests of round deadlines stay fast.</li>
 * </ul>
 */
public final class TestFaults {
  public static final String HALT_AT = "fedit.test.haltAt";
  public static final String CLIENT_FAULT = "fedit.test.clientFault";
  public static final String SLOW_MILLIS = "fedit.test.slowMillis";
  /** Exit status of a halted JVM. */
  public static final int HALT_STATUS = 99;

  private TestFaults() {}

  /** Halts the JVM when {@code fedit.test.haltAt} names this point and round. */
  public static void haltIf(String point, int round) {
    String at = System.getProperty(HALT_AT);
    if (at != null && at.equals(point + "@" + round)) {
      System.err.println("fedit test fault: halting at " + point + " in round " + round);
      System.err.flush();
      Runtime.getRuntime().halt(HALT_STATUS);
    }
  }

  /** Throws when {@code fedit.test.clientFault} says this client's training throws. */
  public static void throwIfFaulty(String clientId) {
    if (faultOf(clientId, "throw")) {
      throw new IllegalStateException("test fault: training of client " + clientId + " throws");
    }
  }

  /** Sleeps (interruptibly) when {@code fedit.test.clientFault} says this client is slow. */
  public static void sleepIfSlow(String clientId) {
    if (!faultOf(clientId, "slow")) return;
    try {
      Thread.sleep(Long.getLong(SLOW_MILLIS, 60_000L));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("test fault: slow client " + clientId + " interrupted", e);
    }
  }

  /** The update itself, or (when the switch says so) a copy whose first value is NaN. */
  public static AdapterWeights poisonIfFaulty(String clientId, AdapterWeights update) {
    if (!faultOf(clientId, "nan")) return update;
    Map<String, AdapterWeights.Tensor> out = new LinkedHashMap<>(update.tensors());
    Map.Entry<String, AdapterWeights.Tensor> first = out.entrySet().iterator().next();
    float[] values = first.getValue().values().clone();
    values[0] = Float.NaN;
    out.put(first.getKey(), new AdapterWeights.Tensor(first.getValue().shape(), values));
    return new AdapterWeights(out);
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
