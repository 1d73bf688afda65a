package io.fedit.prepare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.fedit.config.RunConfig;
import io.fedit.testing.Configs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 11 §1: prepared data is keyed by the inputs' content, not by their sizes and times. */
class InputFingerprintTest {
  @TempDir Path dir;

  @Test
  void aFileChangedInPlaceWithTheSameSizeAndTimeIsDetected() throws Exception {
    Path data = dir.resolve("d.jsonl");
    Files.writeString(data, "{\"instruction\":\"Say hi\",\"response\":\"Hi\"}\n");
    RunConfig cfg = Configs.forTest(dir.resolve("runs"), "data.path=" + data);
    FileTime time = Files.getLastModifiedTime(data);
    String before = InputFingerprint.of(cfg, new Configuration());
    assertEquals(before, InputFingerprint.of(cfg, new Configuration()), "stable while nothing changes");

    Files.writeString(data, "{\"instruction\":\"Say ho\",\"response\":\"Ho\"}\n"); // same size
    Files.setLastModifiedTime(data, time);
    assertNotEquals(before, InputFingerprint.of(cfg, new Configuration()));

    Files.writeString(data, "{\"instruction\":\"Say hi\",\"response\":\"Hi\"}\n");
    Files.setLastModifiedTime(data, FileTime.fromMillis(time.toMillis() + 60_000));
    assertEquals(before, InputFingerprint.of(cfg, new Configuration()), "a touched but unchanged file is the same input");
  }
}
