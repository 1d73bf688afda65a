package io.fedit.fs;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One writer at a time: a lock file on any Hadoop file system, created with {@code create(path, overwrite=false)}
 * (atomic on HDFS and on the local file system), so of two processes that race for it exactly one gets it.
 *
 * <p>The file holds the owner as {@code key=value} lines: {@code host}, {@code pid}, {@code started} (ISO-8601),
 * and {@code token} (a UUID of this acquisition, so a holder never releases a lock it no longer owns). The
 * heartbeat is the file's modification time, set every {@code heartbeat} by a daemon thread
 * ({@code setTimes}, which writes nothing else). A lock is stale, and taken over with a warning, when
 * <ul>
 *   <li>its heartbeat is older than {@code staleAfter}, or</li>
 *   <li>its owner ran on this host and its pid is no longer alive (a JVM that halted: taken over at once).</li>
 * </ul>
 * Takeover is race-free: a process that finds a stale lock first creates a claim file beside it, named after
 * the stale owner's token and heartbeat, with {@code overwrite=false}; only the one that creates the claim may
 * delete the stale lock, and then it creates the lock with {@code overwrite=false} as on a first acquisition
 * (a newcomer may win that create: the taker backs off). Every loser backs off with
 * {@link WriterLockHeldException}. The claim is removed when the takeover ends; a claim left by a process that
 * died in the middle of a takeover is removed once it is older than {@code staleAfter}.
 *
 * <p>A JVM that halts leaves its lock behind; the stale rule above is what frees it.
 */
