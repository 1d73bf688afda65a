package io.fedit.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedit.layout.RunLayout;
import io.fedit.testing.LocalSpark;
import io.fedit.testing.TestPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21 §2: one writer per run. A second prepare, train or round on a run whose lock another live process
 * holds exits {@link ExitCodes#LOCKED} naming the owner and writes nothing; the lock of a process that died on
 * this host is taken over, and released when the command ends.
 */
class RunLockCliTest {
  @TempDir Path dir;

  static {
    org.slf4j.LoggerFactory.getLogger(RunLockCliTest.class).debug("logging ready"); // before System.err is swapped
  }

  private Path runDir() {
    return dir.resolve("runs/dolly-fedit");
  }

  private Path lockFile() {
    return Path.of(RunLayout.of(runDir().toUri().toString()).writerLock().toUri());
  }

  private String[] args(String command) throws Exception {
    List<String> a = new ArrayList<>(List.of(command));
    for (String s : new String[] {"data.path=" + TestPaths.dollySample(dir, 50), "output.dir=" + dir.resolve("runs"),
        "model.path=" + TestPaths.tinyModel(), "partition.num_clients=2", "partition.min_records_per_client=10",
        "data.cutoff_len=48"}) {
      a.add("--set");
      a.add(s);
    }
    return a.toArray(String[]::new);
  }

  /** A lock file as another process writes it, its heartbeat {@code ageMillis} old. */
  private void plantLock(String host, long pid, long ageMillis) throws Exception {
    Files.createDirectories(runDir());
    Files.writeString(lockFile(), "host=" + host + "\npid=" + pid + "\nstarted=2026-12-01T10:00:00Z\ntoken=planted\n");
    Files.setLastModifiedTime(lockFile(), FileTime.fromMillis(System.currentTimeMillis() - ageMillis));
  }

  private List<String> runDirContents() throws Exception {
    try (Stream<Path> s = Files.list(runDir())) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void aSecondWriterExits7NamingTheOwnerAndWritesNothing() throws Exception {
    plantLock("build-host-7", 4242, 10_000);
    for (String command : List.of("prepare", "train", "round")) {
      LocalSpark.get(); // the command finds this session (and stops it)
      CarelessInputCliTest.cli(args(command)).isOneLine(ExitCodes.LOCKED, "another process is writing this run",
          "pid 4242 on build-host-7 since 2026-12-01T10:00:00Z", "_writer.lock", "retry");
      assertEquals(List.of("_writer.lock"), runDirContents(), command + " wrote nothing (no data/, no _tmp-data-*)");
      assertTrue(Files.readString(lockFile()).contains("token=planted"), "the owner's lock is left alone");
    }
  }

  @Test
  void theLockOfADeadProcessOnThisHostIsTakenOverAndReleasedAtTheEnd() throws Exception {
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    plantLock(java.net.InetAddress.getLocalHost().getHostName(), p.pid(), 0); // a JVM that halted a moment ago
    LocalSpark.get();
    assertEquals(ExitCodes.OK, CarelessInputCliTest.cli(args("prepare")).code());
    assertTrue(Files.exists(runDir().resolve("data/summary.json")), "prepared");
    assertFalse(Files.exists(lockFile()), "released when prepare ended");
    assertFalse(runDirContents().stream().anyMatch(n -> n.startsWith("_")), "no lock, claim or temporary left: "
        + runDirContents());
  }
}
