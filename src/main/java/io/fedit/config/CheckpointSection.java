package io.fedit.config;

/** What each committed round keeps besides the global adapter and metrics. */
public record CheckpointSection(boolean keepClientUpdates) implements java.io.Serializable {}
