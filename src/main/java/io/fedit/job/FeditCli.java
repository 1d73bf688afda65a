package io.fedit.job;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The command-line entry point ({@code jobs/fedit} locally, the main class under spark-submit). */
@Command(name = "fedit", mixinStandardHelpOptions = true, version = "fedit 0.1.0",
    description = "Federated instruction tuning (FedIT) of LLMs with LoRA on Apache Spark.",
    subcommands = {PrepareCommand.class, TrainCommand.class, RoundCommand.class, GenerateCommand.class,
        EvaluateCommand.class, ExportCommand.class, JudgeCommand.class, ReportCommand.class,
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
      Failures f = Failures.of(e);
      if (f.exitCode() == ExitCodes.FAILURE) LOG.error("fedit {} failed", cmd.getCommandName(), e);
      // A usage or input error shows one line; its trace stays at DEBUG for the case where it hides a bug (an
      // IllegalArgumentException from a library maps to exit 2 like our own argument checks).
      else LOG.debug("fedit {} refused (exit {})", cmd.getCommandName(), f.exitCode(), e);
      cmd.getErr().println("fedit: " + f.message());
      return f.exitCode();
    });
    return cli.execute(args);
  }
}
