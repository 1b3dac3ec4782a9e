package io.github.zkharness.sandbox;

import io.github.zkharness.chaos.ChaosRun;
import io.github.zkharness.chaos.ChaosSchedule;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

/**
 * {@code chaos SEED [SECONDS]}: a seeded chaos schedule in the background, each step printed as it happens;
 * {@code chaos stop} ends it early. Either way the run is closed (faults healed, nodes restarted, every node
 * serving) and its summary printed, with the replay.
 */
final class ChaosCommands {

    private final PrintStream out;
    private ChaosRun run;
    private Thread finisher;

    ChaosCommands(PrintStream out) {
        this.out = out;
    }

    static Commands addTo(Commands commands, ChaosCommands chaos) {
        return commands.add(Command.of(
                "chaos",
                "chaos SEED [SECONDS] | chaos stop",
                "run a seeded, replayable chaos schedule in the background (until SECONDS pass or chaos stop), printing"
                        + " each step; then heal, restart and print the summary",
                chaos::chaos));
    }

    private synchronized void chaos(Session session, List<String> args) {
        if (args.equals(List.of("stop"))) {
            if (run == null) {
                throw new CommandException("no chaos run is going on; start one with chaos SEED [SECONDS]");
            }
            finish();
            return;
        }
        if (args.isEmpty() || args.size() > 2) {
            throw new CommandException("chaos is written chaos SEED [SECONDS] or chaos stop, got \"chaos"
                    + (args.isEmpty() ? "" : " " + String.join(" ", args)) + "\"");
        }
        if (run != null) {
            throw new CommandException("a chaos run (seed " + run.seed() + ") is going on; chaos stop ends it");
        }
        long seed;
        try {
            seed = Long.parseLong(args.get(0));
        } catch (NumberFormatException e) {
            throw new CommandException("chaos takes a seed (a whole number), got \"" + args.get(0) + "\"");
        }
        Duration duration = null;
        if (args.size() == 2) {
            try {
                duration = Duration.ofSeconds(Long.parseLong(args.get(1)));
            } catch (NumberFormatException e) {
                throw new CommandException(
                        "chaos takes a number of seconds after the seed, got \"" + args.get(1) + "\"");
            }
            if (duration.isNegative() || duration.isZero()) {
                throw new CommandException("chaos runs for at least 1 second, got " + args.get(1));
            }
        }
        var schedule = ChaosSchedule.of(session.ensemble()).seed(seed).onStep(step -> print("chaos " + step));
        if (duration != null) {
            schedule.duration(duration);
        }
        run = schedule.start();
        session.println("chaos seed " + seed + " started"
                + (duration == null ? "; chaos stop ends it" : " for " + duration.toSeconds() + " s"));
        if (duration != null) {
            ChaosRun started = run;
            finisher = new Thread(
                    () -> {
                        while (started.isDrawing()) {
                            try {
                                Thread.sleep(100); // polls the run's own flag; the run has no completion callback
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                        synchronized (this) {
                            if (run == started) {
                                finish();
                            }
                        }
                    },
                    "zk-sandbox-chaos-finisher");
            finisher.setDaemon(true);
            finisher.start();
        }
    }

    /** Closes the run (heal, restart, await serving) and prints its summary or what went wrong. */
    private synchronized void finish() {
        ChaosRun ending = run;
        run = null;
        try {
            ending.close();
            print(ending.summary());
        } catch (RuntimeException e) {
            print("error: " + e.getMessage().replaceAll("\\s*[\\r\\n]+\\s*", " "));
        }
    }

    private void print(String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    /** Ends a run still going on, when the sandbox quits. */
    synchronized void close() {
        if (run != null) {
            finish();
        }
        if (finisher != null) {
            finisher.interrupt();
        }
    }
}
