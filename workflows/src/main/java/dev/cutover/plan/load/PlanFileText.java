package dev.cutover.plan.load;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Locale;

/**
 * Reads a plan file's text, refusing what is not a plan before it can hang or exhaust the reader: a
 * FIFO blocks its reader forever and a device like /dev/zero never ends, so only regular files are
 * opened, and at most {@link PlanLimits#MAX_FILE_BYTES} of them are read.
 */
public final class PlanFileText {
  private PlanFileText() {}

  public static String read(Path file) throws InvalidPlanException {
    String name = file.toString();
    BasicFileAttributes attributes;
    try {
      // Follows links: a link to a plan is a plan; a link to a FIFO is refused like the FIFO.
      attributes = Files.readAttributes(file, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw problem(name, 1, 1, "no such file");
    } catch (IOException e) {
      throw problem(name, 1, 1, "cannot read the file: " + reason(e));
    }
    if (attributes.isDirectory()) {
      throw problem(name, 1, 1, "is a directory, not a plan file");
    }
    if (!attributes.isRegularFile()) {
      throw problem(
          name,
          1,
          1,
          "is not a regular file (a FIFO, socket or device): cutover reads plans from regular files only");
    }
    if (attributes.size() > PlanLimits.MAX_FILE_BYTES) {
      throw problem(name, 1, 1, tooLarge(attributes.size() + " bytes"));
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      // The size above can change before the read (a file still being written, a /proc file that
      // says 0): the read itself stops one byte past the limit.
      bytes = in.readNBytes(PlanLimits.MAX_FILE_BYTES + 1);
    } catch (IOException e) {
      throw problem(name, 1, 1, "cannot read the file: " + reason(e));
    }
    if (bytes.length > PlanLimits.MAX_FILE_BYTES) {
      throw problem(name, 1, 1, tooLarge("more than " + PlanLimits.MAX_FILE_BYTES + " bytes"));
    }
    return decode(name, bytes);
  }

  /** The text of UTF-8 bytes, or the line and column of the first byte that is not UTF-8. */
  static String decode(String name, byte[] bytes) throws InvalidPlanException {
    if (bytes.length >= 2
        && ((bytes[0] == (byte) 0xff && bytes[1] == (byte) 0xfe)
            || (bytes[0] == (byte) 0xfe && bytes[1] == (byte) 0xff))) {
      throw problem(
          name,
          1,
          1,
          "the file is UTF-16 (it starts with a UTF-16 byte order mark); save the plan as UTF-8");
    }
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      int bad = in.position();
      out.flip();
      int line = 1;
      int lineStart = 0;
      for (int i = 0; i < out.limit(); i++) {
        if (out.get(i) == '\n') {
          line++;
          lineStart = i + 1;
        }
      }
      int column = out.toString().codePointCount(lineStart, out.limit()) + 1;
      throw problem(
          name,
          line,
          column,
          String.format(
              Locale.ROOT,
              "the file is not UTF-8: byte 0x%02x here cannot be read as UTF-8 (a file saved as Latin-1 or Windows-1252?); save the plan as UTF-8",
              bytes[bad] & 0xff));
    }
    out.flip();
    return out.toString();
  }

  private static String tooLarge(String size) {
    return "the file is "
        + size
        + "; a plan file may be at most "
        + PlanLimits.MAX_FILE_BYTES
        + " bytes (4 MiB)";
  }

  private static String reason(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileSystemException fs && fs.getReason() != null) {
      return fs.getReason();
    }
    return e.getMessage() == null ? "input/output error" : e.getMessage();
  }

  private static InvalidPlanException problem(String name, int line, int column, String message) {
    return new InvalidPlanException(List.of(new PlanProblem(name, line, column, "", message)));
  }
}
