package io.fedit.prepare;

import java.util.Map;

/**
 * One row of data/client_stats: one client of the prepared data.
 *
 * @param records         the client's training records
 * @param categoryCounts  category → records of it, sorted by category
 * @param tokens          prompt-template tokens of all its records
 * @param meanTokens      tokens per record
 * @param maxTokens       the longest record's tokens
 * @param overCutoffShare share of its records longer than data.cutoff_len
 */
public record ClientStatsRow(String clientId, long records, Map<String, Long> categoryCounts, long tokens,
    double meanTokens, long maxTokens, double overCutoffShare) {}
