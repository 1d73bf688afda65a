package io.fedit.prepare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fedit.config.RunConfig;
import io.fedit.data.DataException;
import io.fedit.testing.Configs;
import io.fedit.testing.LocalSpark;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21 §1: nothing of a bad record's text reaches the error, the printed summary, summary.json or the log;
 * its file, line, field and reason do.
 */
class NoRecordTextTest {
  private static final String SECRET = "Zq7patientname";
  @TempDir Path dir;

  /** Good records and bad ones that each hold the secret where a message could quote it. */
  private Path data() throws Exception {
    String good = "{\"instruction\":\"Say hi\",\"response\":\"Hi\",\"category\":\"open_qa\"}";
    Path f = dir.resolve("private.jsonl");
    Files.write(f, List.of(
        good,
        "{\"instruction\": " + SECRET + "}",                                          // 2 an unquoted word
        "{\"instruction\": \"" + SECRET + "\", \"response\": 31415926}",              // 3 a number for a string
        "{\"instruction\": \"" + SECRET + "\", \"" + SECRET + "\": 1, \"" + SECRET + "\": 2}", // 4 duplicate field
        good + " " + SECRET,                                                         // 5 trailing content
        "{\"instruction\": \"" + SECRET,                                              // 6 cut off
        good));
    return f;
  }

  @Test
  void badRecordsAreDescribedByWhereAndWhyOnly() throws Exception {
    Path f = data();
    StringWriter log = new StringWriter();
    LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
    WriterAppender capture = WriterAppender.newBuilder().setName("no-record-text").setTarget(log)
        .setLayout(PatternLayout.newBuilder().withPattern("%p %c: %m%n%throwable").build()).build();
    capture.start();
    ctx.getConfiguration().getRootLogger().addAppender(capture, Level.ALL, null);
    ctx.updateLoggers();
    try {
      RunConfig failing = Configs.forTest(dir.resolve("runs-fail"), "data.path=" + f, "partition.method=iid",
          "partition.num_clients=2");
      DataException e = assertThrows(DataException.class, () -> PrepareJob.run(LocalSpark.get(), failing));
      assertEquals(f + " line 2: malformed JSON at column 17 (not a JSON value) (and 4 more bad records; "
          + "set data.on_bad_record=skip to skip and count them)", e.getMessage());

      RunConfig skipping = Configs.forTest(dir.resolve("runs-skip"), "data.path=" + f, "partition.method=iid",
          "partition.num_clients=2", "data.on_bad_record=skip");
      PrepareSummary s = PrepareJob.run(LocalSpark.get(), skipping);
      assertEquals(2, s.records());
      assertEquals(List.of(
          f + " line 2: malformed JSON at column 17 (not a JSON value)",
          f + " line 3, field 'response': expected a string, got a number",
          f + " line 4: malformed JSON at column 72 (a field name appears twice in one object)",
          f + " line 5: content after the JSON object at column 63 (one record per line)",
          f + " line 6: malformed JSON at column 32 (the line ends inside a JSON value)"), s.badExamples());
      String printed = s.describe();
      String saved = Files.readString(Path.of(PrepareJob.dataDir(skipping), "summary.json"));
      for (String text : List.of(e.getMessage(), printed, saved, log.toString())) {
        assertFalse(text.contains("Zq7") || text.contains("31415926"), text);
      }
    } finally {
      ctx.getConfiguration().getRootLogger().removeAppender("no-record-text");
      ctx.updateLoggers();
      capture.stop();
    }
  }
}
