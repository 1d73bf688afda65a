package io.fedit.client;

import io.fedit.lora.AdapterWeights;

/** What one client's local training returns: the trained adapter (plain Java data) and its metrics. */
public record TrainResult(AdapterWeights adapter, TrainMetrics metrics) implements java.io.Serializable {}
