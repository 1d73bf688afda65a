package io.fedit.fs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;

/**
 * What {@link WriterLock} promises on any Hadoop file system; {@link WriterLockTest} runs it on the local file
 * system, {@link WriterLockHdfsTest} on an HDFS minicluster.
 */
abstract class WriterLockContract {
  private static final Duration SLOW_BEAT = Duration.ofMinutes(1);
  private static final Duration STALE = Duration.ofMinutes(2);

  /** A fresh lock file path (its parent may not exist yet) on the file system under test. */
  abstract Path freshLockFile() throws Exception;

  abstract Configuration conf();

  /** The file system as the lock sees it (the local one without .crc sidecars). */
  private FileSystem fs(Path p) throws Exception {
    FileSystem fs = p.getFileSystem(conf());
    return fs instanceof LocalFileSystem local ? local.getRawFileSystem() : fs;
  }

  /** Writes a lock file as another process would have, with its heartbeat {@code ageMillis} old. */
  private void plantLock(Path file, String host, long pid, long ageMillis) throws Exception {
    FileSystem fs = fs(file);
    try (OutputStream out = fs.create(file, false)) {
      out.write(("host=" + host + "\npid=" + pid + "\nstarted=2026-01-01T00:00:00Z\ntoken=planted\n")
          .getBytes(StandardCharsets.UTF_8));
    }
    fs.setTimes(file, System.currentTimeMillis() - ageMillis, -1);
  }

  private String content(Path file) throws Exception {
    try (var in = fs(file).open(file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void aSecondWriterIsRefusedWithTheOwnersIdentityAndGetsInAfterRelease() throws Exception {
    Path file = freshLockFile();
    String pid = Long.toString(ProcessHandle.current().pid());
    try (WriterLock first = WriterLock.acquire(file, conf(), SLOW_BEAT, STALE)) {
      String text = content(file);
      assertTrue(text.contains("pid=" + pid) && text.contains("host=" + WriterLock.Owner.thisHost())
          && text.contains("started=") && text.contains("token="), text);
      WriterLockHeldException e = assertThrows(WriterLockHeldException.class,
          () -> WriterLock.acquire(file, conf(), SLOW_BEAT, STALE));
      assertTrue(e.getMessage().contains("pid " + pid + " on " + WriterLock.Owner.thisHost()), e.getMessage());
      assertTrue(e.getMessage().contains(file.getName()), e.getMessage());
    }
    assertFalse(fs(file).exists(file), "released: the lock file is gone");
    assertFalse(fs(file).exists(file.getParent()), "and the folder the lock created, which nothing else used");
    try (WriterLock again = WriterLock.acquire(file, conf(), SLOW_BEAT, STALE)) {
      assertTrue(fs(file).exists(file));
    }
  }

  @Test
  void aFreshLockOfAnotherHostIsRespected() throws Exception {
    Path file = freshLockFile();
    plantLock(file, "some-other-host", 1, 5_000);
    WriterLockHeldException e = assertThrows(WriterLockHeldException.class,
        () -> WriterLock.acquire(file, conf(), SLOW_BEAT, STALE));
    assertTrue(e.getMessage().contains("pid 1 on some-other-host"), e.getMessage());
    assertTrue(content(file).contains("token=planted"), "left as it was");
  }

  @Test
  void aLockWhoseHeartbeatIsStaleIsTakenOver() throws Exception {
    Path file = freshLockFile();
    plantLock(file, "some-other-host", 1, STALE.toMillis() + 60_000);
    try (WriterLock lock = WriterLock.acquire(file, conf(), SLOW_BEAT, STALE)) {
      String text = content(file);
      assertFalse(text.contains("token=planted"), text);
      assertTrue(text.contains("pid=" + ProcessHandle.current().pid()), text);
    }
    assertEquals(0, fs(file).listStatus(file.getParent()).length, "nothing left beside the lock: " + file.getParent());
  }

  @Test
  void aLockOfADeadProcessOnThisHostIsTakenOverAtOnce() throws Exception {
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    long deadPid = p.pid();
    Path file = freshLockFile();
    plantLock(file, WriterLock.Owner.thisHost(), deadPid, 0);
    try (WriterLock lock = WriterLock.acquire(file, conf(), SLOW_BEAT, STALE)) {
      assertFalse(content(file).contains("token=planted"));
    }
  }

  @Test
  void ofWritersRacingForAStaleLockExactlyOneWins() throws Exception {
    for (int trial = 0; trial < 10; trial++) {
      Path file = freshLockFile();
      plantLock(file, "some-other-host", 1, STALE.toMillis() + 60_000);
      int writers = 6;
      ExecutorService pool = Executors.newFixedThreadPool(writers);
      CountDownLatch go = new CountDownLatch(1);
      List<Future<WriterLock>> tries = new ArrayList<>();
      for (int i = 0; i < writers; i++) {
        tries.add(pool.submit(() -> {
          go.await();
          try {
            return WriterLock.acquire(file, conf(), SLOW_BEAT, STALE);
          } catch (WriterLockHeldException e) {
            return null;
          }
        }));
      }
      go.countDown();
      List<WriterLock> winners = new ArrayList<>();
      for (Future<WriterLock> f : tries) if (f.get() != null) winners.add(f.get());
      pool.shutdown();
      assertEquals(1, winners.size(), "trial " + trial + ": one holder");
      assertTrue(content(file).contains("token=" + winners.get(0).token()), "the file names the winner");
      winners.get(0).close();
      assertEquals(0, fs(file).listStatus(file.getParent()).length, "no stale copies left behind");
    }
  }

  @Test
  void theHeartbeatKeepsTheLockFresh() throws Exception {
    Path file = freshLockFile();
    try (WriterLock lock = WriterLock.acquire(file, conf(), Duration.ofMillis(100), STALE)) {
      long old = System.currentTimeMillis() - 3_600_000;
      fs(file).setTimes(file, old, -1);
      long deadline = System.currentTimeMillis() + 10_000;
      while (fs(file).getFileStatus(file).getModificationTime() == old && System.currentTimeMillis() < deadline) {
        Thread.sleep(50);
      }
      assertTrue(System.currentTimeMillis() - fs(file).getFileStatus(file).getModificationTime() < 5_000,
          "the heartbeat moved the modification time to now");
    }
  }

  @Test
  void releaseLeavesALockThatWasTakenOverByAnother() throws Exception {
    Path file = freshLockFile();
    WriterLock lock = WriterLock.acquire(file, conf(), SLOW_BEAT, STALE);
    fs(file).delete(file, false); // as if this holder stalled and another process took the lock over
    plantLock(file, "some-other-host", 7, 0);
    lock.close();
    assertNotEquals(-1, content(file).indexOf("token=planted"), "the other holder's lock stays");
  }
}
