package io.fedit.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedit.testing.LocalSpark;
import io.fedit.testing.TestPaths;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 21 §5: a usage or input error never shows the user a Java stack trace, and never exits 1 (exit 1 is for
 * bugs): every command with a handful of wrong inputs (an unknown flag, a missing configuration file, a bad or
 * unknown --set, a directory that is no run, a round that does not exist, missing model or adapter files)
 * exits with its documented code and prints no {@code at io.}/{@code at org.} line on stdout or stderr.
 * All cases run, and one failure lists every case that misbehaved.
 */
class NoStackTraceCliTest {
  @TempDir Path dir;

  static {
    org.slf4j.LoggerFactory.getLogger(NoStackTraceCliTest.class).debug("logging ready before System.err is swapped");
  }

  private static final Pattern TRACE_LINE = Pattern.compile("(?m)^\\s*at (io|org)\\.");
  private static final List<String> COMMANDS =
      List.of("prepare", "train", "round", "evaluate", "export", "judge", "report", "experiment");

  record Outcome(int code, String console) {}

  static Outcome cli(List<String> args) {
    LocalSpark.get(); // a command that gets as far as Spark finds this session (and stops it)
    PrintStream oldOut = System.out, oldErr = System.err;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream both = new PrintStream(buf, true, StandardCharsets.UTF_8);
    System.setOut(both);
    System.setErr(both);
    try {
      int code = FeditCli.run(args.toArray(String[]::new));
      return new Outcome(code, buf.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
  }

  /** The run settings every case shares: a run under the test's folder, never the checkout's runs/. */
  private List<String> runIn(String... args) {
    List<String> a = new ArrayList<>(List.of(args));
    a.addAll(List.of("--set", "output.dir=" + dir.resolve("runs"), "--set", "run.name=wrong-inputs"));
    return a;
  }

  @Test
  void wrongInputsToEveryCommandExitWithTheirCodeAndNoStackTrace() throws Exception {
    Path notAModel = Files.createDirectories(dir.resolve("not-a-model"));
    Files.writeString(notAModel.resolve("config.json"), "{\"model_type\": \"llama\", \"hidden_size\": \"big\"}");
    Path notAnAdapter = Files.createDirectories(dir.resolve("not-an-adapter"));
    Files.writeString(notAnAdapter.resolve("adapter_config.json"), "{\"r\": ");

    List<Object[]> cases = new ArrayList<>(); // {expected exit, args}
    for (String c : COMMANDS) {
      cases.add(new Object[] {ExitCodes.USAGE, List.of(c, "--no-such-flag")});
      cases.add(new Object[] {ExitCodes.USAGE, runIn(c, "--config", dir.resolve("missing.yaml").toString())});
      cases.add(new Object[] {ExitCodes.USAGE, runIn(c, "--set", "federation.rounds=many")});
      cases.add(new Object[] {ExitCodes.USAGE, runIn(c, "--set", "no_such.key=1")});
      cases.add(new Object[] {ExitCodes.USAGE, runIn(c, "--set", "run.seed")});
    }
    cases.add(new Object[] {ExitCodes.USAGE, List.of("generate", "--no-such-flag")});
    cases.add(new Object[] {ExitCodes.USAGE, List.of("generate", "--max-new-tokens", "lots")});
    cases.add(new Object[] {ExitCodes.USAGE, List.of("no-such-command")});
    // Missing or broken model and adapter files: bad input.
    cases.add(new Object[] {ExitCodes.BAD_DATA, List.of("generate", "--model", dir.resolve("missing-model").toString())});
    cases.add(new Object[] {ExitCodes.BAD_DATA, List.of("generate", "--model", notAModel.toString())});
    cases.add(new Object[] {ExitCodes.BAD_DATA, List.of("generate", "--model", TestPaths.tinyModel().toString(),
        "--adapter", notAnAdapter.toString())});
    cases.add(new Object[] {ExitCodes.BAD_DATA, List.of("generate", "--model", TestPaths.tinyModel().toString(),
        "--adapter", dir.resolve("missing-adapter").toString())});
    // A directory that is no run, and rounds that do not exist.
    cases.add(new Object[] {ExitCodes.BAD_DATA, runIn("round", "--round", "3", "--set", "data.path=" + notAModel)});
    cases.add(new Object[] {ExitCodes.USAGE, runIn("round", "--round", "0")});
    cases.add(new Object[] {ExitCodes.USAGE, runIn("export", "--round", "9", "--out", dir.resolve("out").toString())});
    cases.add(new Object[] {ExitCodes.USAGE, runIn("evaluate", "--round", "9")});
    cases.add(new Object[] {ExitCodes.USAGE, runIn("judge", "--round", "9", "--set", "judge.base_url=http://127.0.0.1:9/v1",
        "--set", "judge.model=j")});
    cases.add(new Object[] {ExitCodes.USAGE, runIn("experiment", "--seeds", "x")});
    cases.add(new Object[] {ExitCodes.BAD_DATA, runIn("prepare", "--set", "data.path=" + dir.resolve("missing.jsonl"))});

    List<String> wrong = new ArrayList<>();
    for (Object[] c : cases) {
      @SuppressWarnings("unchecked")
      List<String> args = (List<String>) c[1];
      int expected = (int) c[0];
      Outcome o = cli(args);
      boolean trace = TRACE_LINE.matcher(o.console()).find();
      if (o.code() != expected || trace || o.code() == ExitCodes.FAILURE) {
        wrong.add("fedit " + String.join(" ", args).replace(dir.toString(), "<tmp>") + ": exit " + o.code()
            + " (expected " + expected + ")" + (trace ? ", stack trace" : "") + ": "
            + o.console().strip().lines().limit(4).reduce("", (a, b) -> a + " | " + b));
      }
    }
    assertTrue(wrong.isEmpty(), wrong.size() + " of " + cases.size() + " wrong inputs misbehaved:\n"
        + String.join("\n", wrong));
  }

  @Test
  void aUrlWithCredentialsIsNeverEchoed() {
    // Issue 21 §5: refused in a setting (exit 2), and masked in any error line that quotes a URL from a flag.
    String secret = "s3cr3tPassw0rd";
    Outcome set = cli(runIn("judge", "--round", "1", "--set", "judge.base_url=https://alice:" + secret + "@judge.example/v1",
        "--set", "judge.model=j"));
    assertEquals(ExitCodes.USAGE, set.code(), set.console());
    assertTrue(set.console().contains("https://alice:***@judge.example/v1"), set.console());
    assertFalse(set.console().contains(secret), set.console());

    Outcome flag = cli(List.of("generate", "--model", "file://alice:" + secret + "@localhost/no/such/model"));
    System.out.println("generate --model with credentials in its URL: exit " + flag.code() + ": " + flag.console().strip());
    assertNotEquals(ExitCodes.OK, flag.code(), flag.console());
    assertFalse(flag.console().contains(secret), flag.console());
    assertFalse(TRACE_LINE.matcher(flag.console()).find(), flag.console());
  }
}
