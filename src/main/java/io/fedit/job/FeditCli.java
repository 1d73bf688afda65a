package io.fedit.job;

import io.fedit.config.ConfigException;
import io.fedit.data.DataException;
import io.fedit.model.ModelException;
import io.fedit.round.RoundFailedException;
import io.fedit.round.RoundNotReadyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command-line entry point ({@code jobs/fedit} locally, the main class under spark-submit). */
@Command(name = "fedit", mixinStandardHelpOptions = true, version = "fedit 0.1.0",
    description = "Federated instruction tuning (FedIT) of LLMs with LoRA on Apache Spark.",
    subcommands = {PrepareCommand.class, TrainCommand.class, RoundCommand.class, GenerateCommand.class, EvaluateCommand.class,
        ExperimentCommand.class,
        CommandLine.HelpCommand.class})
public final class FeditCli {
  private static final Logger LOG = LoggerFactory.getLogger(FeditCli.class);

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs a command and maps failures to {@link ExitCodes}; never calls System.exit (tests use it). */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new FeditCli());
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      if (e instanceof ConfigException || e instanceof IllegalArgumentException) {
        cmd.getErr().println("fedit: " + e.getMessage());
        return ExitCodes.USAGE;
      }
      if (e instanceof RoundNotReadyException) {
        cmd.getErr().println("fedit: " + e.getMessage());
        return ExitCodes.NOT_READY;
      }
      if (e instanceof RoundFailedException) {
        cmd.getErr().println("fedit: " + e.getMessage());
        return ExitCodes.ROUND_FAILED;
      }
      if (e instanceof DataException || e instanceof ModelException) {
        cmd.getErr().println("fedit: bad input: " + e.getMessage());
        return ExitCodes.BAD_DATA;
      }
      LOG.error("fedit {} failed", cmd.getCommandName(), e);
      cmd.getErr().println("fedit: " + e);
      return ExitCodes.FAILURE;
    });
    return cli.execute(args);
  }
}
