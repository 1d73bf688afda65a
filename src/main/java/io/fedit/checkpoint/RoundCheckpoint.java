package io.fedit.checkpoint;

import io.fedit.config.LoraSection;
import io.fedit.eval.EvalResult;
import io.fedit.lora.AdapterWeights;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a round commit writes, gathered by the round driver.
 *
 * @param configYaml          the run's effective configuration as YAML text (stored in the manifest)
 * @param inputHashes         fingerprints of base model, tokenizer and data (e.g. "base_model" → sha256)
 * @param baseModelNameOrPath written into PEFT's adapter_config.json
 * @param clientUpdates       client id → its adapter; empty unless checkpoint.keep_client_updates
 * @param strategyState       the strategy's {@code state()}; empty for FedAvg
 * @param clientStates        client id → its new per-client strategy state (SCAFFOLD's c_i); else empty
 * @param privacyLedger       the round's DP ledger row; null without differential privacy
 * @param eval                held-out evaluation rows of the new global adapter (empty when not evaluated)
 * @param staged              client files the executors wrote (kept updates, client states) that the commit
 *                            takes in, beside the in-memory {@code clientUpdates} and {@code clientStates}
 */
public record RoundCheckpoint(
    int round,
    String runName,
    String strategy,
    AdapterWeights global,
    LoraSection lora,
    String baseModelNameOrPath,
    String configYaml,
    Map<String, String> inputHashes,
    List<ClientMetricsRow> clientMetrics,
    RoundMetricsRow roundMetrics,
    Map<String, AdapterWeights> clientUpdates,
    Map<String, AdapterWeights> strategyState,
    Map<String, AdapterWeights> clientStates,
    PrivacyLedgerRow privacyLedger,
    EvalResult eval,
    StagedClientFiles staged) {

  /**
   * A builder for round {@code round}. Required: run name, strategy, global adapter, LoRA settings and round
   * metrics; everything else defaults to empty (no input hashes, client rows, kept updates, strategy or client
   * state, staged files or evaluation rows; no privacy ledger row).
   */
  public static Builder builder(int round) {
    return new Builder(round);
  }

  /** A builder holding this checkpoint's parts, to change some of them. */
  public Builder toBuilder() {
    return new Builder(round).runName(runName).strategy(strategy).global(global).lora(lora)
        .baseModelNameOrPath(baseModelNameOrPath).configYaml(configYaml).inputHashes(inputHashes)
        .clientMetrics(clientMetrics).roundMetrics(roundMetrics).clientUpdates(clientUpdates)
        .strategyState(strategyState).clientStates(clientStates).privacyLedger(privacyLedger).eval(eval)
        .staged(staged);
  }

  /** This checkpoint with {@code eval}'s rows (which must all be of this round). */
  public RoundCheckpoint withEval(EvalResult eval) {
    return toBuilder().eval(eval).build();
  }

  public RoundCheckpoint {
    if (round < 0) throw new IllegalArgumentException("round must be >= 0, got " + round);
    Objects.requireNonNull(runName, () -> "round " + round + " checkpoint: runName is missing");
    Objects.requireNonNull(strategy, () -> "round " + round + " checkpoint: strategy is missing");
    Objects.requireNonNull(global, () -> "round " + round + " checkpoint: global is missing");
    Objects.requireNonNull(lora, () -> "round " + round + " checkpoint: lora is missing");
    Objects.requireNonNull(roundMetrics, () -> "round " + round + " checkpoint: roundMetrics is missing");
    if (roundMetrics.round() != round) {
      throw new IllegalArgumentException("roundMetrics.round is " + roundMetrics.round() + ", expected " + round);
    }
    for (ClientMetricsRow r : clientMetrics) {
      if (r.round() != round) {
        throw new IllegalArgumentException("client metrics of " + r.clientId() + " are for round " + r.round()
            + ", expected " + round);
      }
    }
    for (String key : strategyState.keySet()) {
      // State entries become file names.
      if (!key.matches("[A-Za-z0-9_-]+")) {
        throw new IllegalArgumentException("strategy state name must match [A-Za-z0-9_-]+, got '" + key + "'");
      }
    }
    eval = eval == null ? EvalResult.empty() : eval;
    for (var r : eval.metrics()) {
      if (r.round() != round) throw new IllegalArgumentException("eval rows are for round " + r.round() + ", expected " + round);
    }
    for (var r : eval.generations()) {
      if (r.round() != round) throw new IllegalArgumentException("eval answers are for round " + r.round() + ", expected " + round);
    }
    baseModelNameOrPath = baseModelNameOrPath == null ? "" : baseModelNameOrPath;
    configYaml = configYaml == null ? "" : configYaml;
    inputHashes = Map.copyOf(inputHashes);
    clientMetrics = List.copyOf(clientMetrics);
    clientUpdates = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(clientUpdates));
    strategyState = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(strategyState));
    clientStates = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(clientStates));
    staged = staged == null ? StagedClientFiles.NONE : staged;
    if (!staged.updates().isEmpty() && !clientUpdates.isEmpty()) {
      throw new IllegalArgumentException("client updates both in memory and staged: give one of them");
    }
    for (String id : staged.states().keySet()) {
      if (clientStates.containsKey(id)) throw new IllegalArgumentException("client " + id + "'s state given twice");
    }
    if (privacyLedger != null && privacyLedger.round() != round) {
      throw new IllegalArgumentException("privacy ledger row is for round " + privacyLedger.round() + ", expected " + round);
    }
  }

  /** Gathers a {@link RoundCheckpoint} part by part; {@link #build} checks it. Parts are as the record's. */
  public static final class Builder {
    private final int round;
    private String runName;
    private String strategy;
    private AdapterWeights global;
    private LoraSection lora;
    private String baseModelNameOrPath = "";
    private String configYaml = "";
    private Map<String, String> inputHashes = Map.of();
    private List<ClientMetricsRow> clientMetrics = List.of();
    private RoundMetricsRow roundMetrics;
    private Map<String, AdapterWeights> clientUpdates = Map.of();
    private Map<String, AdapterWeights> strategyState = Map.of();
    private Map<String, AdapterWeights> clientStates = Map.of();
    private PrivacyLedgerRow privacyLedger;
    private EvalResult eval = EvalResult.empty();
    private StagedClientFiles staged = StagedClientFiles.NONE;

    private Builder(int round) {
      this.round = round;
    }

    public Builder runName(String v) { runName = v; return this; }
    public Builder strategy(String v) { strategy = v; return this; }
    public Builder global(AdapterWeights v) { global = v; return this; }
    public Builder lora(LoraSection v) { lora = v; return this; }
    public Builder baseModelNameOrPath(String v) { baseModelNameOrPath = v; return this; }
    public Builder configYaml(String v) { configYaml = v; return this; }
    public Builder inputHashes(Map<String, String> v) { inputHashes = v; return this; }
    public Builder clientMetrics(List<ClientMetricsRow> v) { clientMetrics = v; return this; }
    public Builder roundMetrics(RoundMetricsRow v) { roundMetrics = v; return this; }
    public Builder clientUpdates(Map<String, AdapterWeights> v) { clientUpdates = v; return this; }
    public Builder strategyState(Map<String, AdapterWeights> v) { strategyState = v; return this; }
    public Builder clientStates(Map<String, AdapterWeights> v) { clientStates = v; return this; }
    public Builder privacyLedger(PrivacyLedgerRow v) { privacyLedger = v; return this; }
    public Builder eval(EvalResult v) { eval = v; return this; }
    public Builder staged(StagedClientFiles v) { staged = v; return this; }

    /** The checkpoint; throws naming the part that is missing or inconsistent. */
    public RoundCheckpoint build() {
      return new RoundCheckpoint(round, runName, strategy, global, lora, baseModelNameOrPath, configYaml,
          inputHashes, clientMetrics, roundMetrics, clientUpdates, strategyState, clientStates, privacyLedger, eval,
          staged);
    }
  }

  /** client id → adapter of the given updates, for {@code clientUpdates} when they are kept. */
  public static Map<String, AdapterWeights> adaptersById(List<io.fedit.federation.update.ClientUpdate> updates) {
    Map<String, AdapterWeights> out = new java.util.LinkedHashMap<>();
    for (io.fedit.federation.update.ClientUpdate u : updates) {
      if (out.put(u.clientId(), u.adapter()) != null) {
        throw new IllegalArgumentException("client " + u.clientId() + " has two updates in round " + u.round());
      }
    }
    return out;
  }
}
