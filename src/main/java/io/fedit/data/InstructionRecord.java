package io.fedit.data;

import java.io.Serializable;

/**
 * One validated instruction example. {@code sourceFile} and {@code sourceLine} (1-based line for JSON
 * Lines, element number for JSON arrays, row number for Parquet) identify it for error messages and
 * give the stable order in which record ids are assigned.
 *
 * @param context   never null; empty when the input had none
 * @param category  never null; empty when the input had none
 * @param clientKey the configured client-key column's value, or null when none is configured
 */
public record InstructionRecord(
    String sourceFile,
    long sourceLine,
    String instruction,
    String context,
    String response,
    String category,
    String clientKey)
    implements Serializable {}
