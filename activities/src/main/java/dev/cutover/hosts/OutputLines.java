package dev.cutover.hosts;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Cuts a command's output into lines the same way on every transport: at \n, \r\n, and at \r on its
 * own (rsync redraws its progress with \r: each redraw is a line). Reads in fixed chunks and keeps
 * at most {@link HostShell#TAIL_CHARS} of a line, so a command that streams binary data without
 * newlines cannot grow one line until the worker runs out of memory.
 */
public final class OutputLines {
  private OutputLines() {}

  /** Reads {@code stream} to its end, giving each line to {@code lines}; a read failure propagates. */
  public static void read(InputStream stream, Consumer<String> lines) throws IOException {
    try (InputStreamReader in = new InputStreamReader(stream, StandardCharsets.UTF_8)) {
      char[] buffer = new char[8192];
      StringBuilder line = new StringBuilder();
      boolean afterCr = false;
      int n;
      while ((n = in.read(buffer)) != -1) {
        for (int i = 0; i < n; i++) {
          char c = buffer[i];
          boolean crlf = afterCr && c == '\n';
          afterCr = c == '\r';
          if (crlf) {
            continue;
          }
          if (c == '\n' || c == '\r') {
            lines.accept(line.toString());
            line.setLength(0);
          } else {
            line.append(c);
            if (line.length() > HostShell.TAIL_CHARS) {
              line.delete(0, line.length() - HostShell.TAIL_CHARS);
            }
          }
        }
      }
      if (line.length() > 0) {
        lines.accept(line.toString());
      }
    }
  }
}
