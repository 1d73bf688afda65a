package io.fedit.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * The HTML of a report: the page template (resource report.html) with the run's name, the ECharts
 * library from its WebJar, the data as a JSON block and the script that draws the charts (report.js),
 * all inline. The JSON is made safe inside a script element by writing '<', '>' and '&' as \\u escapes.
 */
final class ReportPage {
  static final String ECHARTS = "/META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js";
  static final String DATA_OPEN = "<script type=\"application/json\" id=\"fedit-report-data\">";

  private ReportPage() {}

  static String render(String runName, ObjectNode data) throws IOException {
    String template = RunReport.resource("/io/fedit/report/report.html");
    String echarts = RunReport.resource(ECHARTS).replace("</script", "<\\/script");
    String script = RunReport.resource("/io/fedit/report/report.js");
    java.util.Map<String, String> parts = java.util.Map.of(
        "TITLE", escapeHtml("fedit report: " + runName),
        "DATA", DATA_OPEN + safeJson(data) + "</script>",
        "ECHARTS", "<script>" + echarts + "</script>",
        "SCRIPT", "<script>" + script + "</script>");
    // One pass over the template, so that text inserted for one marker is never searched for another.
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\{\\{([A-Z]+)}}").matcher(template);
    StringBuilder out = new StringBuilder(template.length() + echarts.length() + 65536);
    while (m.find()) {
      String part = parts.get(m.group(1));
      if (part == null) throw new IllegalStateException("unknown marker " + m.group() + " in report.html");
      m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(part));
    }
    m.appendTail(out);
    return out.toString();
  }

  static String safeJson(ObjectNode data) throws JsonProcessingException {
    // '<', '>', '&' only occur inside JSON strings, where \\u escapes mean the same characters.
    return new ObjectMapper().writeValueAsString(data)
        .replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
  }

  static String escapeHtml(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
