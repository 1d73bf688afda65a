package io.fedit.config;

import java.util.List;

/** The instruction data: where it is, how to read it, how to treat bad records, how to prompt. */
public record DataSection(
    String path,
    String format,
    String clientKeyColumn,
    String onBadRecord,
    String promptTemplate,
    int cutoffLen) implements java.io.Serializable {
  public static final List<String> FORMATS = List.of("auto", "jsonl", "json", "parquet");
  public static final List<String> BAD_RECORD_POLICIES = List.of("fail", "skip");
  public static final List<String> TEMPLATES = List.of("alpaca", "none");

  public DataSection {
    Require.nonBlank("data.path", path);
    format = Require.oneOf("data.format", format, FORMATS);
    if (clientKeyColumn != null && clientKeyColumn.isBlank()) clientKeyColumn = null;
    onBadRecord = Require.oneOf("data.on_bad_record", onBadRecord, BAD_RECORD_POLICIES);
    promptTemplate = Require.oneOf("data.prompt_template", promptTemplate, TEMPLATES);
    Require.positive("data.cutoff_len", cutoffLen);
  }

  public boolean skipBadRecords() {
    return onBadRecord.equals("skip");
  }
}
