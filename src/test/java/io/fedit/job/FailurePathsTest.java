package io.fedit.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedit.checkpoint.CheckpointStore;
import io.fedit.checkpoint.ClientMetricsRow;
import io.fedit.testing.LocalSpark;
import io.fedit.testing.SystemPropertyFaults;
import io.fedit.testing.TenantData;
import io.fedit.testing.TestPaths;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The failure paths of a round, live: clients that throw or return a non-finite update (test-only switch
 * {@link SystemPropertyFaults#CLIENT_FAULT}, read where the client trains), a round where every client fails and bad
 * input data (exit codes 5 and 3 through the {@code jobs/fedit} script itself), and a committed file with
 * one flipped byte, which must be refused before it is trained on.
 */
@Tag("slow")
class FailurePathsTest {
  private static final List<String> TENANTS = List.of("alpha", "beta", "gamma");

  @TempDir Path dir;

  private List<String> args(Path data, String... command) {
    List<String> a = new ArrayList<>(List.of(command));
    for (String s : new String[] {"data.path=" + data, "output.dir=" + dir.resolve("runs"),
        "model.path=" + TestPaths.tinyModel(), "partition.method=column", "data.client_key_column=tenant",
        "federation.client_fraction=1.0", "data.cutoff_len=32", "train.batch_size=2", "train.micro_batch_size=2",
        "train.max_steps=1", "train.threads=1", "eval.every_rounds=0"}) {
      a.add("--set");
      a.add(s);
    }
    return a;
  }

  @Test
  void aThrowingAndANanClientAreRecordedTheRoundCommitsAndAFlippedByteIsRefused() throws Exception {
    Path data = TenantData.write(dir.resolve("tenants.jsonl"), 8, TENANTS, null, null);
    Path run = dir.resolve("runs/dolly-fedit");
    LocalSpark.get();
    System.setProperty(SystemPropertyFaults.CLIENT_FAULT, "throw:alpha,nan:beta");
    try {
      assertEquals(ExitCodes.OK, FeditCli.run(args(data, "train", "--rounds", "1").toArray(String[]::new)));
    } finally {
      System.clearProperty(SystemPropertyFaults.CLIENT_FAULT);
    }
    CheckpointStore store = CheckpointStore.forReading(run.toString(), new Configuration());
    Map<String, ClientMetricsRow> rows = new TreeMap<>();
    for (ClientMetricsRow r : store.readClientMetrics(1)) rows.put(r.clientId(), r);
    assertEquals(List.of("alpha", "beta", "gamma"), List.copyOf(rows.keySet()));
    assertEquals("failed", rows.get("alpha").status());
    assertTrue(rows.get("alpha").reason().contains("training of client alpha throws"), rows.get("alpha").reason());
    assertEquals("rejected", rows.get("beta").status());
    assertTrue(rows.get("beta").reason().toLowerCase().contains("finite"), rows.get("beta").reason());
    assertEquals("accepted", rows.get("gamma").status());
    assertEquals(1, store.readRoundMetrics().get(0).clientsAccepted());

    // One flipped byte in the committed adapter: round 2 must refuse to start from it, naming the file.
    Path adapter = run.resolve("rounds/round-00001/adapter.parquet");
    byte[] bytes = Files.readAllBytes(adapter);
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(adapter, bytes);
    Files.deleteIfExists(run.resolve("rounds/round-00001/.adapter.parquet.crc")); // a stale Hadoop sidecar
    LocalSpark.get();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream before = System.err;
    int exit;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      exit = FeditCli.run(args(data, "train", "--rounds", "2").toArray(String[]::new));
    } finally {
      System.setErr(before);
    }
    String message = err.toString(StandardCharsets.UTF_8);
    assertEquals(ExitCodes.BAD_DATA, exit, message);
    assertTrue(message.contains(adapter.getFileName().toString()) && message.contains("corrupt"), message);
    assertFalse(Files.exists(run.resolve("rounds/round-00002")), "nothing trained on the corrupt adapter");
    assertEquals(List.of(1), store.committedRounds());
  }

  @Test
  void theScriptExitsWith5WhenEveryClientFailsAnd3OnBadData() throws Exception {
    Path data = TenantData.write(dir.resolve("tenants.jsonl"), 8, TENANTS, null, null);
    Script allFail =
        script(args(data, "train", "--rounds", "1"), "-D" + SystemPropertyFaults.CLIENT_FAULT + "=throw:*");
    assertEquals(ExitCodes.ROUND_FAILED, allFail.exit, allFail.output);
    assertTrue(allFail.output.contains("no client produced a usable update"), allFail.output);
    Path run = dir.resolve("runs/dolly-fedit");
    try (var s = Files.list(run.resolve("rounds"))) {
      assertEquals(List.of(), s.toList(), "nothing committed or left behind");
    }
    assertFalse(Files.exists(run.resolve("metrics/client_metrics/round-00001.parquet")));

    List<String> lines = new ArrayList<>(Files.readAllLines(data));
    lines.set(4, lines.get(4).replaceFirst("\"response\":\"", "\"answer\":\""));
    Path bad = Files.write(dir.resolve("bad.jsonl"), lines);
    List<String> badArgs = args(bad, "train", "--rounds", "1");
    badArgs.addAll(List.of("--set", "run.name=bad"));
    Script badData = script(badArgs, "");
    assertEquals(ExitCodes.BAD_DATA, badData.exit, badData.output);
    assertTrue(badData.output.contains("bad.jsonl line 5") && badData.output.contains("'response'"), badData.output);
  }

  private record Script(int exit, String output) {}

  /**
   * Runs jobs/fedit as a user would (JVM flags through JAVA_TOOL_OPTIONS, which every JVM reads). With fault
   * switches it runs on this test's classpath (FEDIT_CLASSPATH): only there is {@link SystemPropertyFaults}
   * installed to read them.
   */
  private Script script(List<String> args, String javaToolOptions) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(TestPaths.root().resolve("jobs/fedit").toString()));
    cmd.addAll(args);
    Path log = Files.createTempFile(dir, "fedit", ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(TestPaths.root().toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    pb.environment().put("SPARK_MASTER", "local[2]");
    pb.environment().put("FEDIT_DRIVER_MEMORY", "1500m");
    if (!javaToolOptions.isEmpty()) {
      pb.environment().put("JAVA_TOOL_OPTIONS", javaToolOptions);
      pb.environment().put("FEDIT_CLASSPATH", System.getProperty("java.class.path"));
    }
    Process p = pb.start();
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException("jobs/fedit did not finish:\n" + Files.readString(log));
    }
    return new Script(p.exitValue(), Files.readString(log));
  }
}
