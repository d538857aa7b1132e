package dev.cutover.hosts;

import dev.cutover.secrets.SecretMask;
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
 *
 * <p>A long line is masked before it is cut, never after: cutting first could keep the tail of a
 * secret that no longer matches. So a line may grow to the limit plus the longest masked form plus
 * a read's worth before it is masked and cut (to the limit plus the longest form, so a secret still
 * arriving is kept whole until it can be recognized). A cut line is handed on masked. Reads are
 * joined into lines before anything is masked, so a secret split across two reads is whole on its
 * line; one that spans lines is masked line by line ({@link SecretMask} masks each of its lines).
 */
public final class OutputLines {
  private OutputLines() {}

  /**
   * Reads {@code stream} to its end, giving each line to {@code lines}; a read failure propagates.
   */
  public static void read(InputStream stream, Consumer<String> lines) throws IOException {
    read(stream, SecretMask.NONE, lines);
  }

  /** As {@link #read(InputStream, Consumer)}, masking a line with {@code mask} before it is cut. */
  public static void read(InputStream stream, SecretMask mask, Consumer<String> lines)
      throws IOException {
    int keep = HostShell.TAIL_CHARS + mask.longest();
    int maskAt = mask.isEmpty() ? HostShell.TAIL_CHARS : keep + 8192;
    try (InputStreamReader in = new InputStreamReader(stream, StandardCharsets.UTF_8)) {
      char[] buffer = new char[8192];
      StringBuilder line = new StringBuilder();
      boolean afterCr = false;
      boolean cut = false;
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
            lines.accept(finish(line, cut, mask));
            line.setLength(0);
            cut = false;
          } else {
            line.append(c);
            if (line.length() > maskAt) {
              String masked = mask.mask(line.toString());
              line.setLength(0);
              line.append(masked, Math.max(0, masked.length() - keep), masked.length());
              cut = true;
            }
          }
        }
      }
      if (line.length() > 0) {
        lines.accept(finish(line, cut, mask));
      }
    }
  }

  /** The line as handed on: a line that was cut is masked once more and cut to the limit. */
  private static String finish(StringBuilder line, boolean cut, SecretMask mask) {
    if (!cut && line.length() <= HostShell.TAIL_CHARS) {
      return line.toString();
    }
    String masked = mask.mask(line.toString());
    return masked.length() <= HostShell.TAIL_CHARS
        ? masked
        : masked.substring(masked.length() - HostShell.TAIL_CHARS);
  }
}
