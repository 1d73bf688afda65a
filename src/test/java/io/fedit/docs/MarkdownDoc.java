package io.fedit.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Markdown file of the docs as the tests read it: its prose lines (fenced code blocks left out), its
 * headings with the anchors GitHub gives them, the text under a heading, its relative links and the code
 * spans of a piece of text.
 */
final class MarkdownDoc {
  /** The project's root folder (Maven passes it to the tests; "." when run from there by hand). */
  static final Path ROOT = Path.of(System.getProperty("project.root", ".")).toAbsolutePath().normalize();

  private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.*?)\\s*#*\\s*$");
  /** [text](target) or ![alt](target), with an optional "title"; the target has no spaces. */
  private static final Pattern LINK = Pattern.compile("!?\\[([^\\]]*)]\\(([^)\\s]+)(?:\\s+\"[^\"]*\")?\\)");
  private static final Pattern CODE_SPAN = Pattern.compile("`([^`]+)`");

  /** A heading: its level (number of #), its text as written, and its anchor (GitHub's slug, made unique). */
  record Heading(int line, int level, String text, String anchor) {}

  /** A link found in the prose: the line it is on (1-based) and its target as written. */
  record Link(int line, String target) {}

  final Path file;
  private final List<String> lines;
  /** True for the lines inside a fenced code block (fences included). */
  private final boolean[] inFence;
  private final List<Heading> headings = new ArrayList<>();

  private MarkdownDoc(Path file, List<String> lines) {
    this.file = file;
    this.lines = lines;
    this.inFence = new boolean[lines.size()];
    boolean fenced = false;
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      if (l.strip().startsWith("```")) {
        inFence[i] = true;
        fenced = !fenced;
        continue;
      }
      inFence[i] = fenced;
      if (fenced) continue;
      Matcher m = HEADING.matcher(l);
      if (m.matches()) {
        String slug = slug(m.group(2));
        int n = seen.merge(slug, 1, Integer::sum);
        headings.add(new Heading(i + 1, m.group(1).length(), m.group(2), n == 1 ? slug : slug + "-" + (n - 1)));
      }
    }
  }

  static MarkdownDoc read(Path file) {
    try {
      return new MarkdownDoc(file, Files.readAllLines(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** README.md and every docs/*.md, in name order. */
  static List<Path> allDocs() {
    List<Path> files = new ArrayList<>();
    files.add(ROOT.resolve("README.md"));
    try (var s = Files.list(ROOT.resolve("docs"))) {
      s.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().forEach(files::add);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + ROOT.resolve("docs"), e);
    }
    return files;
  }

  /** The file's path relative to the project root, for messages. */
  String name() {
    return ROOT.relativize(file.toAbsolutePath().normalize()).toString();
  }

  List<Heading> headings() {
    return headings;
  }

  /** The prose lines (outside fenced code) from a heading's next line up to the next heading of its level or above. */
  List<String> sectionUnder(Heading h) {
    int end = lines.size();
    for (Heading other : headings) {
      if (other.line() > h.line() && other.level() <= h.level()) {
        end = other.line() - 1;
        break;
      }
    }
    List<String> out = new ArrayList<>();
    for (int i = h.line(); i < end; i++) if (!inFence[i]) out.add(lines.get(i));
    return out;
  }

  /** Every prose line (outside fenced code). */
  List<String> prose() {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) if (!inFence[i]) out.add(lines.get(i));
    return out;
  }

  /** Links in the prose; links written inside code spans (examples of syntax) are not links. */
  List<Link> links() {
    List<Link> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (inFence[i]) continue;
      Matcher m = LINK.matcher(CODE_SPAN.matcher(lines.get(i)).replaceAll("``"));
      while (m.find()) out.add(new Link(i + 1, m.group(2)));
    }
    return out;
  }

  /** The contents of the code spans (`...`) in a line. */
  static List<String> codeSpans(String line) {
    List<String> out = new ArrayList<>();
    Matcher m = CODE_SPAN.matcher(line);
    while (m.find()) out.add(m.group(1));
    return out;
  }

  /**
   * GitHub's anchor for a heading: the rendered text (code marks, emphasis and link syntax gone), lower-cased,
   * every character that is not a letter, digit, mark, connector, space or hyphen removed, spaces as hyphens.
   */
  static String slug(String headingText) {
    String rendered = headingText.replaceAll("!?\\[([^\\]]*)]\\([^)]*\\)", "$1").replace("`", "").replace("*", "");
    return rendered.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{M}\\p{N}\\p{Pc} -]", "").replace(' ', '-');
  }
}
