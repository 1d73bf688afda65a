package io.fedit.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Publishing: the target appears whole or not at all, an existing one is refused or replaced as asked. */
class PublishTest {
  @TempDir java.nio.file.Path dir;
  private FileSystem fs;

  @BeforeEach
  void localFs() throws IOException {
    fs = FileSystem.getLocal(new Configuration());
  }

  private Path path(String name) {
    // From the string: java.nio's toUri() ends an existing directory with '/', which Hadoop's Path keeps.
    return new Path(dir.resolve(name).toString());
  }

  private String read(String name) throws IOException {
    return Files.readString(dir.resolve(name));
  }

  /** Names in the directory, hidden ones included (Hadoop's .crc side files left out). */
  private List<String> names() throws IOException {
    try (Stream<java.nio.file.Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".crc")).sorted().toList();
    }
  }

  @Test
  void aFileIsWrittenUnderAHiddenNameBesideItsTargetAndRenamed() throws IOException {
    Path target = path("table.parquet");
    Publish.file(fs, target, Publish.IfExists.REFUSE, temp -> {
      assertEquals(target.getParent(), temp.getParent(), "the temporary is in the target's directory");
      assertTrue(temp.getName().startsWith("_tmp-table.parquet-"), temp.getName());
      assertFalse(fs.exists(target), "nothing is visible while the content is written");
      try (OutputStream o = fs.create(temp, false)) {
        o.write("rows".getBytes(StandardCharsets.UTF_8));
      }
    });
    assertEquals("rows", read("table.parquet"));
    assertEquals(List.of("table.parquet"), names(), "no temporary is left");
  }

  @Test
  void refuseLeavesAnExistingTargetAndWritesNothing() throws IOException {
    Publish.bytes(fs, path("report.html"), Publish.IfExists.REFUSE, "old".getBytes(StandardCharsets.UTF_8));
    boolean[] called = {false};
    FileAlreadyExistsException e = assertThrows(FileAlreadyExistsException.class,
        () -> Publish.file(fs, path("report.html"), Publish.IfExists.REFUSE, temp -> called[0] = true));
    assertTrue(e.getMessage().contains("report.html") && e.getMessage().contains("exists already"), e.getMessage());
    assertFalse(called[0], "refused before any work");
    assertEquals("old", read("report.html"));
  }

  @Test
  void refuseAlsoHoldsWhenTheTargetAppearsWhileWriting() throws IOException {
    Path target = path("seed-42.parquet");
    assertThrows(FileAlreadyExistsException.class, () -> Publish.file(fs, target, Publish.IfExists.REFUSE, temp -> {
      Publish.bytes(fs, target, Publish.IfExists.REFUSE, "faster".getBytes(StandardCharsets.UTF_8));
      Publish.bytes(fs, temp, Publish.IfExists.REFUSE, "slower".getBytes(StandardCharsets.UTF_8));
    }));
    assertEquals("faster", read("seed-42.parquet"));
    assertEquals(List.of("seed-42.parquet"), names(), "the loser's temporary is removed");
  }

  @Test
  void replaceSwapsAFileOrAnEmptyDirectoryButNeverANonEmptyOne() throws IOException {
    Publish.bytes(fs, path("report.html"), Publish.IfExists.REPLACE, "old".getBytes(StandardCharsets.UTF_8));
    Publish.bytes(fs, path("report.html"), Publish.IfExists.REPLACE, "new".getBytes(StandardCharsets.UTF_8));
    assertEquals("new", read("report.html"));

    Files.createDirectories(dir.resolve("out"));
    try (Publish.Staged staged = Publish.stage(fs, path("out"))) {
      fs.mkdirs(staged.temp());
      Publish.bytes(fs, new Path(staged.temp(), "adapter_config.json"), Publish.IfExists.REFUSE, new byte[] {'{', '}'});
      staged.publish(Publish.IfExists.REPLACE);
    }
    assertEquals("{}", read("out/adapter_config.json"), "the empty directory was replaced, not entered");

    Files.createDirectories(dir.resolve("full"));
    Files.writeString(dir.resolve("full/keep.txt"), "mine");
    assertThrows(IOException.class, () -> {
      try (Publish.Staged staged = Publish.stage(fs, path("full"))) {
        fs.mkdirs(staged.temp());
        staged.publish(Publish.IfExists.REPLACE);
      }
    });
    assertEquals("mine", read("full/keep.txt"));
    assertEquals(List.of("full", "out", "report.html"), names(), "no temporary is left");
  }

  @Test
  void aFailedWriteRemovesItsTemporaryAndLeavesTheOldTarget() throws IOException {
    Publish.bytes(fs, path("round-00001.parquet"), Publish.IfExists.REPLACE, new byte[] {1, 2, 3});
    IOException e = assertThrows(IOException.class,
        () -> Publish.file(fs, path("round-00001.parquet"), Publish.IfExists.REPLACE, temp -> {
          fs.mkdirs(temp);
          Publish.bytes(fs, new Path(temp, "half"), Publish.IfExists.REFUSE, new byte[] {9});
          throw new IOException("disk full");
        }));
    assertEquals("disk full", e.getMessage());
    assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(dir.resolve("round-00001.parquet")));
    assertEquals(List.of("round-00001.parquet"), names(), "the temporary (a directory here) is gone");
  }

  @Test
  void aTemporaryOutsideTheTargetsDirectoryIsRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> Publish.stage(fs, path("data"), new Path(path("elsewhere"), "_tmp-data-1")));
  }

  @Test
  void leftoversAreRecognisedByTheirPrefix() {
    Path temp = Publish.hiddenTemp(path("data"));
    assertTrue(temp.getName().startsWith(Publish.tempNamePrefix(path("data"))));
    assertTrue(temp.getName().startsWith(Publish.TEMP_PREFIX));
  }
}
