package dev.cutover.steps.run;

/** The end of a command: its exit code and the last lines it printed (secrets masked). */
public record RunResult(int exitCode, String outputTail, long durationMillis, boolean truncated) {}
