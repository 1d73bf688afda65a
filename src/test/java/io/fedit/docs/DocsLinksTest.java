package io.fedit.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every relative link in README.md and docs/*.md leads somewhere: the file or folder exists, and a
 * {@code #anchor} names a heading of the target Markdown file (GitHub's anchors). Web links are not fetched.
 */
class DocsLinksTest {

  @Test
  void everyRelativeLinkAndAnchorResolves() {
    List<String> broken = new ArrayList<>();
    int checked = 0;
    for (Path file : MarkdownDoc.allDocs()) {
      MarkdownDoc doc = MarkdownDoc.read(file);
      for (MarkdownDoc.Link link : doc.links()) {
        String target = link.target();
        if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) continue; // https:, mailto: ...
        checked++;
        String problem = problem(doc, target);
        if (problem != null) broken.add(doc.name() + ":" + link.line() + " (" + target + "): " + problem);
      }
    }
    assertTrue(checked > 20, "expected the docs to link to each other, found " + checked + " relative links");
    assertEquals(List.of(), broken, "broken links in the docs");
  }

  /** Why a relative link does not resolve, or null when it does. */
  static String problem(MarkdownDoc from, String target) {
    int hash = target.indexOf('#');
    String pathPart = hash < 0 ? target : target.substring(0, hash);
    String anchor = hash < 0 ? null : target.substring(hash + 1);
    Path resolved = pathPart.isEmpty() ? from.file
        : from.file.getParent().resolve(pathPart).normalize();
    if (!resolved.startsWith(MarkdownDoc.ROOT)) return "points outside the project";
    if (!Files.exists(resolved)) return "no such file or folder " + MarkdownDoc.ROOT.relativize(resolved);
    if (anchor == null) return null;
    if (!resolved.toString().endsWith(".md")) return "an anchor into a file that is not Markdown";
    Set<String> anchors = MarkdownDoc.read(resolved).headings().stream()
        .map(MarkdownDoc.Heading::anchor).collect(Collectors.toSet());
    return anchors.contains(anchor) ? null : "no heading with anchor #" + anchor + " in " + resolved.getFileName();
  }

  @Test
  void anchorsFollowGitHubsRule() {
    assertEquals("compute-dtypes-modeldtype-mixed-precision",
        MarkdownDoc.slug("Compute dtypes (`model.dtype`, mixed precision)"));
    assertEquals("attack-simulation-experiments-only", MarkdownDoc.slug("Attack simulation (experiments only)"));
    assertEquals("floor-3-client-prepare", MarkdownDoc.slug("Floor 3: `client`, `prepare`"));
    assertEquals("see-the-guide", MarkdownDoc.slug("See [the guide](docs/X.md)"));
  }

  @Test
  void aMissingFileAndAMissingAnchorAreCaught() throws Exception {
    Path dir = Files.createTempDirectory(MarkdownDoc.ROOT.resolve("target"), "docs-links");
    Path a = Files.writeString(dir.resolve("a.md"), "# Title\n\n## Two words\n\n[ok](#two-words) [self](a.md#title)\n");
    MarkdownDoc doc = MarkdownDoc.read(a);
    assertEquals(null, problem(doc, "#two-words"));
    assertEquals(null, problem(doc, "a.md#title"));
    assertTrue(problem(doc, "#three-words").contains("no heading with anchor #three-words"));
    assertTrue(problem(doc, "b.md").contains("no such file"));
  }
}
