package io.fedit.round;

import static io.fedit.testing.SystemPropertyFaults.HALT_AT;
import static io.fedit.testing.SystemPropertyFaults.HALT_STATUS;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedit.checkpoint.CheckpointStore;
import io.fedit.testing.CliProcess;
import io.fedit.testing.LocalSpark;
import io.fedit.testing.SystemPropertyFaults;
import io.fedit.testing.TestPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every crash point of a round, each in its own JVM: a process halts (Runtime.halt, as a kill would) at a
 * point of round 1 or 2 (test-only switch {@link SystemPropertyFaults#HALT_AT}); the next fresh process resumes
 * from what the crash left, and itself halts at the next point; a last process finishes the run. Its final
 * adapter must equal, bit for bit, the one of an uninterrupted run made in yet another process, and the
 * metrics tables must hold each (round, client) row exactly once (counted with Spark SQL).
 *
 * <p>The uninterrupted reference run also checks what it writes: under umask 027 no file or directory of
 * the run is readable by others or writable by the group, and a Hadoop secret passed to Spark
 * ({@code spark.hadoop.fs.s3a.secret.key}) appears in no file of the run and not in its log.
 */
@Tag("slow")
class CrashMatrixTest {
  /** Crash points in the order the chained processes hit them: point@round. */
  private static final List<String> CRASHES = List.of(
      "training@1", "adapter@1", "peft@1", "metrics@1", "rename@2", "success@2");

  @TempDir Path dir;

  private List<String> trainArgs(Path runs) throws Exception {
    List<String> a = new ArrayList<>(List.of("train", "--rounds", "2"));
    for (String s : new String[] {"data.path=" + TestPaths.dollySample(dir, 50), "output.dir=" + runs,
        "model.path=" + TestPaths.tinyModel(), "partition.num_clients=4", "partition.min_records_per_client=20",
        "federation.client_fraction=0.5", "data.cutoff_len=32", "train.batch_size=2", "train.micro_batch_size=2",
        "train.max_steps=1", "train.threads=1", "eval.path=" + evalData(), "eval.max_new_tokens=2",
        "eval.vicuna_path="}) {
      a.add("--set");
      a.add(s);
    }
    return a;
  }

  /** Four held-out records: evaluation rows are committed with every round and must survive the crashes too. */
  private Path evalData() throws Exception {
    Path f = dir.resolve("eval.jsonl");
    if (!Files.exists(f)) Files.write(f, Files.readAllLines(TestPaths.dollyTest()).subList(0, 4));
    return f;
  }

  @Test
  void aFreshProcessResumesFromEveryCrashPointToTheUninterruptedResult() throws Exception {
    String secret = "s3a-secret-" + UUID.randomUUID();
    Path refRuns = dir.resolve("reference");
    CliProcess.Result ref = CliProcess.run(dir.resolve("reference.log"),
        Map.of("spark.hadoop.fs.s3a.secret.key", secret), "027", trainArgs(refRuns));
    assertEquals(0, ref.exit(), ref.output());
    Path refRun = refRuns.resolve("dolly-fedit");
    assertNothingWidensUmask027(refRun);
    assertSecretNowhere(secret, refRun, ref.output());

    Path runs = dir.resolve("crashed");
    Path run = runs.resolve("dolly-fedit");
    for (String crash : CRASHES) {
      CliProcess.Result r = CliProcess.run(dir.resolve(crash + ".log"), Map.of(HALT_AT, crash), "022",
          trainArgs(runs));
      String point = crash.substring(0, crash.indexOf('@'));
      int round = Integer.parseInt(crash.substring(crash.indexOf('@') + 1));
      assertEquals(HALT_STATUS, r.exit(), crash + ": the process did not halt there:\n" + r.output());
      assertTrue(r.output().contains("halting at " + point + " in round " + round), r.output());
      assertLeftover(run, point, round);
      assertTrue(Files.exists(run.resolve("_writer.lock")), crash + ": a halted JVM leaves its run lock behind");
    }
    CliProcess.Result last = CliProcess.run(dir.resolve("final.log"), Map.of(), "022", trainArgs(runs));
    assertEquals(0, last.exit(), last.output());
    assertTrue(last.output().contains("resuming after round 1"), last.output());
    assertFalse(Files.exists(run.resolve("_writer.lock")), "the dead process's lock was taken over and released");

    CheckpointStore expected = CheckpointStore.forReading(refRun.toString(), new Configuration());
    CheckpointStore actual = CheckpointStore.forReading(run.toString(), new Configuration());
    assertEquals(List.of(1, 2), actual.committedRounds());
    for (int r = 1; r <= 2; r++) {
      assertEquals(expected.loadAdapter(r), actual.loadAdapter(r), "round " + r + " adapter, bit for bit");
      actual.verify(r);
    }
    assertArrayEquals(Files.readAllBytes(refRun.resolve("rounds/round-00002/peft/adapter_model.safetensors")),
        Files.readAllBytes(run.resolve("rounds/round-00002/peft/adapter_model.safetensors")));
    assertMetricsOnceEach(refRun, run);
    // The halted processes left staging directories of client updates (and temp round dirs): all gone now.
    try (Stream<Path> s = Files.list(run.resolve("rounds"))) {
      assertEquals(List.of(), s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("_tmp-")).toList());
    }
  }

  /** What the crash left must be there (so the resume really had something to clean up or redo). */
  private static void assertLeftover(Path run, String point, int round) throws Exception {
    Path roundDir = run.resolve(String.format("rounds/round-%05d", round));
    assertFalse(Files.exists(roundDir.resolve("_SUCCESS")), point + "@" + round + " must not be committed");
    if (round == 2) assertTrue(Files.exists(run.resolve("rounds/round-00001/_SUCCESS")), "round 1 committed");
    switch (point) {
      case "adapter", "peft" -> assertTrue(hasTempRoundDir(run), "a temp round dir is left");
      case "metrics" -> assertTrue(Files.exists(run.resolve(String.format("metrics/client_metrics/round-%05d.parquet",
          round))), "the uncommitted round's metrics file is left");
      case "rename" -> assertTrue(Files.isDirectory(roundDir), "the renamed round dir is left");
      case "success" -> assertTrue(Files.exists(roundDir.resolve("_tmp-_SUCCESS")), "the temp _SUCCESS is left");
      default -> { }
    }
  }

  private static boolean hasTempRoundDir(Path run) throws Exception {
    try (Stream<Path> s = Files.list(run.resolve("rounds"))) {
      return s.anyMatch(p -> p.getFileName().toString().startsWith("_tmp-round-"));
    }
  }

  /** Each (round, client) exactly once in both metrics tables, with the reference's values. */
  private static void assertMetricsOnceEach(Path refRun, Path run) {
    var spark = LocalSpark.get();
    for (Path r : List.of(refRun, run)) {
      List<Row> dup = spark.sql("SELECT round, client_id, count(*) n FROM parquet.`" + r.resolve("metrics/client_metrics")
          + "` GROUP BY round, client_id HAVING count(*) <> 1").collectAsList();
      assertTrue(dup.isEmpty(), "duplicated client metrics rows in " + r + ": " + dup);
    }
    String clientCols = "SELECT round, client_id, attempt, status, examples, tokens, steps, first_loss, last_loss, "
        + "mean_loss, update_norm FROM parquet.`%s` ORDER BY round, client_id";
    List<Row> want = spark.sql(String.format(clientCols, refRun.resolve("metrics/client_metrics"))).collectAsList();
    List<Row> got = spark.sql(String.format(clientCols, run.resolve("metrics/client_metrics"))).collectAsList();
    assertEquals(4, want.size(), "2 rounds x 2 clients: " + want);
    assertEquals(want.toString(), got.toString());
    String evalCols = "SELECT round, adapter, split, category, examples, tokens, response_loss FROM parquet.`%s` "
        + "ORDER BY round, adapter, split, category";
    List<Row> wantEval = spark.sql(String.format(evalCols, refRun.resolve("metrics/eval_metrics"))).collectAsList();
    assertTrue(wantEval.stream().map(r -> r.getInt(0)).distinct().count() >= 3, "rounds 0, 1, 2 evaluated: " + wantEval);
    assertEquals(wantEval.toString(),
        spark.sql(String.format(evalCols, run.resolve("metrics/eval_metrics"))).collectAsList().toString(),
        "evaluation rows: each once, equal to the uninterrupted run's");
    String roundCols = "SELECT round, clients_sampled, clients_accepted, train_loss FROM parquet.`%s` ORDER BY round";
    List<Row> wantRounds = spark.sql(String.format(roundCols, refRun.resolve("metrics/round_metrics"))).collectAsList();
    assertEquals(2, wantRounds.size(), wantRounds.toString());
    assertEquals(wantRounds.toString(),
        spark.sql(String.format(roundCols, run.resolve("metrics/round_metrics"))).collectAsList().toString());
  }

  /** Under umask 027: no group write, nothing for others, on every file and directory of the run. */
  private static void assertNothingWidensUmask027(Path runDir) throws Exception {
    Set<PosixFilePermission> forbidden = Set.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    List<String> wide = new ArrayList<>();
    try (Stream<Path> s = Files.walk(runDir)) {
      for (Path p : s.toList()) {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
        if (perms.stream().anyMatch(forbidden::contains)) {
          wide.add(runDir.relativize(p) + " " + java.nio.file.attribute.PosixFilePermissions.toString(perms));
        }
      }
    }
    assertTrue(wide.isEmpty(), "created with more than umask 027 allows: " + wide);
  }

  private static void assertSecretNowhere(String secret, Path runDir, String log) throws Exception {
    assertFalse(log.contains(secret), "the secret is in the log");
    assertEquals(List.of(), io.fedit.testing.ByteScan.filesContaining(runDir, secret), "files holding the secret");
  }
}
