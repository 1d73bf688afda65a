package io.fedit.prepare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedit.job.ExitCodes;
import io.fedit.job.FeditCli;
import io.fedit.testing.LocalSpark;
import io.fedit.testing.TestPaths;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.io.FileUtils;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 11 §5 items 4 and 9 through `fedit prepare`: client keys, skip reports, reused data, num_clients. */
@Tag("slow") // three CLI prepares, each starting Spark; jobs/test --fast leaves it out
class CarelessPrepareTest {
  @TempDir Path dir;

  static {
    // Logging must be set up before a test swaps System.err, or log4j's console would write into the capture.
    org.slf4j.LoggerFactory.getLogger(CarelessPrepareTest.class).debug("logging ready");
  }

  /** 30 good records over tenants t0..t2, a 300-character tenant at line 5 and malformed JSON at line 9. */
  private Path data() throws IOException {
    Path f = dir.resolve("tenants.jsonl");
    if (Files.exists(f)) return f;
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      String tenant = i == 4 ? "x".repeat(300) : "t" + (i % 3);
      lines.add(i == 8 ? "{\"instruction\": \"broken" : "{\"instruction\":\"Say " + i + "\",\"response\":\"Hi\","
          + "\"category\":\"open_qa\",\"tenant\":\"" + tenant + "\"}");
    }
    Files.write(f, lines);
    return f;
  }

  private String[] prepare(String runName, String onBad) throws IOException {
    return new String[] {"prepare", "--set", "data.path=" + data(), "--set", "output.dir=" + dir.resolve("runs"),
        "--set", "model.path=" + TestPaths.tinyModel(), "--set", "partition.method=column",
        "--set", "data.client_key_column=tenant", "--set", "data.on_bad_record=" + onBad, "--set", "run.name=" + runName};
  }

  /** Exit code, stdout, stderr. */
  private static String[] cli(String... args) {
    LocalSpark.get(); // the command finds this session (and stops it)
    PrintStream out = System.out, err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream(), e = new ByteArrayOutputStream();
    System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
    try {
      int code = FeditCli.run(args);
      return new String[] {Integer.toString(code), o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8)};
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  @Test
  void aClientKeyTooLongForAFolderNameIsABadRecordWithItsLine() throws IOException {
    Path input = data();
    Files.write(input, Files.readAllLines(input).stream().filter(l -> !l.contains("broken")).toList());
    String[] r = cli(prepare("long", "fail"));
    assertEquals(Integer.toString(ExitCodes.BAD_DATA), r[0], r[2]);
    assertTrue(r[2].contains("tenants.jsonl line 5, field 'tenant'") && r[2].contains("too long")
        && r[2].contains("at most 255"), r[2]);
    assertEquals(1, r[2].strip().lines().count(), r[2]);
    try (Stream<Path> s = Files.list(dir.resolve("runs/long"))) {
      assertEquals(List.of(), s.map(p -> p.getFileName().toString()).filter(n -> !n.equals("rounds")).toList(),
          "no _tmp-data-* or data/ left behind");
    } catch (java.nio.file.NoSuchFileException nothingAtAll) {
      // also fine: nothing was written
    }
  }

  @Test
  void skipModePrintsWhereTheBadRecordsAreAndSaysNumClientsIsUnused() throws IOException {
    String[] r = cli(prepare("skip", "skip"));
    assertEquals("0", r[0], r[1] + r[2]);
    String out = r[1];
    assertTrue(out.contains("skipped        ") && out.contains("tenants.jsonl line 5, field 'tenant'"), out);
    assertTrue(out.contains("tenants.jsonl line 9"), out);
    assertTrue(out.contains("3 (column)") && out.contains("partition.num_clients is not used"), out);

    // A copy of the prepared data under another run name is reused, and reported with its own path and time.
    FileUtils.copyDirectory(dir.resolve("runs/skip/data").toFile(), dir.resolve("runs/copy/data").toFile());
    r = cli(prepare("copy", "skip"));
    assertEquals("0", r[0], r[1] + r[2]);
    assertTrue(r[1].contains("reused") && r[1].contains(dir.resolve("runs/copy/data").toString()), r[1]);
    assertFalse(r[1].contains("runs/skip"), r[1]);
  }
}
