package io.fedit.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedit.job.FeditCli;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * docs/CONFIGURATION.md documents the command line as picocli sees it ({@link FeditCli}'s CommandSpec, not the
 * source): a heading {@code ### `name`} per command, under it every option of that command in code marks
 * ({@code `--round R`}); the options every command shares (the -c/--set mixin, help and version) once, under
 * {@code ### Options every command takes}. Option-like code spans under a command must be its own options.
 */
class CliReferenceTest {
  static final String COMMON = "Options every command takes";

  /** Every subcommand of the fedit command line by name. */
  static Map<String, CommandSpec> commands() {
    Map<String, CommandSpec> out = new TreeMap<>();
    new CommandLine(new FeditCli()).getSubcommands().forEach((name, cl) -> out.put(name, cl.getCommandSpec()));
    return out;
  }

  /** The option names a command shares with others: those of its mixins, help and version. */
  static Set<String> sharedNames(CommandSpec spec) {
    Set<String> out = new HashSet<>();
    for (CommandSpec mixin : spec.mixins().values()) {
      for (OptionSpec o : mixin.options()) out.addAll(List.of(o.names()));
    }
    for (OptionSpec o : spec.options()) {
      if (o.usageHelp() || o.versionHelp()) out.addAll(List.of(o.names()));
    }
    return out;
  }

  static MarkdownDoc reference() {
    return MarkdownDoc.read(MarkdownDoc.ROOT.resolve("docs/CONFIGURATION.md"));
  }

  /** The prose under the heading whose text is exactly {@code text}, or null. */
  static String section(MarkdownDoc doc, String text) {
    for (MarkdownDoc.Heading h : doc.headings()) {
      if (h.text().equals(text)) return String.join("\n", doc.sectionUnder(h));
    }
    return null;
  }

  /** The first word of every code span that looks like an option (-x, --name, --name=...). */
  static Set<String> optionsMentioned(String text) {
    Set<String> out = new HashSet<>();
    for (String line : text.split("\n")) {
      for (String span : MarkdownDoc.codeSpans(line)) {
        String first = span.strip().split("[\\s=\\[\\]|,]+", 2)[0];
        if (first.matches("--?[a-zA-Z][a-zA-Z0-9-]*")) out.add(first);
      }
    }
    return out;
  }

  @Test
  void everyCommandAndOptionIsDocumented() {
    MarkdownDoc doc = reference();
    String common = section(doc, COMMON);
    assertTrue(common != null, "docs/CONFIGURATION.md has no heading '" + COMMON + "'");
    Set<String> commonMentioned = optionsMentioned(common);
    Map<String, CommandSpec> commands = commands();
    assertTrue(commands.keySet().containsAll(List.of("train", "round", "prepare", "generate", "help")), commands.keySet().toString());
    List<String> missing = new ArrayList<>();
    for (OptionSpec o : new CommandLine(new FeditCli()).getCommandSpec().options()) {
      for (String name : o.names()) if (!commonMentioned.contains(name)) missing.add("fedit " + name + " (under " + COMMON + ")");
    }
    commands.forEach((name, spec) -> {
      String text = section(doc, "`" + name + "`");
      if (text == null) {
        missing.add("command " + name + " (a heading ### `" + name + "`)");
        return;
      }
      Set<String> mentioned = optionsMentioned(text);
      Set<String> shared = sharedNames(spec);
      for (OptionSpec o : spec.options()) {
        for (String option : o.names()) {
          if (shared.contains(option)) {
            if (!commonMentioned.contains(option)) missing.add(name + " " + option + " (under " + COMMON + ")");
          } else if (!mentioned.contains(option)) {
            missing.add(name + " " + option);
          }
        }
      }
    });
    assertEquals(List.of(), missing, "command-line options missing from docs/CONFIGURATION.md");
  }

  @Test
  void everyDocumentedOptionExists() {
    MarkdownDoc doc = reference();
    List<String> unknown = new ArrayList<>();
    commands().forEach((name, spec) -> {
      String text = section(doc, "`" + name + "`");
      if (text == null) return; // reported by the other test
      Set<String> real = new HashSet<>();
      for (OptionSpec o : spec.options()) real.addAll(List.of(o.names()));
      for (String option : optionsMentioned(text)) {
        if (!real.contains(option)) unknown.add(name + " " + option);
      }
    });
    assertEquals(List.of(), unknown, "docs/CONFIGURATION.md documents options that the commands do not have");
  }

  @Test
  void optionLikeCodeSpansAreFound() {
    assertEquals(Set.of("--round", "-s", "--seeds"),
        optionsMentioned("| `--round R` | x `-s KEY=VALUE` and `--seeds N|A-B` but not `fedit train` or `-1` |"));
  }
}
