package io.fedit.federation.strategy;

import io.fedit.config.FederationSection;
import io.fedit.config.RunConfig;
import io.fedit.federation.aggregation.DeltaAggregator;
import io.fedit.federation.aggregation.ExampleWeightedDelta;
import io.fedit.federation.aggregation.KrumDelta;
import io.fedit.federation.aggregation.NormBoundedDelta;
import io.fedit.federation.aggregation.RobustDelta;
import io.fedit.federation.plan.ClientInstructions;
import io.fedit.federation.privacy.DpNoisedDelta;
import io.fedit.federation.sampling.ClientSampler;
import io.fedit.federation.server.AdaptiveServerOptimizer;
import io.fedit.federation.server.ServerMomentum;
import io.fedit.federation.server.ServerSgd;
import io.fedit.lora.TrainableArrays;

/**
 * Builds the strategy named by federation.strategy, with the instructions its clients follow: the one place
 * a new strategy is registered, and the one place outside the config package that reads federation settings
 * for the clients (FedProx's mu, FFA-LoRA, DP clipping).
 */
public final class Strategies {
  private Strategies() {}

  public static Strategy fromConfig(RunConfig config) {
    FederationSection f = config.federation();
    String name = f.strategy();
    ClientSampler sampler = ClientSampler.fromConfig(config.run().seed(), f);
    DeltaAggregator aggregator = aggregator(config);
    ClientInstructions common = commonInstructions(config);
    boolean plain = !config.privacy().enabled() && !f.ffaLora() && f.aggregation().equals("mean");
    return switch (name) {
      // FedAvg keeps its historical form (mean of adapters) unless a delta-based variant is asked for.
      case "fedavg" -> plain ? new FedAvg(sampler, common)
          : new DeltaStrategy(name, sampler, aggregator, new ServerSgd(config.privacy().enabled() ? f.serverLr() : 1.0),
              common);
      case "fedprox" -> new DeltaStrategy(name, sampler, aggregator, new ServerSgd(1.0), common.withProximal(f.proxMu()));
      case "fedavgm" -> new DeltaStrategy(name, sampler, aggregator, new ServerMomentum(f.serverLr(), f.serverMomentum()),
          common);
      case "fedadam", "fedyogi", "fedadagrad" -> new DeltaStrategy(name, sampler, aggregator,
          new AdaptiveServerOptimizer(kind(name), f.serverLr(), f.serverBeta1(), f.serverBeta2(), f.serverTau()), common);
      case "scaffold" -> {
        if (config.privacy().enabled()) {
          throw new IllegalArgumentException("federation.strategy 'scaffold' cannot run with privacy.enabled: "
              + "its control variates are not clipped or noised");
        }
        yield Scaffold.create(sampler, aggregator, f.serverLr(), config.train().learningRate(), common);
      }
      default -> throw new IllegalArgumentException("federation.strategy '" + name + "' is not implemented");
    };
  }

  /**
   * Which LoRA arrays the run's clients train: B only under federation.ffa_lora, else A and B. The solo arms
   * (centralized, local-only) train the same arrays, so that they compare with the federated run.
   */
  public static TrainableArrays trainableArrays(RunConfig config) {
    return config.federation().ffaLora() ? TrainableArrays.B_ONLY : TrainableArrays.A_AND_B;
  }

  /**
   * What every client does whatever the strategy: train {@link #trainableArrays}, and under privacy.enabled clip
   * its delta to privacy.clip_norm. Strategies add their own parts (FedProx's term, SCAFFOLD's variates).
   */
  private static ClientInstructions commonInstructions(RunConfig config) {
    ClientInstructions common = ClientInstructions.PLAIN.withTrainable(trainableArrays(config));
    return config.privacy().enabled() ? common.withClipping(config.privacy().clipNorm()) : common;
  }

  /** The mean delta of federation.aggregation, or DP's noised mean under privacy (which allows only "mean"). */
  private static DeltaAggregator aggregator(RunConfig config) {
    FederationSection f = config.federation();
    if (config.privacy().enabled()) {
      if (!f.aggregation().equals("mean")) {
        throw new IllegalArgumentException("federation.aggregation '" + f.aggregation() + "' cannot run with "
            + "privacy.enabled: DP-FedAvg's guarantee is for its own clipped, noised mean (use aggregation: mean)");
      }
      return DpNoisedDelta.fromConfig(config.privacy(), f.ffaLora());
    }
    return switch (f.aggregation()) {
      case "median" -> RobustDelta.median();
      case "trimmed_mean" -> RobustDelta.trimmedMean(f.trimBeta());
      case "norm_bounded" -> new NormBoundedDelta(f.normBound());
      case "krum" -> new KrumDelta(f.krumByzantine());
      default -> new ExampleWeightedDelta();
    };
  }

  private static AdaptiveServerOptimizer.Kind kind(String name) {
    return switch (name) {
      case "fedadam" -> AdaptiveServerOptimizer.Kind.ADAM;
      case "fedyogi" -> AdaptiveServerOptimizer.Kind.YOGI;
      default -> AdaptiveServerOptimizer.Kind.ADAGRAD;
    };
  }
}