public final class WriterLock implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WriterLock.class);

  /** How often the holder refreshes the heartbeat. */
  public static final Duration HEARTBEAT = Duration.ofSeconds(20);
  /** A heartbeat older than this is a dead holder's (six missed heartbeats). */
  public static final Duration STALE_AFTER = Duration.ofMinutes(2);

  private final FileSystem fs;
  private final Path file;
  private final Owner owner;
  private final ScheduledExecutorService heartbeat;
  /** Whether acquiring created the lock's folder: a command that wrote nothing else leaves nothing behind. */
  private final boolean newParent;

  private WriterLock(FileSystem fs, Path file, Owner owner, Duration every, boolean newParent) {
    this.newParent = newParent;
    this.fs = fs;
    this.file = file;
    this.owner = owner;
    this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "fedit-lock-heartbeat");
      t.setDaemon(true);
      return t;
    });
    long ms = Math.max(1, every.toMillis());
    heartbeat.scheduleAtFixedRate(this::beat, ms, ms, TimeUnit.MILLISECONDS);
  }

  /** Takes the lock with the default {@link #HEARTBEAT} and {@link #STALE_AFTER}. */
  public static WriterLock acquire(Path file, Configuration conf) throws IOException {
    return acquire(file, conf, HEARTBEAT, STALE_AFTER);
  }

  /**
   * Takes the lock at {@code file} (its parent is created when missing), or throws {@link WriterLockHeldException}
   * naming the live owner.
   */
  public static WriterLock acquire(Path file, Configuration conf, Duration heartbeat, Duration staleAfter)
      throws IOException {
    FileSystem fs = file.getFileSystem(conf);
    // No .crc sidecar beside a file that is rewritten by other processes and read by people.
    if (fs instanceof LocalFileSystem local) fs = local.getRawFileSystem();
    boolean newParent = !fs.exists(file.getParent());
    fs.mkdirs(file.getParent());
    Owner me = Owner.ofThisProcess();
    if (tryCreate(fs, file, me)) return new WriterLock(fs, file, me, heartbeat, newParent);
    Held held = read(fs, file);
    if (held == null) { // released between our create and our read: one more try, as a first acquisition
      if (tryCreate(fs, file, me)) return new WriterLock(fs, file, me, heartbeat, newParent);
      throw new WriterLockHeldException(file, describe(read(fs, file)));
    }
    String why = staleReason(held, staleAfter);
    if (why == null) throw new WriterLockHeldException(file, describe(held));
    // Only the process that creates this stale owner's claim file may remove its lock: of racers judging the
    // same stale lock, one wins the claim (create, overwrite=false) and the others back off.
    Path claim = claimFile(file, held);
    if (!tryCreate(fs, claim, me)) {
      removeIfOlderThan(fs, claim, staleAfter); // its claimant died mid-takeover: the next try may claim it
      throw new WriterLockHeldException(file, describe(held) + " (being taken over by another process)");
    }
    try {
      Held now = read(fs, file);
      if (now != null && !now.owner.token.equals(held.owner.token)) { // already taken over by a faster process
        throw new WriterLockHeldException(file, describe(now));
      }
      LOG.warn("taking over the lock {} of {}: {}", file, held.owner.describe(), why);
      if (now != null) fs.delete(file, false);
      if (tryCreate(fs, file, me)) return new WriterLock(fs, file, me, heartbeat, newParent);
      throw new WriterLockHeldException(file, describe(read(fs, file)));
    } finally {
      fs.delete(claim, false);
    }
  }

  /** Beside the lock: the claim of one stale owner's lock (by its token and heartbeat). */
  private static Path claimFile(Path file, Held stale) {
    String id = (stale.owner.token + "-" + stale.heartbeatMillis).replaceAll("[^A-Za-z0-9-]", "_");
    return new Path(file.getParent(), file.getName() + ".takeover-" + id);
  }

  private static void removeIfOlderThan(FileSystem fs, Path file, Duration age) {
    try {
      if (System.currentTimeMillis() - fs.getFileStatus(file).getModificationTime() > age.toMillis()) {
        fs.delete(file, false);
      }
    } catch (IOException e) {
      // gone already, or unreadable: the next try decides
    }
  }

  /** The owner written in the lock file, for messages. */
  public String owner() {
    return owner.describe();
  }

  /** This acquisition's token, as written in the lock file. */
  public String token() {
    return owner.token;
  }

  public Path file() {
    return file;
  }

  /** Stops the heartbeat and removes the lock file if it is still this holder's. */
  @Override
  public void close() throws IOException {
    heartbeat.shutdownNow();
    Held held = read(fs, file);
    if (held != null && held.owner.token.equals(owner.token)) {
      fs.delete(file, false);
      if (newParent && fs.listStatus(file.getParent()).length == 0) fs.delete(file.getParent(), false);
    } else {
      LOG.warn("the lock {} was no longer ours on release (now: {}); left as it is", file, describe(held));
    }
  }

  private void beat() {
    try {
      fs.setTimes(file, System.currentTimeMillis(), -1);
    } catch (FileNotFoundException e) {
      LOG.error("the lock {} is gone: another process may be writing this run", file);
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not refresh the heartbeat of {}: {}", file, e.toString());
    }
  }

  /**
   * Creates {@code file} holding {@code me}, or returns false when it exists. On HDFS {@code create(overwrite=false)}
   * is one atomic NameNode operation; Hadoop's local file system checks and then creates, so there the file is
   * created with {@code O_CREAT|O_EXCL} through java.nio instead.
   */
  private static boolean tryCreate(FileSystem fs, Path file, Owner me) throws IOException {
    if ("file".equals(fs.getUri().getScheme())) {
      java.nio.file.Path local = java.nio.file.Path.of(fs.makeQualified(file).toUri());
      try (OutputStream out = Files.newOutputStream(local, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        out.write(me.text().getBytes(StandardCharsets.UTF_8));
        return true;
      } catch (java.nio.file.FileAlreadyExistsException e) {
        return false;
      }
    }
    try (OutputStream out = fs.create(file, false)) {
      out.write(me.text().getBytes(StandardCharsets.UTF_8));
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      // HDFS reports a lost create race as a RemoteException wrapping FileAlreadyExistsException or
      // AlreadyBeingCreatedException; anything else is a real I/O failure.
      String m = String.valueOf(e.getMessage()) + " " + e.getClass().getName();
      if (m.contains("AlreadyExists") || m.contains("AlreadyBeingCreated") || fs.exists(file)) return false;
      throw e;
    }
  }

  /** Why the lock may be taken over, or null when its owner may still be alive. */
  static String staleReason(Held held, Duration staleAfter) {
    long age = System.currentTimeMillis() - held.heartbeatMillis;
    if (age > staleAfter.toMillis()) {
      return "its heartbeat is " + Duration.ofMillis(age).toSeconds() + " s old (stale after "
          + staleAfter.toSeconds() + " s)";
    }
    if (held.owner.host.equals(Owner.thisHost()) && !pidAlive(held.owner.pid)) {
      return "its process " + held.owner.pid + " on this host is no longer running";
    }
    return null;
  }

  private static boolean pidAlive(String pid) {
    try {
      return ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
    } catch (NumberFormatException e) {
      return true; // not ours to judge: wait for the heartbeat rule
    }
  }

  private static String describe(Held held) {
    return held == null ? "an owner that just released it" : held.owner.describe() + ", last heartbeat "
        + Instant.ofEpochMilli(held.heartbeatMillis);
  }

  /** The lock file's owner and heartbeat, or null when there is no lock file. */
  static Held read(FileSystem fs, Path file) throws IOException {
    try {
      // Content first, then the time: when the file is replaced in between, the owner comes with a newer
      // heartbeat than its own, which errs on the side of "alive", never pairs a live owner with a stale time.
      String text;
      try (InputStream in = fs.open(file)) {
        text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      long mtime = fs.getFileStatus(file).getModificationTime();
      return new Held(Owner.parse(text), mtime);
    } catch (FileNotFoundException e) {
      return null;
    }
  }

  record Held(Owner owner, long heartbeatMillis) {}

  /** Who holds a lock: host, pid, start time and the acquisition's token. */
  record Owner(String host, String pid, String started, String token) {
    static Owner ofThisProcess() {
      return new Owner(thisHost(), Long.toString(ProcessHandle.current().pid()), Instant.now().toString(),
          UUID.randomUUID().toString());
    }

    static String thisHost() {
      try {
        return InetAddress.getLocalHost().getHostName();
      } catch (UnknownHostException e) {
        return "unknown-host";
      }
    }

    String text() {
      return "host=" + host + "\npid=" + pid + "\nstarted=" + started + "\ntoken=" + token + "\n";
    }

    /** A file that is not ours (empty, half-written, edited) parses to unknown values, never an error. */
    static Owner parse(String text) {
      Map<String, String> kv = new LinkedHashMap<>();
      for (String line : text.split("\\R")) {
        int eq = line.indexOf('=');
        if (eq > 0) kv.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
      }
      return new Owner(kv.getOrDefault("host", "?"), kv.getOrDefault("pid", "?"),
          kv.getOrDefault("started", "?"), kv.getOrDefault("token", "?"));
    }

    String describe() {
      return "pid " + pid + " on " + host + " since " + started;
    }
  }
}
